-- Tenant schema v1: the data seeded at activation (step 8). {schema} is the tenant's schema prefix.
CREATE TABLE {schema}chart_of_accounts (
    code         TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    type         TEXT NOT NULL,
    parent_code  TEXT NULL
);

CREATE TABLE {schema}tax_rates (
    id            TEXT PRIMARY KEY,
    country       TEXT NOT NULL,
    subdivision   TEXT NULL,
    tax_type      TEXT NOT NULL,
    name          TEXT NOT NULL,
    rate_percent  TEXT NOT NULL,
    valid_from    TEXT NOT NULL,
    valid_to      TEXT NULL,
    inclusive     INTEGER NOT NULL,
    source        TEXT NOT NULL,
    notes         TEXT NULL
);

CREATE TABLE {schema}pipeline_stages (
    code                 TEXT PRIMARY KEY,
    name                 TEXT NOT NULL,
    position             INTEGER NOT NULL,
    default_probability  TEXT NOT NULL,
    is_closed            INTEGER NOT NULL,
    is_won               INTEGER NOT NULL
);

CREATE TABLE {schema}email_templates (
    code       TEXT PRIMARY KEY,
    subject    TEXT NOT NULL,
    body_text  TEXT NOT NULL
);

CREATE TABLE {schema}products (
    sku          TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    kind         TEXT NOT NULL,
    price        TEXT NULL,
    currency     TEXT NOT NULL,
    description  TEXT NULL
);

CREATE TABLE {schema}sla_policies (
    priority                TEXT PRIMARY KEY,
    first_response_minutes  INTEGER NOT NULL,
    resolution_minutes      INTEGER NOT NULL,
    business_hours_only     INTEGER NOT NULL
);

CREATE TABLE {schema}settings (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);
