//! The desk's SQL: work queues, one dossier as an officer sees it, and the transaction every
//! action runs in (lock, authorise, move the status, write the audit row and the citizen's SMS).

use super::command::{Command, Delivery, Details};
use super::messages::{status_sms, Facts};
use super::staff::Staff;
use super::{AuditEntry, Queue, QueueRow};
use crate::domain::application_form::ApplicationForm;
use crate::domain::dossier_status::{next_status, Action, Actor, Status};
use crate::domain::statistics::Timeliness;
use crate::domain::time_limit::TimeLimit;
use crate::dossier::db::{vietnam_time, work_calendar};
use crate::dossier::status_label;
use crate::notify::{enqueue_sms, Purpose, Sms};
use chrono::{DateTime, NaiveDate, Utc};
use serde_json::{json, Value};
use sqlx::types::Json;
use sqlx::{PgPool, Postgres, Transaction};
use uuid::Uuid;

/// Dossiers an agency may see: received or held by it, or passed through it.
const VISIBLE: &str = "(s.receiving_agency_id = $1 OR s.handling_agency_id = $1 OR EXISTS \
     (SELECT 1 FROM dossier_events e WHERE e.dossier_id = s.id AND (e.from_agency_id = $1 OR e.agency_id = $1)))";

/// The statuses in which the processing clock runs.
const CLOCK_RUNS: &str = "s.status IN ('duoc_tiep_nhan', 'dang_xu_ly', 'yeu_cau_nghia_vu_tai_chinh')";

/// The date the officer works to: the deadline of a forwarded step if earlier, and a new
/// appointment after an approved apology instead of the due date.
const EFFECTIVE_DUE: &str = "LEAST(s.step_due_date, COALESCE(s.promised_date, s.due_date))";

fn queue_condition(queue: Queue) -> String {
    match queue {
        Queue::New => "s.status = 'moi_dang_ky' AND s.receiving_agency_id = $1".into(),
        Queue::InProgress => format!("{CLOCK_RUNS} AND s.handling_agency_id = $1"),
        Queue::Supplement => {
            "s.status = 'yeu_cau_bo_sung' AND (s.receiving_agency_id = $1 OR s.handling_agency_id = $1)".into()
        }
        Queue::DueSoon => {
            format!("{CLOCK_RUNS} AND s.handling_agency_id = $1 AND {EFFECTIVE_DUE} BETWEEN $2 AND $3")
        }
        Queue::Overdue => format!("{CLOCK_RUNS} AND s.handling_agency_id = $1 AND {EFFECTIVE_DUE} < $2"),
        Queue::ToReturn => "s.status = 'da_xu_ly_xong' AND s.receiving_agency_id = $1".into(),
        Queue::Returned => "s.status = 'da_tra_ket_qua' AND s.receiving_agency_id = $1".into(),
        Queue::ApologyPending => "s.handling_agency_id = $1 AND EXISTS (SELECT 1 FROM apologies a \
             WHERE a.dossier_id = s.id AND a.approved_at IS NULL)"
            .into(),
    }
}

/// How many dossiers each queue holds for the agency. `today` and `soon` (the next working
/// day) bound "due within one day".
pub async fn queue_counts(
    pool: &PgPool,
    agency_id: i64,
    today: NaiveDate,
    soon: NaiveDate,
) -> Result<Vec<(Queue, i64)>, sqlx::Error> {
    let counts: Vec<String> =
        super::ALL_QUEUES.iter().map(|q| format!("count(*) FILTER (WHERE {})", queue_condition(*q))).collect();
    // Only dossiers the agency received or holds can be in a queue.
    let sql = format!(
        "SELECT ARRAY[{}] FROM dossiers s WHERE (s.receiving_agency_id = $1 OR s.handling_agency_id = $1)",
        counts.join(", ")
    );
    let numbers: Vec<i64> = sqlx::query_scalar(&sql).bind(agency_id).bind(today).bind(soon).fetch_one(pool).await?;
    Ok(super::ALL_QUEUES.iter().copied().zip(numbers).collect())
}

type QueueSqlRow = (String, String, String, String, NaiveDate, DateTime<Utc>, String);

fn queue_columns() -> String {
    format!(
        "SELECT s.code, p.name, s.applicant_name, s.status, {EFFECTIVE_DUE} AS effective_due, s.received_at, s.channel \
         FROM dossiers s JOIN procedure_versions v ON v.id = s.version_id JOIN procedures p ON p.id = v.procedure_id \
         JOIN citizens c ON c.id = s.citizen_id"
    )
}

