//! Catalog queries. Read-only; the import module writes. A procedure is listed only while one
//! of its versions is in force (`current_procedure_versions`).

use super::{
    Agency, CatalogFilter, Channel, ChannelKind, Facets, FieldCount, FormLink, OnlineKind, PortalOperator,
    ProcedureDetail, ProcedureSummary, RequiredDocument, SearchResults,
};
use crate::domain::fee::{FeeItem, FeeSummary};
use crate::domain::time_limit::TimeLimit;
use crate::domain::{procedure_code::ProcedureCode, search::SearchQuery};
use sqlx::PgPool;

#[derive(sqlx::FromRow)]
struct SummaryRow {
    code: String,
    name: String,
    field: String,
    level: String,
    online_kind: String,
    time_amount: Option<i32>,
    time_unit: Option<String>,
    fee_items: Option<i64>,
    fee_total: Option<i64>,
    fee_text: Option<String>,
}

impl From<SummaryRow> for ProcedureSummary {
    fn from(row: SummaryRow) -> Self {
        let time_limit = match (row.time_amount, row.time_unit.as_deref()) {
            (Some(amount), Some(unit)) => TimeLimit::from_db(amount, unit).ok(),
            _ => None,
        };
        Self {
            code: row.code,
            name: row.name,
            field: row.field,
            level: row.level,
            time_limit,
            fee: FeeSummary::from_parts(row.fee_items.unwrap_or(0), row.fee_total, row.fee_text),
            online_kind: OnlineKind::from_db(&row.online_kind),
        }
    }
}

/// Procedures (`p`) with their field (`f`) and version in force (`v`), plus the time limit and
/// fee summary of the version's first channel: the general case, in person before online and post.
const SUMMARY_COLUMNS: &str = "\
    p.code, p.name, f.name AS field, p.level, v.online_kind, \
    ch.time_amount, ch.time_unit, fee.items AS fee_items, fee.total AS fee_total, fee.text AS fee_text";

const SUMMARY_JOINS: &str = "\
    FROM procedures p \
    JOIN fields f ON f.id = p.field_id \
    JOIN current_procedure_versions v ON v.procedure_id = p.id \
    LEFT JOIN LATERAL ( \
        SELECT c.id, c.time_amount, c.time_unit FROM procedure_channels c WHERE c.version_id = v.id \
        ORDER BY c.case_no NULLS FIRST, array_position(ARRAY['in_person', 'online', 'post'], c.channel) LIMIT 1 \
    ) ch ON true \
    LEFT JOIN LATERAL ( \
        SELECT count(*) AS items, \
               CASE WHEN bool_and(amount_vnd IS NOT NULL) THEN sum(amount_vnd)::bigint END AS total, \
               (array_agg(description ORDER BY amount_vnd IS NOT NULL, position))[1] AS text \
        FROM channel_fees WHERE channel_id = ch.id \
    ) fee ON true";

