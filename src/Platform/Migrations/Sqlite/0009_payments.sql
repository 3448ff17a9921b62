-- Payment webhooks: one row per provider event accepted (signature verified), keyed by the provider's event id, so a
-- redelivered or replayed event is acknowledged without being processed again.
CREATE TABLE payment_webhook_events (
    provider     TEXT NOT NULL,
    event_id     TEXT NOT NULL,
    tenant_id    TEXT NOT NULL,
    payment_id   TEXT NULL,
    event_type   TEXT NOT NULL,
    received_at  TEXT NOT NULL,
    PRIMARY KEY (provider, event_id)
);
CREATE INDEX ix_payment_webhook_events_tenant ON payment_webhook_events (tenant_id, received_at);
