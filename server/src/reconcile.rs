//! Every minute, the payment attempts still pending after `ASK_AFTER` are asked about at the
//! gateway (a signed transaction query), so a lost notification never leaves a paid fee
//! unrecorded, and attempts the gateway never saw are closed after their expiry
//! (`app::payment::reconcile` decides what each answer means).

use app::payment::reconcile::{apply, query, Reconciled, ASK_AFTER};
use app::payment::Gateway;
use sqlx::PgPool;
use std::time::Duration;

const EVERY: Duration = Duration::from_secs(60);
/// Attempts asked about per round.
const BATCH: i64 = 100;
const QUERY_TIMEOUT: Duration = Duration::from_secs(10);

pub async fn run(pool: PgPool, gateway: Gateway) {
    let Some(merchant) = gateway.merchant else { return };
    let client = match reqwest::Client::builder().timeout(QUERY_TIMEOUT).build() {
        Ok(client) => client,
        Err(error) => return tracing::error!(%error, "no HTTP client for payment reconciliation"),
    };
    let mut every = tokio::time::interval(EVERY);
    loop {
        every.tick().await;
        if let Err(error) = round(&pool, &merchant, &client).await {
            tracing::warn!(%error, "payment reconciliation failed");
        }
    }
}

/// One round: each pending attempt old enough, asked about once.
pub async fn round(
    pool: &PgPool,
    merchant: &app::payment::vnpay::Merchant,
    client: &reqwest::Client,
) -> Result<Vec<Reconciled>, sqlx::Error> {
    let now = chrono::Utc::now();
    let mut results = Vec::new();
    for attempt in app::filed::payments::pending(pool, now - ASK_AFTER, BATCH).await? {
        let answer = match client.post(&merchant.api_url).json(&query(merchant, &attempt, now)).send().await {
            Ok(response) => response.json::<serde_json::Value>().await,
            Err(error) => Err(error),
        };
        let result = match answer {
            Ok(answer) => apply(pool, merchant, &attempt, &answer, now).await?,
            Err(error) => {
                tracing::warn!(%error, "the payment gateway did not answer a transaction query");
                Reconciled::StillOpen
            }
        };
        results.push(result);
    }
    Ok(results)
}
