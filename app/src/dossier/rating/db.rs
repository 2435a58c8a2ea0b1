//! Ratings: one per returned dossier, given by its applicant or at the counter of the agency
//! that received it.

use super::DeskRatingView;
use crate::domain::dossier_status::Status;
use crate::domain::statistics::{Rating, Satisfaction};
use sqlx::PgPool;
use uuid::Uuid;

#[derive(Debug, Clone, Copy)]
pub enum Rater {
    Citizen(Uuid),
    Desk { staff_id: Uuid, agency_id: i64 },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rated {
    Saved,
    /// A rating was already given; the first one stands.
    AlreadyRated,
    NotReturned,
    NotFound,
}

pub async fn rate(pool: &PgPool, code: &str, rater: Rater, rating: &Rating) -> Result<Rated, sqlx::Error> {
    let (citizen, agency) = match rater {
        Rater::Citizen(id) => (Some(id), None),
        Rater::Desk { agency_id, .. } => (None, Some(agency_id)),
    };
    let dossier: Option<(Uuid, String)> = sqlx::query_as(
        "SELECT id, status FROM dossiers WHERE code = $1 AND (citizen_id = $2 OR receiving_agency_id = $3)",
    )
    .bind(code)
    .bind(citizen)
    .bind(agency)
    .fetch_optional(pool)
    .await?;
    let Some((dossier_id, status)) = dossier else { return Ok(Rated::NotFound) };
    if status != Status::DaTraKetQua.as_db() {
        return Ok(Rated::NotReturned);
    }
    let (via, staff) = match rater {
        Rater::Citizen(_) => ("online", None),
        Rater::Desk { staff_id, .. } => ("desk", Some(staff_id)),
    };
    let inserted = sqlx::query(
        "INSERT INTO dossier_ratings (dossier_id, level, reason, via, staff_user_id) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (dossier_id) DO NOTHING",
    )
    .bind(dossier_id)
    .bind(rating.level.as_db())
    .bind(&rating.reason)
    .bind(via)
    .bind(staff)
    .execute(pool)
    .await?;
    Ok(if inserted.rows_affected() == 1 { Rated::Saved } else { Rated::AlreadyRated })
}

/// The rating given for a dossier, as its label.
pub async fn given(pool: &PgPool, dossier_id: Uuid) -> Result<Option<String>, sqlx::Error> {
    let level: Option<String> = sqlx::query_scalar("SELECT level FROM dossier_ratings WHERE dossier_id = $1")
        .bind(dossier_id)
        .fetch_optional(pool)
        .await?;
    Ok(level.filter(|level| Satisfaction::from_db(level).is_some()))
}

pub async fn desk_view(pool: &PgPool, code: &str, agency_id: i64) -> Result<Option<DeskRatingView>, sqlx::Error> {
    let row: Option<(Uuid, String, String, String, String)> = sqlx::query_as(
        "SELECT s.id, s.code, p.name, a.name, s.status FROM dossiers s \
         JOIN procedure_versions v ON v.id = s.version_id JOIN procedures p ON p.id = v.procedure_id \
         JOIN agencies a ON a.id = s.receiving_agency_id WHERE s.code = $1 AND s.receiving_agency_id = $2",
    )
    .bind(code)
    .bind(agency_id)
    .fetch_optional(pool)
    .await?;
    let Some((id, code, procedure_name, agency_name, status)) = row else { return Ok(None) };
    Ok(Some(DeskRatingView {
        code,
        procedure_name,
        agency_name,
        given: given(pool, id).await?,
        returned: status == Status::DaTraKetQua.as_db(),
    }))
}
