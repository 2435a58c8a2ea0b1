//! Sessions kept in PostgreSQL (tower-sessions): an unguessable 128-bit id in an `HttpOnly`,
//! `SameSite=Lax` cookie (`Secure` and `__Host-` over HTTPS), ended after an hour without activity. The
//! sign-in code rotates the id and the identity module enforces the 12-hour absolute limit.

use sqlx::PgPool;
use tower_sessions::{cookie::time::Duration, cookie::SameSite, Expiry, SessionManagerLayer};
use tower_sessions_sqlx_store::PostgresStore;

pub const COOKIE_NAME: &str = "phien";
/// Over HTTPS the browser keeps a `__Host-` cookie only if it is `Secure`, for `/`, and set by
/// this host alone (no `Domain`): a sibling host cannot plant or overwrite it.
pub const SECURE_COOKIE_NAME: &str = "__Host-phien";
const INACTIVITY: Duration = Duration::hours(1);

pub fn layer(pool: PgPool, https_only: bool) -> SessionManagerLayer<PostgresStore> {
    SessionManagerLayer::new(PostgresStore::new(pool))
        .with_name(if https_only { SECURE_COOKIE_NAME } else { COOKIE_NAME })
        .with_path("/")
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(https_only)
        .with_expiry(Expiry::OnInactivity(INACTIVITY))
}

/// Removes expired sessions from the table every ten minutes.
pub async fn delete_expired(pool: PgPool) {
    use tower_sessions::session_store::ExpiredDeletion;
    let store = PostgresStore::new(pool);
    let mut every = tokio::time::interval(std::time::Duration::from_secs(600));
    loop {
        every.tick().await;
        if let Err(error) = store.delete_expired().await {
            tracing::warn!(%error, "expired-session clean-up failed");
        }
    }
}
