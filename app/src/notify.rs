//! The notification outbox: a message is a row written in the same transaction as the change
//! it reports; the server's worker delivers it through its channel (SMS or e-mail) and records
//! the outcome.

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

/// Queues the SMS and, for news of a dossier, the same text by e-mail when the citizen with
/// that phone number has added an address (sign-in codes go by SMS only).
pub async fn enqueue_sms(tx: &mut Transaction<'_, Postgres>, sms: Sms<'_>) -> Result<(), sqlx::Error> {
    let with_email = sms.purpose != Purpose::SignInCode;
    sqlx::query(
        "WITH message AS (SELECT $1::text AS phone, $2::text AS body, $3::text AS purpose, $4::uuid AS dossier_id) \
         INSERT INTO outbox_messages (channel, recipient, body, purpose, dossier_id) \
         SELECT 'sms', phone, body, purpose, dossier_id FROM message \
         UNION ALL SELECT 'email', c.email, m.body, m.purpose, m.dossier_id \
           FROM message m JOIN citizens c ON c.phone = m.phone WHERE $5 AND c.email IS NOT NULL",
    )
    .bind(sms.to)
    .bind(sms.body)
    .bind(sms.purpose.as_db())
    .bind(sms.dossier_id)
    .bind(with_email)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
