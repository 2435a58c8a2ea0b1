//! The desk's SQL: work queues, one dossier as an officer sees it, and the transaction every
//! action runs in (lock, authorise, move the status, write the audit row and the citizen's SMS).

use super::{Queue, QueueOrder, QueueRow, PAGE_SIZE};
use crate::auth::staff::Staff;
use crate::domain::command::{Command, Delivery, Details};
use crate::domain::dossier_code::COMPACT_CODE_SQL;
use crate::domain::dossier_status::{next_status, sql_list, Action, Status, CLOCK_RUNNING, CLOSED};
use crate::domain::time_limit::TimeLimit;
use crate::filed::clock::{vietnam_time, work_calendar};
use crate::filed::events::Event;
use crate::filed::record::{self, Change, FiledDossier, VISIBLE};
use crate::filed::results::StoredResult;
use crate::filed::{apologies, results, supplements, write_transition};
use crate::i18n::Text;
use chrono::{DateTime, NaiveDate, Utc};
use serde_json::{json, Value};
use sqlx::{PgPool, Postgres, Transaction};
use uuid::Uuid;

/// The statuses in which the processing clock runs.
fn clock_runs() -> String {
    format!("s.status IN ({})", sql_list(&CLOCK_RUNNING))
}

/// The date the officer works to: the deadline of a forwarded step if earlier, and a new
/// appointment after an approved apology instead of the due date.
const EFFECTIVE_DUE: &str = "LEAST(s.step_due_date, COALESCE(s.promised_date, s.due_date))";

fn queue_condition(queue: Queue) -> String {
    match queue {
        Queue::New => format!("s.status = {} AND s.receiving_agency_id = $1", Status::MoiDangKy.sql()),
        Queue::InProgress => format!("{} AND s.handling_agency_id = $1", clock_runs()),
        Queue::Supplement => {
            format!(
                "s.status = {} AND (s.receiving_agency_id = $1 OR s.handling_agency_id = $1)",
                Status::YeuCauBoSung.sql()
            )
        }
        Queue::FeeOwed => format!(
            "s.status = {} AND (s.receiving_agency_id = $1 OR s.handling_agency_id = $1)",
            Status::YeuCauNghiaVuTaiChinh.sql()
        ),
        // The status first: only open dossiers look for a payment.
        Queue::PaidOnline => format!(
            "s.status NOT IN ({}) AND (s.receiving_agency_id = $1 OR s.handling_agency_id = $1) \
             AND EXISTS (SELECT 1 FROM payments y WHERE y.dossier_id = s.id AND y.status = 'paid')",
            sql_list(&CLOSED)
        ),
        Queue::DueSoon => {
            format!("{} AND s.handling_agency_id = $1 AND {EFFECTIVE_DUE} BETWEEN $2 AND $3", clock_runs())
        }
        Queue::Overdue => format!("{} AND s.handling_agency_id = $1 AND {EFFECTIVE_DUE} < $2", clock_runs()),
        Queue::ToReturn => format!("s.status = {} AND s.receiving_agency_id = $1", Status::DaXuLyXong.sql()),
        Queue::Returned => format!("s.status = {} AND s.receiving_agency_id = $1", Status::DaTraKetQua.sql()),
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

/// One page of a queue (from 1; the queue's count is its total).
pub async fn queue(
    pool: &PgPool,
    agency_id: i64,
    queue: Queue,
    dates: (NaiveDate, NaiveDate),
    order: QueueOrder,
    page: i64,
) -> Result<Vec<QueueRow>, sqlx::Error> {
    let (today, soon) = dates;
    let sql = format!(
        "{} WHERE {} ORDER BY {} LIMIT {PAGE_SIZE} OFFSET $4",
        queue_columns(),
        queue_condition(queue),
        order_by(order, queue)
    );
    let rows: Vec<QueueSqlRow> =
        sqlx::query_as(&sql).bind(agency_id).bind(today).bind(soon).bind(offset(page)).fetch_all(pool).await?;
    Ok(rows.into_iter().map(|row| queue_row(row, today)).collect())
}

fn order_by(order: QueueOrder, queue: Queue) -> &'static str {
    // The code last: pages do not overlap where the first keys tie.
    match order {
        QueueOrder::Due if queue == Queue::Returned => "s.returned_at DESC, s.code",
        QueueOrder::Due => "effective_due, s.received_at, s.code",
        QueueOrder::Newest => "s.received_at DESC, s.code",
        QueueOrder::Oldest => "s.received_at, s.code",
    }
}

fn offset(page: i64) -> i64 {
    (page.max(1) - 1) * PAGE_SIZE
}

/// What an officer typed in the desk's search box.
pub struct Search<'a> {
    pub typed: &'a str,
    /// The typed text read as a phone number.
    pub phone: Option<&'a str>,
    /// The typed text read as a personal ID number (12 digits).
    pub id_number: Option<&'a str>,
}

