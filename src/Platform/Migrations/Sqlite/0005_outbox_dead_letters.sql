-- A stored bus-outbox message that cannot be read (its type is gone, its body is corrupt) is set aside with the
-- reason instead of blocking every later message.
ALTER TABLE outbox_message ADD COLUMN dead_lettered_at TEXT NULL;
ALTER TABLE outbox_message ADD COLUMN dead_letter_reason TEXT NULL;
