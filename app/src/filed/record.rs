//! The filed dossier: its record, who may see it, the lock every change takes, and the one
//! writer of its row.

use super::clock::vietnam_time;
use super::events::Event;
use crate::auth::staff::Staff;
use crate::domain::application_form::{Answers, ApplicationForm};
use crate::domain::dossier_status::{next_status, Action, Actor, Status};
use crate::domain::statistics::Timeliness;
use crate::domain::time_limit::TimeLimit;
use crate::notify::Sms;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::types::Json;
use sqlx::{PgPool, Postgres, Transaction};
use uuid::Uuid;

/// Dossiers an agency may see: received or held by it, or passed through it.
pub(crate) const VISIBLE: &str = "(s.receiving_agency_id = $1 OR s.handling_agency_id = $1 OR EXISTS \
     (SELECT 1 FROM dossier_events e WHERE e.dossier_id = s.id AND (e.from_agency_id = $1 OR e.agency_id = $1)))";

/// A filed dossier as it is read and changed.
#[derive(Debug, Clone)]
pub struct FiledDossier {
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
    pub version_id: i64,
    /// The case chosen, for a procedure with cases.
    pub case_no: Option<i16>,
    /// How the applicant was identified at filing ([`IdentifiedBy::as_db`]).
    pub identified_by: String,
}

impl FiledDossier {
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
    version_id: i64,
    case_no: Option<i16>,
    identified_by: String,
}

const RECORD_SQL: &str = "SELECT s.id, s.code, p.code AS procedure_code, p.name AS procedure_name, s.status, \
       s.channel, s.applicant_name, c.phone, COALESCE(f.definition, '{\"applicant_name\": \"\", \"pages\": []}') AS form, s.answers, s.draft_id, s.receiving_agency_id, \
       r.name AS receiving_agency, s.handling_agency_id, h.name AS handling_agency, s.received_at, s.accepted_at, \
       s.due_date, s.promised_date, s.step_due_date, s.paused_at, s.time_amount, s.time_unit, \
       v.online_kind = 'toan_trinh' AS fully_online, u.full_name AS assisted_by, s.version_id, s.case_no, s.identified_by \
     FROM dossiers s JOIN procedure_versions v ON v.id = s.version_id JOIN procedures p ON p.id = v.procedure_id \
     LEFT JOIN application_forms f ON f.version_id = s.version_id JOIN citizens c ON c.id = s.citizen_id \
     JOIN agencies r ON r.id = s.receiving_agency_id JOIN agencies h ON h.id = s.handling_agency_id \
     LEFT JOIN staff_users u ON u.id = s.assisted_by";

/// The dossier, if the agency may see it (anything else is "not found", exactly like a
/// missing code).
pub async fn visible(pool: &PgPool, code: &str, agency_id: i64) -> Result<Option<FiledDossier>, sqlx::Error> {
    let sql = format!("{RECORD_SQL} WHERE s.code = $2 AND {VISIBLE}");
    let row: Option<RecordRow> = sqlx::query_as(&sql).bind(agency_id).bind(code).fetch_optional(pool).await?;
    Ok(row.and_then(into_record))
}

/// The applicant's own dossier.
pub async fn of_citizen(pool: &PgPool, code: &str, citizen_id: Uuid) -> Result<Option<FiledDossier>, sqlx::Error> {
    let sql = format!("{RECORD_SQL} WHERE s.code = $1 AND s.citizen_id = $2");
    let row: Option<RecordRow> = sqlx::query_as(&sql).bind(code).bind(citizen_id).fetch_optional(pool).await?;
    Ok(row.and_then(into_record))
}

pub async fn lock(tx: &mut Transaction<'_, Postgres>, code: &str) -> Result<Option<FiledDossier>, sqlx::Error> {
    let sql = format!("{RECORD_SQL} WHERE s.code = $1 FOR UPDATE OF s");
    let row: Option<RecordRow> = sqlx::query_as(&sql).bind(code).fetch_optional(&mut **tx).await?;
    Ok(row.and_then(into_record))
}

fn into_record(row: RecordRow) -> Option<FiledDossier> {
    let time_limit = match (row.time_amount, row.time_unit.as_deref()) {
        (Some(amount), Some(unit)) => TimeLimit::from_db(amount, unit).ok(),
        _ => None,
    };
    Some(FiledDossier {
        id: row.id,
        code: row.code,
        procedure_code: row.procedure_code,
        procedure_name: row.procedure_name,
        status: Status::from_db(&row.status)?,
        channel: row.channel,
        applicant_name: row.applicant_name,
        phone: row.phone,
        form: row.form.0.worded(&row.answers.0),
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
        version_id: row.version_id,
        case_no: row.case_no,
        identified_by: row.identified_by,
    })
}

