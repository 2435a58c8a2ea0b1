//! `GET /ngon-ngu/{vi|en}?tiep=/page`: remembers the visitor's language in a cookie and goes
//! back to the page. A plain link, so it works without JavaScript.

use super::AppState;
use app::i18n::{Locale, COOKIE};
use axum::{
    extract::{Path, Query, State},
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct Back {
    tiep: Option<String>,
}

pub async fn switch(State(state): State<AppState>, Path(code): Path<String>, Query(back): Query<Back>) -> Response {
    let Some(locale) = Locale::parse(&code) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let secure = if state.https_only { "; Secure" } else { "" };
    let cookie = format!("{COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly{secure}", locale.code());
    let target = app::security::local_path(back.tiep.as_deref().unwrap_or("/"));
    match (HeaderValue::from_str(&cookie), HeaderValue::from_str(&target)) {
        (Ok(cookie), Ok(location)) => {
            (StatusCode::SEE_OTHER, [(header::SET_COOKIE, cookie), (header::LOCATION, location)]).into_response()
        }
        _ => StatusCode::BAD_REQUEST.into_response(),
    }
}
