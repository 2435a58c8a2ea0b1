//! Vietnam's clock and the working calendar that deadlines are counted in.

use crate::domain::calendar::WorkCalendar;
use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use sqlx::{Postgres, Transaction};

/// Vietnam keeps UTC+7 all year.
const VIETNAM: FixedOffset = match FixedOffset::east_opt(7 * 3600) {
    Some(offset) => offset,
    None => panic!("UTC+7 is a valid offset"),
};

pub fn vietnam_time(at: DateTime<Utc>) -> chrono::NaiveDateTime {
    at.with_timezone(&VIETNAM).naive_local()
}

/// The instant a Vietnam date begins.
pub fn vietnam_midnight(day: chrono::NaiveDate) -> DateTime<Utc> {
    (day.and_time(chrono::NaiveTime::MIN) - VIETNAM).and_utc()
}

/// The calendar table from `from` on (a year is more than any time limit spans).
pub async fn work_calendar(tx: &mut Transaction<'_, Postgres>, from: NaiveDate) -> Result<WorkCalendar, sqlx::Error> {
    let days: Vec<(NaiveDate, String)> =
        sqlx::query_as("SELECT day, kind FROM calendar_days WHERE day >= $1 AND day < $1 + 400 ORDER BY day")
            .bind(from)
            .fetch_all(&mut **tx)
            .await?;
    Ok(calendar_of(days))
}

/// The same days as [`work_calendar`] reads from the date bound to `$3`, as JSON pairs
/// `[day, kind]`: a subquery for a statement that reads the calendar with other facts.
pub const CALENDAR_JSON_FROM_3: &str = "SELECT COALESCE(json_agg(json_build_array(day, kind)), '[]') \
     FROM calendar_days WHERE day >= $3 AND day < $3 + 400";

/// The working calendar of `(day, kind)` rows.
pub fn calendar_of(days: Vec<(NaiveDate, String)>) -> WorkCalendar {
    let (holidays, working): (Vec<_>, Vec<_>) = days.into_iter().partition(|(_, kind)| kind == "holiday");
    WorkCalendar::new(holidays.into_iter().map(|(d, _)| d), working.into_iter().map(|(d, _)| d))
}
