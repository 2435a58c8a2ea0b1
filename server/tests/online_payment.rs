//! The payment gateway's notification (IPN) through the real router, sent as VNPAY sends it by
//! a mock gateway written here: its parameters signed with HMAC-SHA512 over the sorted,
//! form-encoded `name=value` pairs by this file's own code, not the portal's. Exactly one
//! payment is recorded in each case, with the response code the specification gives.

mod common;

use app::filed::payments::{open_attempt, NewAttempt, Opened, Purpose};
use app::payment::vnpay::Merchant;
use app::payment::Gateway;
use app::routes::VNPAY_IPN_PATH;
use axum::Router;
use common::*;
use hmac::{Hmac, Mac};
use sha2::Sha512;
use sqlx::PgPool;

const TMN_CODE: &str = "MOCKTMN1";
const SECRET: &str = "mock-gateway-hash-secret";

async fn portal_with_gateway(pool: &PgPool) -> Router {
    server::database::prepare(pool, true).await.expect("migrations and demo data");
    let merchant = Merchant {
        tmn_code: TMN_CODE.into(),
        secret: SECRET.into(),
        pay_url: "http://127.0.0.1:9/pay".into(),
        api_url: "http://127.0.0.1:9/api".into(),
        ipn_sources: Vec::new(),
    };
    server::http::router(server::http::AppState {
        payment_gateway: Gateway::vnpay(merchant),
        ..server::http::AppState::new(pool.clone(), options(), files())
    })
}

/// The mock gateway's notification: every parameter it sends, signed with `secret`.
fn notification(params: &[(&str, String)], secret: &str) -> String {
    let mut sorted: Vec<(&str, &str)> = params.iter().map(|(n, v)| (*n, v.as_str())).collect();
    sorted.sort();
    let signed = form_urlencoded::Serializer::new(String::new()).extend_pairs(&sorted).finish();
    let mut mac = Hmac::<Sha512>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(signed.as_bytes());
    format!("{VNPAY_IPN_PATH}?{signed}&vnp_SecureHash={}", hex::encode(mac.finalize().into_bytes()))
}

/// A payment's outcome as the gateway reports it: `response` "00" paid, "24" cancelled.
fn outcome(merchant_ref: &str, amount_vnd: u64, response: &str) -> Vec<(&'static str, String)> {
    let status = if response == "00" { "00" } else { "02" };
    vec![
        ("vnp_Amount", (amount_vnd * 100).to_string()),
        ("vnp_BankCode", "NCB".into()),
        ("vnp_CardType", "ATM".into()),
        ("vnp_OrderInfo", format!("Thanh toan le phi {merchant_ref}")),
        ("vnp_PayDate", "20261207143258".into()),
        ("vnp_ResponseCode", response.into()),
        ("vnp_TmnCode", TMN_CODE.into()),
        ("vnp_TransactionNo", if response == "00" { "14831393".into() } else { "0".into() }),
        ("vnp_TransactionStatus", status.into()),
        ("vnp_TxnRef", merchant_ref.into()),
    ]
}

/// The gateway's answer code.
async fn notify(app: &Router, uri: &str) -> String {
    let reply = get(app, uri).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let answer: serde_json::Value = serde_json::from_str(&reply.body).expect("JSON answer");
    answer["RspCode"].as_str().expect("RspCode").to_owned()
}

/// A filed dossier with an attempt to pay 24,000đ for three copies.
async fn attempt(app: &Router, pool: &PgPool, phone: &str) -> (uuid::Uuid, String) {
    let (_, _, code) = submitted_dossier(app, pool, phone).await;
    let (dossier_id, agency_id): (uuid::Uuid, i64) =
        sqlx::query_as("SELECT id, receiving_agency_id FROM dossiers WHERE code = $1")
            .bind(&code)
            .fetch_one(pool)
            .await
            .unwrap();
    let new = NewAttempt {
        dossier_id,
        purpose: Purpose::Filing,
        fee_name: "Lệ phí cấp bản sao trích lục (3 bản)",
        amount_vnd: 24_000,
        agency_id,
        gateway: "vnpay",
        lifetime: chrono::Duration::minutes(15),
    };
    let Opened::Payable(attempt) = open_attempt(pool, &new, chrono::Utc::now()).await.unwrap() else {
        panic!("a new attempt is payable")
    };
    (dossier_id, attempt.merchant_ref)
}

