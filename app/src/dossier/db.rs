//! Drafts, their files, and the submitting transaction.

use super::{DossierSummary, DraftSummary, ReceiptView, TimelineEntry};
use crate::domain::application_form::{Answers, ApplicationForm};
use crate::domain::calendar::WorkCalendar;
use crate::domain::command::Details;
use crate::domain::dossier_status::Status;
use crate::domain::dossier_status::{next_status, sql_list, Action, RESULT_READY};
use crate::domain::time_limit::TimeLimit;
use crate::filed::clock::{vietnam_time, work_calendar};
use crate::filed::events::Event;
use crate::filed::record::{self, Change};
use crate::filed::SUBMITTED_SLUG;
use crate::filed::{supplements, write_transition, CITIZEN_ACTOR};
use crate::notify::{Purpose, Sms};
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::types::Json;
use sqlx::{PgConnection, PgPool, Postgres, Transaction};
use std::collections::BTreeMap;
use uuid::Uuid;

/// Unsubmitted drafts are kept this long after their last change.
pub const DRAFT_KEPT_DAYS: i32 = 30;

/// A draft as its owner sees it.
#[derive(Debug, Clone)]
pub struct Draft {
    pub id: Uuid,
    pub version_id: i64,
    pub procedure_code: String,
    pub procedure_name: String,
    pub form: ApplicationForm,
    pub answers: Answers,
    pub receiving_agency_id: Option<i64>,
    pub dossier_code: Option<String>,
    /// An officer fills it in at the counter: it is filed in person, or by post when the
    /// officer is entering a dossier that came by post.
    pub at_counter: bool,
    pub by_post: bool,
    /// When it last changed, as read: a submission files the draft only as it was checked.
    pub read_at: DateTime<Utc>,
    pub files: Vec<DraftFile>,
    /// The desk's open request to supplement documents of the submitted dossier.
    pub supplement: Option<OpenSupplement>,
}

#[derive(Debug, Clone, serde::Deserialize)]
pub struct OpenSupplement {
    /// Question ids of the documents asked for.
    pub documents: Vec<String>,
    pub note: String,
    pub requested_at: DateTime<Utc>,
}

/// A submitted draft takes changes again while the desk waits for a supplement to it.
fn supplement_open() -> String {
    format!(
        "EXISTS (SELECT 1 FROM dossiers s JOIN supplement_requests r ON r.dossier_id = s.id \
         AND r.fulfilled_at IS NULL WHERE s.draft_id = d.id AND s.status = {})",
        Status::YeuCauBoSung.sql()
    )
}

#[derive(Debug, Clone, serde::Deserialize)]
pub struct DraftFile {
    pub id: Uuid,
    pub question_id: String,
    pub content_type: String,
    pub size_bytes: i32,
    pub page_count: Option<i32>,
    pub created_at: DateTime<Utc>,
}

impl Draft {
    pub fn file_counts(&self) -> BTreeMap<String, usize> {
        let mut counts = BTreeMap::new();
        for file in &self.files {
            *counts.entry(file.question_id.clone()).or_insert(0) += 1;
        }
        counts
    }
}

/// The version in force today and its application form, for a procedure offered online.
/// The current version of a procedure filed online with a form: its id, and whether it is
/// filed online only after sign-in with the national digital identity.
pub async fn current_form(pool: &PgPool, code: &str) -> Result<Option<(i64, bool)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT v.id, v.requires_national_identity FROM current_procedure_versions v JOIN procedures p ON p.id = v.procedure_id \
         JOIN application_forms f ON f.version_id = v.id WHERE p.code = $1 AND v.online_kind <> 'truc_tiep'",
    )
    .bind(code)
    .fetch_optional(pool)
    .await
}

use super::MAX_OPEN_DRAFTS;
/// Dossiers a citizen may file online in an hour.
pub const MAX_FILINGS_PER_HOUR: i64 = 10;

/// Starts a draft, or `None` when the citizen already keeps [`MAX_OPEN_DRAFTS`] open ones.
pub async fn create_draft(pool: &PgPool, citizen_id: Uuid, version_id: i64) -> Result<Option<Uuid>, sqlx::Error> {
    let mut tx = pool.begin().await?;
    citizen_turn(&mut tx, citizen_id).await?;
    let draft = sqlx::query_scalar(
        "INSERT INTO drafts (id, citizen_id, version_id, expires_at) \
         SELECT $1, $2, $3, now() + make_interval(days => $4) \
         WHERE (SELECT count(*) FROM drafts WHERE citizen_id = $2 AND submitted_at IS NULL AND expires_at > now()) < $5 \
         RETURNING id",
    )
    .bind(Uuid::new_v4())
    .bind(citizen_id)
    .bind(version_id)
    .bind(DRAFT_KEPT_DAYS)
    .bind(MAX_OPEN_DRAFTS)
    .fetch_optional(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(draft)
}

/// One change at a time per citizen (a transaction-scoped advisory lock), so the per-citizen
/// limits hold when requests arrive together.
async fn citizen_turn(tx: &mut Transaction<'_, Postgres>, citizen_id: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
        .bind(format!("citizen {citizen_id}"))
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Starts a draft an officer fills in at the counter for the citizen with this phone number
/// (created if new), or enters for them when their dossier came by post; the officer's agency
/// receives it.
pub async fn create_assisted_draft(
    pool: &PgPool,
    phone: &str,
    version_id: i64,
    staff_id: Uuid,
    agency_id: i64,
    by_post: bool,
) -> Result<Uuid, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let citizen = crate::auth::citizen::by_phone(&mut tx, phone).await?;
    let draft = sqlx::query_scalar(
        "INSERT INTO drafts (id, citizen_id, version_id, receiving_agency_id, assisted_by, expires_at, by_post) \
         VALUES ($1, $2, $3, $4, $5, now() + make_interval(days => $6), $7) RETURNING id",
    )
    .bind(Uuid::new_v4())
    .bind(citizen)
    .bind(version_id)
    .bind(agency_id)
    .bind(staff_id)
    .bind(DRAFT_KEPT_DAYS)
    .bind(by_post)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(draft)
}

/// Whether the procedure version can be filed through the channel ("online", "in_person", "post").
pub async fn offers_channel(pool: &PgPool, version_id: i64, channel: &str) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM procedure_channels WHERE version_id = $1 AND channel = $2)")
        .bind(version_id)
        .bind(channel)
        .fetch_one(pool)
        .await
}

