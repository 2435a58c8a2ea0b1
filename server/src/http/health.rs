//! `GET /healthz`: 200 only while the database answers, for load balancers.

use super::AppState;
use crate::config::DATABASE_TIMEOUT;
use axum::{extract::State, http::StatusCode};

pub async fn healthz(State(state): State<AppState>) -> (StatusCode, &'static str) {
    let ping = sqlx::query_scalar::<_, i32>("SELECT 1").fetch_one(&state.pool);
    match tokio::time::timeout(DATABASE_TIMEOUT, ping).await {
        Ok(Ok(_)) => (StatusCode::OK, "ok"),
        Ok(Err(error)) => {
            tracing::warn!(%error, "health check: database error");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
        Err(_) => {
            tracing::warn!("health check: database timed out");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}
