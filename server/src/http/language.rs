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
    let target = local_path(back.tiep.as_deref());
    match (HeaderValue::from_str(&cookie), HeaderValue::from_str(target)) {
        (Ok(cookie), Ok(location)) => {
            (StatusCode::SEE_OTHER, [(header::SET_COOKIE, cookie), (header::LOCATION, location)]).into_response()
        }
        _ => StatusCode::BAD_REQUEST.into_response(),
    }
}

/// Only a path on this site: never another host (`//evil`, `/\evil`, `https://…`).
fn local_path(requested: Option<&str>) -> &str {
    match requested {
        Some(path) if path.starts_with('/') && !path.starts_with("//") && !path.starts_with("/\\") => path,
        _ => "/",
    }
}

#[cfg(test)]
mod tests {
    use super::local_path;

    #[test]
    fn returns_only_to_pages_of_this_site() {
        assert_eq!(local_path(Some("/thu-tuc?q=khai+sinh")), "/thu-tuc?q=khai+sinh");
        for hostile in ["//evil.example", "/\\evil.example", "https://evil.example", "evil", ""] {
            assert_eq!(local_path(Some(hostile)), "/", "{hostile}");
        }
        assert_eq!(local_path(None), "/");
    }
}
