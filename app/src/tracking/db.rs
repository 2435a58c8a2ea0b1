//! Public look-ups: the secret check with its rate limits, and the dossier as anyone holding
//! the code and the secret may see it (no personal data).

use super::{ToDo, TrackedDossier, TrackedStep};
use crate::domain::dossier_status::{Action, Status};
use crate::filed::clock::vietnam_time;
use chrono::{DateTime, NaiveDate, Utc};
use serde_json::Value;
use sqlx::types::Json;
use sqlx::PgPool;

/// Failed look-ups allowed from one client address in 15 minutes.
const FAILURES_PER_CLIENT: i64 = 10;
/// Failed look-ups allowed on one dossier code in an hour, from anywhere. A client that proved
/// the code in the last 30 days is not held back by strangers' failures.
const FAILURES_PER_CODE: i64 = 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LookUp {
    Found,
    /// No such code, or the digits do not match: the same answer for both.
    NotMatched,
    TooManyAttempts,
}

/// Checks `code` and the last four digits of the applicant's phone number. Concurrent look-ups
/// from one client or on one code wait for each other (transaction-scoped advisory locks), so
/// the limits hold under a burst: each look-up counts the ones before it.
pub async fn look_up(pool: &PgPool, code: &str, digits: &str, client: &str) -> Result<LookUp, sqlx::Error> {
    let mut tx = pool.begin().await?;
    for key in [format!("tracking client {client}"), format!("tracking code {code}")] {
        sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))").bind(key).execute(&mut *tx).await?;
    }
    let (by_client, by_code, known_client): (i64, i64, bool) = sqlx::query_as(
        "SELECT count(*) FILTER (WHERE client_address = $1 AND at > now() - interval '15 minutes'), \
                count(*) FILTER (WHERE code = $2), \
                EXISTS (SELECT 1 FROM tracking_attempts WHERE code = $2 AND client_address = $1 AND succeeded) \
         FROM tracking_attempts WHERE NOT succeeded AND at > now() - interval '1 hour' \
           AND (client_address = $1 OR code = $2)",
    )
    .bind(client)
    .bind(code)
    .fetch_one(&mut *tx)
    .await?;
    if by_client >= FAILURES_PER_CLIENT || (by_code >= FAILURES_PER_CODE && !known_client) {
        return Ok(LookUp::TooManyAttempts);
    }
    let matched: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM dossiers s JOIN citizens c ON c.id = s.citizen_id \
         WHERE s.code = $1 AND right(c.phone, 4) = $2)",
    )
    .bind(code)
    .bind(digits)
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query("INSERT INTO tracking_attempts (code, client_address, succeeded) VALUES ($1, $2, $3)")
        .bind(code)
        .bind(client)
        .bind(matched)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(if matched { LookUp::Found } else { LookUp::NotMatched })
}

/// The stored code whose letters and digits are `compact` (see `dossier_code::compact_code`);
/// should two codes differ only in punctuation, the one typed exactly.
pub async fn stored_code(pool: &PgPool, compact: &str, typed: &str) -> Result<Option<String>, sqlx::Error> {
    let sql = format!(
        "SELECT s.code FROM dossiers s WHERE {} = $1 ORDER BY s.code = upper($2) DESC LIMIT 2",
        crate::domain::dossier_code::COMPACT_CODE_SQL
    );
    let codes: Vec<String> = sqlx::query_scalar(&sql).bind(compact).bind(typed).fetch_all(pool).await?;
    Ok(match codes.as_slice() {
        [code] => Some(code.clone()),
        [first, _] if first.eq_ignore_ascii_case(typed) => Some(first.clone()),
        _ => None,
    })
}

pub async fn is_applicant(pool: &PgPool, code: &str, citizen_id: uuid::Uuid) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM dossiers WHERE code = $1 AND citizen_id = $2)")
        .bind(code)
        .bind(citizen_id)
        .fetch_one(pool)
        .await
}