/// Procedures the agency marks as most asked for, for the home page.
pub async fn popular_procedures(pool: &PgPool) -> Result<Vec<ProcedureSummary>, sqlx::Error> {
    let sql = format!("SELECT {SUMMARY_COLUMNS} {SUMMARY_JOINS} WHERE p.is_popular ORDER BY f.name, p.name");
    let rows: Vec<SummaryRow> = sqlx::query_as(&sql).fetch_all(pool).await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

/// Conditions shared by the result and count queries. $1: folded query; $2: field name;
/// $3: level; $4: agency identifier (each NULL when not filtering). A procedure matches when the
/// query is a substring of its search text or close to one of its words (trigram word
/// similarity, which tolerates typos).
const MATCHES: &str = "\
    ($1::text IS NULL OR strpos(p.search_text, $1) > 0 OR $1 <% p.search_text) \
    AND ($2::text IS NULL OR f.name = $2) \
    AND ($3::text IS NULL OR p.level = $3) \
    AND ($4::text IS NULL OR EXISTS ( \
        SELECT 1 FROM agency_procedures ap JOIN agencies a ON a.id = ap.agency_id \
        WHERE ap.procedure_id = p.id AND a.identifier = $4))";

/// Matches ranked: the query as a substring first, then by closeness to some words (word
/// similarity) plus closeness to the whole text (similarity), which prefers a procedure named
/// just so over a longer one that mentions it ("Đăng ký khai sinh" before the combined
/// birth-residence-insurance procedure).
pub async fn search_procedures(
    pool: &PgPool,
    query: Option<&SearchQuery>,
    filter: &CatalogFilter,
    per_page: u32,
) -> Result<SearchResults, sqlx::Error> {
    let folded = query.map(|q| q.folded.as_str());
    let count_sql = format!(
        "SELECT count(*) FROM procedures p JOIN fields f ON f.id = p.field_id \
         JOIN current_procedure_versions v ON v.procedure_id = p.id WHERE {MATCHES}"
    );
    let total: i64 = sqlx::query_scalar(&count_sql)
        .bind(folded)
        .bind(filter.field.as_deref())
        .bind(filter.level.as_deref())
        .bind(filter.agency.as_deref())
        .fetch_one(pool)
        .await?;
    let sql = format!(
        "SELECT {SUMMARY_COLUMNS} {SUMMARY_JOINS} WHERE {MATCHES} ORDER BY \
           ($1::text IS NOT NULL AND strpos(p.search_text, $1) = 0), \
           CASE WHEN $1::text IS NULL THEN 0 \
                ELSE word_similarity($1, p.search_text) + similarity($1, p.search_text) END DESC, \
           p.is_popular DESC, f.name, p.name \
         LIMIT $5 OFFSET $6"
    );
    let rows: Vec<SummaryRow> = sqlx::query_as(&sql)
        .bind(folded)
        .bind(filter.field.as_deref())
        .bind(filter.level.as_deref())
        .bind(filter.agency.as_deref())
        .bind(i64::from(per_page))
        .bind(i64::from(filter.page.saturating_sub(1)) * i64::from(per_page))
        .fetch_all(pool)
        .await?;
    Ok(SearchResults { procedures: rows.into_iter().map(Into::into).collect(), total })
}

pub async fn facets(pool: &PgPool) -> Result<Facets, sqlx::Error> {
    let fields: Vec<(String, i64)> = sqlx::query_as(
        "SELECT f.name, count(*) FROM fields f JOIN procedures p ON p.field_id = f.id \
         JOIN current_procedure_versions v ON v.procedure_id = p.id GROUP BY f.name ORDER BY f.name",
    )
    .fetch_all(pool)
    .await?;
    let levels: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT p.level FROM procedures p JOIN current_procedure_versions v ON v.procedure_id = p.id \
         ORDER BY p.level",
    )
    .fetch_all(pool)
    .await?;
    let agencies: Vec<AgencyRow> = sqlx::query_as(&format!(
        "SELECT {AGENCY_COLUMNS} FROM agencies a \
         WHERE (a.valid_to IS NULL OR a.valid_to > current_date) \
           AND EXISTS (SELECT 1 FROM agency_procedures ap WHERE ap.agency_id = a.id) \
         ORDER BY a.level, a.name"
    ))
    .fetch_all(pool)
    .await?;
    Ok(Facets {
        fields: fields.into_iter().map(|(name, procedures)| FieldCount { name, procedures }).collect(),
        levels,
        agencies: agencies.into_iter().map(Into::into).collect(),
    })
}

const AGENCY_COLUMNS: &str = "a.identifier, a.name, a.level, a.address, a.hotline";

#[derive(sqlx::FromRow)]
struct AgencyRow {
    identifier: String,
    name: String,
    level: String,
    address: Option<String>,
    hotline: Option<String>,
}