/// The applicant (id, phone) of a draft the officer is filling in for them.
pub async fn assisted_applicant(
    pool: &PgPool,
    draft_id: Uuid,
    staff_id: Uuid,
) -> Result<Option<(Uuid, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT c.id, c.phone FROM drafts d JOIN citizens c ON c.id = d.citizen_id WHERE d.id = $1 AND d.assisted_by = $2",
    )
    .bind(draft_id)
    .bind(staff_id)
    .fetch_optional(pool)
    .await
}

/// The officer's unsubmitted counter drafts.
pub async fn assisted_drafts(pool: &PgPool, staff_id: Uuid) -> Result<Vec<DraftSummary>, sqlx::Error> {
    let rows: Vec<DraftListRow> = sqlx::query_as(
        "SELECT d.id, p.code, p.name, d.updated_at, d.expires_at, d.answers ->> (f.definition ->> 'applicant_name') \
         FROM drafts d JOIN procedure_versions v ON v.id = d.version_id JOIN procedures p ON p.id = v.procedure_id \
         JOIN application_forms f ON f.version_id = d.version_id \
         WHERE d.assisted_by = $1 AND d.submitted_at IS NULL AND d.expires_at > now() ORDER BY d.updated_at DESC LIMIT 50",
    )
    .bind(staff_id)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(draft_summary).collect())
}

/// Draft id, procedure code and name, last change, kept until, applicant's name so far.
type DraftListRow = (Uuid, String, String, DateTime<Utc>, DateTime<Utc>, Option<String>);

fn draft_summary((id, code, name, updated, expires, applicant): DraftListRow) -> DraftSummary {
    DraftSummary {
        id: id.to_string(),
        procedure_code: code,
        procedure_name: name,
        applicant_name: applicant.map(|a| a.trim().to_owned()).filter(|a| !a.is_empty()),
        updated_at: vietnam_time(updated).format("%d/%m/%Y %H:%M").to_string(),
        kept_until: vietnam_time(expires).format("%d/%m/%Y").to_string(),
    }
}

/// A draft's columns with its files and open supplement request as JSON, so that a draft is
/// read in one statement, from [`DRAFT_FROM`].
fn draft_columns() -> String {
    format!(
        "d.id, d.version_id, p.code AS procedure_code, p.name AS procedure_name, f.definition AS form, \
           d.answers, d.receiving_agency_id, s.code AS dossier_code, d.assisted_by IS NOT NULL AS at_counter, \
           d.by_post, d.updated_at, \
           (SELECT COALESCE(json_agg(json_build_object('id', x.id, 'question_id', x.question_id, \
              'content_type', x.content_type, 'size_bytes', x.size_bytes, 'page_count', x.page_count, \
              'created_at', x.created_at) ORDER BY x.created_at, x.id), '[]') \
            FROM draft_files x WHERE x.draft_id = d.id) AS files, \
           (SELECT json_build_object('documents', r.documents, 'note', r.note, 'requested_at', r.requested_at) \
            FROM supplement_requests r WHERE r.dossier_id = s.id AND r.fulfilled_at IS NULL AND s.status = {} \
            ORDER BY r.requested_at DESC LIMIT 1) AS supplement",
        Status::YeuCauBoSung.sql()
    )
}

/// Alias `d` is the draft, `v` its version and `s` its dossier once filed.
const DRAFT_FROM: &str = "drafts d JOIN procedure_versions v ON v.id = d.version_id \
     JOIN procedures p ON p.id = v.procedure_id JOIN application_forms f ON f.version_id = d.version_id \
     LEFT JOIN dossiers s ON s.draft_id = d.id";

/// Drafts its owner may still open: filed ones (to follow them), or ones kept until now.
const OWN_DRAFT: &str = "d.id = $1 AND d.citizen_id = $2 AND (d.submitted_at IS NOT NULL OR d.expires_at > now())";

