//! Catalog queries. Read-only; the import module writes. A procedure is listed only while one
//! of its versions is in force; search, browse and result lines read `catalog_listing`.

use super::{
    Agency, CatalogFilter, Channel, ChannelKind, Facets, FieldCount, FormLink, OnlineKind, PortalOperator,
    ProcedureDetail, ProcedureSummary, RequiredDocument, SearchResults,
};
use crate::domain::fee::{FeeItem, FeeSummary};
use crate::domain::time_limit::TimeLimit;
use crate::domain::{procedure_code::ProcedureCode, search::SearchQuery};
use sqlx::{PgPool, Postgres, QueryBuilder};

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

/// A result line, from `catalog_listing` (`l`): one row per procedure version, kept by triggers
/// on the tables it is made from (migration `catalog_listing`).
const SUMMARY_COLUMNS: &str = "\
    l.code, l.name, l.field, l.level, l.online_kind, \
    l.time_amount, l.time_unit, l.fee_items, l.fee_total, l.fee_text";

/// The listed version in force on `$1`, Vietnam's date today.
const IN_FORCE: &str = "l.effective_from <= $1 AND (l.effective_to IS NULL OR l.effective_to > $1)";

fn vietnam_today() -> chrono::NaiveDate {
    crate::filed::clock::vietnam_time(chrono::Utc::now()).date()
}

/// Procedures the agency marks as most asked for, for the home page.
pub async fn popular_procedures(pool: &PgPool) -> Result<Vec<ProcedureSummary>, sqlx::Error> {
    let sql = format!(
        "SELECT {SUMMARY_COLUMNS} FROM catalog_listing l WHERE l.is_popular AND {IN_FORCE} ORDER BY l.field, l.name"
    );
    let rows: Vec<SummaryRow> = sqlx::query_as(&sql).bind(vietnam_today()).fetch_all(pool).await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

#[derive(sqlx::FromRow)]
struct ResultRow {
    #[sqlx(flatten)]
    summary: SummaryRow,
    total: i64,
}

/// Matches ranked: the query as a phrase first, then by trigram similarity to the formal text
/// (which prefers a procedure named just so, "Đăng ký khai sinh", over a longer one that
/// mentions it), then popular procedures, then by field and name. One statement counts the
/// matches and cuts the page.
pub async fn search_procedures(
    pool: &PgPool,
    query: Option<&SearchQuery>,
    filter: &CatalogFilter,
    per_page: u32,
) -> Result<SearchResults, sqlx::Error> {
    search_with(pool, &*vocabulary(pool).await?, query, filter, per_page).await
}

/// [`search_procedures`] with the vocabulary the server keeps.
pub async fn search_with(
    pool: &PgPool,
    vocabulary: &Vocabulary,
    query: Option<&SearchQuery>,
    filter: &CatalogFilter,
    per_page: u32,
) -> Result<SearchResults, sqlx::Error> {
    let expanded = query.map(|query| vocabulary.with_synonyms(query));
    let query = expanded.as_ref();
    let tsquery = match query {
        Some(query) => match catalog_tsquery(pool, vocabulary, &query.words()).await? {
            Some(tsquery) => Some(tsquery),
            None => return Ok(SearchResults { procedures: Vec::new(), total: 0 }),
        },
        None => None,
    };
    let matches = Matches { folded: query.map(|q| q.folded.as_str()), tsquery: tsquery.as_deref(), filter };
    let offset = i64::from(filter.page.saturating_sub(1)) * i64::from(per_page);
    let mut page = QueryBuilder::new("");
    matches.push_select(&mut page, &format!("{SUMMARY_COLUMNS}, count(*) OVER () AS total"));
    page.push(" ORDER BY phrase DESC, closeness DESC, l.is_popular DESC, l.field, l.name LIMIT ");
    page.push_bind(i64::from(per_page)).push(" OFFSET ").push_bind(offset);
    let rows: Vec<ResultRow> = page.build_query_as().fetch_all(pool).await?;
    let total = match rows.first() {
        Some(row) => row.total,
        None if offset == 0 => 0,
        // A page past the last: the count alone, for the pager.
        None => {
            let mut count = QueryBuilder::new("SELECT count(*) FROM (");
            matches.push_select(&mut count, "1");
            count.push(") matched");
            count.build_query_scalar().fetch_one(pool).await?
        }
    };
    Ok(SearchResults { procedures: rows.into_iter().map(|row| row.summary.into()).collect(), total })
}

/// The procedures a search and its filters select, with what ranks them.
struct Matches<'a> {
    folded: Option<&'a str>,
    tsquery: Option<&'a str>,
    filter: &'a CatalogFilter,
}

