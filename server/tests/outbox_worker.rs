//! The outbox worker delivers through an HTTP SMS gateway, retries with backoff when the
//! gateway fails, and two workers never send the same message twice.

use axum::{extract::State, http::StatusCode, routing::post, Json, Router};
use server::outbox::{deliver_due, SmsChannel};
use sqlx::PgPool;
use std::sync::{Arc, Mutex};

#[derive(Clone, Default)]
struct Gateway {
    received: Arc<Mutex<Vec<(String, Option<String>)>>>,
    fail: bool,
}

async fn receive(
    State(gateway): State<Gateway>,
    headers: axum::http::HeaderMap,
    Json(message): Json<serde_json::Value>,
) -> StatusCode {
    if gateway.fail {
        return StatusCode::BAD_GATEWAY;
    }
    let auth = headers.get("authorization").map(|v| v.to_str().unwrap().to_owned());
    gateway.received.lock().unwrap().push((message["to"].as_str().unwrap().to_owned(), auth));
    StatusCode::OK
}

async fn start_gateway(gateway: Gateway) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let app = Router::new().route("/sms", post(receive)).with_state(gateway);
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{address}/sms")
}

async fn queue(pool: &PgPool, count: usize) {
    server::database::prepare(pool, false).await.unwrap();
    for i in 0..count {
        sqlx::query(
            "INSERT INTO outbox_messages (channel, recipient, body, purpose) VALUES ('sms', $1, 'Xin chao', 'status')",
        )
        .bind(format!("09120000{i:02}"))
        .execute(pool)
        .await
        .unwrap();
    }
}

#[sqlx::test(migrations = false)]
async fn messages_are_delivered_through_the_gateway_once(pool: PgPool) {
    queue(&pool, 30).await;
    let gateway = Gateway::default();
    let channel = SmsChannel::gateway(start_gateway(gateway.clone()).await, Some("secret".into()));
    // Two workers at once, as with two server instances.
    let (a, b) = tokio::join!(deliver_due(&pool, &channel), deliver_due(&pool, &channel));
    let mut total = a.unwrap() + b.unwrap();
    while total < 30 {
        total += deliver_due(&pool, &channel).await.unwrap();
    }
    let received = gateway.received.lock().unwrap().clone();
    assert_eq!(received.len(), 30, "each message sent exactly once");
    assert!(received.iter().all(|(_, auth)| auth.as_deref() == Some("Bearer secret")));
    let unsent: i64 = sqlx::query_scalar("SELECT count(*) FROM outbox_messages WHERE sent_at IS NULL")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(unsent, 0);
    assert_eq!(deliver_due(&pool, &channel).await.unwrap(), 0, "nothing left to send");
}

#[sqlx::test(migrations = false)]
async fn a_failing_gateway_leaves_the_message_for_a_later_attempt(pool: PgPool) {
    queue(&pool, 1).await;
    let channel = SmsChannel::gateway(start_gateway(Gateway { fail: true, ..Gateway::default() }).await, None);
    assert_eq!(deliver_due(&pool, &channel).await.unwrap(), 1);
    let (attempts, waits, error): (i32, bool, String) = sqlx::query_as(
        "SELECT attempts, next_attempt_at > now() + interval '20 seconds', last_error FROM outbox_messages",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!((attempts, waits), (1, true));
    assert!(error.contains("502"), "{error}");
    assert_eq!(deliver_due(&pool, &channel).await.unwrap(), 0, "not retried before its time");
    // Unreachable gateways count as failures too.
    sqlx::query("UPDATE outbox_messages SET next_attempt_at = now()").execute(&pool).await.unwrap();
    let nowhere = SmsChannel::gateway("http://127.0.0.1:1/sms".into(), None);
    deliver_due(&pool, &nowhere).await.unwrap();
    let attempts: i32 = sqlx::query_scalar("SELECT attempts FROM outbox_messages").fetch_one(&pool).await.unwrap();
    assert_eq!(attempts, 2);
}
