-- Procedures get versions with effective dates; each version holds what the announcement
-- decision ("quyết định công bố") publishes: cases, steps, channels with time limits and fees,
-- required documents, conditions, legal basis, result and online kind. A dossier will keep the
-- version it was filed under, so a version's rows are never shared with another version.
--
-- No deployment predates this migration: the flat columns it drops held demo data only,
-- and the catalog is loaded again by the import (see catalog_imports below).
CREATE EXTENSION IF NOT EXISTS btree_gist;

ALTER TABLE procedures
    DROP COLUMN time_limit,
    DROP COLUMN fee,
    DROP COLUMN online_kind,
    DROP COLUMN steps,
    DROP COLUMN documents,
    DROP COLUMN result,
    DROP COLUMN legal_basis,
    DROP COLUMN unverified_note,
    ADD CONSTRAINT procedures_level_present CHECK (length(level) > 0);

ALTER TABLE agencies ADD COLUMN address text;

CREATE TABLE procedure_versions (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    procedure_id     bigint NOT NULL REFERENCES procedures (id) ON DELETE CASCADE,
    effective_from   date NOT NULL,
    effective_to     date,
    announced_by     text,
    online_kind      text NOT NULL CHECK (online_kind IN ('toan_trinh', 'mot_phan', 'truc_tiep')),
    steps            text[] NOT NULL CHECK (cardinality(steps) > 0),
    conditions       text[] NOT NULL DEFAULT '{}',
    legal_basis      text[] NOT NULL CHECK (cardinality(legal_basis) > 0),
    result           text NOT NULL CHECK (length(result) > 0),
    -- Values taken from secondary sources that an officer still has to check.
    unverified_note  text,
    CHECK (effective_to IS NULL OR effective_to > effective_from),
    UNIQUE (procedure_id, effective_from),
    -- At most one version of a procedure applies on any day.
    EXCLUDE USING gist (procedure_id WITH =, daterange(effective_from, effective_to) WITH &&)
);

-- Cases ("trường hợp") with their own time limits or documents; rows below that name no
-- case apply to every case of the version.
CREATE TABLE procedure_cases (
    version_id  bigint NOT NULL REFERENCES procedure_versions (id) ON DELETE CASCADE,
    case_no     smallint NOT NULL CHECK (case_no > 0),
    name        text NOT NULL CHECK (length(name) > 0),
    PRIMARY KEY (version_id, case_no)
);

-- How a dossier can be filed and what that costs. A time limit of 0 working days means
-- "within the working day" (received after 15:00: the next working day).
CREATE TABLE procedure_channels (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    version_id   bigint NOT NULL REFERENCES procedure_versions (id) ON DELETE CASCADE,
    case_no      smallint,
    channel      text NOT NULL CHECK (channel IN ('in_person', 'online', 'post')),
    time_amount  integer NOT NULL CHECK (time_amount >= 0),
    time_unit    text NOT NULL CHECK (time_unit IN ('working_days', 'calendar_days', 'hours')),
    time_note    text,
    CHECK (time_amount > 0 OR time_unit = 'working_days'),
    FOREIGN KEY (version_id, case_no) REFERENCES procedure_cases (version_id, case_no) ON DELETE CASCADE,
    UNIQUE NULLS NOT DISTINCT (version_id, case_no, channel)
);

-- Fee items of a channel. A NULL amount is a rate the text describes (per page, set by the
-- province, ...).
CREATE TABLE channel_fees (
    channel_id   bigint NOT NULL REFERENCES procedure_channels (id) ON DELETE CASCADE,
    position     smallint NOT NULL CHECK (position > 0),
    name         text NOT NULL CHECK (length(name) > 0),
    amount_vnd   bigint CHECK (amount_vnd >= 0),
    description  text,
    CHECK (amount_vnd IS NOT NULL OR description IS NOT NULL),
    PRIMARY KEY (channel_id, position)
);

-- Downloadable form templates; several procedures may use the same declaration form.
CREATE TABLE form_templates (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    file_name     text NOT NULL UNIQUE CHECK (file_name ~ '^[a-z0-9][a-z0-9-]*\.(pdf|docx)$'),
    title         text NOT NULL CHECK (length(title) > 0),
    source        text NOT NULL CHECK (length(source) > 0),
    content_type  text NOT NULL CHECK (content_type IN (
        'application/pdf',
        'application/vnd.openxmlformats-officedocument.wordprocessingml.document')),
    content       bytea NOT NULL CHECK (octet_length(content) BETWEEN 1 AND 5242880)
);

-- Required documents. "present_only": shown at the desk for checking, not handed in.
CREATE TABLE procedure_documents (
    version_id      bigint NOT NULL REFERENCES procedure_versions (id) ON DELETE CASCADE,
    position        smallint NOT NULL CHECK (position > 0),
    case_no         smallint,
    name            text NOT NULL CHECK (length(name) > 0),
    originals       smallint NOT NULL DEFAULT 0 CHECK (originals >= 0),
    copies          smallint NOT NULL DEFAULT 0 CHECK (copies >= 0),
    present_only    boolean NOT NULL DEFAULT false,
    mandatory       boolean NOT NULL,
    photo_accepted  boolean NOT NULL,
    form_id         bigint REFERENCES form_templates (id),
    note            text,
    CHECK (present_only OR originals + copies > 0),
    FOREIGN KEY (version_id, case_no) REFERENCES procedure_cases (version_id, case_no) ON DELETE CASCADE,
    PRIMARY KEY (version_id, position)
);
CREATE INDEX procedure_documents_form_idx ON procedure_documents (form_id);

-- Where a procedure can be filed.
CREATE TABLE agency_procedures (
    agency_id     bigint NOT NULL REFERENCES agencies (id) ON DELETE CASCADE,
    procedure_id  bigint NOT NULL REFERENCES procedures (id) ON DELETE CASCADE,
    PRIMARY KEY (agency_id, procedure_id)
);
CREATE INDEX agency_procedures_procedure_idx ON agency_procedures (procedure_id);

-- Each catalog import, so the demo catalog is reloaded only when the shipped file changes.
CREATE TABLE catalog_imports (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source       text NOT NULL,
    sha256       text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    procedures   integer NOT NULL,
    imported_at  timestamptz NOT NULL DEFAULT now()
);

-- The version in force today, in Vietnam's time zone.
CREATE VIEW current_procedure_versions AS
    SELECT v.*
    FROM procedure_versions v
    WHERE daterange(v.effective_from, v.effective_to) @> (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date;