impl From<AgencyRow> for Agency {
    fn from(row: AgencyRow) -> Self {
        Self { identifier: row.identifier, name: row.name, level: row.level, address: row.address, hotline: row.hotline }
    }
}

#[derive(sqlx::FromRow)]
struct DetailRow {
    #[sqlx(flatten)]
    summary: SummaryRow,
    procedure_id: i64,
    version_id: i64,
    applicant: String,
    competent_agency: String,
    effective_from: chrono::NaiveDate,
    announced_by: Option<String>,
    steps: Vec<String>,
    conditions: Vec<String>,
    legal_basis: Vec<String>,
    result: String,
    unverified_note: Option<String>,
}

/// The procedure with its version in force today, or `None` if there is none.
pub async fn find_procedure(pool: &PgPool, code: &ProcedureCode) -> Result<Option<ProcedureDetail>, sqlx::Error> {
    let sql = format!(
        "SELECT {SUMMARY_COLUMNS}, p.id AS procedure_id, v.id AS version_id, p.applicant, p.competent_agency, \
                v.effective_from, v.announced_by, v.steps, v.conditions, v.legal_basis, v.result, v.unverified_note \
         {SUMMARY_JOINS} WHERE p.code = $1"
    );
    let Some(row) = sqlx::query_as::<_, DetailRow>(&sql).bind(code.as_str()).fetch_optional(pool).await? else {
        return Ok(None);
    };
    let cases: Vec<String> =
        sqlx::query_scalar("SELECT name FROM procedure_cases WHERE version_id = $1 ORDER BY case_no")
            .bind(row.version_id)
            .fetch_all(pool)
            .await?;
    let channels = channels(pool, row.version_id).await?;
    let documents = documents(pool, row.version_id).await?;
    let mut forms: Vec<FormLink> = documents.iter().filter_map(|d| d.form.clone()).collect();
    forms.dedup_by(|a, b| a.file_name == b.file_name);
    let offered_by = offering_agencies(pool, row.procedure_id).await?;
    Ok(Some(ProcedureDetail {
        summary: row.summary.into(),
        applicant: row.applicant,
        competent_agency: row.competent_agency,
        effective_from: row.effective_from.format("%d/%m/%Y").to_string(),
        announced_by: row.announced_by,
        cases,
        steps: row.steps,
        channels,
        documents,
        conditions: row.conditions,
        legal_basis: row.legal_basis,
        forms,
        result: row.result,
        offered_by,
        unverified_note: row.unverified_note,
    }))
}

#[derive(sqlx::FromRow)]
struct ChannelRow {
    id: i64,
    case_no: Option<i16>,
    channel: String,
    time_amount: i32,
    time_unit: String,
    time_note: Option<String>,
}

async fn channels(pool: &PgPool, version_id: i64) -> Result<Vec<Channel>, sqlx::Error> {
    let rows: Vec<ChannelRow> = sqlx::query_as(
        "SELECT id, case_no, channel, time_amount, time_unit, time_note FROM procedure_channels \
         WHERE version_id = $1 \
         ORDER BY case_no NULLS FIRST, array_position(ARRAY['in_person', 'online', 'post'], channel)",
    )
    .bind(version_id)
    .fetch_all(pool)
    .await?;
    let fees: Vec<(i64, String, Option<i64>, Option<String>)> = sqlx::query_as(
        "SELECT f.channel_id, f.name, f.amount_vnd, f.description FROM channel_fees f \
         JOIN procedure_channels c ON c.id = f.channel_id WHERE c.version_id = $1 ORDER BY f.position",
    )
    .bind(version_id)
    .fetch_all(pool)
    .await?;
    let mut channels = Vec::with_capacity(rows.len());
    for row in rows {
        let (Some(kind), Ok(time_limit)) =
            (ChannelKind::from_db(&row.channel), TimeLimit::from_db(row.time_amount, &row.time_unit))
        else {
            return Err(sqlx::Error::Decode(format!("channel {} breaks the schema's checks", row.id).into()));
        };
        let fees = fees
            .iter()
            .filter(|(channel_id, ..)| *channel_id == row.id)
            .map(|(_, name, amount, description)| FeeItem {
                name: name.clone(),
                amount_vnd: amount.and_then(|a| u64::try_from(a).ok()),
                description: description.clone(),
            })
            .collect();
        channels.push(Channel { case_no: row.case_no, kind, time_limit, time_note: row.time_note, fees });
    }
    Ok(channels)
}