async fn payment(pool: &PgPool, merchant_ref: &str) -> (String, Option<String>, i64) {
    sqlx::query_as(
        "SELECT p.status, p.transaction_no, (SELECT count(*) FROM dossier_events e \
           WHERE e.dossier_id = p.dossier_id AND e.action = 'thanh-toan-truc-tuyen') \
         FROM payments p WHERE p.merchant_ref = $1",
    )
    .bind(merchant_ref)
    .fetch_one(pool)
    .await
    .unwrap()
}

#[sqlx::test(migrations = false)]
async fn a_signed_notification_records_the_payment_once_and_a_repeat_is_already_confirmed(pool: PgPool) {
    let app = portal_with_gateway(&pool).await;
    let (_, merchant_ref) = attempt(&app, &pool, "0912000301").await;
    let paid = notification(&outcome(&merchant_ref, 24_000, "00"), SECRET);
    assert_eq!(notify(&app, &paid).await, "00");
    assert_eq!(payment(&pool, &merchant_ref).await, ("paid".into(), Some("14831393".into()), 1));
    assert_eq!(notify(&app, &paid).await, "02", "the gateway retries: already confirmed");
    assert_eq!(payment(&pool, &merchant_ref).await, ("paid".into(), Some("14831393".into()), 1), "recorded once");
}

#[sqlx::test(migrations = false)]
async fn a_forged_changed_or_misdirected_notification_writes_nothing(pool: PgPool) {
    let app = portal_with_gateway(&pool).await;
    let (_, merchant_ref) = attempt(&app, &pool, "0912000302").await;
    let pending = ("pending".to_owned(), None, 0);

    let forged = notification(&outcome(&merchant_ref, 24_000, "00"), "a guessed secret");
    assert_eq!(notify(&app, &forged).await, "97", "wrong signature");
    let signed = notification(&outcome(&merchant_ref, 24_000, "00"), SECRET);
    let changed = signed.replace("vnp_Amount=2400000", "vnp_Amount=100");
    assert_eq!(notify(&app, &changed).await, "97", "a signed parameter changed on the way");
    let unsigned = signed.split("&vnp_SecureHash=").next().unwrap().to_owned();
    assert_eq!(notify(&app, &unsigned).await, "97", "no signature");
    let mut other_merchant = outcome(&merchant_ref, 24_000, "00");
    other_merchant.retain(|(n, _)| *n != "vnp_TmnCode");
    other_merchant.push(("vnp_TmnCode", "OTHERTMN".into()));
    assert_eq!(notify(&app, &notification(&other_merchant, SECRET)).await, "97", "another merchant's payment");
    assert_eq!(payment(&pool, &merchant_ref).await, pending);

    let short = notification(&outcome(&merchant_ref, 8_000, "00"), SECRET);
    assert_eq!(notify(&app, &short).await, "04", "the amount paid is not the amount asked");
    assert_eq!(payment(&pool, &merchant_ref).await, pending);
    let unknown = notification(&outcome("NOSUCHATTEMPT0001", 24_000, "00"), SECRET);
    assert_eq!(notify(&app, &unknown).await, "01", "order not found");
    assert_eq!(notify(&app, &format!("{VNPAY_IPN_PATH}?vnp_TxnRef={}", "A".repeat(5000))).await, "99", "too long");

    assert_eq!(notify(&app, &signed).await, "00", "the real notification still counts");
    assert_eq!(payment(&pool, &merchant_ref).await.0, "paid");
}

#[sqlx::test(migrations = false)]
async fn two_notifications_arriving_at_once_record_one_payment(pool: PgPool) {
    let app = portal_with_gateway(&pool).await;
    let (_, merchant_ref) = attempt(&app, &pool, "0912000303").await;
    let paid = notification(&outcome(&merchant_ref, 24_000, "00"), SECRET);
    let (first, second) = tokio::join!(notify(&app, &paid), notify(&app, &paid));
    let mut codes = [first, second];
    codes.sort();
    assert_eq!(codes, ["00".to_owned(), "02".to_owned()]);
    assert_eq!(payment(&pool, &merchant_ref).await, ("paid".into(), Some("14831393".into()), 1));
}