#[derive(sqlx::FromRow)]
struct DraftRecord {
    id: Uuid,
    version_id: i64,
    procedure_code: String,
    procedure_name: String,
    form: Json<ApplicationForm>,
    answers: Json<Answers>,
    receiving_agency_id: Option<i64>,
    dossier_code: Option<String>,
    at_counter: bool,
    by_post: bool,
    updated_at: DateTime<Utc>,
    files: Json<Vec<DraftFile>>,
    supplement: Option<Json<OpenSupplement>>,
}

impl From<DraftRecord> for Draft {
    fn from(row: DraftRecord) -> Self {
        Draft {
            id: row.id,
            version_id: row.version_id,
            procedure_code: row.procedure_code,
            procedure_name: row.procedure_name,
            form: row.form.0.worded(&row.answers.0),
            answers: row.answers.0,
            receiving_agency_id: row.receiving_agency_id,
            dossier_code: row.dossier_code,
            at_counter: row.at_counter,
            by_post: row.by_post,
            read_at: row.updated_at,
            files: row.files.0,
            supplement: row.supplement.map(|json| json.0),
        }
    }
}

/// The citizen's own draft; someone else's draft is "not found", exactly like a missing one.
pub async fn load_draft(
    conn: &mut PgConnection,
    draft_id: Uuid,
    citizen_id: Uuid,
) -> Result<Option<Draft>, sqlx::Error> {
    let row: Option<DraftRecord> =
        sqlx::query_as(&format!("SELECT {} FROM {DRAFT_FROM} WHERE {OWN_DRAFT}", draft_columns()))
            .bind(draft_id)
            .bind(citizen_id)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(row.map(Draft::from))
}

/// Merges a page's answers into the draft (and keeps it another 30 days). False when the draft
/// is not the citizen's, or already submitted.
pub async fn save_answers(
    pool: &PgPool,
    draft_id: Uuid,
    citizen_id: Uuid,
    answers: &Answers,
    receiving_agency_id: Option<i64>,
) -> Result<bool, sqlx::Error> {
    let updated = sqlx::query(&format!(
        "UPDATE drafts d SET answers = answers || $3, \
           receiving_agency_id = COALESCE((SELECT a.id FROM agencies a WHERE a.id = $4 AND {RECEIVES_TODAY}), \
             receiving_agency_id), \
           updated_at = now(), expires_at = now() + make_interval(days => $5) \
         WHERE id = $1 AND citizen_id = $2 AND ((submitted_at IS NULL AND expires_at > now()) OR {})",
        supplement_open()
    ))
    .bind(draft_id)
    .bind(citizen_id)
    .bind(Json(answers))
    .bind(receiving_agency_id)
    .bind(DRAFT_KEPT_DAYS)
    .execute(pool)
    .await?;
    Ok(updated.rows_affected() == 1)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AgencyOption {
    pub id: i64,
    pub identifier: String,
    pub name: String,
}

/// An agency `a` in force today that receives dossiers.
const RECEIVES_TODAY: &str = "(a.valid_to IS NULL OR a.valid_to > current_date) \
     AND EXISTS (SELECT 1 FROM agency_procedures ap WHERE ap.agency_id = a.id)";

/// Agencies in force that receive dossiers: any of them may be chosen to file at.
pub async fn receiving_agencies(pool: &PgPool) -> Result<Vec<AgencyOption>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT a.id, a.identifier, a.name FROM agencies a WHERE {RECEIVES_TODAY} ORDER BY a.level DESC, a.name"
    ))
    .fetch_all(pool)
    .await
}

/// Communes in force, for address questions.
impl Draft {
    /// The channel it is filed through.
    pub fn channel(&self) -> &'static str {
        match (self.at_counter, self.by_post) {
            (_, true) => "post",
            (true, false) => "in_person",
            (false, false) => "online",
        }
    }
}

/// An agency `a` in force today that is a commune.
const COMMUNE: &str = "a.level = 'Cấp xã' AND (a.valid_to IS NULL OR a.valid_to > current_date)";

/// The communes an address may name, by their place name ("Xã Gia Viễn", not the people's
/// committee "UBND Xã Gia Viễn" that is the agency).
pub async fn communes(conn: &mut PgConnection) -> Result<Vec<AgencyOption>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT id, identifier, regexp_replace(name, '^(UBND|Ủy ban nhân dân)\\s+', '', 'i') AS name \
         FROM agencies a WHERE {COMMUNE} ORDER BY name"
    ))
    .fetch_all(conn)
    .await
}

/// The name of the version's required document at `position`.
pub async fn required_document(pool: &PgPool, version_id: i64, position: i16) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT name FROM procedure_documents WHERE version_id = $1 AND position = $2")
        .bind(version_id)
        .bind(position)
        .fetch_optional(pool)
        .await
}

pub enum Attach {
    Added,
    NoRoom,
    /// The citizen's open drafts hold [`MAX_CITIZEN_DRAFT_BYTES`] already.
    CitizenFull,
    Gone,
}

/// Bytes of files a citizen may keep in open drafts, all drafts together.
pub const MAX_CITIZEN_DRAFT_BYTES: i64 = 100 * 1024 * 1024;

