//! Catalog queries. Read-only; the import module writes.

use super::{CatalogFilter, FieldCount, OnlineKind, PortalOperator, ProcedureDetail, ProcedureSummary, SearchResults};
use crate::domain::{procedure_code::ProcedureCode, search::SearchQuery};
use sqlx::PgPool;

#[derive(sqlx::FromRow)]
struct SummaryRow {
    code: String,
    name: String,
    field: String,
    level: String,
    time_limit: String,
    fee: String,
    online_kind: String,
}

impl From<SummaryRow> for ProcedureSummary {
    fn from(row: SummaryRow) -> Self {
        Self {
            code: row.code,
            name: row.name,
            field: row.field,
            level: row.level,
            time_limit: row.time_limit,
            fee: row.fee,
            online_kind: OnlineKind::from_db(&row.online_kind),
        }
    }
}

const SUMMARY_COLUMNS: &str = "p.code, p.name, f.name AS field, p.level, p.time_limit, p.fee, p.online_kind";

/// Procedures the agency marks as most asked for, for the home page.
pub async fn popular_procedures(pool: &PgPool) -> Result<Vec<ProcedureSummary>, sqlx::Error> {
    let sql = format!(
        "SELECT {SUMMARY_COLUMNS} FROM procedures p JOIN fields f ON f.id = p.field_id \
         WHERE p.is_popular ORDER BY f.name, p.name"
    );
    let rows: Vec<SummaryRow> = sqlx::query_as(&sql).fetch_all(pool).await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

/// Conditions shared by the result and count queries. $1: folded query or NULL; $2: field name
/// or NULL. A procedure matches when the query is a substring of its search text or close to
/// one of its words (trigram word similarity, which tolerates typos).
const MATCHES: &str = "FROM procedures p JOIN fields f ON f.id = p.field_id \
     WHERE ($1::text IS NULL OR strpos(p.search_text, $1) > 0 OR $1 <% p.search_text) \
       AND ($2::text IS NULL OR f.name = $2)";

pub async fn search_procedures(
    pool: &PgPool,
    query: Option<&SearchQuery>,
    filter: &CatalogFilter,
    per_page: u32,
) -> Result<SearchResults, sqlx::Error> {
    let folded = query.map(|q| q.folded.as_str());
    let total: i64 = sqlx::query_scalar(&format!("SELECT count(*) {MATCHES}"))
        .bind(folded)
        .bind(filter.field.as_deref())
        .fetch_one(pool)
        .await?;
    let sql = format!(
        "SELECT {SUMMARY_COLUMNS} {MATCHES} ORDER BY \
           ($1::text IS NOT NULL AND strpos(p.search_text, $1) = 0), \
           CASE WHEN $1::text IS NULL THEN 0 ELSE word_similarity($1, p.search_text) END DESC, \
           p.is_popular DESC, f.name, p.name \
         LIMIT $3 OFFSET $4"
    );
    let rows: Vec<SummaryRow> = sqlx::query_as(&sql)
        .bind(folded)
        .bind(filter.field.as_deref())
        .bind(i64::from(per_page))
        .bind(i64::from(filter.page.saturating_sub(1)) * i64::from(per_page))
        .fetch_all(pool)
        .await?;
    Ok(SearchResults { procedures: rows.into_iter().map(Into::into).collect(), total })
}

pub async fn list_fields(pool: &PgPool) -> Result<Vec<FieldCount>, sqlx::Error> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT f.name, count(p.id) FROM fields f JOIN procedures p ON p.field_id = f.id \
         GROUP BY f.name ORDER BY f.name",
    )
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|(name, procedures)| FieldCount { name, procedures }).collect())
}

#[derive(sqlx::FromRow)]
struct DetailRow {
    #[sqlx(flatten)]
    summary: SummaryRow,
    applicant: String,
    competent_agency: String,
    steps: Vec<String>,
    documents: Vec<String>,
    result: String,
    legal_basis: Vec<String>,
    unverified_note: Option<String>,
}

pub async fn find_procedure(pool: &PgPool, code: &ProcedureCode) -> Result<Option<ProcedureDetail>, sqlx::Error> {
    let sql = format!(
        "SELECT {SUMMARY_COLUMNS}, p.applicant, p.competent_agency, p.steps, p.documents, \
         p.result, p.legal_basis, p.unverified_note \
         FROM procedures p JOIN fields f ON f.id = p.field_id WHERE p.code = $1"
    );
    let row: Option<DetailRow> = sqlx::query_as(&sql).bind(code.as_str()).fetch_optional(pool).await?;
    Ok(row.map(|row| ProcedureDetail {
        summary: row.summary.into(),
        applicant: row.applicant,
        competent_agency: row.competent_agency,
        steps: row.steps,
        documents: row.documents,
        result: row.result,
        legal_basis: row.legal_basis,
        unverified_note: row.unverified_note,
    }))
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