#[sqlx::test(migrations = false)]
async fn a_cancelled_payment_is_recorded_as_failed_and_the_citizen_may_try_again(pool: PgPool) {
    let app = portal_with_gateway(&pool).await;
    let (dossier_id, merchant_ref) = attempt(&app, &pool, "0912000304").await;
    let new = NewAttempt {
        dossier_id,
        purpose: Purpose::Filing,
        fee_name: "Lệ phí cấp bản sao trích lục (3 bản)",
        amount_vnd: 24_000,
        agency_id: agency_id(&pool, "DEMO.NB.03").await,
        gateway: "vnpay",
        lifetime: chrono::Duration::minutes(15),
    };
    let again = open_attempt(&pool, &new, chrono::Utc::now()).await.unwrap();
    assert!(
        matches!(&again, Opened::Payable(a) if a.merchant_ref == merchant_ref),
        "a second tap reuses the live attempt"
    );
    let other_amount = NewAttempt { amount_vnd: 16_000, ..new.clone() };
    assert_eq!(open_attempt(&pool, &other_amount, chrono::Utc::now()).await.unwrap(), Opened::Waiting);

    let cancelled = notification(&outcome(&merchant_ref, 24_000, "24"), SECRET);
    assert_eq!(notify(&app, &cancelled).await, "00", "received and recorded");
    assert_eq!(payment(&pool, &merchant_ref).await, ("failed".into(), None, 0), "not paid, nothing in the trail");
    let Opened::Payable(retry) = open_attempt(&pool, &new, chrono::Utc::now()).await.unwrap() else { panic!() };
    assert_ne!(retry.merchant_ref, merchant_ref, "a new attempt with a new reference");
}

#[sqlx::test(migrations = false)]
async fn a_notification_from_an_address_the_gateway_does_not_use_is_refused(pool: PgPool) {
    server::database::prepare(&pool, true).await.expect("migrations and demo data");
    let merchant = Merchant {
        tmn_code: TMN_CODE.into(),
        secret: SECRET.into(),
        pay_url: "http://127.0.0.1:9/pay".into(),
        api_url: "http://127.0.0.1:9/api".into(),
        ipn_sources: vec!["203.0.113.0/28".parse().unwrap(), "198.51.100.7/32".parse().unwrap()],
    };
    let app = server::http::router(server::http::AppState {
        payment_gateway: Gateway::vnpay(merchant),
        trust_forwarded_for: true,
        ..server::http::AppState::new(pool.clone(), options(), files())
    });
    let (_, merchant_ref) = attempt(&app, &pool, "0912000309").await;
    let signed = notification(&outcome(&merchant_ref, 24_000, "00"), SECRET);
    let from = |address: &'static str| {
        let request = axum::http::Request::get(&signed).header("x-forwarded-for", address);
        tower::ServiceExt::oneshot(app.clone(), request.body(axum::body::Body::empty()).unwrap())
    };
    // Signed by a leaked secret, but sent from elsewhere: refused, nothing written.
    assert_eq!(from("192.0.2.50").await.unwrap().status(), 403);
    assert_eq!(payment(&pool, &merchant_ref).await.0, "pending");
    assert_eq!(from("198.51.100.7").await.unwrap().status(), 200, "the gateway's address");
    assert_eq!(payment(&pool, &merchant_ref).await.0, "paid");
    assert_eq!(from("203.0.113.9").await.unwrap().status(), 200, "its range; already confirmed");
}

#[sqlx::test(migrations = false)]
async fn without_a_configured_gateway_a_notification_is_refused(pool: PgPool) {
    let app = app(pool.clone()).await;
    let any = notification(&outcome("ANYREFERENCE0001", 24_000, "00"), SECRET);
    assert_eq!(notify(&app, &any).await, "99");
}

