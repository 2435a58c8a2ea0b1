-- Statistics under 200 ms at a million dossiers: a monthly roll-up beside the daily one, and a
-- snapshot of the dossiers open at each past Vietnam midnight.

-- What happened each calendar month per receiving agency and procedure: the sum of its days in
-- `stats_daily`, kept by the same triggers in the same transaction. A year of flows is then
-- twelve months per row key instead of 365 days.
CREATE TABLE stats_monthly (
    agency_id     bigint NOT NULL REFERENCES agencies (id),
    procedure_id  bigint NOT NULL REFERENCES procedures (id),
    measure       text NOT NULL,
    month         date NOT NULL CHECK (extract(day FROM month) = 1),
    count         integer NOT NULL CHECK (count >= 0),
    PRIMARY KEY (agency_id, procedure_id, measure, month)
);
CREATE INDEX stats_monthly_month_idx ON stats_monthly (month);

INSERT INTO stats_monthly (agency_id, procedure_id, measure, month, count)
SELECT agency_id, procedure_id, measure, date_trunc('month', day)::date, sum(count)
FROM stats_daily GROUP BY 1, 2, 3, 4;

-- Applies net changes (per agency, procedure, figure and day) to both roll-ups: decreases by
-- UPDATE (a negative row would fail the count check before its conflict is seen), increases by
-- upsert.
CREATE FUNCTION stats_apply(agency bigint[], procedure bigint[], measure text[], day date[], delta integer[])
RETURNS void LANGUAGE sql AS $$
    WITH net AS (
        SELECT * FROM unnest(agency, procedure, measure, day, delta) AS n (agency_id, procedure_id, measure, day, delta)
        WHERE n.delta <> 0
    ), monthly AS (
        SELECT agency_id, procedure_id, measure, date_trunc('month', day)::date AS month, sum(delta)::integer AS delta
        FROM net GROUP BY 1, 2, 3, 4 HAVING sum(delta) <> 0
    ), daily_taken AS (
        UPDATE stats_daily x SET count = x.count + n.delta FROM net n
        WHERE n.delta < 0 AND x.agency_id = n.agency_id AND x.procedure_id = n.procedure_id
          AND x.measure = n.measure AND x.day = n.day
        RETURNING 1
    ), daily_added AS (
        INSERT INTO stats_daily (agency_id, procedure_id, measure, day, count)
        SELECT agency_id, procedure_id, measure, day, delta FROM net WHERE delta > 0
        ON CONFLICT (agency_id, procedure_id, measure, day) DO UPDATE SET count = stats_daily.count + EXCLUDED.count
        RETURNING 1
    ), monthly_taken AS (
        UPDATE stats_monthly x SET count = x.count + n.delta FROM monthly n
        WHERE n.delta < 0 AND x.agency_id = n.agency_id AND x.procedure_id = n.procedure_id
          AND x.measure = n.measure AND x.month = n.month
        RETURNING 1
    )
    INSERT INTO stats_monthly (agency_id, procedure_id, measure, month, count)
    SELECT agency_id, procedure_id, measure, month, delta FROM monthly WHERE delta > 0
    ON CONFLICT (agency_id, procedure_id, measure, month) DO UPDATE SET count = stats_monthly.count + EXCLUDED.count
$$;

