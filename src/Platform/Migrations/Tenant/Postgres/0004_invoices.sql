-- Tenant schema v4: invoices and credit notes (one table, told apart by kind), their lines and tax breakdown, and the
-- gapless number series. {schema} is the tenant's schema prefix. Amounts are exact integers in the minor units of the
-- document's currency (ISO 4217 exponent). pdf_revision is the rendering the document's current state needs
-- (1 when issued, 2 when a payment settles an open invoice); *_revision columns record what was done for which one,
-- so a redelivered message never stores or sends the same rendering twice; delivery_lease_until lets one delivery at a
-- time work on a document (a crashed one's lease runs out).
CREATE TABLE {schema}invoice_number_series (
    series      text   PRIMARY KEY,
    next_value  bigint NOT NULL
);

CREATE TABLE {schema}invoices (
    id                   uuid          PRIMARY KEY,
    kind                 text          NOT NULL,
    series               text          NOT NULL,
    sequence             bigint        NOT NULL,
    number               text          NOT NULL UNIQUE,
    status               text          NOT NULL,
    origin               text          NOT NULL,
    issue_date           date          NOT NULL,
    currency             text          NOT NULL,
    customer_name        text          NULL,
    customer_email       text          NULL,
    contact_id           uuid          NULL,
    opportunity_id       uuid          NULL,
    net_minor            bigint        NOT NULL,
    tax_minor            bigint        NOT NULL,
    total_minor          bigint        NOT NULL,
    tax_note             text          NULL,
    payment_link         text          NULL,
    payment_id           uuid          NULL UNIQUE,
    payment_gateway      text          NULL,
    payment_reference    text          NULL,
    paid_minor           bigint        NULL,
    charged_minor        bigint        NULL,
    charged_currency     text          NULL,
    fx_rate              numeric(30,12) NULL,
    paid_at              timestamptz   NULL,
    credited_invoice_id  uuid          NULL REFERENCES {schema}invoices (id),
    refund_id            uuid          NULL UNIQUE,
    reason               text          NULL,
    pdf_revision         integer       NOT NULL,
    pdf_key              text          NULL,
    pdf_sha256           text          NULL,
    pdf_stored_revision  integer       NOT NULL DEFAULT 0,
    email_status         text          NULL,
    emailed_revision     integer       NOT NULL DEFAULT 0,
    email_message_id     text          NULL,
    emailed_at           timestamptz   NULL,
    delivery_lease_until timestamptz   NULL,
    created_at           timestamptz   NOT NULL,
    updated_at           timestamptz   NOT NULL,
    UNIQUE (series, sequence)
);
CREATE INDEX ix_invoices_created ON {schema}invoices (created_at);
CREATE INDEX ix_invoices_credited ON {schema}invoices (credited_invoice_id);

CREATE TABLE {schema}invoice_lines (
    invoice_id        uuid          NOT NULL REFERENCES {schema}invoices (id) ON DELETE CASCADE,
    position          integer       NOT NULL,
    description       text          NOT NULL,
    quantity          numeric(18,6) NOT NULL,
    unit_price        numeric(20,6) NOT NULL,
    amount_minor      bigint        NOT NULL,
    tax_rate_id       text          NULL,
    tax_name          text          NULL,
    tax_rate_percent  numeric(18,6) NULL,
    tax_inclusive     boolean       NOT NULL,
    PRIMARY KEY (invoice_id, position)
);

CREATE TABLE {schema}invoice_taxes (
    invoice_id        uuid          NOT NULL REFERENCES {schema}invoices (id) ON DELETE CASCADE,
    position          integer       NOT NULL,
    tax_rate_id       text          NULL,
    tax_type          text          NOT NULL,
    tax_name          text          NOT NULL,
    rate_percent      numeric(18,6) NOT NULL,
    inclusive         boolean       NOT NULL,
    net_minor         bigint        NOT NULL,
    tax_minor         bigint        NOT NULL,
    PRIMARY KEY (invoice_id, position)
);