pub async fn queue(
    pool: &PgPool,
    agency_id: i64,
    queue: Queue,
    today: NaiveDate,
    soon: NaiveDate,
) -> Result<Vec<QueueRow>, sqlx::Error> {
    let order = if queue == Queue::Returned { "s.returned_at DESC" } else { "effective_due, s.received_at" };
    let sql = format!("{} WHERE {} ORDER BY {order} LIMIT 200", queue_columns(), queue_condition(queue));
    let rows: Vec<QueueSqlRow> = sqlx::query_as(&sql).bind(agency_id).bind(today).bind(soon).fetch_all(pool).await?;
    Ok(rows.into_iter().map(|row| queue_row(row, today)).collect())
}

/// Dossiers the agency may see whose code starts with, applicant's name contains, or
/// applicant's phone equals what was typed.
pub async fn search(
    pool: &PgPool,
    agency_id: i64,
    typed: &str,
    phone: Option<&str>,
    today: NaiveDate,
) -> Result<Vec<QueueRow>, sqlx::Error> {
    let folded = crate::domain::search::fold_for_search(typed);
    let sql = format!(
        "{} WHERE {VISIBLE} AND (upper(s.code) LIKE upper($2) || '%' \
           OR ($3 <> '' AND s.applicant_folded LIKE '%' || $3 || '%') OR c.phone = $4) \
         ORDER BY effective_due LIMIT 50",
        queue_columns()
    );
    let rows: Vec<QueueSqlRow> = sqlx::query_as(&sql)
        .bind(agency_id)
        .bind(typed.trim())
        .bind(folded)
        .bind(phone.unwrap_or(""))
        .fetch_all(pool)
        .await?;
    Ok(rows.into_iter().map(|row| queue_row(row, today)).collect())
}

fn queue_row(row: QueueSqlRow, today: NaiveDate) -> QueueRow {
    let (code, procedure_name, applicant_name, status, effective, received, channel) = row;
    let open = Status::from_db(&status).is_some_and(Status::clock_runs);
    QueueRow {
        code,
        procedure_name,
        applicant_name,
        status_label: status_label(&status).to_owned(),
        due_date: effective.format("%d/%m/%Y").to_string(),
        overdue: open && effective < today,
        received_at: vietnam_time(received).format("%d/%m/%Y").to_string(),
        in_person: channel != "online",
    }
}

/// A dossier as the desk reads and changes it.
#[derive(Debug, Clone)]
pub struct DeskRecord {
    pub id: Uuid,
    pub code: String,
    pub procedure_code: String,
    pub procedure_name: String,
    pub status: Status,
    pub channel: String,
    pub applicant_name: String,
    pub phone: String,
    pub form: ApplicationForm,
    pub answers: crate::domain::application_form::Answers,
    pub draft_id: Uuid,
    pub receiving_agency_id: i64,
    pub receiving_agency: String,
    pub handling_agency_id: i64,
    pub handling_agency: String,
    pub received_at: DateTime<Utc>,
    pub accepted_at: Option<DateTime<Utc>>,
    pub due_date: NaiveDate,
    pub promised_date: Option<NaiveDate>,
    pub step_due_date: Option<NaiveDate>,
    pub paused_at: Option<DateTime<Utc>>,
    pub time_limit: Option<TimeLimit>,
    pub fully_online: bool,
    pub assisted_by: Option<String>,
}

impl DeskRecord {
    pub fn accepted(&self) -> bool {
        self.accepted_at.is_some()
    }

    /// The agency that may take `action` now: the desk that received the dossier, or the one
    /// holding it for processing.
    pub fn acting_agency(&self, action: Action) -> i64 {
        if action.is_desk_action(self.accepted()) {
            self.receiving_agency_id
        } else {
            self.handling_agency_id
        }
    }

    /// Whether this officer may take `action` on the dossier now (role, agency and status).
    pub fn allows(&self, staff: &Staff, action: Action) -> bool {
        staff.agency_id == self.acting_agency(action)
            && staff.roles.iter().any(|role| action.allowed_for(Actor::Staff(*role)))
            && next_status(self.status, action, self.accepted()).is_ok()
    }
}

