//! The dossier register (sổ theo dõi hồ sơ, the register form of Circular 01/2018/TT-VPCP):
//! every dossier the officer's agency received in a period, one row each with when it was
//! received, due, finished and returned and how it ended. Read on a printable page and as CSV.

use super::{RegisterRow, RegisterView, REGISTER_COLUMNS};
use crate::auth::staff::Staff;
use crate::domain::dossier_status::Role;
use crate::domain::statistics::{InvalidPeriod, ReportPeriod};
use crate::filed::clock::vietnam_time;
use crate::i18n::{vi, Text};
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgPool;

/// The page shows this many rows at most; the CSV holds up to `CSV_ROWS`.
pub const PAGE_ROWS: i64 = 500;
pub const CSV_ROWS: i64 = 100_000;

/// The one-stop desk keeps the register; its leaders read it.
pub fn may_read(staff: &Staff) -> bool {
    staff.not_ready().is_none() && (staff.has(Role::Intake) || staff.has(Role::Leader))
}

/// The period asked for (this month by default), or the field and message of what is wrong.
pub fn period(first: &str, last: &str, today: NaiveDate) -> Result<ReportPeriod, InvalidPeriod> {
    let month_start = today - chrono::Days::new(u64::from(chrono::Datelike::day0(&today)));
    let first = if first.trim().is_empty() { month_start.format("%Y-%m-%d").to_string() } else { first.to_owned() };
    ReportPeriod::parse(&first, last, today)
}

type Row = (
    String,
    String,
    String,
    String,
    String,
    String,
    DateTime<Utc>,
    Option<DateTime<Utc>>,
    NaiveDate,
    Option<NaiveDate>,
    Option<DateTime<Utc>>,
    Option<DateTime<Utc>>,
    String,
    Option<String>,
);

/// The dossiers the agency received in the period, oldest first, at most `limit`.
pub async fn rows(
    pool: &PgPool,
    agency_id: i64,
    period: &ReportPeriod,
    limit: i64,
) -> Result<Vec<RegisterRow>, sqlx::Error> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT s.code, p.code, p.name, s.applicant_name, s.channel, h.name, s.received_at, s.accepted_at, \
           s.due_date, s.promised_date, s.finished_at, s.returned_at, s.status, s.timeliness \
         FROM dossiers s JOIN procedure_versions v ON v.id = s.version_id JOIN procedures p ON p.id = v.procedure_id \
           JOIN agencies h ON h.id = s.handling_agency_id \
         WHERE s.receiving_agency_id = $1 \
           AND s.received_at >= ($2::date)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh' \
           AND s.received_at < ($3::date + 1)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh' \
         ORDER BY s.received_at, s.code LIMIT $4",
    )
    .bind(agency_id)
    .bind(period.first)
    .bind(period.last)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(register_row).collect())
}

fn register_row(row: Row) -> RegisterRow {
    let (
        code,
        procedure_code,
        procedure,
        applicant,
        channel,
        handling,
        received,
        accepted,
        due,
        promised,
        finished,
        returned,
        status,
        timeliness,
    ) = row;
    let when = |at: DateTime<Utc>| vietnam_time(at).format("%H:%M %d/%m/%Y").to_string();
    let day = |d: NaiveDate| d.format("%d/%m/%Y").to_string();
    RegisterRow {
        code,
        procedure: format!("{procedure} ({procedure_code})"),
        applicant,
        channel: Text::new(&format!("register.channel.{channel}")),
        handling_agency: handling,
        received: when(received),
        accepted: accepted.map(when),
        due: accepted.map(|_| day(due)),
        promised: promised.map(day),
        finished: finished.map(when),
        returned: returned.map(when),
        status: Text::new(&format!("status.{status}")),
        timeliness: timeliness.map(|t| Text::new(&format!("register.timeliness.{t}"))),
    }
}

