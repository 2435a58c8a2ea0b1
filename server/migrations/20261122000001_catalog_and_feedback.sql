-- Agencies form a tree; the level is data so the old three-tier and the post-2025
-- two-tier structures both fit. `identifier` is the prefix of dossier codes.
CREATE TABLE agencies (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    parent_id   bigint REFERENCES agencies (id),
    identifier  text NOT NULL UNIQUE CHECK (identifier ~ '^[0-9A-Z.]+$'),
    name        text NOT NULL CHECK (length(name) > 0),
    level       text NOT NULL CHECK (length(level) > 0),
    hotline     text,
    is_demo     boolean NOT NULL DEFAULT false,
    valid_from  date NOT NULL,
    valid_to    date,
    CHECK (valid_to IS NULL OR valid_to > valid_from),
    CHECK (parent_id IS DISTINCT FROM id)
);
CREATE INDEX agencies_parent_idx ON agencies (parent_id);

-- Fields ("lĩnh vực"); the national classification code is not always known.
CREATE TABLE fields (
    id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code  text UNIQUE,
    name  text NOT NULL UNIQUE CHECK (length(name) > 0)
);

CREATE TABLE procedures (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code              text NOT NULL UNIQUE CHECK (code ~ '^[0-9]\.[0-9]{6}$'),
    name              text NOT NULL CHECK (length(name) > 0),
    field_id          bigint NOT NULL REFERENCES fields (id),
    level             text NOT NULL,
    applicant         text NOT NULL,
    competent_agency  text NOT NULL,
    time_limit        text NOT NULL,
    fee               text NOT NULL,
    online_kind       text NOT NULL CHECK (online_kind IN ('toan_trinh', 'mot_phan', 'truc_tiep')),
    steps             text[] NOT NULL DEFAULT '{}',
    documents         text[] NOT NULL DEFAULT '{}',
    result            text NOT NULL,
    legal_basis       text[] NOT NULL DEFAULT '{}',
    unverified_note   text,
    is_popular        boolean NOT NULL DEFAULT false
);
CREATE INDEX procedures_field_idx ON procedures (field_id);

-- Feedback on a posted procedure. The id is the form's one-time token, so a resent
-- form or a double tap stores the message once.
CREATE TABLE procedure_feedback (
    id            uuid PRIMARY KEY,
    procedure_id  bigint REFERENCES procedures (id), -- NULL: feedback on the portal itself
    message       text NOT NULL CHECK (char_length(message) BETWEEN 1 AND 1000),
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX procedure_feedback_procedure_idx ON procedure_feedback (procedure_id, created_at);
