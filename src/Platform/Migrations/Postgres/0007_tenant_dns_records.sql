-- DNS records that steps want published for a tenant's domain (step 7: SPF, DKIM, DMARC TXT records); step 9
-- (DNS) reads and publishes them. One row per name and type; source names the step part that owns the row.
CREATE TABLE tenant_dns_records (
    tenant_id   uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name        text        NOT NULL,
    type        text        NOT NULL,
    value       text        NOT NULL,
    source      text        NOT NULL,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, name, type)
);
