//! The statistics' SQL. Every figure is a condition on a dossier seen from a time bucket
//! (`b`: start, end, report date), written once here; the list of dossiers behind a number
//! reads the dossiers with it. Counting reads less: what happened on a day (accepted,
//! finished, refused, withdrawn, stopped, rated) is added up from `stats_monthly` and
//! `stats_daily`, which database triggers keep in the transaction of each change; the dossiers
//! open at a period's start or end from the snapshot of past midnights, or else a range index;
//! the dossiers asked for supplements from `stats_supplement_monthly` and `stats_supplement_daily`;
//! the fees paid from `stats_fee_monthly` and `stats_fee_daily`.
//! A database test holds every count to the length of its list. The conditions implement the
//! rules of `domain::statistics` (timeliness is computed there when a dossier finishes and
//! stored; only the overdue test at a report date is repeated in SQL, and a database test
//! holds the two to the same cases).

use super::{Measure, Slice};
use crate::domain::dossier_status::{Action, Status};
use crate::domain::statistics::Figures;
use crate::filed::payments::PAID_ONLINE;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{PgPool, Row};

/// The dossiers a report may count: received by one of `members` (each rolled up into its
/// `groups` entry), optionally of one field or one procedure.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    pub members: Vec<i64>,
    pub groups: Vec<i64>,
    pub field_id: Option<i64>,
    pub procedure_code: Option<String>,
}

/// A stretch of time: figures flow in `[start, end)`; open dossiers are judged at `end` on
/// `report_date`.
#[derive(Debug, Clone)]
pub struct Bucket {
    pub key: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub report_date: NaiveDate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    Dossier,
    Supplement,
    Rating,
    Fee,
}

fn source(measure: Measure) -> Source {
    match measure {
        Measure::SupplementRequested => Source::Supplement,
        Measure::VerySatisfied | Measure::Satisfied | Measure::NotSatisfied => Source::Rating,
        Measure::FeePaid | Measure::FeePaidOnline => Source::Fee,
        _ => Source::Dossier,
    }
}

const OPEN_AT_END: &str = "s.accepted_at < b.end_ts AND (s.closed_at IS NULL OR s.closed_at >= b.end_ts)";

/// `domain::statistics::is_overdue` of an open dossier at the instant `at`, judged on
/// `report_date`: past the due date, unless a supplement request unanswered at that instant was
/// made before the due date was over.
pub(super) fn overdue(at: &str, report_date: &str) -> String {
    format!(
        "{report_date} > s.due_date AND NOT EXISTS (SELECT 1 FROM supplement_requests r \
         WHERE r.dossier_id = s.id AND r.requested_at < {at} AND (r.fulfilled_at IS NULL OR r.fulfilled_at >= {at}) \
           AND r.requested_at < ((s.due_date + 1)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh'))"
    )
}

fn within(column: &str) -> String {
    format!("s.{column} >= b.start_ts AND s.{column} < b.end_ts")
}

fn condition(measure: Measure) -> String {
    let new = |channel: &str| format!("{} AND s.channel = '{channel}'", within("accepted_at"));
    let finished = |timeliness: &str| format!("{} AND s.timeliness = '{timeliness}'", within("finished_at"));
    let closed_as = |status: Status| format!("{} AND s.status = {}", within("closed_at"), status.sql());
    let rated = |level: &str| format!("r.level = '{level}'");
    match measure {
        Measure::CarriedOver => {
            "s.accepted_at < b.start_ts AND (s.closed_at IS NULL OR s.closed_at >= b.start_ts)".into()
        }
        Measure::NewInPerson => new("in_person"),
        Measure::NewOnline => new("online"),
        Measure::NewPost => new("post"),
        Measure::FinishedEarly => finished("som"),
        Measure::FinishedOnTime => finished("dung_han"),
        Measure::FinishedLate => finished("tre"),
        Measure::OpenWithinTime => format!("{OPEN_AT_END} AND NOT ({})", overdue("b.end_ts", "b.report_date")),
        Measure::OpenOverdue => format!("{OPEN_AT_END} AND {}", overdue("b.end_ts", "b.report_date")),
        Measure::SupplementRequested => "true".into(),
        Measure::Refused => closed_as(Status::KhongTiepNhan),
        Measure::Withdrawn => closed_as(Status::RutHoSo),
        Measure::Stopped => closed_as(Status::DungXuLy),
        Measure::VerySatisfied => rated("rat_hai_long"),
        Measure::Satisfied => rated("hai_long"),
        Measure::NotSatisfied => rated("khong_hai_long"),
        Measure::FeePaid => "true".into(),
        Measure::FeePaidOnline => format!("e.action = '{PAID_ONLINE}'"),
    }
}

