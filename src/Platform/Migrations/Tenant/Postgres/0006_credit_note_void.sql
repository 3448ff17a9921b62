-- Tenant schema v6: a credit note whose refund the gateway later reported failed is voided — status 'void', with
-- when and why. It keeps its number (the series stays gapless) and no longer counts against its invoice.
ALTER TABLE {schema}invoices ADD COLUMN voided_at timestamptz NULL;
ALTER TABLE {schema}invoices ADD COLUMN void_reason text NULL;
