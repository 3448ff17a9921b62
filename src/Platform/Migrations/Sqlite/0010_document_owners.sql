-- Collaborative documents with several gateway replicas: which replica orders a document's operations. A replica that
-- serves a document's editors holds this lease (taken only when free, expired or already its own; renewed while it
-- has editors; deleted when the last one leaves). The others forward that document's WebSockets to owner_url.
CREATE TABLE document_owners (
    tenant_id    TEXT NOT NULL,
    document_id  TEXT NOT NULL,
    owner_url    TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    PRIMARY KEY (tenant_id, document_id)
);