#[derive(sqlx::FromRow)]
struct RecordRow {
    id: Uuid,
    code: String,
    procedure_code: String,
    procedure_name: String,
    status: String,
    channel: String,
    applicant_name: String,
    phone: String,
    form: Json<ApplicationForm>,
    answers: Json<crate::domain::application_form::Answers>,
    draft_id: Uuid,
    receiving_agency_id: i64,
    receiving_agency: String,
    handling_agency_id: i64,
    handling_agency: String,
    received_at: DateTime<Utc>,
    accepted_at: Option<DateTime<Utc>>,
    due_date: NaiveDate,
    promised_date: Option<NaiveDate>,
    step_due_date: Option<NaiveDate>,
    paused_at: Option<DateTime<Utc>>,
    time_amount: Option<i32>,
    time_unit: Option<String>,
    fully_online: bool,
    assisted_by: Option<String>,
}

const RECORD_SQL: &str = "SELECT s.id, s.code, p.code AS procedure_code, p.name AS procedure_name, s.status, \
       s.channel, s.applicant_name, c.phone, f.definition AS form, s.answers, s.draft_id, s.receiving_agency_id, \
       r.name AS receiving_agency, s.handling_agency_id, h.name AS handling_agency, s.received_at, s.accepted_at, \
       s.due_date, s.promised_date, s.step_due_date, s.paused_at, s.time_amount, s.time_unit, \
       v.online_kind = 'toan_trinh' AS fully_online, u.full_name AS assisted_by \
     FROM dossiers s JOIN procedure_versions v ON v.id = s.version_id JOIN procedures p ON p.id = v.procedure_id \
     JOIN application_forms f ON f.version_id = s.version_id JOIN citizens c ON c.id = s.citizen_id \
     JOIN agencies r ON r.id = s.receiving_agency_id JOIN agencies h ON h.id = s.handling_agency_id \
     LEFT JOIN staff_users u ON u.id = s.assisted_by";

/// The dossier, if the agency may see it (anything else is "not found", exactly like a
/// missing code).
pub async fn record(pool: &PgPool, code: &str, agency_id: i64) -> Result<Option<DeskRecord>, sqlx::Error> {
    let sql = format!("{RECORD_SQL} WHERE s.code = $2 AND {VISIBLE}");
    let row: Option<RecordRow> = sqlx::query_as(&sql).bind(agency_id).bind(code).fetch_optional(pool).await?;
    Ok(row.and_then(into_record))
}

async fn lock_record(tx: &mut Transaction<'_, Postgres>, code: &str) -> Result<Option<DeskRecord>, sqlx::Error> {
    let sql = format!("{RECORD_SQL} WHERE s.code = $1 FOR UPDATE OF s");
    let row: Option<RecordRow> = sqlx::query_as(&sql).bind(code).fetch_optional(&mut **tx).await?;
    Ok(row.and_then(into_record))
}

fn into_record(row: RecordRow) -> Option<DeskRecord> {
    let time_limit = match (row.time_amount, row.time_unit.as_deref()) {
        (Some(amount), Some(unit)) => TimeLimit::from_db(amount, unit).ok(),
        _ => None,
    };
    Some(DeskRecord {
        id: row.id,
        code: row.code,
        procedure_code: row.procedure_code,
        procedure_name: row.procedure_name,
        status: Status::from_db(&row.status)?,
        channel: row.channel,
        applicant_name: row.applicant_name,
        phone: row.phone,
        form: row.form.0,
        answers: row.answers.0,
        draft_id: row.draft_id,
        receiving_agency_id: row.receiving_agency_id,
        receiving_agency: row.receiving_agency,
        handling_agency_id: row.handling_agency_id,
        handling_agency: row.handling_agency,
        received_at: row.received_at,
        accepted_at: row.accepted_at,
        due_date: row.due_date,
        promised_date: row.promised_date,
        step_due_date: row.step_due_date,
        paused_at: row.paused_at,
        time_limit,
        fully_online: row.fully_online,
        assisted_by: row.assisted_by,
    })
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Acted {
    Done,
    /// Not visible to the officer's agency.
    NotFound,
    /// The officer's role or agency may not, or the status does not allow it (any more).
    NotAllowed,
    /// A fact the form could not check alone is wrong (e.g. forwarding to an unknown agency).
    Invalid(String, String),
}

/// What the transaction needs besides the command.
pub struct ActionContext<'a> {
    pub link_base: &'a str,
    /// The result document, already in the file store (for "result ready").
    pub result: Option<StoredResult>,
}

#[derive(Debug, Clone)]
pub struct StoredResult {
    pub storage_key: String,
    pub content_type: String,
    pub size_bytes: i32,
}