/// Failed look-ups older than a day (the limits look back an hour at most), successful ones
/// older than 30 days.
pub async fn forget_old_attempts(pool: &PgPool) -> Result<(), sqlx::Error> {
    sqlx::query(
        "DELETE FROM tracking_attempts WHERE at < now() - CASE WHEN succeeded THEN interval '30 days' ELSE interval '1 day' END",
    )
    .execute(pool)
    .await?;
    Ok(())
}

type DossierRow = (uuid::Uuid, String, String, String, String, String, DateTime<Utc>, NaiveDate, Option<NaiveDate>);
type EventRow = (DateTime<Utc>, String, String, Option<String>, Option<String>, Json<Value>);

pub async fn tracked(pool: &PgPool, code: &str) -> Result<Option<TrackedDossier>, sqlx::Error> {
    let row: Option<DossierRow> = sqlx::query_as(
        "SELECT s.id, s.code, p.name, r.name, h.name, s.status, s.received_at, s.due_date, s.promised_date \
         FROM dossiers s JOIN procedure_versions v ON v.id = s.version_id JOIN procedures p ON p.id = v.procedure_id \
         JOIN agencies r ON r.id = s.receiving_agency_id JOIN agencies h ON h.id = s.handling_agency_id \
         WHERE s.code = $1",
    )
    .bind(code)
    .fetch_optional(pool)
    .await?;
    let Some((id, code, procedure_name, receiving, handling, status, received, due, promised)) = row else {
        return Ok(None);
    };
    let events: Vec<EventRow> = sqlx::query_as(
        "SELECT e.at, e.action, e.status, a.name, e.note, e.details FROM dossier_events e \
         LEFT JOIN agencies a ON a.id = e.agency_id WHERE e.dossier_id = $1 ORDER BY e.at, e.id",
    )
    .bind(id)
    .fetch_all(pool)
    .await?;
    let to_do = Status::from_db(&status).map(|s| to_do(s, &events, &receiving));
    Ok(Some(TrackedDossier {
        code,
        procedure_name,
        receiving_agency: receiving,
        handling_agency: handling,
        status: status.clone(),
        received_at: vietnam_time(received).format("%d/%m/%Y").to_string(),
        due_date: due.format("%d/%m/%Y").to_string(),
        promised_date: promised.map(|d| d.format("%d/%m/%Y").to_string()),
        to_do: to_do.unwrap_or(ToDo::Wait),
        steps: events
            .iter()
            .map(|(at, action, status, agency, _, _)| TrackedStep {
                at: vietnam_time(*at).format("%H:%M %d/%m/%Y").to_string(),
                action: action.clone(),
                status: status.clone(),
                agency: agency.clone().unwrap_or_default(),
            })
            .collect(),
    }))
}

/// What the applicant must do now, from the status and the latest event of the action that
/// led there (the documents asked for, the fee, how the result comes).
fn to_do(status: Status, events: &[EventRow], receiving: &str) -> ToDo {
    let latest = |action: Action| events.iter().rev().find(|e| e.1 == action.as_slug());
    let reason = |action: Action| latest(action).and_then(|e| e.4.clone()).unwrap_or_default();
    match status {
        Status::YeuCauBoSung => {
            let documents = latest(Action::RequestSupplement)
                .and_then(|e| e.5.get("giay_to").and_then(Value::as_array).cloned())
                .unwrap_or_default()
                .iter()
                .filter_map(|d| d.as_str().map(str::to_owned))
                .collect();
            ToDo::Supplement { documents, note: reason(Action::RequestSupplement) }
        }
        Status::YeuCauNghiaVuTaiChinh => {
            let amount =
                latest(Action::RequestFee).and_then(|e| e.5.get("so_tien").and_then(Value::as_u64)).unwrap_or(0);
            ToDo::Pay { amount: crate::domain::money::group_thousands(amount) }
        }
        Status::DaXuLyXong => ToDo::Collect { agency: receiving.to_owned() },
        Status::DaTraKetQua => ToDo::Done,
        Status::KhongTiepNhan => ToDo::Refused { reason: reason(Action::Refuse) },
        Status::DungXuLy => ToDo::Stopped { reason: reason(Action::Stop) },
        Status::RutHoSo => ToDo::Withdrawn,
        _ => ToDo::Wait,
    }
}
