-- Payment webhooks: one row per provider event accepted (signature verified), keyed by the provider's event id, so a
-- redelivered or replayed event is acknowledged without being processed again.
CREATE TABLE payment_webhook_events (
    provider     text        NOT NULL,
    event_id     text        NOT NULL,
    tenant_id    uuid        NOT NULL,
    payment_id   uuid        NULL,
    event_type   text        NOT NULL,
    received_at  timestamptz NOT NULL,
    PRIMARY KEY (provider, event_id)
);
CREATE INDEX ix_payment_webhook_events_tenant ON payment_webhook_events (tenant_id, received_at);