/// The rows a measure is counted over: dossiers alive in the bucket, supplement requests made
/// in it, ratings given in it, or fees paid in it (as the audit trail records them).
fn from_clause(source: Source) -> String {
    match source {
        Source::Dossier => {
            "FROM s JOIN b ON s.received_at < b.end_ts AND (s.closed_at IS NULL OR s.closed_at >= b.start_ts)".into()
        }
        Source::Supplement => "FROM s JOIN supplement_requests r ON r.dossier_id = s.id \
             JOIN b ON r.requested_at >= b.start_ts AND r.requested_at < b.end_ts"
            .into(),
        Source::Rating => "FROM s JOIN dossier_ratings r ON r.dossier_id = s.id \
             JOIN b ON r.rated_at >= b.start_ts AND r.rated_at < b.end_ts"
            .into(),
        Source::Fee => format!(
            "FROM s JOIN dossier_events e ON e.dossier_id = s.id AND e.action IN ('{PAID_ONLINE}', '{}') \
             JOIN b ON e.at >= b.start_ts AND e.at < b.end_ts",
            Action::RecordFee.as_slug()
        ),
    }
}

/// `b` (the buckets) and `m` (the member agencies, each with the group it rolls up into), from
/// the parameters `bind_scope` binds.
const BUCKETS_AND_MEMBERS: &str =
    "WITH b AS (SELECT * FROM unnest($3::text[], $4::timestamptz[], $5::timestamptz[], $6::date[]) \
                  AS b(key, start_ts, end_ts, report_date)), \
     m AS (SELECT * FROM unnest($1::bigint[], $2::bigint[]) AS m(member, grp))";

/// The scope's field and procedure, on procedures `p`.
const IN_SCOPE: &str = "($7::bigint IS NULL OR p.field_id = $7) AND ($8::text IS NULL OR p.code = $8)";

/// `b`, `m` and `s` (the dossiers in scope, with the row key of the slice).
fn with_clause(slice: Option<Slice>) -> String {
    format!(
        "{BUCKETS_AND_MEMBERS}, \
         s AS (SELECT d.id, d.receiving_agency_id AS agency_id, d.code, d.channel, d.status, d.received_at, d.accepted_at, d.closed_at, d.finished_at, \
                 d.finished_on, d.timeliness, d.due_date, p.name AS procedure_name, {} AS grp \
               FROM dossiers d JOIN m ON m.member = d.receiving_agency_id \
               JOIN procedure_versions v ON v.id = d.version_id JOIN procedures p ON p.id = v.procedure_id \
               WHERE {IN_SCOPE}) ",
        group_key(slice)
    )
}

fn bind_scope<'q>(
    query: sqlx::query::Query<'q, sqlx::Postgres, sqlx::postgres::PgArguments>,
    scope: &'q Scope,
    buckets: &[Bucket],
) -> sqlx::query::Query<'q, sqlx::Postgres, sqlx::postgres::PgArguments> {
    query
        .bind(&scope.members)
        .bind(&scope.groups)
        .bind(buckets.iter().map(|b| b.key.clone()).collect::<Vec<_>>())
        .bind(buckets.iter().map(|b| b.start).collect::<Vec<_>>())
        .bind(buckets.iter().map(|b| b.end).collect::<Vec<_>>())
        .bind(buckets.iter().map(|b| b.report_date).collect::<Vec<_>>())
        .bind(scope.field_id)
        .bind(&scope.procedure_code)
}

