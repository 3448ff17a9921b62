-- Tenant schema v2: CRM (leads, contacts, opportunities with stage history, invoice drafts). {schema} is the tenant's
-- schema prefix. version counts writes to a row (optimistic checks); sequence numbers the aggregate's published events.
CREATE TABLE {schema}leads (
    id              uuid        PRIMARY KEY,
    name            text        NOT NULL,
    email           text        NULL,
    phone           text        NULL,
    company         text        NULL,
    source          text        NOT NULL,
    priority        text        NOT NULL,
    status          text        NOT NULL,
    notes           text        NULL,
    channel         text        NOT NULL,
    client_lead_id  text        NULL,
    contact_id      uuid        NULL,
    opportunity_id  uuid        NULL,
    converted_at    timestamptz NULL,
    created_by      text        NOT NULL,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    version         integer     NOT NULL,
    sequence        bigint      NOT NULL
);
-- Inbound dedupe: one lead per client-supplied id and channel (NULLs, i.e. REST leads, never collide).
CREATE UNIQUE INDEX ux_leads_client_lead ON {schema}leads (channel, client_lead_id);
CREATE INDEX ix_leads_status ON {schema}leads (status, created_at);
CREATE INDEX ix_leads_created ON {schema}leads (created_at);

CREATE TABLE {schema}contacts (
    id          uuid        PRIMARY KEY,
    name        text        NOT NULL,
    email       text        NULL,
    phone       text        NULL,
    company     text        NULL,
    lead_id     uuid        NULL,
    created_by  text        NOT NULL,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    version     integer     NOT NULL
);
CREATE INDEX ix_contacts_created ON {schema}contacts (created_at);

CREATE TABLE {schema}opportunities (
    id                      uuid           PRIMARY KEY,
    name                    text           NOT NULL,
    contact_id              uuid           NULL,
    lead_id                 uuid           NULL,
    amount                  numeric(20,6)  NOT NULL,
    currency                text           NOT NULL,
    stage                   text           NOT NULL,
    probability             numeric(5,2)   NOT NULL,
    probability_overridden  boolean        NOT NULL,
    close_date              date           NULL,
    closed_at               timestamptz    NULL,
    close_reason            text           NULL,
    tenant_currency         text           NOT NULL,
    fx_rate_to_tenant       numeric(30,12) NOT NULL,
    fx_source               text           NOT NULL,
    fx_recorded_at          timestamptz    NOT NULL,
    -- The amount and the probability-weighted amount in the tenant's currency, in its minor units (exact sums).
    amount_tenant_minor     bigint         NOT NULL,
    weighted_tenant_minor   bigint         NOT NULL,
    created_by              text           NOT NULL,
    created_at              timestamptz    NOT NULL,
    updated_at              timestamptz    NOT NULL,
    version                 integer        NOT NULL,
    sequence                bigint         NOT NULL
);
CREATE INDEX ix_opportunities_stage ON {schema}opportunities (stage, created_at);
CREATE INDEX ix_opportunities_contact ON {schema}opportunities (contact_id);
CREATE INDEX ix_opportunities_created ON {schema}opportunities (created_at);

CREATE TABLE {schema}opportunity_stage_history (
    id              bigserial     PRIMARY KEY,
    opportunity_id  uuid          NOT NULL REFERENCES {schema}opportunities (id) ON DELETE CASCADE,
    stage           text          NOT NULL,
    amount          numeric(20,6) NOT NULL,
    probability     numeric(5,2)  NOT NULL,
    at              timestamptz   NOT NULL,
    actor           text          NOT NULL
);
CREATE INDEX ix_opportunity_stage_history_opportunity ON {schema}opportunity_stage_history (opportunity_id, id);

CREATE TABLE {schema}invoice_drafts (
    id                uuid          PRIMARY KEY,
    opportunity_id    uuid          NOT NULL UNIQUE,
    contact_id        uuid          NULL,
    amount            numeric(20,6) NOT NULL,
    currency          text          NOT NULL,
    draft_date        date          NOT NULL,
    tax_rate_id       text          NULL,
    tax_name          text          NULL,
    tax_rate_percent  numeric(18,6) NULL,
    tax_inclusive     boolean       NULL,
    net_amount        numeric(20,6) NOT NULL,
    tax_amount        numeric(20,6) NOT NULL,
    total             numeric(20,6) NOT NULL,
    tax_note          text          NULL,
    requested_at      timestamptz   NOT NULL,
    created_at        timestamptz   NOT NULL
);