#[derive(sqlx::FromRow)]
struct DocumentRow {
    case_no: Option<i16>,
    name: String,
    originals: i16,
    copies: i16,
    present_only: bool,
    mandatory: bool,
    photo_accepted: bool,
    note: Option<String>,
    form_file: Option<String>,
    form_title: Option<String>,
    form_size: Option<i64>,
}

async fn documents(pool: &PgPool, version_id: i64) -> Result<Vec<RequiredDocument>, sqlx::Error> {
    let rows: Vec<DocumentRow> = sqlx::query_as(
        "SELECT d.case_no, d.name, d.originals, d.copies, d.present_only, d.mandatory, d.photo_accepted, d.note, \
                t.file_name AS form_file, t.title AS form_title, octet_length(t.content)::bigint AS form_size \
         FROM procedure_documents d LEFT JOIN form_templates t ON t.id = d.form_id \
         WHERE d.version_id = $1 ORDER BY d.case_no NULLS FIRST, d.position",
    )
    .bind(version_id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| RequiredDocument {
            form: match (row.form_file, row.form_title, row.form_size) {
                (Some(file_name), Some(title), Some(size_bytes)) => Some(FormLink { file_name, title, size_bytes }),
                _ => None,
            },
            case_no: row.case_no,
            name: row.name,
            originals: row.originals,
            copies: row.copies,
            present_only: row.present_only,
            mandatory: row.mandatory,
            photo_accepted: row.photo_accepted,
            note: row.note,
        })
        .collect())
}

async fn offering_agencies(pool: &PgPool, procedure_id: i64) -> Result<Vec<Agency>, sqlx::Error> {
    let rows: Vec<AgencyRow> = sqlx::query_as(&format!(
        "SELECT {AGENCY_COLUMNS} FROM agencies a JOIN agency_procedures ap ON ap.agency_id = a.id \
         WHERE ap.procedure_id = $1 AND (a.valid_to IS NULL OR a.valid_to > current_date) ORDER BY a.name"
    ))
    .bind(procedure_id)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

/// A form template to download: its bytes and content type.
pub struct FormFile {
    pub content_type: String,
    pub content: Vec<u8>,
}

pub async fn form_file(pool: &PgPool, file_name: &str) -> Result<Option<FormFile>, sqlx::Error> {
    let row: Option<(String, Vec<u8>)> =
        sqlx::query_as("SELECT content_type, content FROM form_templates WHERE file_name = $1")
            .bind(file_name)
            .fetch_optional(pool)
            .await?;
    Ok(row.map(|(content_type, content)| FormFile { content_type, content }))
}

/// The top-level agency (the province) that runs this portal.
pub async fn portal_operator(pool: &PgPool) -> Result<Option<PortalOperator>, sqlx::Error> {
    sqlx::query_as::<_, (String, Option<String>, bool)>(
        "SELECT name, hotline, is_demo FROM agencies \
         WHERE parent_id IS NULL AND valid_to IS NULL ORDER BY id LIMIT 1",
    )
    .fetch_optional(pool)
    .await
    .map(|row| {
        row.map(|(name, hotline, is_demo)| PortalOperator { name, hotline: hotline.unwrap_or_default(), is_demo })
    })
}

pub async fn procedure_id(pool: &PgPool, code: &ProcedureCode) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM procedures WHERE code = $1").bind(code.as_str()).fetch_optional(pool).await
}
