-- DNS records that steps want published for a tenant's domain (step 7: SPF, DKIM, DMARC TXT records); step 9
-- (DNS) reads and publishes them. One row per name and type; source names the step part that owns the row.
CREATE TABLE tenant_dns_records (
    tenant_id   TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    type        TEXT NOT NULL,
    value       TEXT NOT NULL,
    source      TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (tenant_id, name, type)
);