/// Records a stored file on the draft if the draft has room for it (per question and in total).
pub async fn attach_file(
    pool: &PgPool,
    draft_id: Uuid,
    citizen_id: Uuid,
    question_id: &str,
    storage_key: &str,
    stored: &super::upload::StoredDocument,
) -> Result<Attach, sqlx::Error> {
    let mut tx = pool.begin().await?;
    citizen_turn(&mut tx, citizen_id).await?;
    let open: Option<Uuid> = sqlx::query_scalar(&format!(
        "SELECT id FROM drafts d WHERE id = $1 AND citizen_id = $2 AND (submitted_at IS NULL OR {}) \
         FOR UPDATE",
        supplement_open()
    ))
    .bind(draft_id)
    .bind(citizen_id)
    .fetch_optional(&mut *tx)
    .await?;
    if open.is_none() {
        return Ok(Attach::Gone);
    }
    let (same_question, total): (i64, i64) = sqlx::query_as(
        "SELECT count(*) FILTER (WHERE question_id = $2), COALESCE(sum(size_bytes), 0)::bigint \
         FROM draft_files WHERE draft_id = $1",
    )
    .bind(draft_id)
    .bind(question_id)
    .fetch_one(&mut *tx)
    .await?;
    let size = stored.bytes.len() as i64;
    if same_question >= crate::domain::application_form::MAX_FILES_PER_DOCUMENT as i64
        || total + size > super::upload::MAX_DOSSIER_BYTES
    {
        return Ok(Attach::NoRoom);
    }
    let kept: i64 = sqlx::query_scalar(
        "SELECT COALESCE(sum(f.size_bytes), 0)::bigint FROM draft_files f JOIN drafts d ON d.id = f.draft_id \
         WHERE d.citizen_id = $1 AND d.submitted_at IS NULL",
    )
    .bind(citizen_id)
    .fetch_one(&mut *tx)
    .await?;
    if kept + size > MAX_CITIZEN_DRAFT_BYTES {
        return Ok(Attach::CitizenFull);
    }
    sqlx::query(
        "INSERT INTO draft_files (id, draft_id, question_id, storage_key, content_type, size_bytes, page_count) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(Uuid::new_v4())
    .bind(draft_id)
    .bind(question_id)
    .bind(storage_key)
    .bind(stored.content_type)
    .bind(size as i32)
    .bind(stored.page_count)
    .execute(&mut *tx)
    .await?;
    sqlx::query("UPDATE drafts SET updated_at = now(), expires_at = now() + make_interval(days => $2) WHERE id = $1")
        .bind(draft_id)
        .bind(DRAFT_KEPT_DAYS)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Attach::Added)
}

/// Removes a file of this draft, an unsubmitted one of the citizen's (or one open for a
/// supplement); returns its storage key.
pub async fn detach_file(
    pool: &PgPool,
    draft_id: Uuid,
    file_id: Uuid,
    citizen_id: Uuid,
) -> Result<Option<String>, sqlx::Error> {
    // The draft is changed too, so that a submission checked before the removal is not filed.
    sqlx::query_scalar(&format!(
        "WITH removed AS (DELETE FROM draft_files f USING drafts d WHERE f.id = $1 AND d.id = f.draft_id \
           AND d.citizen_id = $2 AND d.id = $3 \
           AND (d.submitted_at IS NULL OR f.created_at > (SELECT r.requested_at FROM supplement_requests r \
                JOIN dossiers s ON s.id = r.dossier_id WHERE s.draft_id = d.id AND r.fulfilled_at IS NULL \
                AND s.status = {})) \
           RETURNING f.storage_key), \
         changed AS (UPDATE drafts SET updated_at = now() WHERE id = $3 AND EXISTS (SELECT 1 FROM removed)) \
         SELECT storage_key FROM removed",
        Status::YeuCauBoSung.sql()
    ))
    .bind(file_id)
    .bind(citizen_id)
    .bind(draft_id)
    .fetch_optional(pool)
    .await
}

/// A file's key and type, only for the citizen who attached it.
pub async fn owned_file(
    pool: &PgPool,
    file_id: Uuid,
    citizen_id: Uuid,
) -> Result<Option<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT f.storage_key, f.content_type FROM draft_files f JOIN drafts d ON d.id = f.draft_id \
         WHERE f.id = $1 AND d.citizen_id = $2",
    )
    .bind(file_id)
    .bind(citizen_id)
    .fetch_optional(pool)
    .await
}

/// Deletes the citizen's own unsubmitted draft with its file rows; returns the storage keys of
/// its files, or `None` when there is no such draft.
pub async fn delete_own_draft(
    pool: &PgPool,
    draft_id: Uuid,
    citizen_id: Uuid,
) -> Result<Option<Vec<String>>, sqlx::Error> {
    sqlx::query_scalar(
        "WITH doomed AS (SELECT id FROM drafts WHERE id = $1 AND citizen_id = $2 AND submitted_at IS NULL FOR UPDATE), \
              files AS (DELETE FROM draft_files f USING doomed WHERE f.draft_id = doomed.id RETURNING f.storage_key), \
              gone AS (DELETE FROM drafts d USING doomed WHERE d.id = doomed.id RETURNING d.id) \
         SELECT COALESCE((SELECT array_agg(storage_key) FROM files), '{}') WHERE EXISTS (SELECT 1 FROM gone)",
    )
    .bind(draft_id)
    .bind(citizen_id)
    .fetch_optional(pool)
    .await
}

