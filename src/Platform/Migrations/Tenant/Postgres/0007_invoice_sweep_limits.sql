-- Tenant schema v7: the delivery sweeper's bookkeeping per document and permanent email failures.
-- sweep_attempts counts the sweeps that queued the document's current revision; next_sweep_at is when it may be queued
-- again (exponential back-off), NULL when the sweeper gave up on it (or never queued it). Both are reset by a recorded
-- email, a new revision and an operator's delivery request. email_failure / email_failed_at record why and when the SMTP
-- server permanently rejected the email (email_status 'failed'). The partial index serves the sweep query: only
-- documents whose current revision still lacks its PDF or its email are in it.
ALTER TABLE {schema}invoices ADD COLUMN sweep_attempts integer NOT NULL DEFAULT 0;
ALTER TABLE {schema}invoices ADD COLUMN next_sweep_at timestamptz NULL;
ALTER TABLE {schema}invoices ADD COLUMN email_failure text NULL;
ALTER TABLE {schema}invoices ADD COLUMN email_failed_at timestamptz NULL;
CREATE INDEX ix_invoices_undelivered ON {schema}invoices (updated_at)
    WHERE pdf_stored_revision < pdf_revision OR emailed_revision < pdf_revision;
