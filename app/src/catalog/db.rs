//! Catalog queries. Read-only; the import module writes.

use super::{OnlineKind, PortalOperator, ProcedureDetail, ProcedureSummary};
use crate::domain::procedure_code::ProcedureCode;
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

pub async fn list_procedures(pool: &PgPool) -> Result<Vec<ProcedureSummary>, sqlx::Error> {
    let sql = format!(
        "SELECT {SUMMARY_COLUMNS} FROM procedures p JOIN fields f ON f.id = p.field_id \
         ORDER BY p.is_popular DESC, f.name, p.name"
    );
    let rows: Vec<SummaryRow> = sqlx::query_as(&sql).fetch_all(pool).await?;
    Ok(rows.into_iter().map(Into::into).collect())
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

pub async fn find_procedure(
    pool: &PgPool,
    code: &ProcedureCode,
) -> Result<Option<ProcedureDetail>, sqlx::Error> {
    let sql = format!(
        "SELECT {SUMMARY_COLUMNS}, p.applicant, p.competent_agency, p.steps, p.documents, \
         p.result, p.legal_basis, p.unverified_note \
         FROM procedures p JOIN fields f ON f.id = p.field_id WHERE p.code = $1"
    );
    let row: Option<DetailRow> = sqlx::query_as(&sql)
        .bind(code.as_str())
        .fetch_optional(pool)
        .await?;
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
        row.map(|(name, hotline, is_demo)| PortalOperator {
            name,
            hotline: hotline.unwrap_or_default(),
            is_demo,
        })
    })
}

pub async fn procedure_id(pool: &PgPool, code: &ProcedureCode) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM procedures WHERE code = $1")
        .bind(code.as_str())
        .fetch_optional(pool)
        .await
}
