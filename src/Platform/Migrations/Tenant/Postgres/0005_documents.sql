-- Tenant schema v5: documents (title, current Markdown content at its revision, soft delete), their versions (full
-- snapshots: created, autosave, last disconnect, restore) and the operation log of collaborative editing (one row per
-- revision, the operation as applied, in ot.js form). {schema} is the tenant's schema prefix. A write of revision r
-- updates the document only WHERE revision = r - 1: a second gateway replica holding a stale copy loses, never corrupts.
CREATE TABLE {schema}documents (
    id              uuid        PRIMARY KEY,
    title           text        NOT NULL,
    content         text        NOT NULL,
    revision        bigint      NOT NULL,
    length          integer     NOT NULL,
    created_by      text        NOT NULL,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    deleted_at      timestamptz NULL
);
CREATE INDEX ix_documents_updated ON {schema}documents (updated_at);
CREATE INDEX ix_documents_created ON {schema}documents (created_at);

CREATE TABLE {schema}document_versions (
    document_id     uuid        NOT NULL REFERENCES {schema}documents (id),
    number          integer     NOT NULL,
    revision        bigint      NOT NULL,
    title           text        NOT NULL,
    content         text        NOT NULL,
    reason          text        NOT NULL,
    restored_from   integer     NULL,
    created_by      text        NOT NULL,
    created_at      timestamptz NOT NULL,
    PRIMARY KEY (document_id, number)
);

CREATE TABLE {schema}document_operations (
    document_id     uuid        NOT NULL REFERENCES {schema}documents (id),
    revision        bigint      NOT NULL,
    client_id       text        NOT NULL,
    operation       text        NOT NULL,
    created_at      timestamptz NOT NULL,
    PRIMARY KEY (document_id, revision)
);
