//! Catalog queries. Read-only; the import module writes. A procedure is listed only while one
//! of its versions is in force (`current_procedure_versions`).

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

/// Matches ranked: the query as a phrase first, then by trigram similarity to the whole text
/// (which prefers a procedure named just so, "Đăng ký khai sinh", over a longer one that
/// mentions it), then popular procedures, then by field and name.
pub async fn search_procedures(
    pool: &PgPool,
    query: Option<&SearchQuery>,
    filter: &CatalogFilter,
    per_page: u32,
) -> Result<SearchResults, sqlx::Error> {
    let expanded = match query {
        Some(query) => Some(with_synonyms(pool, query).await?),
        None => None,
    };
    let query = expanded.as_ref();
    let tsquery = match query {
        Some(query) => match catalog_tsquery(pool, &query.words()).await? {
            Some(tsquery) => Some(tsquery),
            None => return Ok(SearchResults { procedures: Vec::new(), total: 0 }),
        },
        None => None,
    };
    let matches = Matches { folded: query.map(|q| q.folded.as_str()), tsquery: tsquery.as_deref(), filter };
    let mut count = QueryBuilder::new("WITH matched AS (");
    matches.push_cte(&mut count);
    count.push(") SELECT count(*) FROM matched");
    let total: i64 = count.build_query_scalar().fetch_one(pool).await?;

    // Rank and cut the page first, so the summaries' lateral joins run for one page only.
    let mut page = QueryBuilder::new("WITH matched AS (");
    matches.push_cte(&mut page);
    page.push(
        "), page AS (SELECT m.id, row_number() OVER (ORDER BY m.phrase DESC, m.closeness DESC, \
           p.is_popular DESC, f.name, p.name) AS position \
         FROM matched m JOIN procedures p ON p.id = m.id JOIN fields f ON f.id = p.field_id \
         ORDER BY position LIMIT ",
    );
    page.push_bind(i64::from(per_page));
    page.push(" OFFSET ");
    page.push_bind(i64::from(filter.page.saturating_sub(1)) * i64::from(per_page));
    page.push(format!(") SELECT {SUMMARY_COLUMNS} {SUMMARY_JOINS} JOIN page ON page.id = p.id ORDER BY page.position"));
    let rows: Vec<SummaryRow> = page.build_query_as().fetch_all(pool).await?;
    Ok(SearchResults { procedures: rows.into_iter().map(Into::into).collect(), total })
}

/// The procedures a search and its filters select, with what ranks them.
struct Matches<'a> {
    folded: Option<&'a str>,
    tsquery: Option<&'a str>,
    filter: &'a CatalogFilter,
}

impl<'a> Matches<'a> {
    /// `SELECT id, phrase, closeness` of the matching procedures whose version is in force.
    fn push_cte(&self, sql: &mut QueryBuilder<'a, Postgres>) {
        match self.folded {
            Some(folded) => {
                sql.push("SELECT p.id, strpos(p.search_text, ").push_bind(folded);
                // Closeness to the formal text only (common names follow " | "): a procedure's
                // common names do not push it below others named as the query is.
                sql.push(") > 0 AS phrase, similarity(").push_bind(folded);
                sql.push(", split_part(p.search_text, ' | ', 1)) AS closeness");
            }
            None => {
                sql.push("SELECT p.id, false AS phrase, 0::real AS closeness");
            }
        }
        sql.push(
            " FROM procedures p JOIN fields f ON f.id = p.field_id \
              JOIN current_procedure_versions v ON v.procedure_id = p.id WHERE true",
        );
        if let Some(tsquery) = self.tsquery {
            sql.push(" AND p.search_vector @@ to_tsquery('simple', ").push_bind(tsquery).push(")");
        }
        if let Some(field) = &self.filter.field {
            sql.push(" AND f.name = ").push_bind(field.as_str());
        }
        if let Some(level) = &self.filter.level {
            sql.push(" AND p.level = ").push_bind(level.as_str());
        }
        if let Some(agency) = &self.filter.agency {
            sql.push(
                " AND EXISTS (SELECT 1 FROM agency_procedures ap JOIN agencies a ON a.id = ap.agency_id \
                  WHERE ap.procedure_id = p.id AND a.identifier = ",
            )
            .push_bind(agency.as_str())
            .push(")");
        }
    }
}

/// The query with the everyday words of the province's synonym list put in the catalog's words.
async fn with_synonyms(pool: &PgPool, query: &SearchQuery) -> Result<SearchQuery, sqlx::Error> {
    let synonyms: Vec<(String, String)> = sqlx::query_as(
        "SELECT everyday, formal FROM search_synonyms \
         WHERE strpos(' ' || $1 || ' ', ' ' || everyday || ' ') > 0",
    )
    .bind(query.words().join(" "))
    .fetch_all(pool)
    .await?;
    Ok(query.with_synonyms(&synonyms))
}

/// Lowest trigram similarity for a catalog word to stand in for a misspelt query word
/// ("ki" → "ky" is 0.2).
const LOOK_ALIKE: f32 = 0.2;

/// A full-text query requiring every word: a word the catalog uses stands for itself; any
/// other word for its (up to four) closest catalog words, which is how typos are tolerated.
/// `None` when some word has no look-alike, so nothing can match.
async fn catalog_tsquery(pool: &PgPool, words: &[&str]) -> Result<Option<String>, sqlx::Error> {
    if words.is_empty() {
        return Ok(None);
    }
    let alternatives: Vec<Vec<String>> = sqlx::query_scalar(
        "SELECT CASE WHEN EXISTS (SELECT 1 FROM search_words WHERE word = q) THEN ARRAY[q] \
                ELSE ARRAY(SELECT word FROM (SELECT word FROM search_words ORDER BY word <-> q LIMIT 4) near \
                           WHERE similarity(word, q) >= $2) END \
         FROM unnest($1::text[]) WITH ORDINALITY AS w(q, n) ORDER BY n",
    )
    .bind(words)
    .bind(LOOK_ALIKE)
    .fetch_all(pool)
    .await?;
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