fn set(figures: &mut Figures, measure: Measure, value: i64) {
    let slot = match measure {
        Measure::CarriedOver => &mut figures.carried_over,
        Measure::NewInPerson => &mut figures.new_in_person,
        Measure::NewOnline => &mut figures.new_online,
        Measure::NewPost => &mut figures.new_post,
        Measure::FinishedEarly => &mut figures.finished_early,
        Measure::FinishedOnTime => &mut figures.finished_on_time,
        Measure::FinishedLate => &mut figures.finished_late,
        Measure::OpenWithinTime => &mut figures.open_within_time,
        Measure::OpenOverdue => &mut figures.open_overdue,
        Measure::SupplementRequested => &mut figures.supplement_requested,
        Measure::Refused => &mut figures.refused,
        Measure::Withdrawn => &mut figures.withdrawn,
        Measure::Stopped => &mut figures.stopped,
        Measure::VerySatisfied => &mut figures.very_satisfied,
        Measure::Satisfied => &mut figures.satisfied,
        Measure::NotSatisfied => &mut figures.not_satisfied,
        Measure::FeePaid => &mut figures.fee_paid,
        Measure::FeePaidOnline => &mut figures.fee_paid_online,
    };
    *slot = value;
}

/// Where a counted figure comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Added up from `stats_monthly` and `stats_daily`, which triggers keep per agency and procedure.
    Daily,
    /// Dossiers open at an instant: the midnight's snapshot, or through the range index.
    Open,
    /// Dossiers asked for a supplement in the bucket (each once).
    Supplement,
    /// Dossiers that paid a fee in the bucket (each once), from `stats_fee_monthly` and `stats_fee_daily`.
    Fee,
}

fn kind(measure: Measure) -> Kind {
    match measure {
        Measure::CarriedOver | Measure::OpenWithinTime | Measure::OpenOverdue => Kind::Open,
        Measure::SupplementRequested => Kind::Supplement,
        Measure::FeePaid | Measure::FeePaidOnline => Kind::Fee,
        _ => Kind::Daily,
    }
}

fn group_key(slice: Option<Slice>) -> &'static str {
    match slice {
        Some(Slice::Agency) => "m.grp::text",
        Some(Slice::Field) => "p.field_id::text",
        Some(Slice::Procedure) => "p.code",
        Some(Slice::Month) | None => "''",
    }
}

/// The rows of a roll-up over each bucket's days (Vietnam dates from its start to its end): its
/// whole calendar months from the `monthly` table, the days before and after them from the
/// `daily` one, as `x` (the bucket key, agency, procedure and the columns `picked`) where `kept`.
fn rolled_up(monthly: &str, daily: &str, picked: &str, kept: &str) -> String {
    format!(
        "days AS (SELECT key, (start_ts AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS first_day, \
                         ((end_ts - interval '1 microsecond') AT TIME ZONE 'Asia/Ho_Chi_Minh')::date + 1 AS after FROM b), \
         d AS (SELECT key, first_day, after, \
                      date_trunc('month', first_day + interval '1 month' - interval '1 day')::date AS months_from, \
                      date_trunc('month', after)::date AS months_to FROM days), \
         x AS (SELECT d.key, y.agency_id, y.procedure_id, {picked} \
               FROM d JOIN {monthly} y ON y.month >= d.months_from AND y.month < d.months_to WHERE {kept} \
               UNION ALL \
               SELECT d.key, y.agency_id, y.procedure_id, {picked} \
               FROM d JOIN {daily} y ON y.day >= d.first_day AND y.day < least(d.months_from, d.after) WHERE {kept} \
               UNION ALL \
               SELECT d.key, y.agency_id, y.procedure_id, {picked} \
               FROM d JOIN {daily} y ON y.day >= greatest(d.months_to, d.months_from, d.first_day) AND y.day < d.after \
               WHERE {kept})"
    )
}

