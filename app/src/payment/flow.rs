//! The payment's steps on the server: send the applicant to pay what their dossier owes, tell
//! them what came of it on their return, and show a fee's receipt to whoever may see it.

use super::vnpay::{self, Merchant, PayRequest};
use super::{Gateway, PaymentReceipt, ReturnState, ReturnView};
use crate::filed::clock::vietnam_time;
use crate::filed::payments::{self, NewAttempt, Opened, Purpose};
use crate::routes::PAYMENT_RETURN_PATH;
use chrono::{DateTime, Duration, Utc};
use sqlx::{PgPool, Row};
use uuid::Uuid;

/// How long the gateway takes a payment once the applicant is sent to it.
const ATTEMPT_LIFETIME: Duration = Duration::minutes(15);

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Started {
    /// The gateway's signed address to send the applicant to.
    Go(String),
    /// An attempt is still open or unconfirmed: nothing new is opened.
    Waiting,
    NothingOwed,
}

/// What the request to pay needs to know of the request itself.
pub struct Requester<'a> {
    pub citizen_id: Uuid,
    pub client_ip: &'a str,
    /// Where the gateway sends the applicant back: the portal's public origin.
    pub origin: &'a str,
    pub english: bool,
}

/// Opens (or reuses) an attempt to pay what the applicant's own dossier owes. `None`: not their
/// dossier.
pub async fn start(
    pool: &PgPool,
    gateway: &Gateway,
    merchant: &Merchant,
    code: &str,
    requester: &Requester<'_>,
    now: DateTime<Utc>,
) -> Result<Option<Started>, sqlx::Error> {
    let Some(record) = crate::filed::record::of_citizen(pool, code, requester.citizen_id).await? else {
        return Ok(None);
    };
    let Some((owed, agency_id)) = payments::owed(pool, &record).await? else { return Ok(Some(Started::NothingOwed)) };
    let new = NewAttempt {
        dossier_id: record.id,
        purpose: if owed.obligation { Purpose::Obligation } else { Purpose::Filing },
        fee_name: &owed.fee_name,
        amount_vnd: owed.amount_vnd,
        agency_id,
        gateway: gateway.name(),
        lifetime: ATTEMPT_LIFETIME,
    };
    let attempt = match payments::open_attempt(pool, &new, now).await? {
        Opened::Payable(attempt) => attempt,
        Opened::Waiting => return Ok(Some(Started::Waiting)),
    };
    // The gateway shows this to the payer and takes ASCII letters, digits and spaces only.
    let order_info = format!("Thanh toan phi ho so {}", code.replace(|c: char| !c.is_ascii_alphanumeric(), " "));
    let return_url = format!("{}{PAYMENT_RETURN_PATH}", requester.origin);
    let client_ip = match requester.client_ip.parse::<std::net::IpAddr>() {
        Ok(address) => address.to_string(),
        Err(_) => "127.0.0.1".to_owned(),
    };
    Ok(Some(Started::Go(vnpay::pay_url(
        merchant,
        &PayRequest {
            txn_ref: &attempt.merchant_ref,
            amount_vnd: attempt.amount_vnd,
            order_info: &order_info,
            return_url: &return_url,
            client_ip: &client_ip,
            created: vietnam_time(attempt.created_at),
            expires: vietnam_time(attempt.expires_at),
            english: requester.english,
        },
    ))))
}

/// What the applicant is told on coming back from the gateway. The return's parameters only
/// say which attempt it was: whether it is paid is read from the attempt, which only the
/// gateway's notification or a query to it settles.
pub async fn returned(
    pool: &PgPool,
    merchant: &Merchant,
    params: &[(String, String)],
) -> Result<ReturnView, sqlx::Error> {
    let unverified = ReturnView { state: ReturnState::Unverified, code: None, reference: None };
    let outcome = match vnpay::outcome(&merchant.secret, params) {
        Ok(outcome) if outcome.tmn_code == merchant.tmn_code => outcome,
        _ => return Ok(unverified),
    };
    let row = sqlx::query(
        "SELECT p.status, d.code FROM payments p JOIN dossiers d ON d.id = p.dossier_id WHERE p.merchant_ref = $1",
    )
    .bind(&outcome.txn_ref)
    .fetch_optional(pool)
    .await?;
    let Some(row) = row else { return Ok(unverified) };
    let status: String = row.try_get(0)?;
    let state = match status.as_str() {
        "paid" => ReturnState::Paid,
        "pending" if outcome.paid() => ReturnState::Confirming,
        _ => ReturnState::NotPaid,
    };
    Ok(ReturnView { state, code: Some(row.try_get(1)?), reference: Some(outcome.txn_ref) })
}

/// Who asks for a receipt.
#[derive(Debug, Clone, Copy)]
pub enum Viewer {
    Citizen(Uuid),
    /// An officer of this agency: receipts of the dossiers it may see.
    Agency(i64),
}

/// A paid fee's receipt, if the viewer may see its dossier.
pub async fn receipt(pool: &PgPool, reference: &str, viewer: Viewer) -> Result<Option<PaymentReceipt>, sqlx::Error> {
    let (who, allowed) = match viewer {
        Viewer::Citizen(id) => (id.to_string(), "s.citizen_id = $1::uuid".to_owned()),
        Viewer::Agency(id) => (id.to_string(), crate::filed::record::VISIBLE.replace("$1", "$1::bigint")),
    };
    let sql = format!(
        "SELECT p.merchant_ref, s.code, pr.name, p.fee_name, p.amount_vnd, s.applicant_name, a.name, \
           coalesce(p.transaction_no, ''), coalesce(p.bank_code, ''), p.paid_at, p.gateway \
         FROM payments p JOIN dossiers s ON s.id = p.dossier_id JOIN procedure_versions v ON v.id = s.version_id \
         JOIN procedures pr ON pr.id = v.procedure_id JOIN agencies a ON a.id = p.agency_id \
         WHERE p.merchant_ref = $2 AND p.status = 'paid' AND {allowed}"
    );
    let Some(row) = sqlx::query(&sql).bind(who).bind(reference).fetch_optional(pool).await? else {
        return Ok(None);
    };
    let gateway: String = row.try_get(10)?;
    Ok(Some(PaymentReceipt {
        reference: row.try_get(0)?,
        code: row.try_get(1)?,
        procedure_name: row.try_get(2)?,
        fee_name: row.try_get(3)?,
        amount_vnd: u64::try_from(row.try_get::<i64, _>(4)?).unwrap_or(0),
        payer: row.try_get(5)?,
        agency: row.try_get(6)?,
        transaction_no: row.try_get(7)?,
        bank_code: row.try_get(8)?,
        paid_at: vietnam_time(row.try_get(9)?).format("%H:%M:%S %d/%m/%Y").to_string(),
        demo: gateway == "demo",
        gateway: if gateway == "demo" { "Cổng thanh toán demo".to_owned() } else { "VNPAY".to_owned() },
    }))
}
