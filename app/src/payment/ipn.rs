//! `GET /api/thanh-toan/vnpay/ipn`: the gateway's server-to-server notification of a payment's
//! outcome. Only this (or a reconciliation query) marks an attempt paid. The answer is the
//! specification's JSON with its response code, so the gateway stops retrying; every check
//! fails closed and writes nothing.

use super::vnpay::{self, IpnAnswer, Merchant, Refused};
use crate::filed::clock::vietnam_time_to_utc;
use crate::filed::payments::{settle, Settled, SettledBy, Settlement};
use crate::security::ClientAddress;
use axum::extract::{Extension, RawQuery};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use sqlx::PgPool;

/// The longest notification read: the gateway's run to a few hundred bytes.
const MAX_QUERY_BYTES: usize = 4096;

pub async fn vnpay_ipn(
    Extension(pool): Extension<PgPool>,
    Extension(gateway): Extension<super::Gateway>,
    client: Option<Extension<ClientAddress>>,
    RawQuery(query): RawQuery,
) -> Response {
    let client = client.map(|Extension(ClientAddress(address))| address);
    if gateway.merchant.as_ref().is_some_and(|merchant| !merchant.notifies_from(client.as_deref())) {
        // Not the gateway: nothing is read. (The address is not logged.)
        tracing::warn!("a payment notification came from an address the gateway does not use");
        return StatusCode::FORBIDDEN.into_response();
    }
    let answer = match gateway.merchant {
        Some(merchant) => answer(&pool, &merchant, query.as_deref().unwrap_or_default()).await,
        None => IpnAnswer::Unknown,
    };
    // Only the answer's code: the parameters name a payment and its payer's bank.
    tracing::info!(code = answer.code(), "payment notification answered");
    ([(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], answer.json()).into_response()
}

/// The answer to a notification's query string, once its outcome is recorded (or refused).
pub async fn answer(pool: &PgPool, merchant: &Merchant, query: &str) -> IpnAnswer {
    if query.len() > MAX_QUERY_BYTES {
        return IpnAnswer::Unknown;
    }
    let params: Vec<(String, String)> =
        form_urlencoded::parse(query.as_bytes()).map(|(n, v)| (n.into_owned(), v.into_owned())).collect();
    let outcome = match vnpay::outcome(&merchant.secret, &params) {
        Ok(outcome) => outcome,
        Err(Refused::Signature) => return IpnAnswer::InvalidSignature,
        Err(Refused::Malformed) => return IpnAnswer::Unknown,
    };
    if outcome.tmn_code != merchant.tmn_code {
        return IpnAnswer::InvalidSignature;
    }
    let settlement = Settlement {
        merchant_ref: &outcome.txn_ref,
        amount_vnd: outcome.amount_vnd,
        paid: outcome.paid(),
        transaction_no: &outcome.transaction_no,
        bank_code: &outcome.bank_code,
        paid_at: outcome.pay_date.map(vietnam_time_to_utc),
        gateway_code: &outcome.response_code,
        by: SettledBy::Ipn,
    };
    match settle(pool, &settlement, chrono::Utc::now()).await {
        Ok(Settled::Recorded { .. }) => IpnAnswer::Confirmed,
        Ok(Settled::NotFound) => IpnAnswer::OrderNotFound,
        Ok(Settled::AmountDiffers) => IpnAnswer::InvalidAmount,
        Ok(Settled::Already) => IpnAnswer::AlreadyConfirmed,
        Err(error) => {
            tracing::error!(%error, "a payment notification could not be recorded");
            IpnAnswer::Unknown
        }
    }
}
