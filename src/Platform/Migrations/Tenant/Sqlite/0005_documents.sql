-- Tenant schema v5 (SQLite twin of the PostgreSQL migration): ids TEXT, timestamps ISO-8601 TEXT.
CREATE TABLE {schema}documents (
    id              TEXT    PRIMARY KEY,
    title           TEXT    NOT NULL,
    content         TEXT    NOT NULL,
    revision        INTEGER NOT NULL,
    length          INTEGER NOT NULL,
    created_by      TEXT    NOT NULL,
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL,
    deleted_at      TEXT    NULL
);
CREATE INDEX {schema}ix_documents_updated ON documents (updated_at);
CREATE INDEX {schema}ix_documents_created ON documents (created_at);

CREATE TABLE {schema}document_versions (
    document_id     TEXT    NOT NULL REFERENCES documents (id),
    number          INTEGER NOT NULL,
    revision        INTEGER NOT NULL,
    title           TEXT    NOT NULL,
    content         TEXT    NOT NULL,
    reason          TEXT    NOT NULL,
    restored_from   INTEGER NULL,
    created_by      TEXT    NOT NULL,
    created_at      TEXT    NOT NULL,
    PRIMARY KEY (document_id, number)
);

CREATE TABLE {schema}document_operations (
    document_id     TEXT    NOT NULL REFERENCES documents (id),
    revision        INTEGER NOT NULL,
    client_id       TEXT    NOT NULL,
    operation       TEXT    NOT NULL,
    created_at      TEXT    NOT NULL,
    PRIMARY KEY (document_id, revision)
);