pub async fn visible_to(
    tx: &mut Transaction<'_, Postgres>,
    record: &FiledDossier,
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
pub struct Change {
    pub status: Status,
    pub handling_agency_id: i64,
    pub due_date: NaiveDate,
    pub promised_date: Option<NaiveDate>,
    pub step_due_date: Option<NaiveDate>,
    pub accepted_at: Option<DateTime<Utc>>,
    pub paused_at: Option<DateTime<Utc>>,
    pub finished: bool,
    pub returned: bool,
    pub case_no: Option<i16>,
    pub time_limit: Option<TimeLimit>,
}

impl Change {
    pub fn new(record: &FiledDossier, status: Status) -> Self {
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
            case_no: record.case_no,
            time_limit: record.time_limit,
        }
    }

    pub async fn write(
        &self,
        tx: &mut Transaction<'_, Postgres>,
        record: &FiledDossier,
        now: DateTime<Utc>,
    ) -> Result<(), sqlx::Error> {
        let finished_on = self.finished.then(|| vietnam_time(now).date());
        let timeliness = finished_on.map(|day| Timeliness::of_finish(day, self.due_date).as_db());
        let closed = self.finished || matches!(self.status, Status::KhongTiepNhan | Status::RutHoSo | Status::DungXuLy);
        sqlx::query(
            "UPDATE dossiers SET status = $2, handling_agency_id = $3, due_date = $4, promised_date = $5, \
               step_due_date = $6, accepted_at = $7, paused_at = $8, \
               finished_at = CASE WHEN $9 THEN $10 ELSE finished_at END, \
               finished_on = COALESCE($12, finished_on), timeliness = COALESCE($13, timeliness), \
               closed_at = CASE WHEN $14 THEN COALESCE(closed_at, $10) ELSE closed_at END, \
               returned_at = CASE WHEN $11 THEN $10 ELSE returned_at END, updated_at = $10, \
               case_no = $15, time_amount = COALESCE($16, time_amount), time_unit = COALESCE($17, time_unit) \
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
        .bind(self.case_no)
        .bind(self.time_limit.map(|l| l.amount as i32))
        .bind(self.time_limit.map(|l| l.unit.as_db()))
        .execute(&mut **tx)
        .await?;
        Ok(())
    }
}

/// A dossier as the submission files it (its code is numbered as it is written).
pub struct NewDossier<'a> {
    pub draft_id: Uuid,
    pub citizen_id: Uuid,
    pub version_id: i64,
    pub receiving_agency_id: i64,
    /// The receiving agency's identifier, which begins the code.
    pub receiving_identifier: &'a str,
    pub handling_agency_id: i64,
    /// "online", "in_person" or "post".
    pub channel: &'a str,
    pub status: Status,
    pub applicant_name: &'a str,
    pub answers: &'a Answers,
    pub due_date: NaiveDate,
    pub time_limit: TimeLimit,
    /// The case chosen, for a procedure with cases.
    pub case_no: Option<i16>,
    /// The officer filing it at the counter, who receives it at once.
    pub assisted_by: Option<Uuid>,
    pub identified_by: IdentifiedBy,
}

/// How the applicant was identified when the dossier was filed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdentifiedBy {
    /// The SMS code sent to their phone number.
    Phone,
    /// The national digital identity.
    NationalIdentity,
    /// At the counter, by the officer who filed it and checked their identity papers.
    Counter,
    /// Entered by an officer from papers that came by post: nobody saw the applicant.
    ByPost,
}

impl IdentifiedBy {
    pub fn as_db(self) -> &'static str {
        match self {
            Self::Phone => "so-dien-thoai",
            Self::NationalIdentity => "dinh-danh",
            Self::Counter => "tai-quay",
            Self::ByPost => "qua-buu-chinh",
        }
    }
}

/// A checked draft, filed by [`file`] in one statement.
pub struct Filing<'a> {
    pub dossier: NewDossier<'a>,
    /// The draft's `updated_at` when it was read and checked: a draft changed since is not filed.
    pub draft_read_at: DateTime<Utc>,
    /// Online filings a citizen may make an hour; `None` at a counter.
    pub hourly_limit: Option<i64>,
    /// The first entry of the audit trail.
    pub event: Event<'a>,
    /// The receipt message, with [`CODE_MARK`] where the code goes.
    pub message: Sms<'a>,
}

