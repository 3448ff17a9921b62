-- Transactional inbox/outbox (SQLite twin of the PostgreSQL migration).
CREATE TABLE inbox_state (
    message_id            TEXT    NOT NULL,
    consumer_id           TEXT    NOT NULL,
    lock_id               TEXT    NOT NULL,
    received_at           TEXT    NOT NULL,
    receive_count         INTEGER NOT NULL,
    consumed_at           TEXT    NULL,
    delivered_at          TEXT    NULL,
    last_sequence_number  INTEGER NULL,
    PRIMARY KEY (message_id, consumer_id)
);
CREATE INDEX ix_inbox_state_delivered ON inbox_state (delivered_at);

CREATE TABLE outbox_message (
    sequence_number      INTEGER PRIMARY KEY AUTOINCREMENT,
    inbox_message_id     TEXT NULL,
    inbox_consumer_id    TEXT NULL,
    outbox_id            TEXT NULL,
    message_id           TEXT NOT NULL,
    content_type         TEXT NOT NULL,
    message_type         TEXT NOT NULL,
    body                 TEXT NOT NULL,
    headers              TEXT NULL,
    properties           TEXT NULL,
    conversation_id      TEXT NULL,
    correlation_id       TEXT NULL,
    initiator_id         TEXT NULL,
    request_id           TEXT NULL,
    source_address       TEXT NULL,
    destination_address  TEXT NULL,
    response_address     TEXT NULL,
    fault_address        TEXT NULL,
    sent_time            TEXT NOT NULL,
    enqueue_time         TEXT NULL,
    expiration_time      TEXT NULL
);
CREATE INDEX ix_outbox_message_inbox ON outbox_message (inbox_message_id, inbox_consumer_id, sequence_number);
CREATE INDEX ix_outbox_message_outbox ON outbox_message (outbox_id, sequence_number);
