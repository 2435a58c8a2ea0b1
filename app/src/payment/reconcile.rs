//! Reconciliation: an attempt still pending a few minutes after it was opened (its notification
//! lost or late) is settled by asking the gateway (a signed transaction query), and one the
//! gateway never saw is closed once it has expired. The server's job sends the queries
//! (`server/src/reconcile.rs`); what their answers mean is decided here.

use super::vnpay::{self, Merchant, Queried};
use crate::filed::clock::{vietnam_time, vietnam_time_to_utc};
use crate::filed::payments::{self, Pending, Settled, SettledBy, Settlement};
use chrono::{DateTime, Duration, Utc};
use sqlx::PgPool;

/// Attempts older than this are asked about: the notification normally comes within seconds.
pub const ASK_AFTER: Duration = Duration::minutes(2);
/// An attempt the gateway has no record of is closed this long after its expiry (the gateway's
/// own clock may be a little behind).
const EXPIRE_AFTER: Duration = Duration::minutes(15);

/// The signed query about one attempt.
pub fn query(merchant: &Merchant, attempt: &Pending, now: DateTime<Utc>) -> serde_json::Value {
    let request_id = uuid::Uuid::new_v4().simple().to_string();
    vnpay::query_request(
        merchant,
        &request_id,
        &attempt.merchant_ref,
        vietnam_time(attempt.created_at),
        vietnam_time(now),
        "127.0.0.1",
    )
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reconciled {
    Paid,
    Failed,
    Expired,
    /// The gateway does not know yet, or its answer was not usable: asked again next time.
    StillOpen,
    /// The answer was not signed by the gateway or did not match the attempt.
    Refused,
}

/// Acts on the gateway's answer about a pending attempt.
pub async fn apply(
    pool: &PgPool,
    merchant: &Merchant,
    attempt: &Pending,
    answer: &serde_json::Value,
    now: DateTime<Utc>,
) -> Result<Reconciled, sqlx::Error> {
    let outcome = match vnpay::query_answer(&merchant.secret, &attempt.merchant_ref, answer) {
        Err(_) => return Ok(Reconciled::Refused),
        Ok(Queried::Found(outcome)) => outcome,
        Ok(Queried::NotFound) if now > attempt.expires_at + EXPIRE_AFTER => {
            payments::expire(pool, &attempt.merchant_ref, now).await?;
            return Ok(Reconciled::Expired);
        }
        Ok(Queried::NotFound | Queried::Unanswered(_)) => return Ok(Reconciled::StillOpen),
    };
    // "01": the transaction is not finished at the gateway.
    if outcome.transaction_status == "01" {
        return Ok(Reconciled::StillOpen);
    }
    let settlement = Settlement {
        merchant_ref: &attempt.merchant_ref,
        amount_vnd: outcome.amount_vnd,
        paid: outcome.paid(),
        transaction_no: &outcome.transaction_no,
        bank_code: &outcome.bank_code,
        paid_at: outcome.pay_date.map(vietnam_time_to_utc),
        gateway_code: &outcome.transaction_status,
        by: SettledBy::Query,
    };
    Ok(match payments::settle(pool, &settlement, now).await? {
        Settled::Recorded { paid: true } => Reconciled::Paid,
        Settled::Recorded { paid: false } => Reconciled::Failed,
        Settled::Already => Reconciled::StillOpen,
        Settled::NotFound | Settled::AmountDiffers => Reconciled::Refused,
    })
}
