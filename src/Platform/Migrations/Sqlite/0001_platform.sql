-- Platform schema (SQLite twin of the PostgreSQL migration): ids are text, timestamps ISO-8601 text, JSON is text.

CREATE TABLE saga_instances (
    saga_type      TEXT    NOT NULL,
    correlation_id TEXT    NOT NULL,
    current_state  TEXT    NOT NULL,
    version        INTEGER NOT NULL,
    data           TEXT    NOT NULL,
    created_at     TEXT    NOT NULL,
    updated_at     TEXT    NOT NULL,
    PRIMARY KEY (saga_type, correlation_id)
);
CREATE INDEX ix_saga_instances_state ON saga_instances (saga_type, current_state);

CREATE TABLE tenants (
    id             TEXT PRIMARY KEY,
    activation_id  TEXT NOT NULL UNIQUE,
    business_name  TEXT NOT NULL,
    slug           TEXT NOT NULL,
    plan           TEXT NOT NULL,
    status         TEXT NOT NULL,
    region         TEXT NOT NULL,
    currency       TEXT NOT NULL,
    industry       TEXT NOT NULL,
    domain         TEXT NULL,
    modules        TEXT NOT NULL DEFAULT '[]',
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);

CREATE TABLE tenant_api_keys (
    key_id      TEXT PRIMARY KEY,
    tenant_id   TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    key_hash    BLOB NOT NULL,
    label       TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    revoked_at  TEXT NULL
);
CREATE INDEX ix_tenant_api_keys_tenant ON tenant_api_keys (tenant_id);

CREATE TABLE tenant_secrets (
    tenant_id   TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    ciphertext  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (tenant_id, name)
);

CREATE TABLE tenant_users (
    tenant_id            TEXT    NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    username             TEXT    NOT NULL,
    email                TEXT    NULL,
    display_name         TEXT    NULL,
    role                 TEXT    NOT NULL,
    password_hash        TEXT    NOT NULL,
    must_change_password INTEGER NOT NULL,
    created_at           TEXT    NOT NULL,
    PRIMARY KEY (tenant_id, username)
);

CREATE TABLE activation_credentials (
    activation_id  TEXT PRIMARY KEY,
    tenant_id      TEXT NOT NULL,
    sealed         TEXT NULL,
    created_at     TEXT NOT NULL,
    revealed_at    TEXT NULL
);

CREATE TABLE idempotency_keys (
    scope          TEXT NOT NULL,
    key            TEXT NOT NULL,
    request_hash   TEXT NOT NULL,
    resource_id    TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    PRIMARY KEY (scope, key)
);

CREATE TABLE provisioning_log (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    activation_id  TEXT NOT NULL,
    tenant_id      TEXT NOT NULL,
    step           TEXT NOT NULL,
    action         TEXT NOT NULL,
    detail         TEXT NULL,
    at             TEXT NOT NULL
);
CREATE INDEX ix_provisioning_log_activation ON provisioning_log (activation_id);
