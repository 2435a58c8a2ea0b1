-- On-time statistics, the satisfaction rating at hand-over, and e-mail notices.

ALTER TABLE dossiers
    -- When the dossier left the open set: result ready, refused, withdrawn or stopped.
    ADD COLUMN closed_at    timestamptz,
    -- The Vietnam date the result was ready, and how that compares with the due date
    -- (domain::statistics::Timeliness), written in the transaction that finishes the dossier.
    ADD COLUMN finished_on  date,
    ADD COLUMN timeliness   text CHECK (timeliness IN ('som', 'dung_han', 'tre'));

-- Dossiers finished or closed before this migration (the same rule as the domain module).
UPDATE dossiers SET closed_at = finished_at,
    finished_on = (finished_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date
WHERE finished_at IS NOT NULL;
UPDATE dossiers SET timeliness = CASE WHEN finished_on < due_date THEN 'som'
                                      WHEN finished_on = due_date THEN 'dung_han' ELSE 'tre' END
WHERE finished_on IS NOT NULL;
UPDATE dossiers d SET closed_at = (SELECT max(e.at) FROM dossier_events e WHERE e.dossier_id = d.id)
WHERE closed_at IS NULL AND status IN ('khong_tiep_nhan', 'rut_ho_so', 'dung_xu_ly');

ALTER TABLE dossiers
    ADD CONSTRAINT dossiers_finish_facts CHECK ((finished_at IS NULL) = (finished_on IS NULL)
                                                AND (finished_on IS NULL) = (timeliness IS NULL)),
    ADD CONSTRAINT dossiers_closed_when_closed CHECK (
        (status IN ('khong_tiep_nhan', 'rut_ho_so', 'dung_xu_ly') OR finished_at IS NOT NULL) = (closed_at IS NOT NULL));

-- A report reads the dossiers received before its end that were still open, or closed, after
-- its start: by agency and time first.
CREATE INDEX dossiers_stats_idx ON dossiers (receiving_agency_id, received_at);
CREATE INDEX dossiers_closed_idx ON dossiers (closed_at);
CREATE INDEX dossiers_open_idx ON dossiers (received_at) WHERE closed_at IS NULL;
CREATE INDEX supplement_requests_dossier_idx ON supplement_requests (dossier_id, requested_at);
CREATE INDEX supplement_requests_time_idx ON supplement_requests (requested_at);

CREATE TABLE dossier_ratings (
    dossier_id     uuid PRIMARY KEY REFERENCES dossiers (id),
    level          text NOT NULL CHECK (level IN ('rat_hai_long', 'hai_long', 'khong_hai_long')),
    reason         text CHECK (length(reason) BETWEEN 1 AND 500),
    -- Online by the applicant, or on the desk's tablet page (the officer who handed it over).
    via            text NOT NULL CHECK (via IN ('online', 'desk')),
    staff_user_id  uuid REFERENCES staff_users (id),
    rated_at       timestamptz NOT NULL DEFAULT now(),
    CHECK (level <> 'khong_hai_long' OR reason IS NOT NULL),
    CHECK ((via = 'desk') = (staff_user_id IS NOT NULL))
);
CREATE INDEX dossier_ratings_time_idx ON dossier_ratings (rated_at);

-- A citizen may add an e-mail address: every notice about their dossiers is then also sent
-- there (domain::email checks the form).
ALTER TABLE citizens ADD COLUMN email text CHECK (length(email) BETWEEN 3 AND 254 AND email LIKE '%_@_%.__%');

-- Accepted dossiers are closed after they were accepted (the reports' time ranges rely on it).
ALTER TABLE dossiers ADD CONSTRAINT dossiers_closed_after_accepted CHECK (closed_at >= accepted_at);

-- Reports judge the dossiers open at an instant (carried over at a period's start, open at its
-- end): those whose (accepted, closed] range holds it, found through this index.
CREATE INDEX dossiers_open_range_idx ON dossiers USING gist (tstzrange(accepted_at, closed_at, '(]'))
    WHERE accepted_at IS NOT NULL;

-- What happened each Vietnam day per receiving agency and procedure, one row per figure
-- (the slugs of stats::Measure), kept by the triggers below in the transaction of each change,
-- so reports add up days instead of reading every dossier.
CREATE TABLE stats_daily (
    agency_id     bigint NOT NULL REFERENCES agencies (id),
    procedure_id  bigint NOT NULL REFERENCES procedures (id),
    measure       text NOT NULL CHECK (measure IN ('moi-truc-tiep', 'moi-truc-tuyen', 'moi-buu-chinh', 'som-han',
                      'dung-han', 'tre-han', 'tu-choi', 'rut', 'dung-xu-ly', 'rat-hai-long', 'hai-long', 'khong-hai-long')),
    day           date NOT NULL,
    count         integer NOT NULL CHECK (count >= 0),
    PRIMARY KEY (agency_id, procedure_id, measure, day)
);
CREATE INDEX stats_daily_day_idx ON stats_daily (day);

-- Taking away updates the row that adding made (an insert of a negative count would fail the
-- check before the conflict is seen).
CREATE FUNCTION stats_daily_bump(p_agency bigint, p_version bigint, p_at timestamptz, p_measure text, p_delta integer)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF p_delta < 0 THEN
        UPDATE stats_daily x SET count = x.count + p_delta
        FROM procedure_versions v
        WHERE v.id = p_version AND x.agency_id = p_agency AND x.procedure_id = v.procedure_id
          AND x.measure = p_measure AND x.day = (p_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date;
    ELSE
        INSERT INTO stats_daily (agency_id, procedure_id, measure, day, count)
        SELECT p_agency, v.procedure_id, p_measure, (p_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date, p_delta
        FROM procedure_versions v WHERE v.id = p_version
        ON CONFLICT (agency_id, procedure_id, measure, day) DO UPDATE SET count = stats_daily.count + EXCLUDED.count;
    END IF;
END
$$;

-- A dossier's part in the daily figures: accepted (by channel), finished (by timeliness),
-- closed without a result (by status).
CREATE FUNCTION stats_daily_count(d dossiers, delta integer) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF d.accepted_at IS NOT NULL THEN
        PERFORM stats_daily_bump(d.receiving_agency_id, d.version_id, d.accepted_at,
            CASE d.channel WHEN 'online' THEN 'moi-truc-tuyen' WHEN 'post' THEN 'moi-buu-chinh' ELSE 'moi-truc-tiep' END, delta);
    END IF;
    IF d.finished_at IS NOT NULL THEN
        PERFORM stats_daily_bump(d.receiving_agency_id, d.version_id, d.finished_at,
            CASE d.timeliness WHEN 'som' THEN 'som-han' WHEN 'dung_han' THEN 'dung-han' ELSE 'tre-han' END, delta);
    END IF;
    IF d.closed_at IS NOT NULL AND d.status IN ('khong_tiep_nhan', 'rut_ho_so', 'dung_xu_ly') THEN
        PERFORM stats_daily_bump(d.receiving_agency_id, d.version_id, d.closed_at,
            CASE d.status WHEN 'khong_tiep_nhan' THEN 'tu-choi' WHEN 'rut_ho_so' THEN 'rut' ELSE 'dung-xu-ly' END, delta);
    END IF;
END
$$;

CREATE FUNCTION stats_daily_track_dossier() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        PERFORM stats_daily_count(OLD, -1);
    END IF;
    PERFORM stats_daily_count(NEW, 1);
    RETURN NULL;
END
$$;

CREATE FUNCTION stats_daily_track_rating() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM stats_daily_bump(d.receiving_agency_id, d.version_id, NEW.rated_at,
        replace(NEW.level, '_', '-'), 1) FROM dossiers d WHERE d.id = NEW.dossier_id;
    RETURN NULL;
END
$$;

SELECT stats_daily_count(d, 1) FROM dossiers d;

CREATE TRIGGER stats_daily_on_insert AFTER INSERT ON dossiers
    FOR EACH ROW EXECUTE FUNCTION stats_daily_track_dossier();
CREATE TRIGGER stats_daily_on_update AFTER UPDATE ON dossiers
    FOR EACH ROW WHEN (OLD.accepted_at IS DISTINCT FROM NEW.accepted_at OR OLD.finished_at IS DISTINCT FROM NEW.finished_at
        OR OLD.timeliness IS DISTINCT FROM NEW.timeliness OR OLD.closed_at IS DISTINCT FROM NEW.closed_at
        OR OLD.status IS DISTINCT FROM NEW.status OR OLD.channel IS DISTINCT FROM NEW.channel
        OR OLD.receiving_agency_id IS DISTINCT FROM NEW.receiving_agency_id OR OLD.version_id IS DISTINCT FROM NEW.version_id)
    EXECUTE FUNCTION stats_daily_track_dossier();
CREATE TRIGGER stats_daily_on_rating AFTER INSERT ON dossier_ratings
    FOR EACH ROW EXECUTE FUNCTION stats_daily_track_rating();