/// The daily figures of each bucket's days, from `stats_monthly` and `stats_daily`.
fn daily_sql(slice: Option<Slice>) -> String {
    format!(
        "{BUCKETS_AND_MEMBERS}, {} \
         SELECT x.key, {} AS grp, x.measure, sum(x.count)::bigint \
         FROM x JOIN m ON m.member = x.agency_id JOIN procedures p ON p.id = x.procedure_id \
         WHERE {IN_SCOPE} \
         GROUP BY 1, 2, 3",
        rolled_up("stats_monthly", "stats_daily", "y.measure, y.count", "true"),
        group_key(slice)
    )
}

/// Dossiers open at each bucket's start (carried over) and end (within time or overdue). Each
/// distinct instant is counted once (a month's end is the next month's start): from the
/// snapshot of the member agencies that have one (a past midnight, judged on the day before:
/// `snapshot.rs`), for the others through the range index, which holds the instants where a
/// dossier is open, (accepted, closed]. Those are counted per agency and procedure version
/// first: joining each of a province's open dossiers to its procedure cost three times the count.
fn open_sql(slice: Option<Slice>) -> String {
    format!(
        "{}, i AS (SELECT at, max(report_date) AS report_date FROM \
                     (SELECT start_ts AS at, NULL::date AS report_date FROM b UNION ALL SELECT end_ts, report_date FROM b) p \
                   GROUP BY at), \
         taken AS (SELECT i.at, k.agency_id FROM i JOIN stats_open_taken k ON k.at = i.at JOIN m ON m.member = k.agency_id \
                   WHERE i.report_date IS NULL OR i.report_date = (i.at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date - 1), \
         live AS (SELECT i.* FROM i WHERE EXISTS (SELECT 1 FROM m WHERE NOT EXISTS \
                    (SELECT 1 FROM taken t WHERE t.at = i.at AND t.agency_id = m.member))), \
         by_version AS (SELECT i.at, s.receiving_agency_id AS agency_id, s.version_id, count(*) AS open, \
                 count(*) FILTER (WHERE {}) AS overdue \
               FROM live i JOIN dossiers s ON s.accepted_at IS NOT NULL AND tstzrange(s.accepted_at, s.closed_at, '(]') @> i.at \
               WHERE NOT EXISTS (SELECT 1 FROM taken t WHERE t.at = i.at AND t.agency_id = s.receiving_agency_id) \
               GROUP BY 1, 2, 3), \
         counted AS (SELECT c.at, {} AS grp, sum(c.open) AS open, sum(c.overdue) AS overdue \
               FROM by_version c JOIN m ON m.member = c.agency_id \
               JOIN procedure_versions v ON v.id = c.version_id JOIN procedures p ON p.id = v.procedure_id \
               WHERE {IN_SCOPE} GROUP BY 1, 2 \
               UNION ALL \
               SELECT x.at, {} AS grp, sum(x.open), sum(x.overdue) \
               FROM taken t JOIN stats_open_snapshot x ON x.at = t.at AND x.agency_id = t.agency_id \
               JOIN m ON m.member = t.agency_id JOIN procedures p ON p.id = x.procedure_id \
               WHERE {IN_SCOPE} GROUP BY 1, 2), \
         o AS (SELECT at, grp, sum(open)::bigint AS open, sum(overdue)::bigint AS overdue FROM counted GROUP BY 1, 2) \
         SELECT b.key, g.grp, coalesce(st.open, 0), coalesce(en.open - en.overdue, 0), coalesce(en.overdue, 0) \
         FROM b CROSS JOIN (SELECT DISTINCT grp FROM o) g \
         LEFT JOIN o st ON st.at = b.start_ts AND st.grp = g.grp LEFT JOIN o en ON en.at = b.end_ts AND en.grp = g.grp \
         WHERE st.open IS NOT NULL OR en.open IS NOT NULL",
        BUCKETS_AND_MEMBERS,
        overdue("i.at", "i.report_date"),
        group_key(slice),
        group_key(slice),
    )
}

