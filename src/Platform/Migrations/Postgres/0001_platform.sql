-- Platform schema: saga instances, tenants and their credentials, idempotency records, provisioning ledger.
CREATE TABLE saga_instances (
    saga_type      text        NOT NULL,
    correlation_id uuid        NOT NULL,
    current_state  text        NOT NULL,
    version        integer     NOT NULL,
    data           jsonb       NOT NULL,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL,
    PRIMARY KEY (saga_type, correlation_id)
);
CREATE INDEX ix_saga_instances_state ON saga_instances (saga_type, current_state);

CREATE TABLE tenants (
    id             uuid        PRIMARY KEY,
    activation_id  uuid        NOT NULL UNIQUE,
    business_name  text        NOT NULL,
    slug           text        NOT NULL,
    plan           text        NOT NULL,
    status         text        NOT NULL,
    region         text        NOT NULL,
    currency       text        NOT NULL,
    industry       text        NOT NULL,
    domain         text        NULL,
    modules        jsonb       NOT NULL DEFAULT '[]',
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL
);

CREATE TABLE tenant_api_keys (
    key_id      text        PRIMARY KEY,
    tenant_id   uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    key_hash    bytea       NOT NULL,
    label       text        NOT NULL,
    created_at  timestamptz NOT NULL,
    revoked_at  timestamptz NULL
);
CREATE INDEX ix_tenant_api_keys_tenant ON tenant_api_keys (tenant_id);

CREATE TABLE tenant_secrets (
    tenant_id   uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name        text        NOT NULL,
    ciphertext  text        NOT NULL,
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, name)
);

CREATE TABLE tenant_users (
    tenant_id            uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    username             text        NOT NULL,
    email                text        NULL,
    display_name         text        NULL,
    role                 text        NOT NULL,
    password_hash        text        NOT NULL,
    must_change_password boolean     NOT NULL,
    created_at           timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, username)
);

-- Credentials shown once: sealed (encrypted) until the first reveal, then cleared.
CREATE TABLE activation_credentials (
    activation_id  uuid        PRIMARY KEY,
    tenant_id      uuid        NOT NULL,
    sealed         text        NULL,
    created_at     timestamptz NOT NULL,
    revealed_at    timestamptz NULL
);

CREATE TABLE idempotency_keys (
    scope          text        NOT NULL,
    key            text        NOT NULL,
    request_hash   text        NOT NULL,
    resource_id    uuid        NOT NULL,
    created_at     timestamptz NOT NULL,
    PRIMARY KEY (scope, key)
);

-- Audit ledger: one row each time a provisioning step actually changed something (a no-op repeat writes none).
CREATE TABLE provisioning_log (
    id             bigserial   PRIMARY KEY,
    activation_id  uuid        NOT NULL,
    tenant_id      uuid        NOT NULL,
    step           text        NOT NULL,
    action         text        NOT NULL,
    detail         text        NULL,
    at             timestamptz NOT NULL
);
CREATE INDEX ix_provisioning_log_activation ON provisioning_log (activation_id);