/// Stands for the dossier's code in the receipt message until the code is numbered. Letters
/// only, so that it survives inside the tracking link's query.
pub const CODE_MARK: &str = "XMAHOSOMOIX";

/// What filing a checked draft came to.
#[derive(Debug, PartialEq, Eq)]
pub enum Filed {
    /// The new dossier's code.
    New(String),
    /// Filed already (a second tap): the dossier's code.
    Already(String),
    Gone,
    /// The draft changed after it was read and checked.
    Changed,
    TooMany,
    /// The receiving agency has used every number of the day.
    NumbersUsedUp,
}

/// Files the draft in one round trip (`file_dossier` in the migrations): the citizen's turn,
/// the draft's lock and checks, the day's number, the dossier, its first audit entry, the
/// draft's end and the receipt message, in one statement and so in one transaction.
pub async fn file(pool: &PgPool, filing: &Filing<'_>, now: DateTime<Utc>) -> Result<Filed, sqlx::Error> {
    use crate::domain::dossier_code::{code_prefix, MAX_DAILY_NUMBER, NUMBER_DIGITS};
    let dossier = &filing.dossier;
    let day = vietnam_time(now).date();
    let (outcome, code): (String, Option<String>) =
        sqlx::query_as("SELECT outcome, code FROM file_dossier($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)")
            .bind(dossier.draft_id)
            .bind(dossier.citizen_id)
            .bind(filing.draft_read_at)
            .bind(filing.hourly_limit)
            .bind(code_prefix(dossier.receiving_identifier, day))
            .bind(NUMBER_DIGITS as i32)
            .bind(MAX_DAILY_NUMBER as i32)
            .bind(Json(dossier_row(dossier, now, day)))
            .bind(Json(super::events::as_row(&filing.event)))
            .bind(Json(crate::notify::as_row(&filing.message)))
            .bind(CODE_MARK)
            .fetch_one(pool)
            .await?;
    Ok(match (outcome.as_str(), code) {
        ("filed", Some(code)) => Filed::New(code),
        ("already", Some(code)) => Filed::Already(code),
        ("changed", _) => Filed::Changed,
        ("too_many", _) => Filed::TooMany,
        ("numbers_used_up", _) => Filed::NumbersUsedUp,
        _ => Filed::Gone,
    })
}

fn dossier_row(dossier: &NewDossier<'_>, now: DateTime<Utc>, day: NaiveDate) -> serde_json::Value {
    serde_json::json!({
        "id": Uuid::new_v4(),
        "version_id": dossier.version_id,
        "receiving_agency_id": dossier.receiving_agency_id,
        "handling_agency_id": dossier.handling_agency_id,
        "channel": dossier.channel,
        "status": dossier.status.as_db(),
        "applicant_name": dossier.applicant_name,
        "answers": dossier.answers,
        "received_at": now,
        "received_on": day,
        "due_date": dossier.due_date,
        "time_amount": dossier.time_limit.amount,
        "time_unit": dossier.time_limit.unit.as_db(),
        "applicant_folded": crate::domain::search::fold_for_search(dossier.applicant_name),
        "assisted_by": dossier.assisted_by,
        "accepted_at": dossier.assisted_by.map(|_| now),
        "case_no": dossier.case_no,
        "identified_by": dossier.identified_by.as_db(),
    })
}

/// The citizen's supplemented answers become the dossier's.
pub async fn take_answers_from_draft(
    tx: &mut Transaction<'_, Postgres>,
    dossier_id: Uuid,
    draft_id: Uuid,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE dossiers SET answers = (SELECT answers FROM drafts WHERE id = $2) WHERE id = $1")
        .bind(dossier_id)
        .bind(draft_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The citizen's own dossier filed from this draft, locked.
pub async fn lock_by_draft(
    tx: &mut Transaction<'_, Postgres>,
    draft_id: Uuid,
    citizen_id: Uuid,
) -> Result<Option<FiledDossier>, sqlx::Error> {
    let sql = format!("{RECORD_SQL} WHERE s.draft_id = $1 AND s.citizen_id = $2 FOR UPDATE OF s");
    let row: Option<RecordRow> = sqlx::query_as(&sql).bind(draft_id).bind(citizen_id).fetch_optional(&mut **tx).await?;
    Ok(row.and_then(into_record))
}
