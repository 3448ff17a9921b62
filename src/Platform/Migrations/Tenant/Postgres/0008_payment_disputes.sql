-- Tenant schema v8: payment disputes (chargebacks and inquiries) reported by the gateway, one row per provider dispute
-- id (Stripe dp_…). status is the provider's; last_event_at / last_event_id are the provider event of the last applied
-- change (an older event changes nothing; a closed dispute — won, lost, warning_closed — is never reopened).
-- funds_withdrawn / funds_reinstated record that the provider took the disputed amount back / returned it.
-- disputed_at is the provider's creation time of the dispute; closed_at the provider time of the closing event.
CREATE TABLE {schema}payment_disputes (
    id                text        PRIMARY KEY,
    payment_id        uuid        NOT NULL REFERENCES {schema}payments (id),
    provider          text        NOT NULL,
    amount_minor      bigint      NOT NULL,
    currency          text        NOT NULL,
    reason            text        NULL,
    status            text        NOT NULL,
    evidence_due_by   timestamptz NULL,
    funds_withdrawn   boolean     NOT NULL,
    funds_reinstated  boolean     NOT NULL,
    disputed_at       timestamptz NULL,
    closed_at         timestamptz NULL,
    last_event_at     timestamptz NOT NULL,
    last_event_id     text        NOT NULL,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL
);
CREATE INDEX ix_payment_disputes_payment ON {schema}payment_disputes (payment_id, created_at);
CREATE INDEX ix_payments_gateway_reference ON {schema}payments (gateway_reference);
