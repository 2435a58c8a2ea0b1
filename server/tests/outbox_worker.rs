//! The outbox worker delivers through an HTTP SMS gateway and an SMTP server, retries with
//! backoff when the gateway fails, and two workers never send the same message twice.

use axum::{extract::State, http::StatusCode, routing::post, Json, Router};
use server::outbox::{deliver_due, Channels, EmailChannel, SmsChannel};
use sqlx::PgPool;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

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

fn sms_only(sms: SmsChannel) -> Channels {
    Channels { sms, email: EmailChannel::Log }
}

/// A minimal SMTP server on loopback that accepts every message and records its envelope
/// recipient and text.
async fn start_smtp(received: Arc<Mutex<Vec<(String, String)>>>) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let received = received.clone();
            tokio::spawn(async move {
                let (read, mut write) = stream.into_split();
                let mut lines = BufReader::new(read).lines();
                write.write_all(b"220 localhost ESMTP test\r\n").await.unwrap();
                let (mut recipient, mut data, mut in_data) = (String::new(), String::new(), false);
                while let Ok(Some(line)) = lines.next_line().await {
                    let reply: &[u8] = if in_data {
                        if line == "." {
                            in_data = false;
                            received.lock().unwrap().push((recipient.clone(), data.clone()));
                            b"250 queued\r\n"
                        } else {
                            data.push_str(&line);
                            data.push('\n');
                            continue;
                        }
                    } else if line.starts_with("EHLO") {
                        b"250-localhost\r\n250 8BITMIME\r\n"
                    } else if let Some(to) = line.strip_prefix("RCPT TO:") {
                        recipient = to.trim_matches(|c| c == '<' || c == '>').to_owned();
                        b"250 OK\r\n"
                    } else if line == "DATA" {
                        in_data = true;
                        b"354 go ahead\r\n"
                    } else if line == "QUIT" {
                        let _ = write.write_all(b"221 bye\r\n").await;
                        break;
                    } else {
                        b"250 OK\r\n"
                    };
                    if write.write_all(reply).await.is_err() {
                        break;
                    }
                }
            });
        }
    });
    format!("smtp://{address}")
}

#[sqlx::test(migrations = false)]
async fn e_mail_notices_go_through_the_smtp_server(pool: PgPool) {
    queue(&pool, 1).await;
    sqlx::query(
        "INSERT INTO outbox_messages (channel, recipient, body, purpose) VALUES ('email', 'mai@example.vn', 'Ho so da co ket qua', 'status')",
    )
    .execute(&pool)
    .await
    .unwrap();
    let (gateway, mail) = (Gateway::default(), Arc::new(Mutex::new(Vec::new())));
    let channels = Channels {
        sms: SmsChannel::gateway(start_gateway(gateway.clone()).await, None),
        email: EmailChannel::smtp(&start_smtp(mail.clone()).await, "Một Cửa <khong-tra-loi@localhost>").unwrap(),
    };
    assert_eq!(deliver_due(&pool, &channels).await.unwrap(), 2);
    assert_eq!(gateway.received.lock().unwrap().len(), 1, "the SMS went to the gateway");
    let mail = mail.lock().unwrap().clone();
    assert_eq!(mail.len(), 1, "the e-mail went to the SMTP server");
    assert_eq!(mail[0].0, "mai@example.vn");
    assert!(mail[0].1.contains("Ho so da co ket qua") && mail[0].1.contains("Subject:"), "{}", mail[0].1);
    let unsent: i64 = sqlx::query_scalar("SELECT count(*) FROM outbox_messages WHERE sent_at IS NULL")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(unsent, 0);
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
    let channel = sms_only(SmsChannel::gateway(start_gateway(gateway.clone()).await, Some("secret".into())));
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
    let channel =
        sms_only(SmsChannel::gateway(start_gateway(Gateway { fail: true, ..Gateway::default() }).await, None));
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
    let nowhere = sms_only(SmsChannel::gateway("http://127.0.0.1:1/sms".into(), None));
    deliver_due(&pool, &nowhere).await.unwrap();
    let attempts: i32 = sqlx::query_scalar("SELECT attempts FROM outbox_messages").fetch_one(&pool).await.unwrap();
    assert_eq!(attempts, 2);
}
