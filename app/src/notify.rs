//! The notification outbox: a message is a row written in the same transaction as the change
//! it reports; the server's worker delivers it through a channel and records the outcome.

use sqlx::{Postgres, Transaction};
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    SignInCode,
    Receipt,
    /// A change of a dossier's status.
    Status,
}

impl Purpose {
    fn as_db(self) -> &'static str {
        match self {
            Self::SignInCode => "sign_in_code",
            Self::Receipt => "receipt",
            Self::Status => "status",
        }
    }
}

pub struct Sms<'a> {
    pub to: &'a str,
    pub body: String,
    pub purpose: Purpose,
    pub dossier_id: Option<Uuid>,
}

pub async fn enqueue_sms(tx: &mut Transaction<'_, Postgres>, sms: Sms<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO outbox_messages (channel, recipient, body, purpose, dossier_id) VALUES ('sms', $1, $2, $3, $4)",
    )
    .bind(sms.to)
    .bind(sms.body)
    .bind(sms.purpose.as_db())
    .bind(sms.dossier_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