/// Dossiers the agency may see whose code starts with (in any case, with or without its dots
/// and hyphens), applicant's name contains, applicant's phone equals what was typed, or whose
/// answers hold the ID number typed; one page of them, and how many there are.
pub async fn search(
    pool: &PgPool,
    agency_id: i64,
    search: &Search<'_>,
    today: NaiveDate,
    (order, page): (QueueOrder, i64),
) -> Result<(Vec<QueueRow>, i64), sqlx::Error> {
    let matches = format!(
        "{VISIBLE} AND (($2 <> '' AND {COMPACT_CODE_SQL} LIKE $2 || '%') \
           OR ($3 <> '' AND s.applicant_folded LIKE '%' || $3 || '%') OR c.phone = $4 \
           OR dossier_id_numbers(s.answers) @> ARRAY[$5::text])"
    );
    let binds = (
        crate::domain::dossier_code::compact_text(search.typed),
        crate::domain::search::fold_for_search(search.typed),
        search.phone.unwrap_or("").to_owned(),
        search.id_number.unwrap_or("").to_owned(),
    );
    let count = format!("SELECT count(*) FROM dossiers s JOIN citizens c ON c.id = s.citizen_id WHERE {matches}");
    let total: i64 = sqlx::query_scalar(&count)
        .bind(agency_id)
        .bind(&binds.0)
        .bind(&binds.1)
        .bind(&binds.2)
        .bind(&binds.3)
        .fetch_one(pool)
        .await?;
    let sql = format!(
        "{} WHERE {matches} ORDER BY {} LIMIT {PAGE_SIZE} OFFSET $6",
        queue_columns(),
        order_by(order, Queue::InProgress)
    );
    let rows: Vec<QueueSqlRow> = sqlx::query_as(&sql)
        .bind(agency_id)
        .bind(&binds.0)
        .bind(&binds.1)
        .bind(&binds.2)
        .bind(&binds.3)
        .bind(offset(page))
        .fetch_all(pool)
        .await?;
    Ok((rows.into_iter().map(|row| queue_row(row, today)).collect(), total))
}

fn queue_row(row: QueueSqlRow, today: NaiveDate) -> QueueRow {
    let (code, procedure_name, applicant_name, status, effective, received, channel) = row;
    let open = Status::from_db(&status).is_some_and(Status::clock_runs);
    QueueRow {
        code,
        procedure_name,
        applicant_name,
        status,
        due_date: effective.format("%d/%m/%Y").to_string(),
        overdue: open && effective < today,
        received_at: vietnam_time(received).format("%d/%m/%Y").to_string(),
        channel,
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Acted {
    /// Taken; `orphaned` is a stored object nothing refers to any more (a replaced result).
    Done {
        orphaned: Option<String>,
    },
    /// Not visible to the officer's agency.
    NotFound,
    /// The officer's role or agency may not, or the status does not allow it (any more).
    NotAllowed,
    Refused(Refusal),
}

/// What the transaction needs besides the command.
pub struct ActionContext<'a> {
    pub link_base: &'a str,
    /// The result document, already in the file store (for "result ready").
    pub result: Option<StoredResult>,
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
    let Some(record) = record::lock(&mut tx, code).await? else { return Ok(Acted::NotFound) };
    if !record::visible_to(&mut tx, &record, staff.agency_id).await? {
        return Ok(Acted::NotFound);
    }
    if !record.allows(staff, command.action) {
        return Ok(Acted::NotAllowed);
    }
    let Ok(to) = next_status(record.status, command.action, record.accepted()) else { return Ok(Acted::NotAllowed) };
    let now = Utc::now();
    let mut change = Change::new(&record, to);
    let orphaned = match apply(&mut tx, staff, &record, command, &context, now, &mut change).await? {
        Ok(orphaned) => orphaned,
        Err(refusal) => return Ok(Acted::Refused(refusal)),
    };
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
    write_transition(&mut tx, &record, &change, &event, &command.details, context.link_base, now).await?;
    tx.commit().await?;
    Ok(Acted::Done { orphaned })
}

/// A fact the form could not check alone turned out wrong; the dossier is left as it was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Forwarding to an unknown agency, or to the one holding the dossier.
    SameOrUnknownAgency,
    ResultFileMissing,
    ApologyAlreadyPending,
    NoApologyPending,
    /// The case has no channel of the dossier's kind.
    UnknownCase,
}

