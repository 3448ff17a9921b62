-- Tenant schema v2 (SQLite twin): ids TEXT, timestamps ISO-8601 TEXT, dates yyyy-MM-dd TEXT, money TEXT (exact
-- decimals), probabilities REAL (0-100, two decimals), booleans INTEGER. Sums use the *_minor INTEGER columns.
CREATE TABLE {schema}leads (
    id              TEXT    PRIMARY KEY,
    name            TEXT    NOT NULL,
    email           TEXT    NULL,
    phone           TEXT    NULL,
    company         TEXT    NULL,
    source          TEXT    NOT NULL,
    priority        TEXT    NOT NULL,
    status          TEXT    NOT NULL,
    notes           TEXT    NULL,
    channel         TEXT    NOT NULL,
    client_lead_id  TEXT    NULL,
    contact_id      TEXT    NULL,
    opportunity_id  TEXT    NULL,
    converted_at    TEXT    NULL,
    created_by      TEXT    NOT NULL,
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL,
    version         INTEGER NOT NULL,
    sequence        INTEGER NOT NULL
);
CREATE UNIQUE INDEX {schema}ux_leads_client_lead ON leads (channel, client_lead_id);
CREATE INDEX {schema}ix_leads_status ON leads (status, created_at);
CREATE INDEX {schema}ix_leads_created ON leads (created_at);

CREATE TABLE {schema}contacts (
    id          TEXT    PRIMARY KEY,
    name        TEXT    NOT NULL,
    email       TEXT    NULL,
    phone       TEXT    NULL,
    company     TEXT    NULL,
    lead_id     TEXT    NULL,
    created_by  TEXT    NOT NULL,
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL,
    version     INTEGER NOT NULL
);
CREATE INDEX {schema}ix_contacts_created ON contacts (created_at);

CREATE TABLE {schema}opportunities (
    id                      TEXT    PRIMARY KEY,
    name                    TEXT    NOT NULL,
    contact_id              TEXT    NULL,
    lead_id                 TEXT    NULL,
    amount                  TEXT    NOT NULL,
    currency                TEXT    NOT NULL,
    stage                   TEXT    NOT NULL,
    probability             REAL    NOT NULL,
    probability_overridden  INTEGER NOT NULL,
    close_date              TEXT    NULL,
    closed_at               TEXT    NULL,
    close_reason            TEXT    NULL,
    tenant_currency         TEXT    NOT NULL,
    fx_rate_to_tenant       TEXT    NOT NULL,
    fx_source               TEXT    NOT NULL,
    fx_recorded_at          TEXT    NOT NULL,
    amount_tenant_minor     INTEGER NOT NULL,
    weighted_tenant_minor   INTEGER NOT NULL,
    created_by              TEXT    NOT NULL,
    created_at              TEXT    NOT NULL,
    updated_at              TEXT    NOT NULL,
    version                 INTEGER NOT NULL,
    sequence                INTEGER NOT NULL
);
CREATE INDEX {schema}ix_opportunities_stage ON opportunities (stage, created_at);
CREATE INDEX {schema}ix_opportunities_contact ON opportunities (contact_id);
CREATE INDEX {schema}ix_opportunities_created ON opportunities (created_at);

CREATE TABLE {schema}opportunity_stage_history (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    opportunity_id  TEXT    NOT NULL REFERENCES opportunities (id) ON DELETE CASCADE,
    stage           TEXT    NOT NULL,
    amount          TEXT    NOT NULL,
    probability     REAL    NOT NULL,
    at              TEXT    NOT NULL,
    actor           TEXT    NOT NULL
);
CREATE INDEX {schema}ix_opportunity_stage_history_opportunity ON opportunity_stage_history (opportunity_id, id);

CREATE TABLE {schema}invoice_drafts (
    id                TEXT    PRIMARY KEY,
    opportunity_id    TEXT    NOT NULL UNIQUE,
    contact_id        TEXT    NULL,
    amount            TEXT    NOT NULL,
    currency          TEXT    NOT NULL,
    draft_date        TEXT    NOT NULL,
    tax_rate_id       TEXT    NULL,
    tax_name          TEXT    NULL,
    tax_rate_percent  TEXT    NULL,
    tax_inclusive     INTEGER NULL,
    net_amount        TEXT    NOT NULL,
    tax_amount        TEXT    NOT NULL,
    total             TEXT    NOT NULL,
    tax_note          TEXT    NULL,
    requested_at      TEXT    NOT NULL,
    created_at        TEXT    NOT NULL
);
