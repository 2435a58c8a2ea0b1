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
-- (the slugs of stats::Measure), kept by the statement triggers below in the transaction of
-- each change, so reports add up days instead of reading every dossier.
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

-- A dossier's part in the daily figures: accepted (by channel), finished (by timeliness),
-- closed without a result (by status).
CREATE FUNCTION stats_daily_measures(d dossiers) RETURNS TABLE (measure text, at timestamptz)
LANGUAGE sql STABLE AS $$
    SELECT m.measure, m.at FROM (VALUES
        (CASE WHEN d.accepted_at IS NOT NULL THEN
            CASE d.channel WHEN 'online' THEN 'moi-truc-tuyen' WHEN 'post' THEN 'moi-buu-chinh' ELSE 'moi-truc-tiep' END END,
         d.accepted_at),
        (CASE WHEN d.finished_at IS NOT NULL THEN
            CASE d.timeliness WHEN 'som' THEN 'som-han' WHEN 'dung_han' THEN 'dung-han' ELSE 'tre-han' END END,
         d.finished_at),
        (CASE WHEN d.closed_at IS NOT NULL THEN
            CASE d.status WHEN 'khong_tiep_nhan' THEN 'tu-choi' WHEN 'rut_ho_so' THEN 'rut' WHEN 'dung_xu_ly' THEN 'dung-xu-ly' END END,
         d.closed_at)
    ) AS m (measure, at) WHERE m.measure IS NOT NULL
$$;

-- Adds each new dossier's part, for one row or a bulk insert alike.
CREATE FUNCTION stats_daily_on_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO stats_daily (agency_id, procedure_id, measure, day, count)
    SELECT r.receiving_agency_id, v.procedure_id, m.measure, (m.at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date, count(*)
    FROM new_rows r JOIN procedure_versions v ON v.id = r.version_id CROSS JOIN LATERAL stats_daily_measures(r) m
    GROUP BY 1, 2, 3, 4
    ON CONFLICT (agency_id, procedure_id, measure, day) DO UPDATE SET count = stats_daily.count + EXCLUDED.count;
    RETURN NULL;
END
$$;

-- Takes away the old rows' parts and adds the new rows', as one net change per roll-up row.
CREATE FUNCTION stats_daily_on_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    WITH parts AS (
        SELECT r.receiving_agency_id AS agency_id, r.version_id, m.measure, m.at, 1 AS delta
        FROM new_rows r CROSS JOIN LATERAL stats_daily_measures(r) m
        UNION ALL
        SELECT r.receiving_agency_id, r.version_id, m.measure, m.at, -1
        FROM old_rows r CROSS JOIN LATERAL stats_daily_measures(r) m
    ), net AS (
        SELECT p.agency_id, v.procedure_id, p.measure, (p.at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS day,
               sum(p.delta)::integer AS delta
        FROM parts p JOIN procedure_versions v ON v.id = p.version_id
        GROUP BY 1, 2, 3, 4 HAVING sum(p.delta) <> 0
    ), taken AS (
        UPDATE stats_daily x SET count = x.count + n.delta FROM net n
        WHERE n.delta < 0 AND x.agency_id = n.agency_id AND x.procedure_id = n.procedure_id
          AND x.measure = n.measure AND x.day = n.day
        RETURNING 1
    )
    INSERT INTO stats_daily (agency_id, procedure_id, measure, day, count)
    SELECT agency_id, procedure_id, measure, day, delta FROM net WHERE delta > 0
    ON CONFLICT (agency_id, procedure_id, measure, day) DO UPDATE SET count = stats_daily.count + EXCLUDED.count;
    RETURN NULL;
END
$$;

CREATE FUNCTION stats_daily_on_rating() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO stats_daily (agency_id, procedure_id, measure, day, count)
    SELECT d.receiving_agency_id, v.procedure_id, replace(r.level, '_', '-'), (r.rated_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date, count(*)
    FROM new_rows r JOIN dossiers d ON d.id = r.dossier_id JOIN procedure_versions v ON v.id = d.version_id
    GROUP BY 1, 2, 3, 4
    ON CONFLICT (agency_id, procedure_id, measure, day) DO UPDATE SET count = stats_daily.count + EXCLUDED.count;
    RETURN NULL;
END
$$;

-- The dossiers there before this migration.
INSERT INTO stats_daily (agency_id, procedure_id, measure, day, count)
SELECT r.receiving_agency_id, v.procedure_id, m.measure, (m.at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date, count(*)
FROM dossiers r JOIN procedure_versions v ON v.id = r.version_id CROSS JOIN LATERAL stats_daily_measures(r) m
GROUP BY 1, 2, 3, 4;

CREATE TRIGGER stats_daily_inserted AFTER INSERT ON dossiers REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION stats_daily_on_insert();
CREATE TRIGGER stats_daily_updated AFTER UPDATE ON dossiers REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION stats_daily_on_update();
CREATE TRIGGER stats_daily_rated AFTER INSERT ON dossier_ratings REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION stats_daily_on_rating();
