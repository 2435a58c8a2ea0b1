//! Result documents and who may see them: staff of an agency that may see the dossier, and
//! the applicant of a fully online procedure (a digital copy).

use super::record::VISIBLE;
use crate::auth::staff::Staff;
use crate::domain::dossier_status::{sql_list, RESULT_READY};
use sqlx::{PgPool, Postgres, Transaction};
use uuid::Uuid;

#[derive(Debug, Clone)]
pub struct StoredResult {
    pub storage_key: String,
    pub content_type: String,
    pub size_bytes: i32,
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
           OR (s.citizen_id = $3 AND v.online_kind = 'toan_trinh' AND s.status IN ({})))",
        sql_list(&RESULT_READY)
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

/// The result document of the dossier (a later upload replaces it). Returns the key of the
/// document it replaced, to delete from the store once the transaction commits.
pub async fn store(
    tx: &mut Transaction<'_, Postgres>,
    dossier_id: Uuid,
    result: &StoredResult,
    staff_id: Uuid,
) -> Result<Option<String>, sqlx::Error> {
    let replaced: Option<String> =
        sqlx::query_scalar("SELECT storage_key FROM dossier_results WHERE dossier_id = $1 FOR UPDATE")
            .bind(dossier_id)
            .fetch_optional(&mut **tx)
            .await?;
    sqlx::query(
        "INSERT INTO dossier_results (dossier_id, storage_key, content_type, size_bytes, uploaded_by) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (dossier_id) DO UPDATE SET storage_key = EXCLUDED.storage_key, \
         content_type = EXCLUDED.content_type, size_bytes = EXCLUDED.size_bytes, \
         uploaded_by = EXCLUDED.uploaded_by, uploaded_at = now()",
    )
    .bind(dossier_id)
    .bind(&result.storage_key)
    .bind(&result.content_type)
    .bind(result.size_bytes)
    .bind(staff_id)
    .execute(&mut **tx)
    .await?;
    Ok(replaced.filter(|key| *key != result.storage_key))
}