CREATE OR REPLACE FUNCTION stats_daily_on_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM stats_apply(array_agg(agency_id), array_agg(procedure_id), array_agg(measure), array_agg(day), array_agg(delta))
    FROM (SELECT r.receiving_agency_id AS agency_id, v.procedure_id, m.measure,
                 (m.at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS day, count(*)::integer AS delta
          FROM new_rows r JOIN procedure_versions v ON v.id = r.version_id CROSS JOIN LATERAL stats_daily_measures(r) m
          GROUP BY 1, 2, 3, 4) c
    HAVING count(*) > 0;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION stats_daily_on_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM stats_apply(array_agg(agency_id), array_agg(procedure_id), array_agg(measure), array_agg(day), array_agg(delta))
    FROM (SELECT p.agency_id, v.procedure_id, p.measure, (p.at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS day,
                 sum(p.delta)::integer AS delta
          FROM (SELECT r.receiving_agency_id AS agency_id, r.version_id, m.measure, m.at, 1 AS delta
                FROM new_rows r CROSS JOIN LATERAL stats_daily_measures(r) m
                UNION ALL
                SELECT r.receiving_agency_id, r.version_id, m.measure, m.at, -1
                FROM old_rows r CROSS JOIN LATERAL stats_daily_measures(r) m) p
          JOIN procedure_versions v ON v.id = p.version_id
          GROUP BY 1, 2, 3, 4 HAVING sum(p.delta) <> 0) c
    HAVING count(*) > 0;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION stats_daily_on_rating() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM stats_apply(array_agg(agency_id), array_agg(procedure_id), array_agg(measure), array_agg(day), array_agg(delta))
    FROM (SELECT d.receiving_agency_id AS agency_id, v.procedure_id, replace(r.level, '_', '-') AS measure,
                 (r.rated_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS day, count(*)::integer AS delta
          FROM new_rows r JOIN dossiers d ON d.id = r.dossier_id JOIN procedure_versions v ON v.id = d.version_id
          GROUP BY 1, 2, 3, 4) c
    HAVING count(*) > 0;
    RETURN NULL;
END
$$;

-- The dossiers open at a past Vietnam midnight `at`, per receiving agency and procedure: how
-- many ((accepted_at, closed_at] holds `at`), and how many of them overdue on the day before
-- (the report date of a period ending that midnight). Reports read it instead of probing the
-- dossiers. `stats_open_taken` says which agencies a midnight was taken for (agencies with
-- nothing open have no snapshot row); statistics' keeper (stats/snapshot.rs) takes each past
-- midnight once, under the exclusive lock below.
CREATE TABLE stats_open_taken (
    agency_id  bigint NOT NULL REFERENCES agencies (id),
    at         timestamptz NOT NULL,
    PRIMARY KEY (agency_id, at)
);
CREATE INDEX stats_open_taken_at_idx ON stats_open_taken (at);

CREATE TABLE stats_open_snapshot (
    at            timestamptz NOT NULL,
    agency_id     bigint NOT NULL,
    procedure_id  bigint NOT NULL REFERENCES procedures (id),
    open          integer NOT NULL CHECK (open > 0),
    overdue       integer NOT NULL CHECK (overdue BETWEEN 0 AND open),
    PRIMARY KEY (at, agency_id, procedure_id),
    FOREIGN KEY (agency_id, at) REFERENCES stats_open_taken (agency_id, at) ON DELETE CASCADE
);

-- A change that alters what was open or overdue at midnights from `since` on drops those
-- midnights' snapshots of its agency (the keeper takes them again). The shared lock, held to
-- the end of the changing transaction, makes the keeper wait for it and see it; a change made
-- while the keeper takes a midnight waits, then drops what the keeper took.
CREATE FUNCTION stats_open_forget(agency bigint[], since timestamptz[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF coalesce(cardinality(agency), 0) = 0 THEN
        RETURN;
    END IF;
    PERFORM pg_advisory_xact_lock_shared(hashtext('stats_open_snapshot'));
    DELETE FROM stats_open_taken k USING unnest(agency, since) AS c (agency_id, since)
    WHERE k.agency_id = c.agency_id AND k.at >= c.since;
END
$$;

-- From which instant a dossier's change matters to the open counts: a new or moved acceptance
-- or closing from the earlier of the two instants (a missing close is "never"); a new due date
-- from the first midnight whose report date is past the earlier due date (before it, the
-- dossier is within time under both).
CREATE FUNCTION stats_open_since(o dossiers, n dossiers) RETURNS timestamptz LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN coalesce(o.accepted_at, n.accepted_at) IS NOT NULL THEN least(
        CASE WHEN o.accepted_at IS DISTINCT FROM n.accepted_at OR o.receiving_agency_id IS DISTINCT FROM n.receiving_agency_id
                  OR o.version_id IS DISTINCT FROM n.version_id
             THEN least(o.accepted_at, n.accepted_at) END,
        CASE WHEN o.closed_at IS DISTINCT FROM n.closed_at THEN least(o.closed_at, n.closed_at) END,
        CASE WHEN o.due_date IS DISTINCT FROM n.due_date
             THEN (least(o.due_date, n.due_date) + 2)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh' END) END
$$;

-- A dossier entered or removed matters from its acceptance.
CREATE FUNCTION stats_open_on_dossier_insert_or_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM stats_open_forget(array_agg(agency_id), array_agg(since))
        FROM (SELECT receiving_agency_id AS agency_id, min(accepted_at) AS since FROM new_rows
              WHERE accepted_at IS NOT NULL GROUP BY 1) c;
    ELSE
        PERFORM stats_open_forget(array_agg(agency_id), array_agg(since))
        FROM (SELECT receiving_agency_id AS agency_id, min(accepted_at) AS since FROM old_rows
              WHERE accepted_at IS NOT NULL GROUP BY 1) c;
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION stats_open_on_dossier_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM stats_open_forget(array_agg(agency_id), array_agg(since))
    FROM (SELECT a.agency_id, min(a.since) AS since
          FROM (SELECT o.receiving_agency_id AS agency_id, stats_open_since(o, n) AS since
                FROM old_rows o JOIN new_rows n ON n.id = o.id
                UNION ALL
                SELECT n.receiving_agency_id, stats_open_since(o, n)
                FROM old_rows o JOIN new_rows n ON n.id = o.id
                WHERE n.receiving_agency_id <> o.receiving_agency_id) a
          WHERE a.since IS NOT NULL GROUP BY 1) c;
    RETURN NULL;
END
$$;

CREATE TRIGGER stats_open_inserted AFTER INSERT ON dossiers REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION stats_open_on_dossier_insert_or_delete();
CREATE TRIGGER stats_open_updated AFTER UPDATE ON dossiers REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION stats_open_on_dossier_update();
CREATE TRIGGER stats_open_deleted AFTER DELETE ON dossiers REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION stats_open_on_dossier_insert_or_delete();

-- A supplement request decides whether an open dossier past its due date is overdue while it
-- waits (requested_at, fulfilled_at]: a new, moved or answered request matters from the
-- earlier of its changed instants.
CREATE FUNCTION stats_open_on_supplement_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM stats_open_forget(array_agg(agency_id), array_agg(since))
        FROM (SELECT receiving_agency_id AS agency_id, min(requested_at) AS since FROM new_rows GROUP BY 1) c;
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM stats_open_forget(array_agg(agency_id), array_agg(since))
        FROM (SELECT receiving_agency_id AS agency_id, min(requested_at) AS since FROM old_rows GROUP BY 1) c;
    ELSE
        PERFORM stats_open_forget(array_agg(agency_id), array_agg(since))
        FROM (SELECT a.agency_id, min(a.since) AS since
              FROM (SELECT o.receiving_agency_id AS agency_id, least(
                           CASE WHEN o.requested_at IS DISTINCT FROM n.requested_at OR o.dossier_id IS DISTINCT FROM n.dossier_id
                                THEN least(o.requested_at, n.requested_at) END,
                           CASE WHEN o.fulfilled_at IS DISTINCT FROM n.fulfilled_at THEN least(o.fulfilled_at, n.fulfilled_at) END) AS since,
                           n.receiving_agency_id AS new_agency_id
                    FROM old_rows o JOIN new_rows n ON n.id = o.id) x
              CROSS JOIN LATERAL (VALUES (x.agency_id, x.since), (x.new_agency_id, x.since)) AS a (agency_id, since)
              WHERE a.since IS NOT NULL GROUP BY 1) c;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER stats_open_supplement_inserted AFTER INSERT ON supplement_requests REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION stats_open_on_supplement_change();
CREATE TRIGGER stats_open_supplement_updated AFTER UPDATE ON supplement_requests
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION stats_open_on_supplement_change();
CREATE TRIGGER stats_open_supplement_deleted AFTER DELETE ON supplement_requests REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION stats_open_on_supplement_change();
