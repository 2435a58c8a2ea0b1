//! Loads or updates the catalog from a JSON document (the format of `demo_catalog.json`).
//! Everything is upserted in one transaction: a bad file changes nothing.

use super::OnlineKind;
use crate::domain::{procedure_code::ProcedureCode, search::fold_for_search, text::normalize_input};
use serde::Deserialize;
use sqlx::{PgPool, Postgres, Transaction};

pub const DEMO_CATALOG_JSON: &str = include_str!("demo_catalog.json");

#[derive(Debug, Deserialize)]
pub struct CatalogFile {
    pub agencies: Vec<AgencyEntry>,
    pub fields: Vec<FieldEntry>,
    pub procedures: Vec<ProcedureEntry>,
}

#[derive(Debug, Deserialize)]
pub struct AgencyEntry {
    pub identifier: String,
    /// Identifier of the parent agency, which must come earlier in the file.
    pub parent: Option<String>,
    pub name: String,
    pub level: String,
    pub hotline: Option<String>,
    pub is_demo: bool,
    pub valid_from: chrono::NaiveDate,
}

#[derive(Debug, Deserialize)]
pub struct FieldEntry {
    pub code: Option<String>,
    pub name: String,
}

#[derive(Debug, Deserialize)]
pub struct ProcedureEntry {
    pub code: String,
    pub name: String,
    /// Name of a field listed in `fields`.
    pub field: String,
    pub level: String,
    pub applicant: String,
    pub competent_agency: String,
    pub time_limit: String,
    pub fee: String,
    pub online_kind: OnlineKind,
    pub steps: Vec<String>,
    pub documents: Vec<String>,
    pub result: String,
    pub legal_basis: Vec<String>,
    pub unverified_note: Option<String>,
    #[serde(default)]
    pub is_popular: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("invalid catalog JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("procedure code {0:?} is not a national code such as 1.001193")]
    BadCode(String),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImportSummary {
    pub agencies: usize,
    pub fields: usize,
    pub procedures: usize,
}

pub fn parse_catalog(json: &str) -> Result<CatalogFile, ImportError> {
    let file: CatalogFile = serde_json::from_str(json)?;
    for procedure in &file.procedures {
        ProcedureCode::parse(&procedure.code).map_err(|_| ImportError::BadCode(procedure.code.clone()))?;
    }
    Ok(file)
}

pub async fn import_catalog(pool: &PgPool, file: &CatalogFile) -> Result<ImportSummary, ImportError> {
    let mut tx = pool.begin().await?;
    for agency in &file.agencies {
        upsert_agency(&mut tx, agency).await?;
    }
    for field in &file.fields {
        upsert_field(&mut tx, field).await?;
    }
    for procedure in &file.procedures {
        upsert_procedure(&mut tx, procedure).await?;
    }
    tx.commit().await?;
    Ok(ImportSummary { agencies: file.agencies.len(), fields: file.fields.len(), procedures: file.procedures.len() })
}

/// True when the database has no procedure yet (a fresh install).
pub async fn catalog_is_empty(pool: &PgPool) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar("SELECT NOT EXISTS (SELECT 1 FROM procedures)").fetch_one(pool).await
}

async fn upsert_agency(tx: &mut Transaction<'_, Postgres>, a: &AgencyEntry) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO agencies (identifier, parent_id, name, level, hotline, is_demo, valid_from) \
         VALUES ($1, (SELECT id FROM agencies WHERE identifier = $2), $3, $4, $5, $6, $7) \
         ON CONFLICT (identifier) DO UPDATE SET parent_id = EXCLUDED.parent_id, name = EXCLUDED.name, \
         level = EXCLUDED.level, hotline = EXCLUDED.hotline, is_demo = EXCLUDED.is_demo, \
         valid_from = EXCLUDED.valid_from",
    )
    .bind(&a.identifier)
    .bind(&a.parent)
    .bind(normalize_input(&a.name))
    .bind(normalize_input(&a.level))
    .bind(&a.hotline)
    .bind(a.is_demo)
    .bind(a.valid_from)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn upsert_field(tx: &mut Transaction<'_, Postgres>, f: &FieldEntry) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO fields (code, name) VALUES ($1, $2) \
         ON CONFLICT (name) DO UPDATE SET code = EXCLUDED.code",
    )
    .bind(&f.code)
    .bind(normalize_input(&f.name))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn upsert_procedure(tx: &mut Transaction<'_, Postgres>, p: &ProcedureEntry) -> Result<(), sqlx::Error> {
    let texts = |items: &[String]| items.iter().map(|s| normalize_input(s)).collect::<Vec<_>>();
    sqlx::query(
        "INSERT INTO procedures (code, name, field_id, level, applicant, competent_agency, time_limit, \
           fee, online_kind, steps, documents, result, legal_basis, unverified_note, is_popular, search_text) \
         VALUES ($1, $2, (SELECT id FROM fields WHERE name = $3), $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) \
         ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, field_id = EXCLUDED.field_id, \
           level = EXCLUDED.level, applicant = EXCLUDED.applicant, competent_agency = EXCLUDED.competent_agency, \
           time_limit = EXCLUDED.time_limit, fee = EXCLUDED.fee, online_kind = EXCLUDED.online_kind, \
           steps = EXCLUDED.steps, documents = EXCLUDED.documents, result = EXCLUDED.result, \
           legal_basis = EXCLUDED.legal_basis, unverified_note = EXCLUDED.unverified_note, \
           is_popular = EXCLUDED.is_popular, search_text = EXCLUDED.search_text",
    )
    .bind(p.code.trim())
    .bind(normalize_input(&p.name))
    .bind(normalize_input(&p.field))
    .bind(normalize_input(&p.level))
    .bind(normalize_input(&p.applicant))
    .bind(normalize_input(&p.competent_agency))
    .bind(normalize_input(&p.time_limit))
    .bind(normalize_input(&p.fee))
    .bind(p.online_kind.as_db())
    .bind(texts(&p.steps))
    .bind(texts(&p.documents))
    .bind(normalize_input(&p.result))
    .bind(texts(&p.legal_basis))
    .bind(p.unverified_note.as_deref().map(normalize_input))
    .bind(p.is_popular)
    .bind(fold_for_search(&format!("{} {} {}", p.code, p.name, p.field)))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_catalog_parses_and_every_procedure_names_a_listed_field() {
        let file = parse_catalog(DEMO_CATALOG_JSON).expect("demo catalog must parse");
        assert!(file.procedures.len() >= 5);
        for p in &file.procedures {
            assert!(file.fields.iter().any(|f| f.name == p.field), "{} has unknown field", p.code);
        }
    }

    #[test]
    fn a_bad_procedure_code_is_reported_by_code() {
        let json = DEMO_CATALOG_JSON.replacen("1.001193", "1.0011", 1);
        match parse_catalog(&json) {
            Err(ImportError::BadCode(code)) => assert_eq!(code, "1.0011"),
            other => panic!("expected BadCode, got {other:?}"),
        }
    }
}
