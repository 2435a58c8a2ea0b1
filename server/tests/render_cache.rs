//! Public pages are rendered once for visitors without a session, kept compressed, and dropped
//! when the catalog changes: by this instance's administration at once, by any other through
//! PostgreSQL's announcement.

mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::*;
use server::http::{render_cache, router, AppState};
use sqlx::PgPool;
use std::time::Duration;

/// An anonymous browser's request (its reply's body is compressed).
fn visitor(uri: &str) -> Request<Body> {
    Request::get(uri)
        .header(header::ACCEPT, "text/html")
        .header(header::ACCEPT_ENCODING, "gzip, br")
        .body(Body::empty())
        .unwrap()
}

fn outcome(reply: &Reply) -> &str {
    reply.headers.get(render_cache::HEADER).and_then(|v| v.to_str().ok()).unwrap_or("not cached")
}

async fn cached_app(pool: &PgPool) -> (axum::Router, AppState) {
    server::database::prepare(pool, true).await.expect("migrations and demo data");
    let state = AppState::new(pool.clone(), options(), files());
    (router(state.clone()), state)
}

#[sqlx::test(migrations = false)]
async fn a_public_page_is_rendered_once_and_served_compressed_with_fresh_security_headers(pool: PgPool) {
    let (app, _) = cached_app(&pool).await;
    let first = send(&app, visitor("/thu-tuc/1.001193")).await;
    assert_eq!((first.status, outcome(&first)), (StatusCode::OK, "miss"));
    let second = send(&app, visitor("/thu-tuc/1.001193")).await;
    assert_eq!(outcome(&second), "hit");
    assert_eq!(second.headers[header::CONTENT_ENCODING], "br");
    let nonce = |reply: &Reply| reply.headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap().to_owned();
    assert_ne!(nonce(&first), nonce(&second), "a new nonce per response");
    let plain = send(&app, Request::get("/thu-tuc/1.001193").body(Body::empty()).unwrap()).await;
    assert_eq!(outcome(&plain), "hit");
    assert!(plain.body.contains("Đăng ký khai sinh"), "served as it is to a client without compression");
    // Each language is its own page.
    let english = Request::get("/thu-tuc/1.001193").header(header::COOKIE, "lang=en").body(Body::empty()).unwrap();
    let english = send(&app, english).await;
    assert_eq!(outcome(&english), "miss");
    assert!(english.body.contains("Steps"));
}

#[sqlx::test(migrations = false)]
async fn signed_in_visitors_and_personal_pages_are_never_served_from_the_cache(pool: PgPool) {
    let (app, _) = cached_app(&pool).await;
    let mut citizen = Browser::new(&app);
    sign_in(&mut citizen, &pool, "0912000941", "/").await;
    citizen.get("/thu-tuc/1.001193").await;
    assert_eq!(outcome(&citizen.get("/thu-tuc/1.001193").await), "not cached");
    for uri in ["/tra-cuu?ma=DEMO.NB.03-261202-0001&bi-mat=123456", "/thu-tuc/1.001193?gop-y-loi=trong&noi-dung=x"] {
        send(&app, visitor(uri)).await;
        assert_eq!(outcome(&send(&app, visitor(uri)).await), "not cached", "{uri}");
    }
    // A page that is not found is rendered each time.
    send(&app, visitor("/thu-tuc/9.999999")).await;
    let missing = send(&app, visitor("/thu-tuc/9.999999")).await;
    assert_eq!((missing.status, outcome(&missing)), (StatusCode::NOT_FOUND, "not cached"));
}

/// Waits (boundedly) until the cache's generation reaches `at_least`.
async fn generation_reaches(state: &AppState, at_least: u64) -> bool {
    for _ in 0..100 {
        if state.render_cache.generation().current() >= at_least {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    false
}

#[sqlx::test(migrations = false)]
async fn a_catalog_change_made_anywhere_drops_the_kept_pages(pool: PgPool) {
    let (app, state) = cached_app(&pool).await;
    let listener = tokio::spawn(render_cache::listen_for_changes(pool.clone(), state.render_cache.clone()));
    // Listening starts by dropping everything (a change may have been missed before).
    assert!(generation_reaches(&state, 1).await, "the listener started");
    for uri in ["/", "/thu-tuc/1.001193"] {
        send(&app, visitor(uri)).await;
        assert_eq!(outcome(&send(&app, visitor(uri)).await), "hit", "{uri}");
    }
    // Another instance (or `server import-catalog`) renames a procedure.
    sqlx::query("UPDATE procedures SET name = 'Đăng ký khai sinh (tên mới)' WHERE code = '1.001193'")
        .execute(&pool)
        .await
        .unwrap();
    assert!(generation_reaches(&state, 2).await, "the announcement reached this instance");
    let page = send(&app, Request::get("/thu-tuc/1.001193").body(Body::empty()).unwrap()).await;
    assert_eq!(outcome(&page), "miss");
    assert!(page.body.contains("Đăng ký khai sinh (tên mới)"));
    assert_eq!(outcome(&send(&app, visitor("/")).await), "miss", "every page was dropped");
    listener.abort();
}

#[sqlx::test(migrations = false)]
async fn an_administrators_change_drops_the_kept_pages_at_once(pool: PgPool) {
    let (app, state) = cached_app(&pool).await;
    send(&app, visitor("/")).await;
    assert_eq!(outcome(&send(&app, visitor("/")).await), "hit");
    let before = state.render_cache.generation().current();
    let mut admin = staff(&app, "quantri").await;
    admin.post("/api/quan-tri/lich/sua", &[("ngay", "2027-01-04"), ("ten", "Nghỉ bù"), ("viec", "luu")]).await;
    assert!(state.render_cache.generation().current() > before);
    assert_eq!(outcome(&send(&app, visitor("/")).await), "miss");
}

#[sqlx::test(migrations = false)]
async fn a_catalog_change_reaches_the_facets_the_operator_and_the_search_words_at_once(pool: PgPool) {
    let (app, state) = cached_app(&pool).await;
    let listener = tokio::spawn(render_cache::listen_for_changes(pool.clone(), state.render_cache.clone()));
    assert!(generation_reaches(&state, 1).await, "the listener started");
    // The facets, the footer's operator and the search vocabulary are read and kept.
    send(&app, visitor("/thu-tuc")).await;
    send(&app, visitor("/thu-tuc?q=dang+ky+khai+sinh")).await;
    // Another instance renames a field, changes the hotline and adds an everyday word.
    let field: String = sqlx::query_scalar(
        "UPDATE fields SET name = name || ' (tên mới)' WHERE id = (SELECT min(id) FROM fields) RETURNING name",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    sqlx::query("UPDATE agencies SET hotline = '0229 3999 888' WHERE parent_id IS NULL AND valid_to IS NULL")
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("INSERT INTO search_synonyms (everyday, formal) VALUES ('giay chao doi', 'khai sinh')")
        .execute(&pool)
        .await
        .unwrap();
    assert!(generation_reaches(&state, 2).await, "the announcement reached this instance");
    let plain = |uri: &str| Request::get(uri).body(Body::empty()).unwrap();
    let browse = send(&app, plain("/thu-tuc")).await;
    assert!(browse.body.contains(&format!("value=\"{field}\"")), "the renamed field is a filter at once");
    assert!(browse.body.contains("0229 3999 888"), "the new hotline is in the footer");
    let search = send(&app, plain("/thu-tuc?q=giay+chao+doi")).await;
    assert!(search.body.contains("Đăng ký khai sinh"), "the new everyday words find the procedure");
    listener.abort();
}
