//! Vietnam's clock and the working calendar that deadlines are counted in.

use crate::domain::calendar::WorkCalendar;
use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use sqlx::types::Json;
use sqlx::{Postgres, Transaction};

/// Vietnam keeps UTC+7 all year.
const VIETNAM: FixedOffset = match FixedOffset::east_opt(7 * 3600) {
    Some(offset) => offset,
    None => panic!("UTC+7 is a valid offset"),
};

pub fn vietnam_time(at: DateTime<Utc>) -> chrono::NaiveDateTime {
    at.with_timezone(&VIETNAM).naive_local()
}

/// The instant a Vietnam wall-clock time names.
pub fn vietnam_time_to_utc(at: chrono::NaiveDateTime) -> DateTime<Utc> {
    (at - VIETNAM).and_utc()
}

/// The instant a Vietnam date begins.
pub fn vietnam_midnight(day: chrono::NaiveDate) -> DateTime<Utc> {
    (day.and_time(chrono::NaiveTime::MIN) - VIETNAM).and_utc()
}

/// The calendar table from `from` on.
pub async fn work_calendar(tx: &mut Transaction<'_, Postgres>, from: NaiveDate) -> Result<WorkCalendar, sqlx::Error> {
    let days: Json<Vec<(NaiveDate, String)>> =
        sqlx::query_scalar(&calendar_json("$1")).bind(from).fetch_one(&mut **tx).await?;
    Ok(calendar_of(days.0))
}

/// The calendar days from the date bound to `from` on (a year is more than any time limit
/// spans), as JSON pairs `[day, kind]`: also a subquery for a statement that reads the
/// calendar with other facts.
pub fn calendar_json(from: &str) -> String {
    format!(
        "SELECT COALESCE(json_agg(json_build_array(day, kind)), '[]') FROM calendar_days \
         WHERE day >= {from} AND day < {from} + 400"
    )
}

/// The working calendar of `(day, kind)` rows.
pub fn calendar_of(days: Vec<(NaiveDate, String)>) -> WorkCalendar {
    let (holidays, working): (Vec<_>, Vec<_>) = days.into_iter().partition(|(_, kind)| kind == "holiday");
    WorkCalendar::new(holidays.into_iter().map(|(d, _)| d), working.into_iter().map(|(d, _)| d))
}
