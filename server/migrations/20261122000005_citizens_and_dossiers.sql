-- Citizens sign in with a phone number and a one-time code, fill an application form saved
-- as a draft at every step, attach documents, and submit a dossier.

-- Days off and worked days, edited by an administrator each year (the government fixes Tết and
-- sometimes swaps a weekday off for a worked Saturday).
CREATE TABLE calendar_days (
    day    date PRIMARY KEY,
    kind   text NOT NULL CHECK (kind IN ('holiday', 'working_day')),
    name   text NOT NULL CHECK (length(name) > 0),
    -- Where the date comes from, or what is still to be checked.
    note   text
);

CREATE TABLE citizens (
    id                 uuid PRIMARY KEY,
    -- Vietnamese mobile number in national form, 10 digits starting with 0.
    phone              text NOT NULL UNIQUE CHECK (phone ~ '^0[0-9]{9}$'),
    created_at         timestamptz NOT NULL DEFAULT now(),
    last_signed_in_at  timestamptz
);

CREATE TABLE sign_in_codes (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    phone           text NOT NULL CHECK (phone ~ '^0[0-9]{9}$'),
    -- SHA-256 of the phone number and the code: the code itself is never stored.
    code_hash       bytea NOT NULL,
    client_address  text NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    expires_at      timestamptz NOT NULL,
    failed_attempts smallint NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),
    used_at         timestamptz
);
CREATE INDEX sign_in_codes_phone_idx ON sign_in_codes (phone, created_at DESC);
CREATE INDEX sign_in_codes_client_idx ON sign_in_codes (client_address, created_at DESC);