/// Takes an officer's action in one transaction.
pub async fn act(
    pool: &PgPool,
    staff: &Staff,
    code: &str,
    command: &Command,
    context: ActionContext<'_>,
) -> Result<Acted, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let Some(record) = lock_record(&mut tx, code).await? else { return Ok(Acted::NotFound) };
    if !visible_to(&mut tx, &record, staff.agency_id).await? {
        return Ok(Acted::NotFound);
    }
    if !record.allows(staff, command.action) {
        return Ok(Acted::NotAllowed);
    }
    let Ok(to) = next_status(record.status, command.action, record.accepted()) else { return Ok(Acted::NotAllowed) };
    let now = Utc::now();
    let mut change = Change::new(&record, to);
    if let Some(invalid) = apply(&mut tx, staff, &record, command, &context, now, &mut change).await? {
        return Ok(invalid);
    }
    change.write(&mut tx, &record, now).await?;
    let event = Event {
        action: command.action.as_slug(),
        from_status: Some(record.status),
        to_status: to,
        actor: &staff.full_name,
        staff_user_id: Some(staff.id),
        from_agency_id: Some(staff.agency_id),
        to_agency_id: change.handling_agency_id,
        step_due_date: change.step_due_date,
        reason: command.reason.as_deref(),
        details: details_json(&command.details, &record),
    };
    record_event(&mut tx, &record, &event, now).await?;
    let link = format!("{}{}", context.link_base, crate::tracking::tracking_url(&record.code));
    let facts = Facts { code: &record.code, due: change.promised_date.unwrap_or(change.due_date), link: &link };
    if let Some(body) = status_sms(command.action, &command.details, &facts) {
        let sms = Sms { to: &record.phone, body, purpose: Purpose::Status, dossier_id: Some(record.id) };
        enqueue_sms(&mut tx, sms).await?;
    }
    tx.commit().await?;
    Ok(Acted::Done)
}

async fn visible_to(
    tx: &mut Transaction<'_, Postgres>,
    record: &DeskRecord,
    agency_id: i64,
) -> Result<bool, sqlx::Error> {
    if record.receiving_agency_id == agency_id || record.handling_agency_id == agency_id {
        return Ok(true);
    }
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM dossier_events WHERE dossier_id = $1 AND (from_agency_id = $2 OR agency_id = $2))",
    )
    .bind(record.id)
    .bind(agency_id)
    .fetch_one(&mut **tx)
    .await
}

/// The dossier row's new values.
struct Change {
    status: Status,
    handling_agency_id: i64,
    due_date: NaiveDate,
    promised_date: Option<NaiveDate>,
    step_due_date: Option<NaiveDate>,
    accepted_at: Option<DateTime<Utc>>,
    paused_at: Option<DateTime<Utc>>,
    finished: bool,
    returned: bool,
}

impl Change {
    fn new(record: &DeskRecord, status: Status) -> Self {
        Self {
            status,
            handling_agency_id: record.handling_agency_id,
            due_date: record.due_date,
            promised_date: record.promised_date,
            step_due_date: record.step_due_date,
            accepted_at: record.accepted_at,
            paused_at: record.paused_at,
            finished: false,
            returned: false,
        }
    }

    async fn write(
        &self,
        tx: &mut Transaction<'_, Postgres>,
        record: &DeskRecord,
        now: DateTime<Utc>,
    ) -> Result<(), sqlx::Error> {
        let finished_on = self.finished.then(|| vietnam_time(now).date());
        let timeliness = finished_on.map(|day| Timeliness::of_finish(day, self.due_date).as_db());
        let closed = self.finished
            || matches!(self.status, Status::KhongTiepNhan | Status::RutHoSo | Status::DungXuLy);
        sqlx::query(
            "UPDATE dossiers SET status = $2, handling_agency_id = $3, due_date = $4, promised_date = $5, \
               step_due_date = $6, accepted_at = $7, paused_at = $8, \
               finished_at = CASE WHEN $9 THEN $10 ELSE finished_at END, \
               finished_on = COALESCE($12, finished_on), timeliness = COALESCE($13, timeliness), \
               closed_at = CASE WHEN $14 THEN COALESCE(closed_at, $10) ELSE closed_at END, \
               returned_at = CASE WHEN $11 THEN $10 ELSE returned_at END, updated_at = $10 \
             WHERE id = $1",
        )
        .bind(record.id)
        .bind(self.status.as_db())
        .bind(self.handling_agency_id)
        .bind(self.due_date)
        .bind(self.promised_date)
        .bind(self.step_due_date)
        .bind(self.accepted_at)
        .bind(self.paused_at)
        .bind(self.finished)
        .bind(now)
        .bind(self.returned)
        .bind(finished_on)
        .bind(timeliness)
        .bind(closed)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }
}

