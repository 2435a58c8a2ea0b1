-- Fees in the statistics (issue 16): the money collected and the dossiers that paid a fee, online
-- or at the desk, per receiving agency, procedure and Vietnam day (and month), without reading
-- the audit trail. A fee is paid when the audit trail records it: 'thanh-toan-truc-tuyen' (a
-- payment the gateway confirmed) or 'da-nop-phi' (the desk recorded the fee paid at the counter),
-- each with its amount in `details.so_tien`. The audit trail is append-only, so the roll-up only
-- ever grows.
--
-- A dossier that paid twice in a period (at filing and when the desk asked) counts once, as the
-- supplement requests do (20261204000019): each payment is rolled up with the day of the same
-- dossier's previous payment, and a period starting on day S counts the payments of its days
-- whose previous one is before S. `previous_online_day` does the same among the online payments
-- ('infinity' for a payment at the desk, which never counts as online).
CREATE TABLE stats_fee_daily (
    agency_id            bigint NOT NULL REFERENCES agencies (id),
    procedure_id         bigint NOT NULL REFERENCES procedures (id),
    day                  date NOT NULL,
    online               boolean NOT NULL,
    previous_day         date NOT NULL,
    previous_online_day  date NOT NULL,
    payments             integer NOT NULL CHECK (payments > 0),
    amount_vnd           bigint NOT NULL CHECK (amount_vnd >= 0),
    PRIMARY KEY (agency_id, procedure_id, day, online, previous_day, previous_online_day)
);
CREATE INDEX stats_fee_daily_day_idx ON stats_fee_daily (day);

CREATE TABLE stats_fee_monthly (
    agency_id            bigint NOT NULL REFERENCES agencies (id),
    procedure_id         bigint NOT NULL REFERENCES procedures (id),
    month                date NOT NULL CHECK (extract(day FROM month) = 1),
    online               boolean NOT NULL,
    previous_day         date NOT NULL,
    previous_online_day  date NOT NULL,
    payments             integer NOT NULL CHECK (payments > 0),
    amount_vnd           bigint NOT NULL CHECK (amount_vnd >= 0),
    PRIMARY KEY (agency_id, procedure_id, month, online, previous_day, previous_online_day)
);
CREATE INDEX stats_fee_monthly_month_idx ON stats_fee_monthly (month);

-- A fee event's amount; anything but a plain number counts as nothing rather than failing the
-- transaction that records the payment.
CREATE FUNCTION stats_fee_amount(details jsonb) RETURNS bigint LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN details->>'so_tien' ~ '^[0-9]{1,15}$' THEN (details->>'so_tien')::bigint ELSE 0 END
$$;

-- Every fee event in the roll-up's terms: its dossier's agency and procedure, its day, and the
-- days of the dossier's fee events before it.
CREATE VIEW stats_fee_events AS
SELECT d.receiving_agency_id AS agency_id, v.procedure_id, e.id, e.dossier_id,
       (e.at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS day,
       e.action = 'thanh-toan-truc-tuyen' AS online,
       coalesce((lag(e.at) OVER (PARTITION BY e.dossier_id ORDER BY e.at, e.id) AT TIME ZONE 'Asia/Ho_Chi_Minh')::date,
                '-infinity') AS previous_day,
       CASE WHEN e.action = 'thanh-toan-truc-tuyen' THEN
           coalesce((lag(e.at) OVER (PARTITION BY e.dossier_id, e.action ORDER BY e.at, e.id)
                     AT TIME ZONE 'Asia/Ho_Chi_Minh')::date, '-infinity')
       ELSE 'infinity' END AS previous_online_day,
       stats_fee_amount(e.details) AS amount_vnd
FROM dossier_events e JOIN dossiers d ON d.id = e.dossier_id JOIN procedure_versions v ON v.id = d.version_id
WHERE e.action IN ('thanh-toan-truc-tuyen', 'da-nop-phi');

INSERT INTO stats_fee_daily
SELECT agency_id, procedure_id, day, online, previous_day, previous_online_day, count(*), sum(amount_vnd)
FROM stats_fee_events GROUP BY 1, 2, 3, 4, 5, 6;

INSERT INTO stats_fee_monthly
SELECT agency_id, procedure_id, date_trunc('month', day)::date, online, previous_day, previous_online_day,
       sum(payments), sum(amount_vnd)
FROM stats_fee_daily GROUP BY 1, 2, 3, 4, 5, 6;

-- A new fee event joins the roll-up in its transaction. Fee events are written at the time they
-- happen, after the dossier's earlier ones, so no earlier row's previous day changes; the lock
-- makes two payments of one dossier recorded at once see each other.
CREATE FUNCTION stats_fee_on_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('stats_fee'), hashtext(NEW.dossier_id::text));
    WITH x AS (SELECT * FROM stats_fee_events WHERE dossier_id = NEW.dossier_id AND id = NEW.id),
    daily AS (
        INSERT INTO stats_fee_daily AS y
        SELECT agency_id, procedure_id, day, online, previous_day, previous_online_day, 1, amount_vnd FROM x
        ON CONFLICT (agency_id, procedure_id, day, online, previous_day, previous_online_day)
        DO UPDATE SET payments = y.payments + 1, amount_vnd = y.amount_vnd + EXCLUDED.amount_vnd
        RETURNING 1
    )
    INSERT INTO stats_fee_monthly AS y
    SELECT agency_id, procedure_id, date_trunc('month', day)::date, online, previous_day, previous_online_day, 1, amount_vnd
    FROM x
    ON CONFLICT (agency_id, procedure_id, month, online, previous_day, previous_online_day)
    DO UPDATE SET payments = y.payments + 1, amount_vnd = y.amount_vnd + EXCLUDED.amount_vnd;
    RETURN NULL;
END
$$;

CREATE TRIGGER stats_fee_counted AFTER INSERT ON dossier_events
    FOR EACH ROW WHEN (NEW.action IN ('thanh-toan-truc-tuyen', 'da-nop-phi'))
    EXECUTE FUNCTION stats_fee_on_event();
