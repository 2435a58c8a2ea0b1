-- Dossiers asked for a supplement in a period, each once, without reading every request: at a
-- million dossiers a year holds some 74,000 requests, and counting them distinctly took
-- 60–200 ms per query on two cores.
--
-- A dossier has a request in [S, E) exactly when one of its requests in [S, E) follows an
-- earlier request made before S, or none (its first in the period). So each request is rolled
-- up by its Vietnam day and the day of the same dossier's previous request ('-infinity' for the
-- first), and a period starting at the midnight S counts the rows of its days whose previous
-- day is before S's day. Most requests are their dossier's first: the roll-up stays near one
-- row per agency, procedure and day (or month).
CREATE TABLE stats_supplement_daily (
    agency_id     bigint NOT NULL REFERENCES agencies (id),
    procedure_id  bigint NOT NULL REFERENCES procedures (id),
    day           date NOT NULL,
    previous_day  date NOT NULL,
    count         integer NOT NULL CHECK (count >= 0),
    PRIMARY KEY (agency_id, procedure_id, day, previous_day)
);
CREATE INDEX stats_supplement_daily_day_idx ON stats_supplement_daily (day);

CREATE TABLE stats_supplement_monthly (
    agency_id     bigint NOT NULL REFERENCES agencies (id),
    procedure_id  bigint NOT NULL REFERENCES procedures (id),
    month         date NOT NULL CHECK (extract(day FROM month) = 1),
    previous_day  date NOT NULL,
    count         integer NOT NULL CHECK (count >= 0),
    PRIMARY KEY (agency_id, procedure_id, month, previous_day)
);
CREATE INDEX stats_supplement_monthly_month_idx ON stats_supplement_monthly (month);