/// Dossiers asked for a supplement in each bucket, each once: the requests of its days whose
/// dossier had no request before the bucket's first day (the migration's roll-up explains why
/// that counts each dossier once).
fn supplement_sql(slice: Option<Slice>) -> String {
    format!(
        "{BUCKETS_AND_MEMBERS}, {} \
         SELECT x.key, {} AS grp, sum(x.count)::bigint \
         FROM x JOIN m ON m.member = x.agency_id JOIN procedures p ON p.id = x.procedure_id \
         WHERE {IN_SCOPE} \
         GROUP BY 1, 2",
        rolled_up("stats_supplement_monthly", "stats_supplement_daily", "y.count", "y.previous_day < d.first_day"),
        group_key(slice)
    )
}

/// Fees paid in each bucket: the dossiers that paid, each once, as `supplement_sql` counts (the
/// migration explains), the dossiers that paid online, and the amounts, all and online.
fn fee_sql(slice: Option<Slice>) -> String {
    format!(
        "{BUCKETS_AND_MEMBERS}, {} \
         SELECT x.key, {} AS grp, coalesce(sum(x.payments) FILTER (WHERE x.first_paid), 0)::bigint, \
                coalesce(sum(x.payments) FILTER (WHERE x.first_online), 0)::bigint, sum(x.amount_vnd)::bigint, \
                coalesce(sum(x.amount_vnd) FILTER (WHERE x.online), 0)::bigint \
         FROM x JOIN m ON m.member = x.agency_id JOIN procedures p ON p.id = x.procedure_id \
         WHERE {IN_SCOPE} \
         GROUP BY 1, 2",
        rolled_up(
            "stats_fee_monthly",
            "stats_fee_daily",
            "y.online, y.payments, y.amount_vnd, y.previous_day < d.first_day AS first_paid, \
             y.previous_online_day < d.first_day AS first_online",
            "true"
        ),
        group_key(slice)
    )
}

/// Figures per (bucket key, row key).
pub async fn figures(
    pool: &PgPool,
    scope: &Scope,
    buckets: &[Bucket],
    slice: Option<Slice>,
) -> Result<Vec<((String, String), Figures)>, sqlx::Error> {
    // Four statements on four connections at once: the page waits for the slowest, not the sum.
    let (daily_sql, open_sql, supplement_sql, fee_sql) =
        (daily_sql(slice), open_sql(slice), supplement_sql(slice), fee_sql(slice));
    let (daily, open_rows, supplement, fees) = tokio::try_join!(
        bind_scope(sqlx::query(&daily_sql), scope, buckets).fetch_all(pool),
        bind_scope(sqlx::query(&open_sql), scope, buckets).fetch_all(pool),
        bind_scope(sqlx::query(&supplement_sql), scope, buckets).fetch_all(pool),
        bind_scope(sqlx::query(&fee_sql), scope, buckets).fetch_all(pool),
    )?;
    // Each statement gives some of a row's figures; a row's parts are added together.
    let mut parts: Vec<((String, String), Figures)> = Vec::new();
    let key = |row: &sqlx::postgres::PgRow| -> Result<(String, String), sqlx::Error> {
        Ok((row.try_get(0)?, row.try_get(1)?))
    };
    let with = |pairs: &[(Measure, i64)]| {
        let mut figures = Figures::default();
        for (measure, value) in pairs {
            set(&mut figures, *measure, *value);
        }
        figures
    };
    for row in daily {
        let measure: String = row.try_get(2)?;
        if let Some(measure) = Measure::from_slug(&measure).filter(|m| kind(*m) == Kind::Daily) {
            parts.push((key(&row)?, with(&[(measure, row.try_get(3)?)])));
        }
    }
    for row in open_rows {
        let open = [
            (Measure::CarriedOver, row.try_get(2)?),
            (Measure::OpenWithinTime, row.try_get(3)?),
            (Measure::OpenOverdue, row.try_get(4)?),
        ];
        parts.push((key(&row)?, with(&open)));
    }
    for row in supplement {
        parts.push((key(&row)?, with(&[(Measure::SupplementRequested, row.try_get(2)?)])));
    }
    for row in fees {
        let mut figures = with(&[(Measure::FeePaid, row.try_get(2)?), (Measure::FeePaidOnline, row.try_get(3)?)]);
        figures.fees_vnd = row.try_get(4)?;
        figures.fees_online_vnd = row.try_get(5)?;
        parts.push((key(&row)?, figures));
    }
    let mut merged: Vec<((String, String), Figures)> = Vec::new();
    for (key, figures) in parts {
        match merged.iter_mut().find(|(k, _)| *k == key) {
            Some((_, sum)) => sum.add(&figures),
            None => merged.push((key, figures)),
        }
    }
    Ok(merged)
}