/// The action's own effects besides the status. `Some` when a fact turns out wrong.
async fn apply(
    tx: &mut Transaction<'_, Postgres>,
    staff: &Staff,
    record: &DeskRecord,
    command: &Command,
    context: &ActionContext<'_>,
    now: DateTime<Utc>,
    change: &mut Change,
) -> Result<Option<Acted>, sqlx::Error> {
    match (command.action, &command.details) {
        (Action::Accept, _) => {
            change.accepted_at = Some(now);
            if let Some(limit) = record.time_limit {
                let accepted = vietnam_time(now);
                change.due_date = work_calendar(tx, accepted.date()).await?.due_date(accepted, limit);
            }
        }
        (Action::RequestSupplement, Details::Supplement { documents }) => {
            sqlx::query(
                "INSERT INTO supplement_requests (dossier_id, requested_by, documents, note) VALUES ($1, $2, $3, $4)",
            )
            .bind(record.id)
            .bind(staff.id)
            .bind(documents)
            .bind(command.reason.as_deref().unwrap_or_default())
            .execute(&mut **tx)
            .await?;
            change.paused_at = Some(now);
        }
        (Action::Forward, Details::Forward { to_agency, step_due }) => {
            let exists: bool = sqlx::query_scalar(
                "SELECT EXISTS (SELECT 1 FROM agencies WHERE id = $1 AND (valid_to IS NULL OR valid_to > current_date))",
            )
            .bind(to_agency)
            .fetch_one(&mut **tx)
            .await?;
            if !exists || *to_agency == record.handling_agency_id {
                return Ok(Some(Acted::Invalid(
                    "co-quan".into(),
                    "Chọn một cơ quan khác cơ quan đang giữ hồ sơ.".into(),
                )));
            }
            change.handling_agency_id = *to_agency;
            change.step_due_date = Some(*step_due);
        }
        (Action::ResultReady, _) => {
            let Some(result) = &context.result else {
                return Ok(Some(Acted::Invalid("tep-ket-qua".into(), "Chọn tệp kết quả để tải lên.".into())));
            };
            sqlx::query(
                "INSERT INTO dossier_results (dossier_id, storage_key, content_type, size_bytes, uploaded_by) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (dossier_id) DO UPDATE SET storage_key = EXCLUDED.storage_key, \
                 content_type = EXCLUDED.content_type, size_bytes = EXCLUDED.size_bytes, \
                 uploaded_by = EXCLUDED.uploaded_by, uploaded_at = now()",
            )
            .bind(record.id)
            .bind(&result.storage_key)
            .bind(&result.content_type)
            .bind(result.size_bytes)
            .bind(staff.id)
            .execute(&mut **tx)
            .await?;
            change.finished = true;
            change.step_due_date = None;
        }
        (Action::Return, _) => change.returned = true,
        (Action::ProposeApology, Details::Apology { new_date }) => {
            let inserted = sqlx::query(
                "INSERT INTO apologies (dossier_id, proposed_by, new_date, reason) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (dossier_id) WHERE approved_at IS NULL DO NOTHING",
            )
            .bind(record.id)
            .bind(staff.id)
            .bind(new_date)
            .bind(command.reason.as_deref().unwrap_or_default())
            .execute(&mut **tx)
            .await?;
            if inserted.rows_affected() == 0 {
                return Ok(Some(Acted::Invalid("ngay-hen-moi".into(), "Đã có một thư xin lỗi đang chờ duyệt.".into())));
            }
        }
        (Action::ApproveApology, _) => {
            let approved: Option<NaiveDate> = sqlx::query_scalar(
                "UPDATE apologies SET approved_by = $2, approved_at = now() \
                 WHERE dossier_id = $1 AND approved_at IS NULL RETURNING new_date",
            )
            .bind(record.id)
            .bind(staff.id)
            .fetch_optional(&mut **tx)
            .await?;
            let Some(new_date) = approved else {
                return Ok(Some(Acted::Invalid("hanh-dong".into(), "Không có thư xin lỗi nào chờ duyệt.".into())));
            };
            change.promised_date = Some(new_date);
        }
        _ => {}
    }
    Ok(None)
}

