-- AI copilot configuration per tenant and module (step 10), read later by the agent service: model-provider routing,
-- guardrails, PII scrubbing and the RAG index names, as one JSON document per row.
CREATE TABLE copilot_configs (
    tenant_id   uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    module      text        NOT NULL,
    config      jsonb       NOT NULL,
    updated_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, module)
);