/// The mock gateway's transaction API: answers each signed query from what it was told was
/// paid, signed over the specification's fields joined by `|`.
async fn mock_query_api(paid: std::collections::HashMap<String, u64>) -> String {
    use axum::{routing::post, Json};
    let sign = |fields: &[&str], values: &serde_json::Value| {
        let data: Vec<String> = fields.iter().map(|f| values[*f].as_str().unwrap_or_default().to_owned()).collect();
        let mut mac = Hmac::<Sha512>::new_from_slice(SECRET.as_bytes()).unwrap();
        mac.update(data.join("|").as_bytes());
        hex::encode(mac.finalize().into_bytes())
    };
    let handler = move |Json(request): Json<serde_json::Value>| {
        let paid = paid.clone();
        async move {
            let asked = [
                "vnp_RequestId",
                "vnp_Version",
                "vnp_Command",
                "vnp_TmnCode",
                "vnp_TxnRef",
                "vnp_TransactionDate",
                "vnp_CreateDate",
                "vnp_IpAddr",
                "vnp_OrderInfo",
            ];
            if request["vnp_SecureHash"].as_str() != Some(sign(&asked, &request).as_str()) {
                return Json(serde_json::json!({ "vnp_ResponseCode": "97" }));
            }
            let txn_ref = request["vnp_TxnRef"].as_str().unwrap_or_default().to_owned();
            let mut answer = serde_json::json!({
                "vnp_ResponseId": "R1", "vnp_Command": "querydr", "vnp_TmnCode": TMN_CODE, "vnp_TxnRef": txn_ref,
                "vnp_Message": "", "vnp_BankCode": "NCB", "vnp_PayDate": "20261207143258", "vnp_TransactionType": "01",
                "vnp_OrderInfo": "", "vnp_PromotionCode": "", "vnp_PromotionAmount": "",
            });
            match paid.get(&txn_ref) {
                Some(amount) => {
                    answer["vnp_ResponseCode"] = "00".into();
                    answer["vnp_Amount"] = (amount * 100).to_string().into();
                    answer["vnp_TransactionNo"] = "14840001".into();
                    answer["vnp_TransactionStatus"] = "00".into();
                }
                None => answer["vnp_ResponseCode"] = "91".into(),
            }
            let answered = [
                "vnp_ResponseId",
                "vnp_Command",
                "vnp_ResponseCode",
                "vnp_Message",
                "vnp_TmnCode",
                "vnp_TxnRef",
                "vnp_Amount",
                "vnp_BankCode",
                "vnp_PayDate",
                "vnp_TransactionNo",
                "vnp_TransactionType",
                "vnp_TransactionStatus",
                "vnp_OrderInfo",
                "vnp_PromotionCode",
                "vnp_PromotionAmount",
            ];
            answer["vnp_SecureHash"] = sign(&answered, &answer).into();
            Json(answer)
        }
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, Router::new().route("/api", post(handler))).await });
    format!("http://{address}/api")
}

#[sqlx::test(migrations = false)]
async fn a_lost_notification_is_recovered_by_asking_the_gateway_and_an_unseen_attempt_expires(pool: PgPool) {
    let app = portal_with_gateway(&pool).await;
    let (dossier_id, _) = attempt(&app, &pool, "0912000305").await;
    // Two attempts opened ten minutes and an hour ago, whose notifications never came: the
    // first was paid at the gateway, the second never reached it.
    sqlx::query("UPDATE payments SET created_at = now() - interval '10 minutes', expires_at = now() + interval '5 minutes' WHERE dossier_id = $1")
        .bind(dossier_id)
        .execute(&pool)
        .await
        .unwrap();
    let (paid_ref,): (String,) = sqlx::query_as("SELECT merchant_ref FROM payments WHERE dossier_id = $1")
        .bind(dossier_id)
        .fetch_one(&pool)
        .await
        .unwrap();
    let (other_dossier, _) = attempt(&app, &pool, "0912000306").await;
    sqlx::query("UPDATE payments SET created_at = now() - interval '1 hour', expires_at = now() - interval '45 minutes' WHERE dossier_id = $1")
        .bind(other_dossier)
        .execute(&pool)
        .await
        .unwrap();
    let (unseen_ref,): (String,) = sqlx::query_as("SELECT merchant_ref FROM payments WHERE dossier_id = $1")
        .bind(other_dossier)
        .fetch_one(&pool)
        .await
        .unwrap();

    let api_url = mock_query_api([(paid_ref.clone(), 24_000)].into_iter().collect()).await;
    let merchant = Merchant {
        tmn_code: TMN_CODE.into(),
        secret: SECRET.into(),
        pay_url: "http://127.0.0.1:9/pay".into(),
        api_url,
        ipn_sources: Vec::new(),
    };
    let client = reqwest::Client::new();
    let mut results = server::reconcile::round(&pool, &merchant, &client).await.unwrap();
    results.sort_by_key(|r| format!("{r:?}"));
    use app::payment::reconcile::Reconciled;
    assert_eq!(results, [Reconciled::Expired, Reconciled::Paid]);
    assert_eq!(payment(&pool, &paid_ref).await, ("paid".into(), Some("14840001".into()), 1));
    assert_eq!(payment(&pool, &unseen_ref).await, ("expired".into(), None, 0));
    let settled: (String,) = sqlx::query_as("SELECT settled_by FROM payments WHERE merchant_ref = $1")
        .bind(&paid_ref)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(settled.0, "query");

    // A notification arriving after all is answered "already confirmed", and nothing is added.
    let late = notification(&outcome(&paid_ref, 24_000, "00"), SECRET);
    assert_eq!(notify(&app, &late).await, "02");
    assert_eq!(payment(&pool, &paid_ref).await.2, 1);
    assert!(server::reconcile::round(&pool, &merchant, &client).await.unwrap().is_empty(), "nothing left pending");
}