fn details_json(details: &Details, record: &DeskRecord) -> Value {
    match details {
        Details::Nothing => json!({}),
        Details::Supplement { documents } => {
            let names: Vec<String> =
                documents.iter().filter_map(|id| record.form.question(id)).map(|q| q.label.clone()).collect();
            json!({ "giay_to": names })
        }
        Details::Forward { .. } => json!({}),
        Details::Fee { amount } => json!({ "so_tien": amount }),
        Details::Return(Delivery::AtDesk) => json!({ "hinh_thuc": "tai_quay" }),
        Details::Return(Delivery::Post { address, tracking }) => {
            json!({ "hinh_thuc": "buu_chinh", "dia_chi": address, "ma_buu_gui": tracking })
        }
        Details::Apology { new_date } => json!({ "ngay_hen_moi": new_date.format("%d/%m/%Y").to_string() }),
    }
}

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
    record: &DeskRecord,
    event: &Event<'_>,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO dossier_events (dossier_id, at, action, from_status, status, actor, staff_user_id, \
           from_agency_id, agency_id, step_due_date, note, details) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(record.id)
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
        slug: action.clone(),
        action: Action::from_slug(&action).map_or_else(|| super::SUBMITTED_LABEL.to_owned(), |a| a.label().to_owned()),
        from_status: from_status.map(|s| status_label(&s).to_owned()),
        status: status_label(&status).to_owned(),
        actor,
        from_agency,
        to_agency,
        step_due: step_due.map(|d| d.format("%d/%m/%Y").to_string()),
        reason,
        details: details_lines(&details.0),
    }
}

