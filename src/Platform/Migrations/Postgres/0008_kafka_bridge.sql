-- Kafka bridge (CRM events on the bus -> Kafka topics): per aggregate (lead or opportunity), the sequence number of the
-- last event produced and where it went. An event is produced only when it is the next one (last_sequence + 1); an
-- earlier or equal sequence is a duplicate, a later one waits for its predecessor. Updated in the bridge consumer's
-- inbox transaction after Kafka acknowledged the record.
CREATE TABLE kafka_bridge_positions (
    aggregate_id     uuid        PRIMARY KEY,
    tenant_id        uuid        NOT NULL,
    last_sequence    bigint      NOT NULL,
    last_event_id    uuid        NULL,
    last_event_type  text        NULL,
    last_topic       text        NULL,
    last_partition   integer     NULL,
    last_offset      bigint      NULL,
    updated_at       timestamptz NOT NULL
);
CREATE INDEX ix_kafka_bridge_positions_tenant ON kafka_bridge_positions (tenant_id);
