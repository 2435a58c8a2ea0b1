-- How the applicant was identified when a dossier was filed (issue 17): by the SMS code sent to
-- a phone number, by the national digital identity, or at the counter, where the officer filing
-- it checks the applicant's identity papers. The desk sees it on the dossier.
ALTER TABLE dossiers ADD COLUMN identified_by text NOT NULL DEFAULT 'so-dien-thoai'
    CHECK (identified_by IN ('so-dien-thoai', 'dinh-danh', 'tai-quay'));
UPDATE dossiers SET identified_by = 'tai-quay' WHERE assisted_by IS NOT NULL;

-- The filing function of 20261207000020, placing the new column too.
CREATE OR REPLACE FUNCTION file_dossier(
    p_draft uuid,
    p_citizen uuid,
    p_draft_read_at timestamptz,
    p_hourly_limit bigint,
    p_code_prefix text,
    p_number_digits integer,
    p_max_number integer,
    p_dossier jsonb,
    p_event jsonb,
    p_message jsonb,
    p_code_mark text,
    OUT outcome text,
    OUT code text
) LANGUAGE plpgsql AS $$
DECLARE
    v_submitted timestamptz;
    v_updated timestamptz;
    v_agency bigint := (p_dossier ->> 'receiving_agency_id')::bigint;
    v_day date := (p_dossier ->> 'received_on')::date;
    v_now timestamptz := (p_dossier ->> 'received_at')::timestamptz;
    v_number integer;
    v_code text;
BEGIN
    -- The citizen's turn first, as every change to a citizen's drafts takes it (no deadlock).
    PERFORM pg_advisory_xact_lock(hashtextextended('citizen ' || p_citizen::text, 0));
    SELECT d.submitted_at, d.updated_at INTO v_submitted, v_updated
      FROM drafts d WHERE d.id = p_draft AND d.citizen_id = p_citizen FOR UPDATE;
    IF NOT FOUND THEN
        outcome := 'gone';
        RETURN;
    END IF;
    IF v_submitted IS NOT NULL THEN
        outcome := 'already';
        SELECT s.code INTO v_code FROM dossiers s WHERE s.draft_id = p_draft;
        code := v_code;
        RETURN;
    END IF;
    IF v_updated IS DISTINCT FROM p_draft_read_at THEN
        outcome := 'changed';
        RETURN;
    END IF;
    IF p_hourly_limit IS NOT NULL AND (
        SELECT count(*) FROM dossiers s WHERE s.citizen_id = p_citizen AND s.assisted_by IS NULL
           AND s.received_at > now() - interval '1 hour') >= p_hourly_limit THEN
        outcome := 'too_many';
        RETURN;
    END IF;

    INSERT INTO dossier_counters AS c (agency_id, day, last_number) VALUES (v_agency, v_day, 1)
    ON CONFLICT (agency_id, day) DO UPDATE SET last_number = c.last_number + 1
       WHERE c.last_number < p_max_number
    RETURNING c.last_number INTO v_number;
    IF v_number IS NULL THEN
        outcome := 'numbers_used_up';
        RETURN;
    END IF;
    v_code := p_code_prefix || lpad(v_number::text, p_number_digits, '0');

    INSERT INTO dossiers (id, code, draft_id, citizen_id, version_id, receiving_agency_id,
        handling_agency_id, channel, status, applicant_name, answers, received_at, due_date,
        time_amount, time_unit, applicant_folded, assisted_by, accepted_at, case_no, identified_by)
    SELECT r.id, v_code, p_draft, p_citizen, r.version_id, r.receiving_agency_id,
        r.handling_agency_id, r.channel, r.status, r.applicant_name, p_dossier -> 'answers',
        r.received_at, r.due_date, r.time_amount, r.time_unit, r.applicant_folded, r.assisted_by,
        r.accepted_at, r.case_no, r.identified_by
      FROM jsonb_populate_record(NULL::dossiers, p_dossier) r;

    INSERT INTO dossier_events (dossier_id, at, action, from_status, status, actor, staff_user_id,
        from_agency_id, agency_id, step_due_date, note, details)
    SELECT (p_dossier ->> 'id')::uuid, v_now, e.action, e.from_status, e.status, e.actor,
        e.staff_user_id, e.from_agency_id, e.agency_id, e.step_due_date, e.note,
        COALESCE(p_event -> 'details', '{}')
      FROM jsonb_populate_record(NULL::dossier_events, p_event) e;

    UPDATE drafts SET submitted_at = v_now, updated_at = v_now WHERE id = p_draft;

    INSERT INTO outbox_messages (channel, recipient, body, purpose, dossier_id)
    SELECT m.channel, m.recipient, replace(p_message ->> 'body', p_code_mark, v_code),
        p_message ->> 'purpose', (p_dossier ->> 'id')::uuid
      FROM (SELECT 'sms' AS channel, p_message ->> 'phone' AS recipient
            UNION ALL
            SELECT 'email', c.email FROM citizens c
             WHERE c.phone = p_message ->> 'phone' AND (p_message ->> 'with_email')::boolean
               AND c.email IS NOT NULL) m;
    outcome := 'filed';
    code := v_code;
END
$$;
