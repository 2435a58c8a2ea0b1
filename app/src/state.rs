//! Server-side state handed to pages and server functions through Leptos context.

use crate::error::AppError;
use leptos::prelude::use_context;
use sqlx::PgPool;

pub fn pool() -> Result<PgPool, AppError> {
    use_context::<PgPool>().ok_or_else(|| {
        tracing::error!("database pool missing from request context");
        AppError::Unavailable
    })
}