-- Each request's place in the roll-up, among the requests given (all of some dossiers' requests).
CREATE FUNCTION stats_supplement_days(requests supplement_requests[])
RETURNS TABLE (agency_id bigint, procedure_id bigint, day date, previous_day date) LANGUAGE sql STABLE AS $$
    SELECT r.receiving_agency_id, r.procedure_id, (r.requested_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date,
           coalesce((lag(r.requested_at) OVER (PARTITION BY r.dossier_id ORDER BY r.requested_at, r.id)
                     AT TIME ZONE 'Asia/Ho_Chi_Minh')::date, '-infinity')
    FROM unnest(requests) r
$$;

-- Applies net changes to both roll-ups: decreases by UPDATE, increases by upsert (as stats_apply).
CREATE FUNCTION stats_supplement_apply(agency bigint[], procedure bigint[], day date[], previous_day date[], delta integer[])
RETURNS void LANGUAGE sql AS $$
    WITH net AS (
        SELECT * FROM unnest(agency, procedure, day, previous_day, delta) AS n (agency_id, procedure_id, day, previous_day, delta)
        WHERE n.delta <> 0
    ), monthly AS (
        SELECT agency_id, procedure_id, date_trunc('month', day)::date AS month, previous_day, sum(delta)::integer AS delta
        FROM net GROUP BY 1, 2, 3, 4 HAVING sum(delta) <> 0
    ), daily_taken AS (
        UPDATE stats_supplement_daily x SET count = x.count + n.delta FROM net n
        WHERE n.delta < 0 AND x.agency_id = n.agency_id AND x.procedure_id = n.procedure_id
          AND x.day = n.day AND x.previous_day = n.previous_day
        RETURNING 1
    ), daily_added AS (
        INSERT INTO stats_supplement_daily (agency_id, procedure_id, day, previous_day, count)
        SELECT agency_id, procedure_id, day, previous_day, delta FROM net WHERE delta > 0
        ON CONFLICT (agency_id, procedure_id, day, previous_day) DO UPDATE SET count = stats_supplement_daily.count + EXCLUDED.count
        RETURNING 1
    ), monthly_taken AS (
        UPDATE stats_supplement_monthly x SET count = x.count + n.delta FROM monthly n
        WHERE n.delta < 0 AND x.agency_id = n.agency_id AND x.procedure_id = n.procedure_id
          AND x.month = n.month AND x.previous_day = n.previous_day
        RETURNING 1
    )
    INSERT INTO stats_supplement_monthly (agency_id, procedure_id, month, previous_day, count)
    SELECT agency_id, procedure_id, month, previous_day, delta FROM monthly WHERE delta > 0
    ON CONFLICT (agency_id, procedure_id, month, previous_day) DO UPDATE SET count = stats_supplement_monthly.count + EXCLUDED.count
$$;

-- The requests of the dossiers a statement touched changed from `before` to what the table holds
-- now: their roll-up rows change by the difference. The per-dossier lock makes a concurrent
-- change of the same dossier's requests wait and then see this one (its next statement takes a
-- new snapshot), so the chain of previous days stays exact.
CREATE FUNCTION stats_supplement_reroll(touched uuid[], before supplement_requests[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('stats_supplement'), hashtext(t::text)) FROM unnest(touched) t ORDER BY t;
    PERFORM stats_supplement_apply(array_agg(agency_id), array_agg(procedure_id), array_agg(day), array_agg(previous_day), array_agg(delta))
    FROM (SELECT c.agency_id, c.procedure_id, c.day, c.previous_day, sum(c.delta)::integer AS delta
          FROM (SELECT x.*, 1 AS delta FROM stats_supplement_days(
                    ARRAY(SELECT r FROM supplement_requests r WHERE r.dossier_id = ANY(touched))) x
                UNION ALL
                SELECT x.*, -1 FROM stats_supplement_days(before) x) c
          GROUP BY 1, 2, 3, 4 HAVING sum(c.delta) <> 0) n
    HAVING count(*) > 0;
END
$$;

CREATE FUNCTION stats_supplement_on_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM stats_supplement_reroll(array_agg(DISTINCT n.dossier_id),
        ARRAY(SELECT r FROM supplement_requests r
              WHERE r.dossier_id IN (SELECT dossier_id FROM new_rows) AND r.id NOT IN (SELECT id FROM new_rows)))
    FROM new_rows n;
    RETURN NULL;
END
$$;

CREATE FUNCTION stats_supplement_on_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- An answered request (the usual update) moves nothing.
    IF NOT EXISTS (SELECT 1 FROM old_rows o JOIN new_rows n ON n.id = o.id
                   WHERE (o.requested_at, o.dossier_id, o.receiving_agency_id, o.procedure_id)
                         IS DISTINCT FROM (n.requested_at, n.dossier_id, n.receiving_agency_id, n.procedure_id)) THEN
        RETURN NULL;
    END IF;
    PERFORM stats_supplement_reroll(ARRAY(SELECT dossier_id FROM new_rows UNION SELECT dossier_id FROM old_rows),
        ARRAY(SELECT r FROM supplement_requests r
              WHERE r.dossier_id IN (SELECT dossier_id FROM new_rows UNION SELECT dossier_id FROM old_rows)
                AND r.id NOT IN (SELECT id FROM new_rows)
              UNION ALL SELECT o::supplement_requests FROM old_rows o));
    RETURN NULL;
END
$$;

CREATE FUNCTION stats_supplement_on_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM stats_supplement_reroll(ARRAY(SELECT DISTINCT dossier_id FROM old_rows),
        ARRAY(SELECT r FROM supplement_requests r WHERE r.dossier_id IN (SELECT dossier_id FROM old_rows)
              UNION ALL SELECT o::supplement_requests FROM old_rows o));
    RETURN NULL;
END
$$;

CREATE TRIGGER stats_supplement_inserted AFTER INSERT ON supplement_requests REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION stats_supplement_on_insert();
CREATE TRIGGER stats_supplement_updated AFTER UPDATE ON supplement_requests REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION stats_supplement_on_update();
CREATE TRIGGER stats_supplement_deleted AFTER DELETE ON supplement_requests REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION stats_supplement_on_delete();

INSERT INTO stats_supplement_daily (agency_id, procedure_id, day, previous_day, count)
SELECT agency_id, procedure_id, day, previous_day, count(*)
FROM stats_supplement_days(ARRAY(SELECT r FROM supplement_requests r)) GROUP BY 1, 2, 3, 4;
INSERT INTO stats_supplement_monthly (agency_id, procedure_id, month, previous_day, count)
SELECT agency_id, procedure_id, date_trunc('month', day)::date, previous_day, sum(count)
FROM stats_supplement_daily GROUP BY 1, 2, 3, 4;
