-- Kafka bridge (CRM events on the bus -> Kafka topics): per aggregate (lead or opportunity), the sequence number of the
-- last event produced and where it went. An event is produced only when it is the next one (last_sequence + 1); an
-- earlier or equal sequence is a duplicate, a later one waits for its predecessor. Updated in the bridge consumer's
-- inbox transaction after Kafka acknowledged the record.
CREATE TABLE kafka_bridge_positions (
    aggregate_id     TEXT    PRIMARY KEY,
    tenant_id        TEXT    NOT NULL,
    last_sequence    INTEGER NOT NULL,
    last_event_id    TEXT    NULL,
    last_event_type  TEXT    NULL,
    last_topic       TEXT    NULL,
    last_partition   INTEGER NULL,
    last_offset      INTEGER NULL,
    updated_at       TEXT    NOT NULL
);
CREATE INDEX ix_kafka_bridge_positions_tenant ON kafka_bridge_positions (tenant_id);