impl<'a> Matches<'a> {
    /// `SELECT columns` of the listed versions in force that match, with `phrase` and
    /// `closeness` to rank them by.
    fn push_select(&self, sql: &mut QueryBuilder<'a, Postgres>, columns: &str) {
        match self.folded {
            Some(folded) => {
                // The query's trigrams once, not once per row.
                sql.push("WITH q AS MATERIALIZED (SELECT trigram_hashes(").push_bind(folded).push(") AS trigrams) ");
                sql.push("SELECT ").push(columns);
                sql.push(", strpos(l.search_text, ").push_bind(folded).push(") > 0 AS phrase");
                sql.push(", trigram_closeness(l.formal_trigrams, q.trigrams) AS closeness FROM catalog_listing l, q");
            }
            None => {
                sql.push("SELECT ").push(columns);
                sql.push(", false AS phrase, 0::real AS closeness FROM catalog_listing l");
            }
        }
        let today = vietnam_today();
        sql.push(" WHERE l.effective_from <= ").push_bind(today);
        sql.push(" AND (l.effective_to IS NULL OR l.effective_to > ").push_bind(today).push(")");
        if let Some(tsquery) = self.tsquery {
            sql.push(" AND l.search_vector @@ to_tsquery('simple', ").push_bind(tsquery).push(")");
        }
        if let Some(field) = &self.filter.field {
            sql.push(" AND l.field = ").push_bind(field.as_str());
        }
        if let Some(level) = &self.filter.level {
            sql.push(" AND l.level = ").push_bind(level.as_str());
        }
        if let Some(agency) = &self.filter.agency {
            sql.push(" AND l.agencies @> ARRAY[").push_bind(agency.as_str()).push("::text]");
        }
    }
}

/// The words search knows without asking the database: the province's synonym list and every
/// word the catalog uses (kept per catalog generation by [`super::CatalogMemos`]).
#[derive(Debug, Default)]
pub struct Vocabulary {
    /// (everyday words, the catalog's words)
    synonyms: Vec<(String, String)>,
    words: std::collections::HashSet<String>,
}

impl Vocabulary {
    /// The query with the everyday words of the synonym list put in the catalog's words.
    fn with_synonyms(&self, query: &SearchQuery) -> SearchQuery {
        let spaced = format!(" {} ", query.words().join(" "));
        let found: Vec<(String, String)> =
            self.synonyms.iter().filter(|(everyday, _)| spaced.contains(&format!(" {everyday} "))).cloned().collect();
        query.with_synonyms(&found)
    }
}

pub async fn vocabulary(pool: &PgPool) -> Result<std::sync::Arc<Vocabulary>, sqlx::Error> {
    let (everyday, formal, words): (Vec<String>, Vec<String>, Vec<String>) = sqlx::query_as(
        "SELECT ARRAY(SELECT everyday FROM search_synonyms ORDER BY everyday), \
                ARRAY(SELECT formal FROM search_synonyms ORDER BY everyday), ARRAY(SELECT word FROM search_words)",
    )
    .fetch_one(pool)
    .await?;
    Ok(std::sync::Arc::new(Vocabulary {
        synonyms: everyday.into_iter().zip(formal).collect(),
        words: words.into_iter().collect(),
    }))
}