-- Messages to citizens, written in the same transaction as the change they report and
-- delivered by a background worker through a channel (SMS gateway, e-mail, development log).
CREATE TABLE outbox_messages (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    channel          text NOT NULL CHECK (channel IN ('sms', 'email')),
    recipient        text NOT NULL CHECK (length(recipient) > 0),
    body             text NOT NULL CHECK (length(body) > 0),
    purpose          text NOT NULL CHECK (purpose IN ('sign_in_code', 'receipt', 'status')),
    dossier_id       uuid,
    created_at       timestamptz NOT NULL DEFAULT now(),
    attempts         integer NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    sent_at          timestamptz,
    failed_at        timestamptz,
    last_error       text
);
CREATE INDEX outbox_pending_idx ON outbox_messages (next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;

-- The questions a citizen answers to file under one procedure version (JSON checked by the
-- importer against the version's required documents).
CREATE TABLE application_forms (
    version_id  bigint PRIMARY KEY REFERENCES procedure_versions (id) ON DELETE CASCADE,
    definition  jsonb NOT NULL
);

CREATE TABLE drafts (
    id                   uuid PRIMARY KEY,
    citizen_id           uuid NOT NULL REFERENCES citizens (id),
    version_id           bigint NOT NULL REFERENCES procedure_versions (id),
    receiving_agency_id  bigint REFERENCES agencies (id),
    -- Raw answers as typed, by question id, valid or not: nothing the citizen entered is lost.
    answers              jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(answers) = 'object'),
    declared             boolean NOT NULL DEFAULT false,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    -- Unsubmitted drafts are kept at least this long after their last change.
    expires_at           timestamptz NOT NULL,
    submitted_at         timestamptz
);
CREATE INDEX drafts_citizen_idx ON drafts (citizen_id, updated_at DESC);

-- Documents attached to a draft; the bytes live in the file store under `storage_key`.
CREATE TABLE draft_files (
    id            uuid PRIMARY KEY,
    draft_id      uuid NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,
    question_id   text NOT NULL,
    storage_key   text NOT NULL UNIQUE,
    content_type  text NOT NULL CHECK (content_type IN ('image/jpeg', 'application/pdf')),
    size_bytes    integer NOT NULL CHECK (size_bytes > 0),
    page_count    integer,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX draft_files_draft_idx ON draft_files (draft_id, question_id, created_at);

-- Per receiving agency and day, the last dossier number handed out. Incremented inside the
-- submitting transaction, so a rolled-back submission leaves no gap.
CREATE TABLE dossier_counters (
    agency_id    bigint NOT NULL REFERENCES agencies (id),
    day          date NOT NULL,
    last_number  integer NOT NULL CHECK (last_number BETWEEN 1 AND 9999),
    PRIMARY KEY (agency_id, day)
);

CREATE TABLE dossiers (
    id                   uuid PRIMARY KEY,
    code                 text NOT NULL UNIQUE,
    -- One dossier per draft: a resent or doubled submission finds this row.
    draft_id             uuid NOT NULL UNIQUE REFERENCES drafts (id),
    citizen_id           uuid NOT NULL REFERENCES citizens (id),
    version_id           bigint NOT NULL REFERENCES procedure_versions (id),
    receiving_agency_id  bigint NOT NULL REFERENCES agencies (id),
    handling_agency_id   bigint NOT NULL REFERENCES agencies (id),
    channel              text NOT NULL CHECK (channel IN ('online', 'in_person', 'post')),
    status               text NOT NULL CHECK (status IN ('moi_dang_ky', 'duoc_tiep_nhan', 'khong_tiep_nhan',
                             'dang_xu_ly', 'yeu_cau_bo_sung', 'yeu_cau_nghia_vu_tai_chinh', 'rut_ho_so',
                             'dung_xu_ly', 'da_xu_ly_xong', 'da_tra_ket_qua')),
    applicant_name       text NOT NULL CHECK (length(applicant_name) > 0),
    answers              jsonb NOT NULL,
    received_at          timestamptz NOT NULL,
    due_date             date NOT NULL,
    created_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX dossiers_citizen_idx ON dossiers (citizen_id, received_at DESC);

CREATE TABLE dossier_events (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dossier_id  uuid NOT NULL REFERENCES dossiers (id),
    at          timestamptz NOT NULL DEFAULT now(),
    status      text NOT NULL,
    actor       text NOT NULL,
    agency_id   bigint REFERENCES agencies (id),
    note        text
);
CREATE INDEX dossier_events_dossier_idx ON dossier_events (dossier_id, at);

ALTER TABLE outbox_messages
    ADD CONSTRAINT outbox_messages_dossier_fk FOREIGN KEY (dossier_id) REFERENCES dossiers (id);

-- Public holidays of 2026 and 2027 (Labour Code art. 112; Tết and the day next to National Day
-- as arranged by the government). A holiday on a weekend is made up on the next working day.
INSERT INTO calendar_days (day, kind, name, note) VALUES
    ('2026-01-01', 'holiday', 'Tết Dương lịch', NULL),
    ('2026-02-16', 'holiday', 'Tết Nguyên đán Bính Ngọ', 'Nghỉ từ 14/02 đến hết 22/02/2026'),
    ('2026-02-17', 'holiday', 'Tết Nguyên đán Bính Ngọ', 'Mùng 1 Tết'),
    ('2026-02-18', 'holiday', 'Tết Nguyên đán Bính Ngọ', NULL),
    ('2026-02-19', 'holiday', 'Tết Nguyên đán Bính Ngọ', NULL),
    ('2026-02-20', 'holiday', 'Tết Nguyên đán Bính Ngọ', NULL),
    ('2026-04-27', 'holiday', 'Nghỉ bù Giỗ Tổ Hùng Vương', 'Giỗ Tổ 10/3 âm lịch rơi vào Chủ nhật 26/04/2026'),
    ('2026-04-30', 'holiday', 'Ngày Chiến thắng', NULL),
    ('2026-05-01', 'holiday', 'Ngày Quốc tế Lao động', NULL),
    ('2026-09-01', 'holiday', 'Quốc khánh (ngày liền kề)', 'Ngày liền kề do Chính phủ bố trí: cần xác minh'),
    ('2026-09-02', 'holiday', 'Quốc khánh', NULL),
    ('2026-11-24', 'holiday', 'Ngày Văn hóa Việt Nam', 'Ngày nghỉ mới từ năm 2026: cần xác minh'),
    ('2027-01-01', 'holiday', 'Tết Dương lịch', NULL),
    ('2027-02-05', 'holiday', 'Tết Nguyên đán Đinh Mùi', 'Lịch nghỉ Tết 2027 dự kiến: cần xác minh khi Chính phủ công bố'),
    ('2027-02-08', 'holiday', 'Tết Nguyên đán Đinh Mùi', 'Bù mùng 1–2 Tết rơi vào thứ Bảy, Chủ nhật (dự kiến)'),
    ('2027-02-09', 'holiday', 'Tết Nguyên đán Đinh Mùi', 'Dự kiến'),
    ('2027-02-10', 'holiday', 'Tết Nguyên đán Đinh Mùi', 'Dự kiến'),
    ('2027-02-11', 'holiday', 'Tết Nguyên đán Đinh Mùi', 'Dự kiến'),
    ('2027-04-16', 'holiday', 'Giỗ Tổ Hùng Vương', '10/3 âm lịch: cần xác minh'),
    ('2027-04-30', 'holiday', 'Ngày Chiến thắng', NULL),
    ('2027-05-03', 'holiday', 'Nghỉ bù Ngày Quốc tế Lao động', '01/05/2027 rơi vào thứ Bảy'),
    ('2027-09-02', 'holiday', 'Quốc khánh', NULL),
    ('2027-09-03', 'holiday', 'Quốc khánh (ngày liền kề)', 'Ngày liền kề do Chính phủ bố trí: cần xác minh'),
    ('2027-11-24', 'holiday', 'Ngày Văn hóa Việt Nam', 'Cần xác minh');
