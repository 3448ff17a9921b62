-- Tenant schema v3 (SQLite twin): ids TEXT, timestamps ISO-8601 TEXT, FX rates TEXT (exact decimals), amounts INTEGER
-- minor units.
CREATE TABLE {schema}payments (
    id                      TEXT    PRIMARY KEY,
    status                  TEXT    NOT NULL,
    gateway                 TEXT    NOT NULL,
    gateway_reason          TEXT    NOT NULL,
    amount_minor            INTEGER NOT NULL,
    currency                TEXT    NOT NULL,
    requested_amount_minor  INTEGER NOT NULL,
    requested_currency      TEXT    NOT NULL,
    fx_rate                 TEXT    NULL,
    fx_source               TEXT    NULL,
    fx_recorded_at          TEXT    NULL,
    payment_method          TEXT    NULL,
    description             TEXT    NOT NULL,
    contact_id              TEXT    NULL,
    customer_name           TEXT    NULL,
    customer_email          TEXT    NULL,
    invoice_id              TEXT    NULL,
    opportunity_id          TEXT    NULL,
    gateway_reference       TEXT    NULL,
    client_secret           TEXT    NULL,
    next_action             TEXT    NULL,
    authorization_url       TEXT    NULL,
    access_code             TEXT    NULL,
    failure_reason          TEXT    NULL,
    refunded_minor          INTEGER NOT NULL,
    refund_pending_minor    INTEGER NOT NULL,
    created_by              TEXT    NOT NULL,
    created_at              TEXT    NOT NULL,
    updated_at              TEXT    NOT NULL,
    completed_at            TEXT    NULL,
    version                 INTEGER NOT NULL
);
CREATE INDEX {schema}ix_payments_status ON payments (status, created_at);
CREATE INDEX {schema}ix_payments_created ON payments (created_at);

CREATE TABLE {schema}payment_refunds (
    id                 TEXT    PRIMARY KEY,
    payment_id         TEXT    NOT NULL REFERENCES payments (id),
    amount_minor       INTEGER NOT NULL,
    currency           TEXT    NOT NULL,
    reason             TEXT    NULL,
    status             TEXT    NOT NULL,
    gateway_reference  TEXT    NULL,
    failure_reason     TEXT    NULL,
    created_by         TEXT    NOT NULL,
    created_at         TEXT    NOT NULL,
    updated_at         TEXT    NOT NULL
);
CREATE INDEX {schema}ix_payment_refunds_payment ON payment_refunds (payment_id, created_at);