fn details_lines(details: &Value) -> Vec<String> {
    let text = |key: &str| details.get(key).and_then(Value::as_str).map(str::to_owned);
    let mut lines = Vec::new();
    if let Some(names) = details.get("giay_to").and_then(Value::as_array) {
        let names: Vec<&str> = names.iter().filter_map(Value::as_str).collect();
        lines.push(format!("Giấy tờ: {}", names.join("; ")));
    }
    if let Some(amount) = details.get("so_tien").and_then(Value::as_u64) {
        lines.push(format!("Số tiền: {} đồng", crate::domain::money::group_thousands(amount)));
    }
    match text("hinh_thuc").as_deref() {
        Some("tai_quay") => lines.push("Trả tại bộ phận một cửa".into()),
        Some("buu_chinh") => lines.push(format!(
            "Gửi qua bưu chính đến: {}; mã bưu gửi {}",
            text("dia_chi").unwrap_or_default(),
            text("ma_buu_gui").unwrap_or_default()
        )),
        _ => {}
    }
    if let Some(date) = text("ngay_hen_moi") {
        lines.push(format!("Ngày hẹn trả mới: {date}"));
    }
    lines
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Supplemented {
    /// Sent back to the desk; the dossier's code.
    Done(String),
    /// These documents (names) have no file added since the request.
    Missing(Vec<String>),
    /// No open request for this citizen's draft (answered already, or not theirs).
    NothingOpen,
}

/// The citizen sends what the desk asked for: the dossier goes back to whoever asked, and
/// if it had been accepted the clock resumes with the due date moved by the paused days.
pub async fn record_supplement(
    pool: &PgPool,
    draft_id: Uuid,
    citizen_id: Uuid,
    link_base: &str,
) -> Result<Supplemented, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let code: Option<String> = sqlx::query_scalar("SELECT code FROM dossiers WHERE draft_id = $1 AND citizen_id = $2")
        .bind(draft_id)
        .bind(citizen_id)
        .fetch_optional(&mut *tx)
        .await?;
    let Some(record) = (match code {
        Some(code) => lock_record(&mut tx, &code).await?,
        None => None,
    }) else {
        return Ok(Supplemented::NothingOpen);
    };
    let open: Option<(i64, Vec<String>, DateTime<Utc>)> = sqlx::query_as(
        "SELECT id, documents, requested_at FROM supplement_requests WHERE dossier_id = $1 AND fulfilled_at IS NULL",
    )
    .bind(record.id)
    .fetch_optional(&mut *tx)
    .await?;
    let (Some((request_id, documents, requested_at)), Ok(to)) =
        (open, next_status(record.status, Action::Supplement, record.accepted()))
    else {
        return Ok(Supplemented::NothingOpen);
    };
    let added: Vec<String> =
        sqlx::query_scalar("SELECT DISTINCT question_id FROM draft_files WHERE draft_id = $1 AND created_at > $2")
            .bind(draft_id)
            .bind(requested_at)
            .fetch_all(&mut *tx)
            .await?;
    let missing: Vec<String> = documents
        .iter()
        .filter(|id| !added.contains(id))
        .filter_map(|id| record.form.question(id).map(|q| q.label.clone()))
        .collect();
    if !missing.is_empty() {
        return Ok(Supplemented::Missing(missing));
    }
    let now = Utc::now();
    let mut change = Change::new(&record, to);
    change.paused_at = None;
    if let (true, Some(paused)) = (record.accepted(), record.paused_at) {
        let (from, until) = (vietnam_time(paused).date(), vietnam_time(now).date());
        let calendar = work_calendar(&mut tx, from).await?;
        change.due_date = calendar.due_date_after_pause(record.due_date, from, until);
        change.promised_date = record.promised_date.map(|d| calendar.due_date_after_pause(d, from, until));
    }
    sqlx::query("UPDATE supplement_requests SET fulfilled_at = $2 WHERE id = $1")
        .bind(request_id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    sqlx::query("UPDATE dossiers SET answers = (SELECT answers FROM drafts WHERE id = $2) WHERE id = $1")
        .bind(record.id)
        .bind(draft_id)
        .execute(&mut *tx)
        .await?;
    change.write(&mut tx, &record, now).await?;
    let names: Vec<String> =
        documents.iter().filter_map(|id| record.form.question(id)).map(|q| q.label.clone()).collect();
    let event = Event {
        action: Action::Supplement.as_slug(),
        from_status: Some(record.status),
        to_status: to,
        actor: CITIZEN_ACTOR,
        staff_user_id: None,
        from_agency_id: None,
        to_agency_id: change.handling_agency_id,
        step_due_date: change.step_due_date,
        reason: None,
        details: json!({ "giay_to": names }),
    };
    record_event(&mut tx, &record, &event, now).await?;
    let link = format!("{link_base}{}", crate::tracking::tracking_url(&record.code));
    let facts = Facts { code: &record.code, due: change.promised_date.unwrap_or(change.due_date), link: &link };
    if let Some(body) = status_sms(Action::Supplement, &Details::Nothing, &facts) {
        let sms = Sms { to: &record.phone, body, purpose: Purpose::Status, dossier_id: Some(record.id) };
        enqueue_sms(&mut tx, sms).await?;
    }
    tx.commit().await?;
    Ok(Supplemented::Done(record.code))
}

/// The actor named in the audit trail for what the applicant does online.
pub const CITIZEN_ACTOR: &str = "Công dân (trực tuyến)";

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FileRow {
    pub id: Uuid,
    pub question_id: String,
    pub content_type: String,
    pub size_bytes: i32,
    pub supplement: bool,
}

/// What the dossier page shows besides the record and its trail.
pub struct Extras {
    pub files: Vec<FileRow>,
    pub communes: Vec<(String, String)>,
    pub has_result: bool,
    pub supplement: Option<(DateTime<Utc>, Vec<String>, String)>,
    pub apology: Option<super::ApologyView>,
    /// Agencies in service, for forwarding.
    pub agencies: Vec<(i64, String)>,
    pub messages: Vec<super::MessageView>,
    pub rating: Option<String>,
}

pub async fn extras(pool: &PgPool, dossier_id: Uuid, draft_id: Uuid) -> Result<Extras, sqlx::Error> {
    let files = sqlx::query_as(
        "SELECT f.id, f.question_id, f.content_type, f.size_bytes, \
           EXISTS (SELECT 1 FROM supplement_requests r WHERE r.dossier_id = $2 AND f.created_at > r.requested_at) AS supplement \
         FROM draft_files f WHERE f.draft_id = $1 ORDER BY f.question_id, f.created_at",
    )
    .bind(draft_id)
    .bind(dossier_id)
    .fetch_all(pool)
    .await?;
    let mut conn = pool.acquire().await?;
    let communes = crate::dossier::db::communes(&mut conn).await?.into_iter().map(|c| (c.identifier, c.name)).collect();
    drop(conn);
    let has_result: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM dossier_results WHERE dossier_id = $1)")
        .bind(dossier_id)
        .fetch_one(pool)
        .await?;
    let supplement = sqlx::query_as(
        "SELECT requested_at, documents, note FROM supplement_requests WHERE dossier_id = $1 AND fulfilled_at IS NULL",
    )
    .bind(dossier_id)
    .fetch_optional(pool)
    .await?;
    let apology: Option<(NaiveDate, String, String, bool)> = sqlx::query_as(
        "SELECT a.new_date, a.reason, u.full_name, a.approved_at IS NOT NULL FROM apologies a \
         JOIN staff_users u ON u.id = a.proposed_by WHERE a.dossier_id = $1 ORDER BY a.proposed_at DESC LIMIT 1",
    )
    .bind(dossier_id)
    .fetch_optional(pool)
    .await?;
    let agencies = sqlx::query_as(
        "SELECT id, name FROM agencies WHERE (valid_to IS NULL OR valid_to > current_date) AND parent_id IS NOT NULL \
         ORDER BY name",
    )
    .fetch_all(pool)
    .await?;
    Ok(Extras {
        messages: messages(pool, dossier_id).await?,
        rating: crate::rating::db::given(pool, dossier_id).await?,
        files,
        communes,
        has_result,
        supplement,
        apology: apology.map(|(date, reason, proposed_by, approved)| super::ApologyView {
            new_date: date.format("%d/%m/%Y").to_string(),
            reason,
            proposed_by,
            approved,
        }),
        agencies,
    })
}

