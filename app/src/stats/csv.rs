//! `GET /thong-ke/tai-ve.csv` and `GET /can-bo/thong-ke/tai-ve.csv`: the report's table as a
//! CSV file (UTF-8 with a byte order mark, so spreadsheet programs read the Vietnamese right),
//! with the same filters, rows and columns as the page.

use super::flow::{report, Reader};
use super::{StatsForm, StatsReport, COLUMNS};
use crate::domain::dossier_status::Role;
use crate::i18n::vi;
use axum::extract::{Extension, Query};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use sqlx::PgPool;
use std::collections::HashMap;
use tower_sessions::Session;

pub async fn public_csv(
    Extension(pool): Extension<PgPool>,
    Extension(limit): Extension<super::public_limit::PublicStatsLimit>,
    client: Option<Extension<crate::security::ClientAddress>>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let client = client.map_or_else(|| "unknown".to_owned(), |Extension(address)| address.0);
    match limit.admit(&client).await {
        Ok(_turn) => respond(&pool, Reader::Public, &query).await,
        Err(crate::error::AppError::TooManyRequests) => {
            (StatusCode::TOO_MANY_REQUESTS, vi("error.too_many")).into_response()
        }
        Err(_) => StatusCode::SERVICE_UNAVAILABLE.into_response(),
    }
}

pub async fn desk_csv(
    Extension(pool): Extension<PgPool>,
    session: Session,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let staff = crate::auth::staff::staff_with_pool(&session, &pool).await.ok().flatten();
    match staff {
        Some(staff) if staff.not_ready().is_none() && (staff.has(Role::Leader) || staff.has(Role::Admin)) => {
            respond(&pool, Reader::Agency(staff.agency_id), &query).await
        }
        Some(_) => (StatusCode::FORBIDDEN, vi("stats.csv.forbidden")).into_response(),
        None => (StatusCode::FORBIDDEN, vi("stats.csv.sign_in")).into_response(),
    }
}

async fn respond(pool: &PgPool, reader: Reader, query: &HashMap<String, String>) -> Response {
    let form = StatsForm::from_pairs(|name| query.get(name).map(String::as_str));
    let report = match report(pool, reader, form, chrono::Utc::now()).await {
        Ok(report) => report,
        Err(_) => return StatusCode::SERVICE_UNAVAILABLE.into_response(),
    };
    if let Some((_, message)) = &report.problem {
        return (StatusCode::BAD_REQUEST, message.vi()).into_response();
    }
    match table(&report) {
        Ok(body) => {
            let headers = [
                (header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8")),
                (header::CONTENT_DISPOSITION, HeaderValue::from_static("attachment; filename=\"thong-ke.csv\"")),
                (header::CACHE_CONTROL, HeaderValue::from_static("private, no-store")),
            ];
            (headers, body).into_response()
        }
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// The CSV text: a header row, one row per report row, then the total.
pub fn table(report: &StatsReport) -> Result<Vec<u8>, csv::Error> {
    let mut out = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    let mut header = vec![vi(&format!("stats.slice.{}", report.form.slice().slug()))];
    header.extend(COLUMNS.iter().map(|c| vi(&c.key())));
    out.write_record(&header)?;
    let total = (vi("stats.total"), report.total);
    for (label, figures) in report.rows.iter().map(|r| (r.label.clone(), r.figures)).chain(std::iter::once(total)) {
        let mut record = vec![label];
        record.extend(COLUMNS.iter().map(|c| c.value(&figures)));
        out.write_record(&record)?;
    }
    out.into_inner().map_err(|e| e.into_error().into())
}