pub async fn view(pool: &PgPool, staff: &Staff, first: &str, last: &str) -> Result<RegisterView, sqlx::Error> {
    let today = vietnam_time(Utc::now()).date();
    let (period, problem) = match period(first, last, today) {
        Ok(period) => (Some(period), None),
        Err(invalid) => (None, Some((invalid.field().to_owned(), Text::new(invalid.key())))),
    };
    let mut rows = match &period {
        Some(period) => rows(pool, staff.agency_id, period, PAGE_ROWS + 1).await?,
        None => Vec::new(),
    };
    let cut = rows.len() > PAGE_ROWS as usize;
    rows.truncate(PAGE_ROWS as usize);
    Ok(RegisterView {
        staff: staff.into(),
        first: period.as_ref().map_or_else(|| first.to_owned(), |p| p.first.format("%Y-%m-%d").to_string()),
        last: period.as_ref().map_or_else(|| last.to_owned(), |p| p.last.format("%Y-%m-%d").to_string()),
        label: period.as_ref().map(ReportPeriod::label).unwrap_or_default(),
        problem,
        rows,
        cut,
    })
}

/// The CSV text (UTF-8 with a byte order mark for spreadsheet programs), in Vietnamese.
pub fn csv(rows: &[RegisterRow]) -> Result<Vec<u8>, csv::Error> {
    let mut out = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    out.write_record(REGISTER_COLUMNS.iter().map(|c| vi(&format!("register.col.{c}"))))?;
    for (number, row) in rows.iter().enumerate() {
        let text = |t: &Option<String>| t.clone().unwrap_or_default();
        out.write_record([
            (number + 1).to_string(),
            row.code.clone(),
            row.procedure.clone(),
            row.applicant.clone(),
            row.channel.vi(),
            row.handling_agency.clone(),
            row.received.clone(),
            text(&row.accepted),
            text(&row.due),
            text(&row.promised),
            text(&row.finished),
            text(&row.returned),
            row.status.vi(),
            row.timeliness.as_ref().map(Text::vi).unwrap_or_default(),
        ])?;
    }
    out.into_inner().map_err(|e| e.into_error().into())
}

/// `GET /can-bo/so-theo-doi.csv?tu=&den=`: the whole register of the period as a file.
pub async fn csv_download(
    axum::extract::Extension(pool): axum::extract::Extension<PgPool>,
    session: tower_sessions::Session,
    axum::extract::Query(query): axum::extract::Query<std::collections::HashMap<String, String>>,
) -> axum::response::Response {
    use axum::http::{header, HeaderValue, StatusCode};
    use axum::response::IntoResponse;
    let staff = match crate::auth::staff::staff_with_pool(&session, &pool).await {
        Ok(Some(staff)) if may_read(&staff) => staff,
        Ok(Some(_)) => return (StatusCode::FORBIDDEN, vi("register.forbidden")).into_response(),
        Ok(None) => return (StatusCode::FORBIDDEN, vi("stats.csv.sign_in")).into_response(),
        Err(_) => return StatusCode::SERVICE_UNAVAILABLE.into_response(),
    };
    let text = |name: &str| query.get(name).map(String::as_str);
    let date = |name: &str| crate::ui::date_in_query(name, text);
    let period = match period(&date("tu"), &date("den"), vietnam_time(Utc::now()).date()) {
        Ok(period) => period,
        Err(invalid) => return (StatusCode::BAD_REQUEST, vi(invalid.key())).into_response(),
    };
    let Ok(rows) = rows(&pool, staff.agency_id, &period, CSV_ROWS).await else {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    };
    match csv(&rows) {
        Ok(body) => {
            let headers = [
                (header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8")),
                (
                    header::CONTENT_DISPOSITION,
                    HeaderValue::from_static("attachment; filename=\"so-theo-doi-ho-so.csv\""),
                ),
                (header::CACHE_CONTROL, HeaderValue::from_static("private, no-store")),
            ];
            (headers, body).into_response()
        }
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}