type MessageRow = (DateTime<Utc>, String, String, i32, Option<DateTime<Utc>>, Option<DateTime<Utc>>, Option<String>);

/// The messages sent to the applicant about this dossier, with their delivery state.
async fn messages(pool: &PgPool, dossier_id: Uuid) -> Result<Vec<super::MessageView>, sqlx::Error> {
    let rows: Vec<MessageRow> = sqlx::query_as(
        "SELECT created_at, purpose, body, attempts, sent_at, failed_at, last_error FROM outbox_messages \
         WHERE dossier_id = $1 ORDER BY id",
    )
    .bind(dossier_id)
    .fetch_all(pool)
    .await?;
    let time = |at: DateTime<Utc>| vietnam_time(at).format("%H:%M %d/%m/%Y").to_string();
    Ok(rows
        .into_iter()
        .map(|(created, _, body, attempts, sent, failed, error)| super::MessageView {
            at: time(created),
            body,
            delivery: match (sent, failed) {
                (Some(at), _) => format!("Đã gửi lúc {}", time(at)),
                (None, Some(at)) => format!("Không gửi được ({}), dừng lúc {}", error.unwrap_or_default(), time(at)),
                (None, None) if attempts > 0 => {
                    format!("Đang thử gửi lại (đã thử {attempts} lần: {})", error.unwrap_or_default())
                }
                (None, None) => "Đang chờ gửi".to_owned(),
            },
        })
        .collect())
}

/// The result document's key and type, for the staff of an agency that may see the dossier, or
/// for its applicant when the procedure is fully online (a digital copy).
pub async fn result_file(
    pool: &PgPool,
    code: &str,
    viewer: ResultViewer,
) -> Result<Option<(String, String)>, sqlx::Error> {
    let (agency, citizen) = match viewer {
        ResultViewer::Agency(id) => (Some(id), None),
        ResultViewer::Citizen(id) => (None, Some(id)),
    };
    let sql = format!(
        "SELECT r.storage_key, r.content_type FROM dossier_results r JOIN dossiers s ON s.id = r.dossier_id \
         JOIN procedure_versions v ON v.id = s.version_id \
         WHERE s.code = $2 AND (($1::bigint IS NOT NULL AND {VISIBLE}) \
           OR (s.citizen_id = $3 AND v.online_kind = 'toan_trinh' AND s.status IN ('da_xu_ly_xong', 'da_tra_ket_qua')))"
    );
    sqlx::query_as(&sql).bind(agency).bind(code).bind(citizen).fetch_optional(pool).await
}

#[derive(Debug, Clone, Copy)]
pub enum ResultViewer {
    Agency(i64),
    Citizen(Uuid),
}

/// A draft file's key and type, if the officer's agency may see its dossier or the officer
/// is filling the draft in at the counter.
pub async fn staff_sees_file(
    pool: &PgPool,
    file_id: Uuid,
    staff: &Staff,
) -> Result<Option<(String, String)>, sqlx::Error> {
    let sql = format!(
        "SELECT f.storage_key, f.content_type FROM draft_files f JOIN drafts d ON d.id = f.draft_id \
         LEFT JOIN dossiers s ON s.draft_id = f.draft_id \
         WHERE f.id = $2 AND (d.assisted_by = $3 OR (s.id IS NOT NULL AND {VISIBLE}))"
    );
    sqlx::query_as(&sql).bind(staff.agency_id).bind(file_id).bind(staff.id).fetch_optional(pool).await
}

/// Procedures that have an application form today, for filing at the counter.
pub async fn procedures_with_forms(pool: &PgPool) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT p.code, p.name FROM current_procedure_versions v JOIN procedures p ON p.id = v.procedure_id \
         JOIN application_forms f ON f.version_id = v.id ORDER BY p.name",
    )
    .fetch_all(pool)
    .await
}