/// Deletes unsubmitted drafts past their keeping date (at most `batch`), with their file rows;
/// returns how many drafts went and the storage keys of their files, for the caller to delete
/// from the file store.
pub async fn delete_expired_drafts(pool: &PgPool, batch: i64) -> Result<(i64, Vec<String>), sqlx::Error> {
    sqlx::query_as(
        "WITH doomed AS (SELECT id FROM drafts WHERE submitted_at IS NULL AND expires_at < now() \
                         ORDER BY expires_at LIMIT $1 FOR UPDATE SKIP LOCKED), \
              files AS (DELETE FROM draft_files f USING doomed WHERE f.draft_id = doomed.id RETURNING f.storage_key), \
              gone AS (DELETE FROM drafts d USING doomed WHERE d.id = doomed.id RETURNING d.id) \
         SELECT (SELECT count(*) FROM gone), COALESCE((SELECT array_agg(storage_key) FROM files), '{}')",
    )
    .bind(batch)
    .fetch_one(pool)
    .await
}

#[derive(Debug)]
pub enum Submitted {
    /// The dossier's code: new, or the one a previous attempt created.
    Dossier(String),
    Incomplete,
    Gone,
    /// The citizen filed [`MAX_FILINGS_PER_HOUR`] dossiers online in the last hour.
    TooMany,
    /// The receiving agency has used every code number of the day.
    NumbersUsedUp,
}

/// Files the draft as a dossier in two round trips: one statement reads the draft and what it
/// is checked against, the domain rules check it here, and one statement files it (see
/// [`record::file`]). Idempotent: a draft becomes at most one dossier, and asking again returns
/// the same code. `receipt_base` is the portal's public address, for the link in the receipt SMS.
pub async fn submit(
    pool: &PgPool,
    draft_id: Uuid,
    filer: &Filer<'_>,
    receipt_base: &str,
) -> Result<Submitted, sqlx::Error> {
    let citizen_id = filer.citizen_id;
    // A draft saved again between its reading and its filing (another tab) is read again.
    for _ in 0..3 {
        let now = Utc::now();
        let Some(facts) = filing_facts(pool, draft_id, citizen_id, vietnam_time(now).date()).await? else {
            return Ok(Submitted::Gone);
        };
        if let Some(code) = facts.draft.dossier_code.clone() {
            return Ok(Submitted::Dossier(code));
        }
        let outcome = match checked(&facts, now) {
            Ok(checked) => file_checked(pool, &facts, &checked, filer, receipt_base, now).await?,
            Err(refused) => return Ok(refused),
        };
        match outcome {
            record::Filed::New(code) | record::Filed::Already(code) => return Ok(Submitted::Dossier(code)),
            record::Filed::Changed => continue,
            record::Filed::Gone => return Ok(Submitted::Gone),
            record::Filed::TooMany => return Ok(Submitted::TooMany),
            record::Filed::NumbersUsedUp => {
                tracing::error!(
                    agency = facts.draft.receiving_agency_id,
                    "the agency's dossier numbers of the day are used up"
                );
                return Ok(Submitted::NumbersUsedUp);
            }
        }
    }
    Ok(Submitted::Incomplete)
}

/// Whose dossier is filed: the applicant's account and phone number, and how they were
/// identified in this session.
pub struct Filer<'a> {
    pub citizen_id: Uuid,
    pub phone: &'a str,
    pub identified_by: record::IdentifiedBy,
}

/// The draft and everything its filing is checked against, read in one statement.
struct FilingFacts {
    draft: Draft,
    /// The officer filing it at the counter: id, name and agency.
    officer: Option<(Uuid, String, i64)>,
    receiving_identifier: Option<String>,
    /// The receiving agency if it offers the procedure, else the first agency that does.
    handling_agency_id: Option<i64>,
    /// The version's channels: (channel, case, time amount, time unit).
    channels: Vec<(String, Option<i16>, i32, String)>,
    communes: Vec<String>,
    calendar: WorkCalendar,
}

#[derive(sqlx::FromRow)]
struct FilingRow {
    #[sqlx(flatten)]
    draft: DraftRecord,
    officer_id: Option<Uuid>,
    officer_name: Option<String>,
    officer_agency_id: Option<i64>,
    receiving_identifier: Option<String>,
    handling_agency_id: Option<i64>,
    channels: Json<Vec<(String, Option<i16>, i32, String)>>,
    communes: Vec<String>,
    calendar: Json<Vec<(NaiveDate, String)>>,
}