/// The action's own effects besides the status, and the stored object it made unreachable.
async fn apply(
    tx: &mut Transaction<'_, Postgres>,
    staff: &Staff,
    record: &FiledDossier,
    command: &Command,
    context: &ActionContext<'_>,
    now: DateTime<Utc>,
    change: &mut Change,
) -> Result<Result<Option<String>, Refusal>, sqlx::Error> {
    let reason = command.reason.as_deref().unwrap_or_default();
    match (command.action, &command.details) {
        (Action::Accept, details) => {
            change.accepted_at = Some(now);
            if let Details::CaseChange { case_no } = details {
                let Some(limit) = case_time_limit(tx, record, *case_no).await? else {
                    return Ok(Err(Refusal::UnknownCase));
                };
                change.case_no = Some(*case_no);
                change.time_limit = Some(limit);
            }
            if let Some(limit) = change.time_limit {
                let accepted = vietnam_time(now);
                change.due_date = work_calendar(tx, accepted.date()).await?.due_date(accepted, limit);
            }
        }
        (Action::RequestSupplement, Details::Supplement { documents }) => {
            supplements::request(tx, record.id, staff.id, documents, reason).await?;
            change.paused_at = Some(now);
        }
        (Action::Forward, Details::Forward { to_agency, step_due }) => {
            if *to_agency == record.handling_agency_id || !agency_in_service(tx, *to_agency).await? {
                return Ok(Err(Refusal::SameOrUnknownAgency));
            }
            change.handling_agency_id = *to_agency;
            change.step_due_date = Some(*step_due);
        }
        (Action::ResultReady, _) => {
            let Some(result) = &context.result else { return Ok(Err(Refusal::ResultFileMissing)) };
            let replaced = results::store(tx, record.id, result, staff.id).await?;
            change.finished = true;
            change.step_due_date = None;
            return Ok(Ok(replaced));
        }
        (Action::SupplementAtDesk, _) => supplements::resume(tx, record, change, now).await?,
        (Action::Return, _) => change.returned = true,
        (Action::ProposeApology, Details::Apology { new_date }) => {
            if !apologies::propose(tx, record.id, staff.id, *new_date, reason).await? {
                return Ok(Err(Refusal::ApologyAlreadyPending));
            }
        }
        (Action::ApproveApology, _) => {
            let Some(new_date) = apologies::approve(tx, record.id, staff.id).await? else {
                return Ok(Err(Refusal::NoApologyPending));
            };
            change.promised_date = Some(new_date);
        }
        _ => {}
    }
    Ok(Ok(None))
}

/// The time limit of the dossier's channel for another case of its procedure.
async fn case_time_limit(
    tx: &mut Transaction<'_, Postgres>,
    record: &FiledDossier,
    case_no: i16,
) -> Result<Option<TimeLimit>, sqlx::Error> {
    let row: Option<(i32, String)> = sqlx::query_as(
        "SELECT time_amount, time_unit FROM procedure_channels WHERE version_id = $1 AND channel = $2 \
           AND (case_no IS NULL OR case_no = $3) ORDER BY case_no NULLS LAST LIMIT 1",
    )
    .bind(record.version_id)
    .bind(&record.channel)
    .bind(case_no)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.and_then(|(amount, unit)| TimeLimit::from_db(amount, &unit).ok()))
}

async fn agency_in_service(tx: &mut Transaction<'_, Postgres>, agency_id: i64) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM agencies WHERE id = $1 AND (valid_to IS NULL OR valid_to > current_date))",
    )
    .bind(agency_id)
    .fetch_one(&mut **tx)
    .await
}

fn details_json(details: &Details, record: &FiledDossier) -> Value {
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
        Details::CaseChange { case_no } => json!({ "truong_hop": record.form.case_name(*case_no) }),
    }
}

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
    /// Codes of likely duplicates the agency may see.
    pub duplicates: Vec<String>,
}

/// Other dossiers the agency may see of the same citizen, procedure and applicant, filed within
/// 30 days of this one: likely the same request twice.
async fn likely_duplicates(pool: &PgPool, agency_id: i64, dossier_id: Uuid) -> Result<Vec<String>, sqlx::Error> {
    let sql = format!(
        "SELECT s.code FROM dossiers t JOIN procedure_versions tv ON tv.id = t.version_id \
           JOIN dossiers s ON s.citizen_id = t.citizen_id AND s.id <> t.id AND s.applicant_folded = t.applicant_folded \
             AND s.received_at BETWEEN t.received_at - interval '30 days' AND t.received_at + interval '30 days' \
           JOIN procedure_versions sv ON sv.id = s.version_id AND sv.procedure_id = tv.procedure_id \
         WHERE t.id = $2 AND {VISIBLE} ORDER BY s.received_at LIMIT 10"
    );
    sqlx::query_scalar(&sql).bind(agency_id).bind(dossier_id).fetch_all(pool).await
}

pub async fn extras(pool: &PgPool, agency_id: i64, dossier_id: Uuid, draft_id: Uuid) -> Result<Extras, sqlx::Error> {
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
        duplicates: likely_duplicates(pool, agency_id, dossier_id).await?,
        messages: messages(pool, dossier_id).await?,
        rating: crate::dossier::rating::db::given(pool, dossier_id).await?,
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
                (Some(at), _) => Text::new("desk.message.sent").with("time", time(at)),
                (None, Some(at)) => {
                    Text::new("desk.message.failed").with("error", error.unwrap_or_default()).with("time", time(at))
                }
                (None, None) if attempts > 0 => Text::new("desk.message.retrying")
                    .with("attempts", attempts.to_string())
                    .with("error", error.unwrap_or_default()),
                (None, None) => Text::new("desk.message.waiting"),
            },
        })
        .collect())
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
