//! `GET /bieu-mau/{file}`: downloads a form template stored with the catalog.

use super::AppState;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

/// Forms change only when a catalog is imported; an hour of caching spares weak connections.
const CACHE: &str = "public, max-age=3600";

pub async fn download(State(state): State<AppState>, Path(file_name): Path<String>) -> Response {
    match app::catalog::db::form_file(&state.pool, &file_name).await {
        Ok(Some(form)) => {
            // File names are checked by the schema (lower-case ASCII, digits, dashes), so they
            // can be quoted as they are.
            let disposition = format!("attachment; filename=\"{file_name}\"");
            let headers = [
                (header::CONTENT_TYPE, form.content_type),
                (header::CONTENT_DISPOSITION, disposition),
                (header::CACHE_CONTROL, CACHE.to_owned()),
            ];
            (headers, form.content).into_response()
        }
        Ok(None) => (StatusCode::NOT_FOUND, "Không tìm thấy biểu mẫu.").into_response(),
        Err(error) => {
            tracing::warn!(%error, "form download: database error");
            (StatusCode::SERVICE_UNAVAILABLE, "Hệ thống đang bận, vui lòng thử lại sau ít phút.").into_response()
        }
    }
}
