-- Tenant schema v8 (SQLite twin): payment disputes (chargebacks and inquiries) reported by the gateway, one row per
-- provider dispute id (Stripe dp_…). status is the provider's; last_event_at / last_event_id are the provider event of
-- the last applied change (an older event changes nothing; a closed dispute — won, lost, warning_closed — is never
-- reopened). funds_withdrawn / funds_reinstated (INTEGER booleans) record that the provider took the disputed amount
-- back / returned it. disputed_at is the provider's creation time; closed_at the provider time of the closing event.
CREATE TABLE {schema}payment_disputes (
    id                TEXT    PRIMARY KEY,
    payment_id        TEXT    NOT NULL REFERENCES payments (id),
    provider          TEXT    NOT NULL,
    amount_minor      INTEGER NOT NULL,
    currency          TEXT    NOT NULL,
    reason            TEXT    NULL,
    status            TEXT    NOT NULL,
    evidence_due_by   TEXT    NULL,
    funds_withdrawn   INTEGER NOT NULL,
    funds_reinstated  INTEGER NOT NULL,
    disputed_at       TEXT    NULL,
    closed_at         TEXT    NULL,
    last_event_at     TEXT    NOT NULL,
    last_event_id     TEXT    NOT NULL,
    created_at        TEXT    NOT NULL,
    updated_at        TEXT    NOT NULL
);
CREATE INDEX {schema}ix_payment_disputes_payment ON payment_disputes (payment_id, created_at);
CREATE INDEX {schema}ix_payments_gateway_reference ON payments (gateway_reference);