async fn filing_facts(
    pool: &PgPool,
    draft_id: Uuid,
    citizen_id: Uuid,
    today: NaiveDate,
) -> Result<Option<FilingFacts>, sqlx::Error> {
    let sql = format!(
        "SELECT {}, u.id AS officer_id, u.full_name AS officer_name, u.agency_id AS officer_agency_id, \
           r.identifier AS receiving_identifier, \
           COALESCE((SELECT ap.agency_id FROM agency_procedures ap WHERE ap.agency_id = r.id \
                       AND ap.procedure_id = v.procedure_id), \
                    (SELECT ap.agency_id FROM agency_procedures ap JOIN agencies a ON a.id = ap.agency_id \
                     WHERE ap.procedure_id = v.procedure_id AND (a.valid_to IS NULL OR a.valid_to > current_date) \
                     ORDER BY a.identifier LIMIT 1)) AS handling_agency_id, \
           (SELECT COALESCE(json_agg(json_build_array(c.channel, c.case_no, c.time_amount, c.time_unit)), '[]') \
            FROM procedure_channels c WHERE c.version_id = d.version_id) AS channels, \
           ARRAY(SELECT a.identifier FROM agencies a WHERE {COMMUNE}) AS communes, \
           ({}) AS calendar \
         FROM {DRAFT_FROM} LEFT JOIN staff_users u ON u.id = d.assisted_by LEFT JOIN agencies r ON r.id = d.receiving_agency_id \
         WHERE {OWN_DRAFT}",
        draft_columns(),
        crate::filed::clock::calendar_json("$3"),
    );
    let row: Option<FilingRow> =
        sqlx::query_as(&sql).bind(draft_id).bind(citizen_id).bind(today).fetch_optional(pool).await?;
    Ok(row.map(|row| FilingFacts {
        draft: row.draft.into(),
        officer: row
            .officer_id
            .zip(row.officer_name)
            .zip(row.officer_agency_id)
            .map(|((id, name), agency)| (id, name, agency)),
        receiving_identifier: row.receiving_identifier,
        handling_agency_id: row.handling_agency_id,
        channels: row.channels.0,
        communes: row.communes,
        calendar: crate::filed::clock::calendar_of(row.calendar.0),
    }))
}

/// What the domain rules make of a complete draft.
struct Checked {
    applicant: String,
    receiving: i64,
    /// The receiving agency's identifier, which begins the code.
    receiving_identifier: String,
    handling: i64,
    time_limit: TimeLimit,
    case_no: Option<i16>,
    due: NaiveDate,
}

/// The draft as it will be filed, or why it cannot be: every answer valid, an agency chosen
/// that can route it, and a time limit for its channel and case.
fn checked(facts: &FilingFacts, now: DateTime<Utc>) -> Result<Checked, Submitted> {
    let draft = &facts.draft;
    let received = vietnam_time(now);
    let files = draft.file_counts();
    let context =
        crate::domain::application_form::Context { today: received.date(), communes: &facts.communes, files: &files };
    if !draft.form.validate_all(&draft.answers, &context).is_empty() {
        return Err(Submitted::Incomplete);
    }
    let applicant = draft.form.applicant_name(&draft.answers).ok_or(Submitted::Incomplete)?;
    let receiving = draft.receiving_agency_id.ok_or(Submitted::Incomplete)?;
    let receiving_identifier = facts.receiving_identifier.clone().ok_or(Submitted::Incomplete)?;
    let handling = facts.handling_agency_id.ok_or(Submitted::Incomplete)?;
    let case_no = draft.form.case_no(&draft.answers);
    let time_limit = channel_time_limit(&facts.channels, draft.channel(), case_no).ok_or(Submitted::Incomplete)?;
    let due = facts.calendar.due_date(received, time_limit);
    Ok(Checked { applicant, receiving, receiving_identifier, handling, time_limit, case_no, due })
}

/// The channel's time limit for the case chosen, or the one that holds for every case.
fn channel_time_limit(
    channels: &[(String, Option<i16>, i32, String)],
    channel: &str,
    case_no: Option<i16>,
) -> Option<TimeLimit> {
    let case = case_no.unwrap_or(1);
    let fits = channels.iter().filter(|(name, row_case, ..)| name == channel && row_case.is_none_or(|c| c == case));
    let (_, _, amount, unit) = fits.max_by_key(|(_, row_case, ..)| row_case.is_some())?;
    TimeLimit::from_db(*amount, unit).ok()
}

/// Files the checked draft. At the counter of the receiving agency the officer checks the
/// dossier while filing it: received at once. Filed at another agency's counter, it waits for
/// that agency's intake.
async fn file_checked(
    pool: &PgPool,
    facts: &FilingFacts,
    checked: &Checked,
    filer: &Filer<'_>,
    receipt_base: &str,
    now: DateTime<Utc>,
) -> Result<record::Filed, sqlx::Error> {
    let draft = &facts.draft;
    let how = if draft.by_post { "nhận qua bưu chính" } else { "nộp thay tại quầy" };
    let (status, actor) = match &facts.officer {
        Some((_, name, agency)) if *agency == checked.receiving => (Status::DuocTiepNhan, format!("{name} ({how})")),
        Some((_, name, _)) => (Status::MoiDangKy, format!("{name} ({how})")),
        None => (Status::MoiDangKy, "Công dân nộp trực tuyến".to_owned()),
    };
    let officer = facts.officer.as_ref().map(|(id, ..)| *id);
    let received_at_once = status == Status::DuocTiepNhan;
    let body = super::receipt_sms(
        record::CODE_MARK,
        &draft.procedure_code,
        received_at_once.then_some(checked.due),
        receipt_base,
    );
    let filing = record::Filing {
        dossier: record::NewDossier {
            draft_id: draft.id,
            citizen_id: filer.citizen_id,
            version_id: draft.version_id,
            receiving_agency_id: checked.receiving,
            receiving_identifier: &checked.receiving_identifier,
            handling_agency_id: checked.handling,
            channel: draft.channel(),
            status,
            applicant_name: &checked.applicant,
            answers: &draft.answers,
            due_date: checked.due,
            time_limit: checked.time_limit,
            case_no: checked.case_no,
            assisted_by: officer,
            identified_by: match (officer, draft.by_post) {
                (Some(_), true) => record::IdentifiedBy::ByPost,
                (Some(_), false) => record::IdentifiedBy::Counter,
                (None, _) => filer.identified_by,
            },
        },
        draft_read_at: draft.read_at,
        hourly_limit: officer.is_none().then_some(MAX_FILINGS_PER_HOUR),
        event: Event {
            action: SUBMITTED_SLUG,
            from_status: None,
            to_status: status,
            actor: &actor,
            staff_user_id: officer,
            from_agency_id: Some(checked.receiving),
            to_agency_id: checked.receiving,
            step_due_date: None,
            reason: None,
            details: serde_json::json!({}),
        },
        message: Sms { to: filer.phone, body, purpose: Purpose::Receipt, dossier_id: None },
    };
    record::file(pool, &filing, now).await
}

