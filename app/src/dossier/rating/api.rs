//! The server functions of this feature: authenticate, authorise, then hand over to the
//! feature's server side.

#[allow(unused_imports)]
use super::*;
use crate::error::AppError;
use leptos::prelude::*;

/// The applicant's own rating, from their dossier's page.
#[server(endpoint = "danh-gia")]
pub async fn rate_online(ma: String, muc: Option<String>, ly_do: Option<String>) -> Result<(), AppError> {
    let citizen = crate::auth::citizen::require_citizen().await?;
    let page = crate::routes::receipt_url(&ma);
    rate(ma, muc.unwrap_or_default(), ly_do.unwrap_or_default(), db::Rater::Citizen(citizen.id), page).await
}

/// The applicant's rating on the counter's tablet, under the officer who returned the result.
#[server(endpoint = "can-bo/danh-gia")]
pub async fn rate_at_desk(ma: String, muc: Option<String>, ly_do: Option<String>) -> Result<(), AppError> {
    let staff = crate::auth::staff::require_role(crate::domain::dossier_status::Role::Intake).await?;
    let rater = db::Rater::Desk { staff_id: staff.id, agency_id: staff.agency_id };
    let page = desk_rating_url(&ma);
    rate(ma, muc.unwrap_or_default(), ly_do.unwrap_or_default(), rater, page).await
}

#[server(endpoint = "can-bo/danh-gia/trang")]
pub async fn load_desk_rating(code: String) -> Result<DeskRatingView, AppError> {
    let staff = crate::auth::staff::require_role(crate::domain::dossier_status::Role::Intake).await?;
    let agency = staff.agency_id;
    crate::state::with_db(move |pool| async move { db::desk_view(&pool, &code, agency).await })
        .await?
        .ok_or_else(|| AppError::NotFound("hồ sơ".into()))
}
