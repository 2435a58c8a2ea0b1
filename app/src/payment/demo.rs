//! The demo payment gateway, served by the portal itself when no merchant account is
//! configured (development, demonstrations, tests; refused with `HTTPS_ONLY=on`). It speaks
//! VNPAY's protocol with a secret made at start-up: it checks the signed payment request, lets
//! the visitor choose what happens (paid, refused by the bank, cancelled, paid with the
//! notification delayed), signs the outcome, delivers the notification to the portal's IPN
//! handling (in process: the same checks as over HTTP) and sends the visitor back with the
//! signed return. It answers transaction queries, so a delayed notification is recovered by
//! the portal's reconciliation exactly as with the real gateway. No money moves.

use super::ipn::answer;
use super::vnpay::{self, Merchant, Outcome};
use axum::extract::{Extension, Form, RawQuery};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Json;
use sqlx::PgPool;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// The demo gateway's account and what it remembers of each payment (for queries).
#[derive(Clone, Debug)]
pub struct DemoGateway {
    pub merchant: Arc<Merchant>,
    outcomes: Arc<Mutex<HashMap<String, Outcome>>>,
}

impl DemoGateway {
    /// A demo merchant with a fresh random secret; `origin`: where the portal listens, for the
    /// reconciliation's queries.
    pub fn new(origin: &str) -> Self {
        let merchant = Merchant {
            tmn_code: "DEMO0001".into(),
            secret: uuid::Uuid::new_v4().simple().to_string(),
            pay_url: crate::routes::DEMO_GATEWAY_PATH.into(),
            api_url: format!("{origin}{}", crate::routes::DEMO_GATEWAY_API_PATH),
            ipn_sources: Vec::new(),
        };
        Self { merchant: Arc::new(merchant), outcomes: Default::default() }
    }

    pub fn gateway(&self) -> super::Gateway {
        super::Gateway { merchant: Some(self.merchant.clone()), demo: true }
    }
}

fn params_of(query: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(query.as_bytes()).map(|(n, v)| (n.into_owned(), v.into_owned())).collect()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The choices, their bank response code, and their labels.
const CHOICES: [(&str, &str, &str); 4] = [
    ("thanh-cong", "00", "Thanh toán thành công / Pay"),
    ("cham-xac-nhan", "00", "Thành công, xác nhận đến chậm / Pay, notification delayed"),
    ("that-bai", "51", "Ngân hàng từ chối (không đủ số dư) / Bank refuses"),
    ("huy", "24", "Huỷ giao dịch / Cancel"),
];

/// `GET /cong-thanh-toan-demo?vnp_…`: the signed payment request, and the choices.
pub async fn pay_page(Extension(demo): Extension<DemoGateway>, RawQuery(query): RawQuery) -> Response {
    let query = query.unwrap_or_default();
    let signed = match vnpay::signed_params(&demo.merchant.secret, &params_of(&query)) {
        Ok(signed) if signed.get("vnp_TmnCode") == Some(&demo.merchant.tmn_code) => signed,
        _ => return (StatusCode::BAD_REQUEST, "Yêu cầu thanh toán không có chữ ký hợp lệ.").into_response(),
    };
    let field = |name: &str| escape(signed.get(name).map(String::as_str).unwrap_or_default());
    let amount = signed.get("vnp_Amount").and_then(|a| a.parse::<u64>().ok()).unwrap_or(0) / 100;
    let buttons: String = CHOICES
        .iter()
        .map(|(choice, _, label)| {
            format!(
                "<form method=\"post\" action=\"{}\"><input type=\"hidden\" name=\"yeu_cau\" value=\"{}\">\
                 <input type=\"hidden\" name=\"ket_qua\" value=\"{choice}\"><p><button type=\"submit\">{label}</button></p></form>",
                crate::routes::DEMO_GATEWAY_PATH,
                escape(&query)
            )
        })
        .collect();
    Html(format!(
        "<!DOCTYPE html><html lang=\"vi\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Cổng thanh toán DEMO</title></head><body><main>\
         <h1>Cổng thanh toán DEMO / Demo payment gateway</h1>\
         <p><strong>Đây là cổng thử nghiệm của cổng dịch vụ công: không có tiền thật được chuyển. \
         This is the portal's test gateway: no real money moves.</strong></p>\
         <dl><dt>Số tiền / Amount</dt><dd>{} đồng</dd><dt>Nội dung / Order</dt><dd>{}</dd>\
         <dt>Mã giao dịch của đơn vị / Merchant reference</dt><dd>{}</dd></dl>{buttons}</main></body></html>",
        crate::domain::money::group_thousands(amount),
        field("vnp_OrderInfo"),
        field("vnp_TxnRef"),
    ))
    .into_response()
}

#[derive(serde::Deserialize)]
pub struct Choice {
    yeu_cau: String,
    ket_qua: String,
}

/// `POST /cong-thanh-toan-demo`: the visitor's choice on a payment request it checks again.
pub async fn choose(
    Extension(pool): Extension<PgPool>,
    Extension(demo): Extension<DemoGateway>,
    Form(choice): Form<Choice>,
) -> Response {
    let merchant = &demo.merchant;
    let Ok(signed) = vnpay::signed_params(&merchant.secret, &params_of(&choice.yeu_cau)) else {
        return (StatusCode::BAD_REQUEST, "Yêu cầu thanh toán không có chữ ký hợp lệ.").into_response();
    };
    let Some((name, code, _)) = CHOICES.iter().find(|(name, ..)| *name == choice.ket_qua) else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    let field = |name: &str| signed.get(name).cloned().unwrap_or_default();
    let paid = *code == "00";
    let now = crate::filed::clock::vietnam_time(chrono::Utc::now());
    let outcome = Outcome {
        tmn_code: merchant.tmn_code.clone(),
        txn_ref: field("vnp_TxnRef"),
        amount_vnd: field("vnp_Amount").parse::<u64>().unwrap_or(0) / 100,
        response_code: (*code).to_owned(),
        transaction_status: if paid { "00" } else { "02" }.to_owned(),
        transaction_no: if paid { now.format("%d%H%M%S").to_string() } else { "0".to_owned() },
        bank_code: "NCB".to_owned(),
        pay_date: Some(now),
    };
    if let Ok(mut outcomes) = demo.outcomes.lock() {
        outcomes.insert(outcome.txn_ref.clone(), outcome.clone());
    }
    let signed_outcome = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(vnpay::signed_outcome(&merchant.secret, &outcome))
        .finish();
    if *name != "cham-xac-nhan" {
        let code = answer(&pool, merchant, &signed_outcome).await.code();
        tracing::info!(code, "demo gateway: notification delivered");
    }
    let return_url = field("vnp_ReturnUrl");
    let separator = if return_url.contains('?') { '&' } else { '?' };
    Redirect::to(&format!("{return_url}{separator}{signed_outcome}")).into_response()
}

/// `POST /cong-thanh-toan-demo/api`: the transaction query ("querydr").
pub async fn query(Extension(demo): Extension<DemoGateway>, Json(request): Json<serde_json::Value>) -> Response {
    let merchant = &demo.merchant;
    let Some(txn_ref) = vnpay::queried_reference(&merchant.secret, &request) else {
        return (StatusCode::BAD_REQUEST, "invalid signature").into_response();
    };
    let outcome = demo.outcomes.lock().ok().and_then(|outcomes| outcomes.get(&txn_ref).cloned());
    let body = vnpay::query_answer_body(&merchant.secret, &merchant.tmn_code, &txn_ref, outcome.as_ref());
    ([(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], body.to_string()).into_response()
}
