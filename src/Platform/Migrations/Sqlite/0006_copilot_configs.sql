-- AI copilot configuration per tenant and module (step 10), read later by the agent service: model-provider routing,
-- guardrails, PII scrubbing and the RAG index names, as one JSON document per row.
CREATE TABLE copilot_configs (
    tenant_id   TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    module      TEXT NOT NULL,
    config      TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (tenant_id, module)
);
