//! The satisfaction survey at hand-over (domain brief §6): once the result is returned the
//! applicant rates the service, online on their dossier's page or on the desk's tablet page
//! (`/can-bo/ho-so/{code}/danh-gia`) that the officer hands over at the counter. One rating per
//! dossier; a reason is required when not satisfied. Ratings feed the statistics.

#[cfg(feature = "ssr")]
pub mod db;
mod pages;

pub use pages::{DeskRatingPage, RatingSection};

use crate::domain::statistics::InvalidRating;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::routes::desk_rating_url;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What a rating form shows again after a refused answer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatingTyped {
    pub level: String,
    pub reason: String,
    pub problem: Option<String>,
}

impl RatingTyped {
    /// From the page's query: `muc`, `ly-do`, `loi`.
    pub fn from_query(get: impl Fn(&str) -> Option<String>) -> Self {
        Self {
            level: get("muc").unwrap_or_default(),
            reason: get("ly-do").unwrap_or_default(),
            problem: get("loi").and_then(|slug| InvalidRating::from_slug(&slug)).map(|e| e.slug().to_owned()),
        }
    }

    pub fn problem(&self) -> Option<InvalidRating> {
        self.problem.as_deref().and_then(InvalidRating::from_slug)
    }
}

/// `page` with the refused answers in its query, back at the form.
#[cfg(feature = "ssr")]
fn back_with(page: &str, level: &str, reason: &str, problem: InvalidRating) -> String {
    let query = form_urlencoded::Serializer::new(String::new())
        .append_pair("muc", level)
        .append_pair(
            "ly-do",
            &reason.chars().take(crate::domain::statistics::MAX_RATING_REASON_CHARS + 20).collect::<String>(),
        )
        .append_pair("loi", problem.slug())
        .finish();
    format!("{page}?{query}#loi")
}

#[cfg(feature = "ssr")]
async fn rate(code: String, muc: String, ly_do: String, rater: db::Rater, page: String) -> Result<(), AppError> {
    use crate::domain::statistics::Rating;
    let rating = match Rating::parse(&muc, &ly_do) {
        Ok(rating) => rating,
        Err(problem) => {
            leptos_axum::redirect(&back_with(&page, &muc, &ly_do, problem));
            return Ok(());
        }
    };
    let outcome =
        crate::state::with_db(move |pool| async move { db::rate(&pool, &code, rater, &rating).await }).await?;
    match outcome {
        db::Rated::Saved | db::Rated::AlreadyRated => {
            leptos_axum::redirect(&format!("{page}?da-danh-gia=1#danh-gia"));
            Ok(())
        }
        db::Rated::NotReturned | db::Rated::NotFound => Err(AppError::NotFound("hồ sơ đã trả kết quả".into())),
    }
}

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

/// The dossier as the tablet page shows it: no personal data beyond the code and procedure.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DeskRatingView {
    pub code: String,
    pub procedure_name: String,
    pub agency_name: String,
    /// The level already given, if any.
    pub given: Option<String>,
    pub returned: bool,
}

#[server(endpoint = "can-bo/danh-gia/trang")]
pub async fn load_desk_rating(code: String) -> Result<DeskRatingView, AppError> {
    let staff = crate::auth::staff::require_role(crate::domain::dossier_status::Role::Intake).await?;
    let agency = staff.agency_id;
    crate::state::with_db(move |pool| async move { db::desk_view(&pool, &code, agency).await })
        .await?
        .ok_or_else(|| AppError::NotFound("hồ sơ".into()))
}
