-- Tenant schema v4 (SQLite twin): ids TEXT, timestamps ISO-8601 TEXT, dates yyyy-MM-dd TEXT, decimals TEXT (exact),
-- booleans INTEGER; amounts are INTEGER minor units as on PostgreSQL.
CREATE TABLE {schema}invoice_number_series (
    series      TEXT    PRIMARY KEY,
    next_value  INTEGER NOT NULL
);

CREATE TABLE {schema}invoices (
    id                   TEXT    PRIMARY KEY,
    kind                 TEXT    NOT NULL,
    series               TEXT    NOT NULL,
    sequence             INTEGER NOT NULL,
    number               TEXT    NOT NULL UNIQUE,
    status               TEXT    NOT NULL,
    origin               TEXT    NOT NULL,
    issue_date           TEXT    NOT NULL,
    currency             TEXT    NOT NULL,
    customer_name        TEXT    NULL,
    customer_email       TEXT    NULL,
    contact_id           TEXT    NULL,
    opportunity_id       TEXT    NULL,
    net_minor            INTEGER NOT NULL,
    tax_minor            INTEGER NOT NULL,
    total_minor          INTEGER NOT NULL,
    tax_note             TEXT    NULL,
    payment_link         TEXT    NULL,
    payment_id           TEXT    NULL UNIQUE,
    payment_gateway      TEXT    NULL,
    payment_reference    TEXT    NULL,
    paid_minor           INTEGER NULL,
    charged_minor        INTEGER NULL,
    charged_currency     TEXT    NULL,
    fx_rate              TEXT    NULL,
    paid_at              TEXT    NULL,
    credited_invoice_id  TEXT    NULL REFERENCES invoices (id),
    refund_id            TEXT    NULL UNIQUE,
    reason               TEXT    NULL,
    pdf_revision         INTEGER NOT NULL,
    pdf_key              TEXT    NULL,
    pdf_sha256           TEXT    NULL,
    pdf_stored_revision  INTEGER NOT NULL DEFAULT 0,
    email_status         TEXT    NULL,
    emailed_revision     INTEGER NOT NULL DEFAULT 0,
    email_message_id     TEXT    NULL,
    emailed_at           TEXT    NULL,
    delivery_lease_until TEXT    NULL,
    created_at           TEXT    NOT NULL,
    updated_at           TEXT    NOT NULL,
    UNIQUE (series, sequence)
);
CREATE INDEX {schema}ix_invoices_created ON invoices (created_at);
CREATE INDEX {schema}ix_invoices_credited ON invoices (credited_invoice_id);

CREATE TABLE {schema}invoice_lines (
    invoice_id        TEXT    NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
    position          INTEGER NOT NULL,
    description       TEXT    NOT NULL,
    quantity          TEXT    NOT NULL,
    unit_price        TEXT    NOT NULL,
    amount_minor      INTEGER NOT NULL,
    tax_rate_id       TEXT    NULL,
    tax_name          TEXT    NULL,
    tax_rate_percent  TEXT    NULL,
    tax_inclusive     INTEGER NOT NULL,
    PRIMARY KEY (invoice_id, position)
);

CREATE TABLE {schema}invoice_taxes (
    invoice_id        TEXT    NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
    position          INTEGER NOT NULL,
    tax_rate_id       TEXT    NULL,
    tax_type          TEXT    NOT NULL,
    tax_name          TEXT    NOT NULL,
    rate_percent      TEXT    NOT NULL,
    inclusive         INTEGER NOT NULL,
    net_minor         INTEGER NOT NULL,
    tax_minor         INTEGER NOT NULL,
    PRIMARY KEY (invoice_id, position)
);