pub async fn my_drafts(pool: &PgPool, citizen_id: Uuid) -> Result<Vec<DraftSummary>, sqlx::Error> {
    let rows: Vec<DraftListRow> = sqlx::query_as(
        "SELECT d.id, p.code, p.name, d.updated_at, d.expires_at, d.answers ->> (f.definition ->> 'applicant_name') \
         FROM drafts d JOIN procedure_versions v ON v.id = d.version_id JOIN procedures p ON p.id = v.procedure_id \
         JOIN application_forms f ON f.version_id = d.version_id \
         WHERE d.citizen_id = $1 AND d.submitted_at IS NULL AND d.expires_at > now() ORDER BY d.updated_at DESC",
    )
    .bind(citizen_id)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(draft_summary).collect())
}

pub async fn my_dossiers(pool: &PgPool, citizen_id: Uuid) -> Result<Vec<DossierSummary>, sqlx::Error> {
    let rows: Vec<(String, String, String, DateTime<Utc>, NaiveDate)> = sqlx::query_as(
        "SELECT s.code, p.name, s.status, s.received_at, s.due_date FROM dossiers s \
         JOIN procedure_versions v ON v.id = s.version_id JOIN procedures p ON p.id = v.procedure_id \
         WHERE s.citizen_id = $1 ORDER BY s.received_at DESC LIMIT 100",
    )
    .bind(citizen_id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(code, name, status, received, due)| DossierSummary {
            code,
            procedure_name: name,
            status,
            received_at: vietnam_time(received).format("%d/%m/%Y %H:%M").to_string(),
            due_date: due.format("%d/%m/%Y").to_string(),
        })
        .collect())
}

type ReceiptRow = (
    Uuid,
    String,
    String,
    String,
    String,
    String,
    String,
    DateTime<Utc>,
    NaiveDate,
    String,
    i32,
    String,
    Option<NaiveDate>,
    Uuid,
    bool,
);

/// How long a dossier sent online should wait for intake's check: the portal's own promise
/// to the citizen (one working day), shown until the dossier is accepted.
const INTAKE_CHECK: TimeLimit = TimeLimit { amount: 1, unit: crate::domain::time_limit::TimeUnit::WorkingDays };

pub async fn receipt(pool: &PgPool, code: &str, citizen_id: Uuid) -> Result<Option<ReceiptView>, sqlx::Error> {
    let row: Option<ReceiptRow> = sqlx::query_as(&format!(
        "SELECT s.id, s.code, p.code, p.name, r.name, h.name, s.applicant_name, s.received_at, s.due_date, s.status, \
           (SELECT count(*)::int FROM draft_files f WHERE f.draft_id = s.draft_id), v.result, s.promised_date, s.draft_id, \
           v.online_kind = 'toan_trinh' AND EXISTS (SELECT 1 FROM dossier_results x WHERE x.dossier_id = s.id) \
             AND s.status IN ({}) \
         FROM dossiers s JOIN procedure_versions v ON v.id = s.version_id JOIN procedures p ON p.id = v.procedure_id \
         JOIN agencies r ON r.id = s.receiving_agency_id JOIN agencies h ON h.id = s.handling_agency_id \
         WHERE s.code = $1 AND s.citizen_id = $2",
        sql_list(&RESULT_READY)
    ))
    .bind(code)
    .bind(citizen_id)
    .fetch_optional(pool)
    .await?;
    let Some((
        id,
        code,
        procedure_code,
        procedure_name,
        receiving,
        handling,
        applicant,
        received,
        due,
        status,
        files,
        result,
        promised,
        draft_id,
        digital_result,
    )) = row
    else {
        return Ok(None);
    };
    let events: Vec<(DateTime<Utc>, String, String, Option<String>)> =
        sqlx::query_as("SELECT at, status, actor, note FROM dossier_events WHERE dossier_id = $1 ORDER BY at, id")
            .bind(id)
            .fetch_all(pool)
            .await?;
    let mut conn = pool.acquire().await?;
    let supplement = match load_draft(&mut conn, draft_id, citizen_id).await? {
        Some(draft) => supplement_request(&draft),
        None => None,
    };
    let rating = crate::dossier::rating::db::given(pool, id).await?;
    let check_by = if status == Status::MoiDangKy.as_db() {
        let mut tx = pool.begin().await?;
        let sent = vietnam_time(received);
        let by = work_calendar(&mut tx, sent.date()).await?.due_date(sent, INTAKE_CHECK);
        Some(by.format("%d/%m/%Y").to_string())
    } else {
        None
    };
    let (slip, fees) = match crate::filed::record::of_citizen(pool, &code, citizen_id).await? {
        Some(record) => {
            (crate::filed::slip::receipt_slip(pool, &record).await?, crate::filed::payments::fees(pool, &record).await?)
        }
        None => (None, Default::default()),
    };
    Ok(Some(ReceiptView {
        slip,
        fees,
        check_by,
        rating,
        result_url: digital_result.then(|| format!("{}/ket-qua", crate::routes::receipt_url(&code))),
        code,
        procedure_code,
        procedure_name,
        receiving_agency: receiving,
        handling_agency: handling,
        applicant_name: applicant,
        received_time: vietnam_time(received).format("%H:%M").to_string(),
        received_date: vietnam_time(received).format("%d/%m/%Y").to_string(),
        due_date: due.format("%d/%m/%Y").to_string(),
        promised_date: promised.map(|d| d.format("%d/%m/%Y").to_string()),
        status,
        file_count: files,
        result,
        timeline: events
            .into_iter()
            .map(|(at, status, actor, note)| TimelineEntry {
                at: vietnam_time(at).format("%H:%M %d/%m/%Y").to_string(),
                status,
                actor,
                note,
            })
            .collect(),
        supplement,
        qr_svg: String::new(),
    }))
}

