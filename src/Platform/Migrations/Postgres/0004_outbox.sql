-- Transactional inbox/outbox: a message consumed once per consumer; outgoing messages stored with the consumer's
-- writes and delivered after commit (inbox_* set), or by the bus outbox delivery service (outbox_id set).
CREATE TABLE inbox_state (
    message_id            uuid        NOT NULL,
    consumer_id           uuid        NOT NULL,
    lock_id               uuid        NOT NULL,
    received_at           timestamptz NOT NULL,
    receive_count         integer     NOT NULL,
    consumed_at           timestamptz NULL,
    delivered_at          timestamptz NULL,
    last_sequence_number  bigint      NULL,
    PRIMARY KEY (message_id, consumer_id)
);
CREATE INDEX ix_inbox_state_delivered ON inbox_state (delivered_at);

CREATE TABLE outbox_message (
    sequence_number      bigserial   PRIMARY KEY,
    inbox_message_id     uuid        NULL,
    inbox_consumer_id    uuid        NULL,
    outbox_id            uuid        NULL,
    message_id           uuid        NOT NULL,
    content_type         text        NOT NULL,
    message_type         text        NOT NULL,
    body                 text        NOT NULL,
    headers              text        NULL,
    properties           text        NULL,
    conversation_id      uuid        NULL,
    correlation_id       uuid        NULL,
    initiator_id         uuid        NULL,
    request_id           uuid        NULL,
    source_address       text        NULL,
    destination_address  text        NULL,
    response_address     text        NULL,
    fault_address        text        NULL,
    sent_time            timestamptz NOT NULL,
    enqueue_time         timestamptz NULL,
    expiration_time      timestamptz NULL
);
CREATE INDEX ix_outbox_message_inbox ON outbox_message (inbox_message_id, inbox_consumer_id, sequence_number);
CREATE INDEX ix_outbox_message_outbox ON outbox_message (outbox_id, sequence_number);