/// The figures that count each dossier once within the bucket: the dossiers asked for a
/// supplement, those that paid a fee and those that paid one online.
pub async fn counted_once(pool: &PgPool, scope: &Scope, bucket: &Bucket) -> Result<Figures, sqlx::Error> {
    let buckets = std::slice::from_ref(bucket);
    let (supplement_sql, fee_sql) = (supplement_sql(None), fee_sql(None));
    let (supplement, fees) = tokio::try_join!(
        bind_scope(sqlx::query(&supplement_sql), scope, buckets).fetch_all(pool),
        bind_scope(sqlx::query(&fee_sql), scope, buckets).fetch_all(pool),
    )?;
    let mut once = Figures::default();
    for row in supplement {
        once.supplement_requested += row.try_get::<i64, _>(2)?;
    }
    for row in fees {
        once.fee_paid += row.try_get::<i64, _>(2)?;
        once.fee_paid_online += row.try_get::<i64, _>(3)?;
    }
    Ok(once)
}

type DrilledRow = (String, String, String, DateTime<Utc>, NaiveDate, Option<NaiveDate>);

/// The dossiers behind one figure of one bucket (at most `limit`, oldest first), and how many.
pub async fn dossiers_behind(
    pool: &PgPool,
    scope: &Scope,
    bucket: &Bucket,
    measure: Measure,
    limit: i64,
) -> Result<(i64, Vec<DrilledRow>), sqlx::Error> {
    let buckets = std::slice::from_ref(bucket);
    let matching = format!(
        "{} , hit AS (SELECT DISTINCT s.id, s.code, s.procedure_name, s.status, s.received_at, s.due_date, s.finished_on \
                       {} WHERE {}) ",
        with_clause(None),
        from_clause(source(measure)),
        condition(measure)
    );
    // The count and the first page in one statement: the match is made once.
    let list_sql = format!(
        "{matching} SELECT code, procedure_name, status, received_at, due_date, finished_on, count(*) OVER () FROM hit \
         ORDER BY received_at, code LIMIT $9"
    );
    let rows = bind_scope(sqlx::query(&list_sql), scope, buckets).bind(limit).fetch_all(pool).await?;
    let count = match rows.first() {
        Some(row) => row.try_get(6)?,
        None => 0,
    };
    let list = rows
        .iter()
        .map(|row| {
            Ok((row.try_get(0)?, row.try_get(1)?, row.try_get(2)?, row.try_get(3)?, row.try_get(4)?, row.try_get(5)?))
        })
        .collect::<Result<Vec<DrilledRow>, sqlx::Error>>()?;
    Ok((count, list))
}

/// Every agency: id, parent, identifier and name.
pub async fn agencies(pool: &PgPool) -> Result<Vec<(i64, Option<i64>, String, String)>, sqlx::Error> {
    sqlx::query_as("SELECT id, parent_id, identifier, name FROM agencies ORDER BY name").fetch_all(pool).await
}

/// (id, name) of the fields that have procedures.
pub async fn fields(pool: &PgPool) -> Result<Vec<(i64, String)>, sqlx::Error> {
    sqlx::query_as("SELECT f.id, f.name FROM fields f WHERE EXISTS (SELECT 1 FROM procedures p WHERE p.field_id = f.id) ORDER BY f.name")
        .fetch_all(pool)
        .await
}

/// Names of the procedures with these codes.
pub async fn procedure_names(pool: &PgPool, codes: &[String]) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as("SELECT code, name FROM procedures WHERE code = ANY($1)").bind(codes).fetch_all(pool).await
}
