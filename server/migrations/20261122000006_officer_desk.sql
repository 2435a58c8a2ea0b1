-- The officer desk: staff accounts, the dossier's working state, and the append-only audit
-- trail (phiếu kiểm soát quá trình giải quyết hồ sơ).

CREATE TABLE staff_users (
    id                    uuid PRIMARY KEY,
    username              text NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9][a-z0-9._-]{2,39}$'),
    full_name             text NOT NULL CHECK (length(full_name) BETWEEN 1 AND 200),
    agency_id             bigint NOT NULL REFERENCES agencies (id),
    roles                 text[] NOT NULL
                          CHECK (cardinality(roles) > 0 AND roles <@ ARRAY['tiep_nhan', 'xu_ly', 'lanh_dao', 'quan_tri']),
    -- PHC string (argon2id); the password itself is never stored.
    password_hash         text NOT NULL,
    must_change_password  boolean NOT NULL DEFAULT true,
    -- Raised when the password changes or the account is disabled: older sessions stop working.
    session_epoch         integer NOT NULL DEFAULT 0,
    disabled_at           timestamptz,
    created_at            timestamptz NOT NULL DEFAULT now()
);

-- Failed and successful password sign-ins, for rate limiting per account and client address
-- (never a lock-out: the account's owner signs in from elsewhere as usual).
CREATE TABLE staff_sign_in_attempts (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username        text NOT NULL,
    client_address  text NOT NULL,
    at              timestamptz NOT NULL DEFAULT now(),
    succeeded       boolean NOT NULL
);
CREATE INDEX staff_sign_in_attempts_user_idx ON staff_sign_in_attempts (username, client_address, at);
CREATE INDEX staff_sign_in_attempts_client_idx ON staff_sign_in_attempts (client_address, at);

-- A draft an officer fills in at the counter with a walk-in citizen, who stays the applicant.
ALTER TABLE drafts ADD COLUMN assisted_by uuid REFERENCES staff_users (id);
CREATE INDEX drafts_assisted_idx ON drafts (assisted_by, updated_at DESC) WHERE assisted_by IS NOT NULL;

ALTER TABLE dossiers
    -- The time limit the due date was computed from (the dossier's channel, its version).
    ADD COLUMN time_amount           integer,
    ADD COLUMN time_unit             text CHECK (time_unit IN ('working_days', 'calendar_days', 'hours')),
    ADD COLUMN accepted_at           timestamptz,
    -- Set while a supplement request pauses the clock.
    ADD COLUMN paused_at             timestamptz,
    -- The deadline of the current step at the agency holding the dossier (liên thông).
    ADD COLUMN step_due_date         date,
    -- A new appointment after an approved apology; `due_date` stays for the statistics.
    ADD COLUMN promised_date         date,
    ADD COLUMN finished_at           timestamptz,
    ADD COLUMN returned_at           timestamptz,
    ADD COLUMN assisted_by           uuid REFERENCES staff_users (id),
    -- The applicant's name folded for search without diacritics ("nguyen van an").
    ADD COLUMN applicant_folded      text NOT NULL DEFAULT '',
    ADD COLUMN updated_at            timestamptz NOT NULL DEFAULT now();

UPDATE dossiers s SET time_amount = c.time_amount, time_unit = c.time_unit
FROM procedure_channels c
WHERE c.version_id = s.version_id AND c.channel = 'online' AND s.time_amount IS NULL;

CREATE INDEX dossiers_handling_queue_idx ON dossiers (handling_agency_id, status, due_date);
CREATE INDEX dossiers_receiving_queue_idx ON dossiers (receiving_agency_id, status, due_date);

-- What a supplement request names, and when the citizen answered it.
CREATE TABLE supplement_requests (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dossier_id     uuid NOT NULL REFERENCES dossiers (id),
    requested_at   timestamptz NOT NULL DEFAULT now(),
    requested_by   uuid NOT NULL REFERENCES staff_users (id),
    -- Question ids of the document steps to supplement.
    documents      text[] NOT NULL CHECK (cardinality(documents) > 0),
    note           text NOT NULL CHECK (length(note) > 0),
    fulfilled_at   timestamptz
);
CREATE UNIQUE INDEX supplement_requests_open_idx ON supplement_requests (dossier_id) WHERE fulfilled_at IS NULL;

CREATE TABLE apologies (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dossier_id    uuid NOT NULL REFERENCES dossiers (id),
    proposed_by   uuid NOT NULL REFERENCES staff_users (id),
    proposed_at   timestamptz NOT NULL DEFAULT now(),
    new_date      date NOT NULL,
    reason        text NOT NULL CHECK (length(reason) > 0),
    approved_by   uuid REFERENCES staff_users (id),
    approved_at   timestamptz
);
CREATE UNIQUE INDEX apologies_pending_idx ON apologies (dossier_id) WHERE approved_at IS NULL;

-- The result document (giấy tờ kết quả) as uploaded by the officer.
CREATE TABLE dossier_results (
    dossier_id    uuid PRIMARY KEY REFERENCES dossiers (id),
    storage_key   text NOT NULL UNIQUE,
    content_type  text NOT NULL CHECK (content_type IN ('image/jpeg', 'application/pdf')),
    size_bytes    integer NOT NULL CHECK (size_bytes > 0),
    uploaded_by   uuid NOT NULL REFERENCES staff_users (id),
    uploaded_at   timestamptz NOT NULL DEFAULT now()
);

-- The audit trail: who, when, from which agency to which, the step's deadline and the reason.
ALTER TABLE dossier_events
    ADD COLUMN action          text NOT NULL DEFAULT 'nop',
    ADD COLUMN from_status     text,
    ADD COLUMN staff_user_id   uuid REFERENCES staff_users (id),
    ADD COLUMN from_agency_id  bigint REFERENCES agencies (id),
    ADD COLUMN step_due_date   date,
    -- Facts of the action: documents asked for, fee, post address and tracking number, new date.
    ADD COLUMN details         jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(details) = 'object');

CREATE FUNCTION refuse_audit_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'dossier_events is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER dossier_events_append_only BEFORE UPDATE OR DELETE ON dossier_events
    FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER dossier_events_no_truncate BEFORE TRUNCATE ON dossier_events
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change();
