//! The append-only audit trail: the one writer of `dossier_events`, used by every transition
//! from the submission on, and its reading as the process control sheet.

use super::clock::vietnam_time;
use super::AuditEntry;
use crate::domain::dossier_status::Status;
use crate::i18n::Text;
use chrono::{DateTime, NaiveDate, Utc};
use serde_json::Value;
use sqlx::types::Json;
use sqlx::{PgPool, Postgres, Transaction};
use uuid::Uuid;

/// One row of the audit trail.
pub struct Event<'a> {
    pub action: &'a str,
    pub from_status: Option<Status>,
    pub to_status: Status,
    pub actor: &'a str,
    pub staff_user_id: Option<Uuid>,
    pub from_agency_id: Option<i64>,
    pub to_agency_id: i64,
    pub step_due_date: Option<NaiveDate>,
    pub reason: Option<&'a str>,
    pub details: Value,
}

pub async fn record_event(
    tx: &mut Transaction<'_, Postgres>,
    dossier_id: Uuid,
    event: &Event<'_>,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO dossier_events (dossier_id, at, action, from_status, status, actor, staff_user_id, \
           from_agency_id, agency_id, step_due_date, note, details) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(dossier_id)
    .bind(now)
    .bind(event.action)
    .bind(event.from_status.map(Status::as_db))
    .bind(event.to_status.as_db())
    .bind(event.actor)
    .bind(event.staff_user_id)
    .bind(event.from_agency_id)
    .bind(event.to_agency_id)
    .bind(event.step_due_date)
    .bind(event.reason)
    .bind(Json(&event.details))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The row as JSON, for a statement that writes the event together with its dossier
/// (`file_dossier`, the submission).
pub fn as_row(event: &Event<'_>) -> Value {
    serde_json::json!({
        "action": event.action,
        "from_status": event.from_status.map(Status::as_db),
        "status": event.to_status.as_db(),
        "actor": event.actor,
        "staff_user_id": event.staff_user_id,
        "from_agency_id": event.from_agency_id,
        "agency_id": event.to_agency_id,
        "step_due_date": event.step_due_date,
        "note": event.reason,
        "details": event.details,
    })
}

type EventRow = (
    DateTime<Utc>,
    String,
    Option<String>,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<NaiveDate>,
    Option<String>,
    Json<Value>,
);

/// The process control sheet: every change of the dossier, oldest first.
pub async fn audit_trail(pool: &PgPool, dossier_id: Uuid) -> Result<Vec<AuditEntry>, sqlx::Error> {
    let rows: Vec<EventRow> = sqlx::query_as(
        "SELECT e.at, e.action, e.from_status, e.status, e.actor, fa.name, ta.name, e.step_due_date, e.note, e.details \
         FROM dossier_events e LEFT JOIN agencies fa ON fa.id = e.from_agency_id LEFT JOIN agencies ta ON ta.id = e.agency_id \
         WHERE e.dossier_id = $1 ORDER BY e.at, e.id",
    )
    .bind(dossier_id)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(audit_entry).collect())
}

fn audit_entry(row: EventRow) -> AuditEntry {
    let (at, action, from_status, status, actor, from_agency, to_agency, step_due, reason, details) = row;
    AuditEntry {
        at: vietnam_time(at).format("%H:%M %d/%m/%Y").to_string(),
        slug: action,
        from_status,
        status,
        actor,
        from_agency,
        to_agency,
        step_due: step_due.map(|d| d.format("%d/%m/%Y").to_string()),
        reason,
        details: details_lines(&details.0),
    }
}

fn details_lines(details: &Value) -> Vec<Text> {
    let text = |key: &str| details.get(key).and_then(Value::as_str).map(str::to_owned);
    let mut lines = Vec::new();
    if let Some(names) = details.get("giay_to").and_then(Value::as_array) {
        let names: Vec<&str> = names.iter().filter_map(Value::as_str).collect();
        lines.push(Text::new("audit.documents").with("names", names.join("; ")));
    }
    if let Some(amount) = details.get("so_tien").and_then(Value::as_u64) {
        lines.push(Text::new("audit.amount").with("amount", crate::domain::money::group_thousands(amount)));
    }
    if let Some(number) = text("ma_giao_dich") {
        lines.push(Text::new("audit.gateway_transaction").with("number", number));
    }
    match text("hinh_thuc").as_deref() {
        Some("tai_quay") => lines.push(Text::new("audit.at_desk")),
        Some("buu_chinh") => lines.push(
            Text::new("audit.by_post")
                .with("address", text("dia_chi").unwrap_or_default())
                .with("tracking", text("ma_buu_gui").unwrap_or_default()),
        ),
        _ => {}
    }
    if let Some(case) = text("truong_hop") {
        lines.push(Text::new("audit.case").with("case", case));
    }
    if let Some(date) = text("ngay_hen_moi") {
        lines.push(Text::new("audit.new_date").with("date", date));
    }
    lines
}
