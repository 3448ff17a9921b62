-- Tenant schema v3: payments (one row per payment request, the read model of its saga) and their refunds. Amounts are
-- exact integers in the ISO 4217 minor units of their currency. amount_minor/currency is what the gateway charges;
-- requested_* is what the caller asked for when FX conversion was needed (fx_* record the rate used and its origin).
CREATE TABLE {schema}payments (
    id                      uuid           PRIMARY KEY,
    status                  text           NOT NULL,
    gateway                 text           NOT NULL,
    gateway_reason          text           NOT NULL,
    amount_minor            bigint         NOT NULL,
    currency                text           NOT NULL,
    requested_amount_minor  bigint         NOT NULL,
    requested_currency      text           NOT NULL,
    fx_rate                 numeric(30,12) NULL,
    fx_source               text           NULL,
    fx_recorded_at          timestamptz    NULL,
    payment_method          text           NULL,
    description             text           NOT NULL,
    contact_id              uuid           NULL,
    customer_name           text           NULL,
    customer_email          text           NULL,
    invoice_id              uuid           NULL,
    opportunity_id          uuid           NULL,
    gateway_reference       text           NULL,
    client_secret           text           NULL,
    next_action             text           NULL,
    authorization_url       text           NULL,
    access_code             text           NULL,
    failure_reason          text           NULL,
    refunded_minor          bigint         NOT NULL,
    refund_pending_minor    bigint         NOT NULL,
    created_by              text           NOT NULL,
    created_at              timestamptz    NOT NULL,
    updated_at              timestamptz    NOT NULL,
    completed_at            timestamptz    NULL,
    version                 integer        NOT NULL
);
CREATE INDEX ix_payments_status ON {schema}payments (status, created_at);
CREATE INDEX ix_payments_created ON {schema}payments (created_at);

CREATE TABLE {schema}payment_refunds (
    id                 uuid        PRIMARY KEY,
    payment_id         uuid        NOT NULL REFERENCES {schema}payments (id),
    amount_minor       bigint      NOT NULL,
    currency           text        NOT NULL,
    reason             text        NULL,
    status             text        NOT NULL,
    gateway_reference  text        NULL,
    failure_reason     text        NULL,
    created_by         text        NOT NULL,
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL
);
CREATE INDEX ix_payment_refunds_payment ON {schema}payment_refunds (payment_id, created_at);
