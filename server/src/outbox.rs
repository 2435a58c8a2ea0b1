//! Delivers the notification outbox. Each pass locks a batch of due messages with
//! `FOR UPDATE SKIP LOCKED` (so several servers can run the worker side by side), sends each
//! through its channel, and records success, or the error and when to try again.

use app::notify;
use lettre::message::{header::ContentType, Mailbox};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sqlx::PgPool;
use std::time::Duration;

/// How SMS messages leave the portal.
#[derive(Clone)]
pub enum SmsChannel {
    /// Development and demo: the message is written to the server log (number masked).
    Log,
    /// An SMS gateway over HTTP: `POST {url}` with JSON `{"to": "0912345678", "text": "..."}`
    /// and, when a token is set, `Authorization: Bearer {token}`. Any 2xx answer is delivery.
    Gateway { client: reqwest::Client, url: String, token: Option<String> },
}

const BATCH: i64 = 20;
const IDLE_PAUSE: Duration = Duration::from_secs(1);
/// After this many failed attempts a message is marked failed and left for staff to see.
const MAX_ATTEMPTS: i32 = 8;

impl SmsChannel {
    pub fn gateway(url: String, token: Option<String>) -> Self {
        let client = reqwest::Client::builder().timeout(Duration::from_secs(10)).build().unwrap_or_default();
        Self::Gateway { client, url, token }
    }

    async fn send(&self, to: &str, text: &str) -> Result<(), String> {
        match self {
            Self::Log => {
                let masked = app::domain::phone::PhoneNumber::from_stored(to.to_owned()).masked();
                tracing::info!(target: "outbox", "[SMS thử nghiệm] tới {masked}: {text}");
                Ok(())
            }
            Self::Gateway { client, url, token } => {
                let mut request = client.post(url).json(&serde_json::json!({ "to": to, "text": text }));
                if let Some(token) = token {
                    request = request.bearer_auth(token);
                }
                let response = request.send().await.map_err(|e| e.without_url().to_string())?;
                if response.status().is_success() {
                    Ok(())
                } else {
                    Err(format!("gateway answered {}", response.status()))
                }
            }
        }
    }
}

/// How e-mail notices leave the portal.
#[derive(Clone)]
pub enum EmailChannel {
    /// Development and demo: the message is written to the server log (address masked).
    Log,
    /// An SMTP server (`SMTP_URL`, e.g. `smtps://user:password@smtp.example.vn`).
    Smtp { mailer: AsyncSmtpTransport<Tokio1Executor>, from: Mailbox },
}

impl EmailChannel {
    pub fn smtp(url: &str, from: &str) -> anyhow::Result<Self> {
        let mailer = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| anyhow::anyhow!("SMTP_URL: {e}"))?
            .timeout(Some(Duration::from_secs(10)))
            .build();
        let from = from.parse().map_err(|e| anyhow::anyhow!("SMTP_FROM: {e}"))?;
        Ok(Self::Smtp { mailer, from })
    }

    async fn send(&self, to: &str, text: &str) -> Result<(), String> {
        match self {
            Self::Log => {
                let masked = to.split_once('@').map_or_else(|| "***".to_owned(), |(_, domain)| format!("***@{domain}"));
                tracing::info!(target: "outbox", "[E-mail thử nghiệm] tới {masked}: {text}");
                Ok(())
            }
            Self::Smtp { mailer, from } => {
                let to: Mailbox = to.parse().map_err(|e: lettre::address::AddressError| e.to_string())?;
                let message = Message::builder()
                    .from(from.clone())
                    .to(to)
                    .subject(app::i18n::vi("email.subject"))
                    .header(ContentType::TEXT_PLAIN)
                    .body(text.to_owned())
                    .map_err(|e| e.to_string())?;
                mailer.send(message).await.map(|_| ()).map_err(|e| e.to_string())
            }
        }
    }
}

/// The channels the worker delivers through.
#[derive(Clone)]
pub struct Channels {
    pub sms: SmsChannel,
    pub email: EmailChannel,
}

impl Channels {
    async fn send(&self, channel: &str, to: &str, text: &str) -> Result<(), String> {
        match channel {
            "email" => self.email.send(to, text).await,
            _ => self.sms.send(to, text).await,
        }
    }
}

/// Runs until the process ends.
pub async fn run(pool: PgPool, channels: Channels) {
    loop {
        match deliver_due(&pool, &channels).await {
            Ok(0) => tokio::time::sleep(IDLE_PAUSE).await,
            Ok(_) => {}
            Err(error) => {
                tracing::warn!(%error, "outbox pass failed");
                tokio::time::sleep(IDLE_PAUSE).await;
            }
        }
    }
}

/// Sends the messages due now; returns how many were attempted.
pub async fn deliver_due(pool: &PgPool, channels: &Channels) -> Result<usize, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let due = notify::claim_due(&mut tx, BATCH).await?;
    for message in &due {
        match channels.send(&message.channel, &message.recipient, &message.body).await {
            Ok(()) => notify::mark_sent(&mut tx, message.id).await?,
            Err(error) => {
                tracing::warn!(message_id = message.id, channel = message.channel, %error, "message not delivered, will retry");
                // Backoff doubles from 30 s: 30 s, 1 min, 2 min, ... about an hour at the last try.
                let wait_secs = 30_i64 << message.attempts.clamp(0, 7);
                notify::mark_failed(&mut tx, message.id, &error, wait_secs, MAX_ATTEMPTS).await?;
            }
        }
    }
    tx.commit().await?;
    Ok(due.len())
}