/// Lowest trigram similarity for a catalog word to stand in for a misspelt query word
/// ("ki" → "ky" is 0.2).
const LOOK_ALIKE: f32 = 0.2;

/// A full-text query requiring every word: a word the catalog uses stands for itself; any
/// other word for its (up to four) closest catalog words, which is how typos are tolerated.
/// `None` when some word has no look-alike, so nothing can match.
async fn catalog_tsquery(
    pool: &PgPool,
    vocabulary: &Vocabulary,
    words: &[&str],
) -> Result<Option<String>, sqlx::Error> {
    if words.is_empty() {
        return Ok(None);
    }
    let unknown: Vec<&str> = words.iter().copied().filter(|word| !vocabulary.words.contains(*word)).collect();
    let mut look_alikes = if unknown.is_empty() {
        Vec::new()
    } else {
        sqlx::query_scalar::<_, Vec<String>>(
            "SELECT ARRAY(SELECT word FROM (SELECT word FROM search_words ORDER BY word <-> q LIMIT 4) near \
                          WHERE similarity(word, q) >= $2) \
             FROM unnest($1::text[]) WITH ORDINALITY AS w(q, n) ORDER BY n",
        )
        .bind(&unknown)
        .bind(LOOK_ALIKE)
        .fetch_all(pool)
        .await?
    }
    .into_iter();
    let alternatives: Vec<Vec<String>> = words
        .iter()
        .map(|word| match vocabulary.words.contains(*word) {
            true => vec![(*word).to_owned()],
            false => look_alikes.next().unwrap_or_default(),
        })
        .collect();
    if alternatives.iter().any(Vec::is_empty) {
        return Ok(None);
    }
    // Words hold only [a-z0-9.] (see SearchQuery::words), so quoting them is enough.
    let groups: Vec<String> = alternatives
        .iter()
        .map(|words| format!("({})", words.iter().map(|w| format!("'{w}'")).collect::<Vec<_>>().join(" | ")))
        .collect();
    Ok(Some(groups.join(" & ")))
}

pub async fn facets(pool: &PgPool) -> Result<Facets, sqlx::Error> {
    let today = vietnam_today();
    let fields: Vec<(String, i64)> = sqlx::query_as(&format!(
        "SELECT l.field, count(*) FROM catalog_listing l WHERE {IN_FORCE} GROUP BY l.field ORDER BY l.field"
    ))
    .bind(today)
    .fetch_all(pool)
    .await?;
    let levels: Vec<String> = sqlx::query_scalar(&format!(
        "SELECT DISTINCT l.level FROM catalog_listing l WHERE {IN_FORCE} ORDER BY l.level"
    ))
    .bind(today)
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
        Self {
            identifier: row.identifier,
            name: row.name,
            level: row.level,
            address: row.address,
            hotline: row.hotline,
        }
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
         FROM catalog_listing l JOIN procedures p ON p.id = l.procedure_id JOIN procedure_versions v ON v.id = l.version_id \
         WHERE {IN_FORCE} AND l.code = $2"
    );
    let found =
        sqlx::query_as::<_, DetailRow>(&sql).bind(vietnam_today()).bind(code.as_str()).fetch_optional(pool).await?;
    let Some(row) = found else {
        return Ok(None);
    };
    let cases: Vec<String> =
        sqlx::query_scalar("SELECT name FROM procedure_cases WHERE version_id = $1 ORDER BY case_no")
            .bind(row.version_id)
            .fetch_all(pool)
            .await?;
    let channels = channels(pool, row.version_id).await?;
    let documents = documents(pool, row.version_id).await?;
    let mut forms: Vec<FormLink> = Vec::new();
    for form in documents.iter().filter_map(|d| d.form.as_ref()) {
        if !forms.iter().any(|f| f.file_name == form.file_name) {
            forms.push(form.clone());
        }
    }
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