fn supplement_request(draft: &Draft) -> Option<super::SupplementRequest> {
    let open = draft.supplement.as_ref()?;
    let pages: Vec<&crate::domain::application_form::FormPage> = draft
        .form
        .pages
        .iter()
        .filter(|p| p.is_document_page() && open.documents.contains(&p.questions[0].id))
        .collect();
    Some(super::SupplementRequest {
        note: open.note.clone(),
        documents: pages.iter().map(|p| p.questions[0].label.clone()).collect(),
        start_url: crate::routes::step_url(&draft.id.to_string(), &pages.first()?.id),
    })
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
    let Some(record) = record::lock_by_draft(&mut tx, draft_id, citizen_id).await? else {
        return Ok(Supplemented::NothingOpen);
    };
    let open = supplements::open_request(&mut tx, record.id).await?;
    let (Some((_, documents, requested_at)), Ok(to)) =
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
    supplements::resume(&mut tx, &record, &mut change, now).await?;
    record::take_answers_from_draft(&mut tx, record.id, draft_id).await?;
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
        details: serde_json::json!({ "giay_to": names }),
    };
    write_transition(&mut tx, &record, &change, &event, &Details::Nothing, link_base, now).await?;
    tx.commit().await?;
    Ok(Supplemented::Done(record.code))
}

/// Whether the citizen's draft is of a procedure version filed online only after sign-in with
/// the national digital identity.
pub async fn draft_needs_national_identity(
    pool: &PgPool,
    draft_id: Uuid,
    citizen_id: Uuid,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT v.requires_national_identity FROM drafts d JOIN procedure_versions v ON v.id = d.version_id \
         WHERE d.id = $1 AND d.citizen_id = $2",
    )
    .bind(draft_id)
    .bind(citizen_id)
    .fetch_optional(pool)
    .await
    .map(|needed| needed.unwrap_or(false))
}

/// What the start page of filing says about a procedure.
pub async fn start_info(pool: &PgPool, code: &str) -> Result<Option<super::StartInfo>, sqlx::Error> {
    type Row = (String, String, String, Vec<String>, Vec<String>, Vec<String>, bool, bool);
    let row: Option<Row> = sqlx::query_as(
        "SELECT p.code, p.name, v.online_kind, \
           ARRAY(SELECT d.name FROM procedure_documents d WHERE d.version_id = v.id AND d.position IN \
                   (SELECT (q ->> 'document')::int FROM application_forms f, \
                      jsonb_array_elements(f.definition -> 'pages') pg, jsonb_array_elements(pg -> 'questions') q \
                    WHERE f.version_id = v.id AND q ->> 'type' = 'document') \
                 ORDER BY d.case_no NULLS FIRST, d.position), \
           ARRAY(SELECT d.name FROM procedure_documents d WHERE d.version_id = v.id AND d.present_only \
                 ORDER BY d.case_no NULLS FIRST, d.position), \
           ARRAY(SELECT a.name FROM agencies a JOIN agency_procedures ap ON ap.agency_id = a.id \
                 WHERE ap.procedure_id = p.id AND (a.valid_to IS NULL OR a.valid_to > current_date) ORDER BY a.name), \
           EXISTS (SELECT 1 FROM application_forms f WHERE f.version_id = v.id), v.requires_national_identity \
         FROM procedures p JOIN current_procedure_versions v ON v.procedure_id = p.id WHERE p.code = $1",
    )
    .bind(code)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|(code, name, online_kind, uploads, to_show, offered_by, has_form, needs_identity)| super::StartInfo {
        code,
        name,
        online: online_kind != "truc_tiep",
        has_form,
        uploads,
        to_show,
        offered_by,
        national_identity: needs_identity.then_some(super::IdentityNeeded::NotSignedIn),
    }))
}
