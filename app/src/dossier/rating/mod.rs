//! The satisfaction survey at hand-over (domain brief §6): once the result is returned the
//! applicant rates the service, online on their dossier's page or on the desk's tablet page
//! (`/can-bo/ho-so/{code}/danh-gia`) that the officer hands over at the counter. One rating per
//! dossier; a reason is required when not satisfied. Ratings feed the statistics.

pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
pub mod pages;

use crate::domain::statistics::InvalidRating;
#[cfg(feature = "ssr")]
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::routes::desk_rating_url;
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
