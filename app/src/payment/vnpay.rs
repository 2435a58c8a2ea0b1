//! VNPAY's payment API, version 2.1.0 (https://sandbox.vnpayment.vn/apis/docs/thanh-toan-pay/pay.html):
//! the signed redirect that sends a citizen to pay, the checks of what the gateway sends back
//! (the browser's return and the server-to-server IPN carry the same signed parameters), the
//! IPN's answers, and the transaction query ("querydr") used to reconcile an attempt whose IPN
//! never came.
//!
//! Signing: HMAC-SHA512 with the merchant's secret, hex. For the redirect, the return and the
//! IPN the signed text is every `vnp_` parameter but the hash itself, sorted by name, each as
//! `name=value` encoded as PHP's `urlencode` does (the gateway's reference code), joined by `&`.
//! For the query API it is fixed fields joined by `|`.

use chrono::NaiveDateTime;
use hmac::{Hmac, Mac};
use sha2::Sha512;
use std::collections::BTreeMap;

pub const VERSION: &str = "2.1.0";
/// The gateway's amounts carry two decimal places that the đồng does not have.
const AMOUNT_SCALE: u64 = 100;
const HASH: &str = "vnp_SecureHash";
const HASH_TYPE: &str = "vnp_SecureHashType";
/// The gateway's timestamps: Vietnam time, to the second.
const TIME_FORMAT: &str = "%Y%m%d%H%M%S";

/// A merchant's account with the gateway. The secret is never printed.
#[derive(Clone)]
pub struct Merchant {
    pub tmn_code: String,
    pub secret: String,
    /// Where citizens are sent to pay (`…/paymentv2/vpcpay.html`).
    pub pay_url: String,
    /// The transaction API (`…/merchant_webapi/api/transaction`).
    pub api_url: String,
    /// The addresses the gateway's notifications come from (it publishes them); empty: any,
    /// the signature alone deciding.
    pub ipn_sources: Vec<ipnet::IpNet>,
}

impl Merchant {
    /// Whether a notification from `client` (its address, or the /64 an IPv6 client is
    /// counted by) may come from the gateway.
    pub fn notifies_from(&self, client: Option<&str>) -> bool {
        if self.ipn_sources.is_empty() {
            return true;
        }
        let Some(client) = client else { return false };
        let net = match client.parse::<std::net::IpAddr>() {
            Ok(address) => ipnet::IpNet::from(address),
            Err(_) => match client.parse::<ipnet::IpNet>() {
                Ok(net) => net,
                Err(_) => return false,
            },
        };
        self.ipn_sources.iter().any(|allowed| allowed.contains(&net))
    }
}

impl std::fmt::Debug for Merchant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Merchant")
            .field("tmn_code", &self.tmn_code)
            .field("secret", &"…")
            .field("pay_url", &self.pay_url)
            .field("api_url", &self.api_url)
            .field("ipn_sources", &self.ipn_sources)
            .finish()
    }
}

/// HMAC-SHA512 under `secret`, fed `data`.
fn mac(secret: &str, data: &str) -> Hmac<Sha512> {
    // HMAC takes a key of any length: this cannot fail.
    let mut mac = Hmac::<Sha512>::new_from_slice(secret.as_bytes()).expect("HMAC takes a key of any length");
    mac.update(data.as_bytes());
    mac
}

/// HMAC-SHA512 of `data`, lowercase hex.
pub fn sign(secret: &str, data: &str) -> String {
    hex::encode(mac(secret, data).finalize().into_bytes())
}

/// Whether `hash` (hex, either case) signs `data`, compared in constant time.
fn signs(secret: &str, data: &str, hash: &str) -> bool {
    let Ok(given) = hex::decode(hash) else { return false };
    mac(secret, data).verify_slice(&given).is_ok()
}

/// PHP's `urlencode`: letters, digits and `-_.` stay, a space becomes `+`, every other byte `%XX`.
fn urlencode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' => out.push(byte as char),
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// `name=value&…` in name order, encoded: both the text signed and the query sent.
fn query(params: &BTreeMap<String, String>) -> String {
    params.iter().map(|(name, value)| format!("{}={}", urlencode(name), urlencode(value))).collect::<Vec<_>>().join("&")
}

/// What a citizen is sent to pay.
#[derive(Debug, Clone)]
pub struct PayRequest<'a> {
    /// The merchant's reference of this attempt, unique for ever.
    pub txn_ref: &'a str,
    pub amount_vnd: u64,
    /// Shown to the citizen by the gateway: ASCII without special characters, by its rules.
    pub order_info: &'a str,
    pub return_url: &'a str,
    pub client_ip: &'a str,
    /// Vietnam time.
    pub created: NaiveDateTime,
    pub expires: NaiveDateTime,
    pub english: bool,
}

/// The gateway's address that takes the citizen to pay, signed.
pub fn pay_url(merchant: &Merchant, request: &PayRequest) -> String {
    let params: BTreeMap<String, String> = [
        ("vnp_Version", VERSION.to_owned()),
        ("vnp_Command", "pay".to_owned()),
        ("vnp_TmnCode", merchant.tmn_code.clone()),
        ("vnp_Amount", (request.amount_vnd * AMOUNT_SCALE).to_string()),
        ("vnp_CurrCode", "VND".to_owned()),
        ("vnp_TxnRef", request.txn_ref.to_owned()),
        ("vnp_OrderInfo", request.order_info.to_owned()),
        // "other": the gateway's category for payments that are not goods (its list of types).
        ("vnp_OrderType", "other".to_owned()),
        ("vnp_Locale", if request.english { "en" } else { "vn" }.to_owned()),
        ("vnp_ReturnUrl", request.return_url.to_owned()),
        ("vnp_IpAddr", request.client_ip.to_owned()),
        ("vnp_CreateDate", request.created.format(TIME_FORMAT).to_string()),
        ("vnp_ExpireDate", request.expires.format(TIME_FORMAT).to_string()),
    ]
    .into_iter()
    .map(|(name, value)| (name.to_owned(), value))
    .collect();
    let signed = query(&params);
    let hash = sign(&merchant.secret, &signed);
    let separator = if merchant.pay_url.contains('?') { '&' } else { '?' };
    format!("{}{separator}{signed}&{HASH}={hash}", merchant.pay_url)
}

/// The outcome of a payment as the gateway reports it, on the return and in the IPN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub tmn_code: String,
    pub txn_ref: String,
    pub amount_vnd: u64,
    /// `vnp_ResponseCode`: "00" when the payment went through.
    pub response_code: String,
    /// `vnp_TransactionStatus`: "00" when the money moved.
    pub transaction_status: String,
    /// The gateway's transaction number (0 when the citizen cancelled before paying).
    pub transaction_no: String,
    pub bank_code: String,
    /// Vietnam time.
    pub pay_date: Option<NaiveDateTime>,
}

impl Outcome {
    /// Paid by the gateway's two codes, as its specification requires both.
    pub fn paid(&self) -> bool {
        self.response_code == "00" && self.transaction_status == "00"
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// Missing or wrong signature: not from the gateway, or changed on the way.
    Signature,
    /// Signed, but a parameter is missing or not what the protocol says it is.
    Malformed,
}

/// Every `vnp_` parameter but the hash, by name, if the hash signs them: the gateway's check of
/// a payment request, and the merchant's of a return or an IPN.
pub fn signed_params(secret: &str, params: &[(String, String)]) -> Result<BTreeMap<String, String>, Refused> {
    let mut signed: BTreeMap<String, String> = BTreeMap::new();
    let mut hash = None;
    for (name, value) in params {
        match name.as_str() {
            HASH => hash = Some(value.as_str()),
            HASH_TYPE => {}
            _ if name.starts_with("vnp_") => {
                // A parameter given twice is not something the gateway sends.
                if signed.insert(name.clone(), value.clone()).is_some() {
                    return Err(Refused::Malformed);
                }
            }
            _ => {}
        }
    }
    let hash = hash.ok_or(Refused::Signature)?;
    if !signs(secret, &query(&signed), hash) {
        return Err(Refused::Signature);
    }
    Ok(signed)
}

/// The signed parameters of a return or an IPN, checked: every `vnp_` parameter, by name.
pub fn outcome(secret: &str, params: &[(String, String)]) -> Result<Outcome, Refused> {
    let signed = signed_params(secret, params)?;
    let field = |name: &str| signed.get(name).cloned().unwrap_or_default();
    let scaled: u64 = field("vnp_Amount").parse().map_err(|_| Refused::Malformed)?;
    if scaled % AMOUNT_SCALE != 0 || field("vnp_TxnRef").is_empty() {
        return Err(Refused::Malformed);
    }
    Ok(Outcome {
        tmn_code: field("vnp_TmnCode"),
        txn_ref: field("vnp_TxnRef"),
        amount_vnd: scaled / AMOUNT_SCALE,
        response_code: field("vnp_ResponseCode"),
        transaction_status: field("vnp_TransactionStatus"),
        transaction_no: field("vnp_TransactionNo"),
        bank_code: field("vnp_BankCode"),
        pay_date: NaiveDateTime::parse_from_str(&field("vnp_PayDate"), TIME_FORMAT).ok(),
    })
}

/// What the merchant answers an IPN, by the specification's table: the gateway retries an IPN
/// until it is answered, and stops on any of these.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IpnAnswer {
    Confirmed,
    OrderNotFound,
    AlreadyConfirmed,
    InvalidAmount,
    InvalidSignature,
    Unknown,
}

impl IpnAnswer {
    pub fn code(self) -> &'static str {
        match self {
            Self::Confirmed => "00",
            Self::OrderNotFound => "01",
            Self::AlreadyConfirmed => "02",
            Self::InvalidAmount => "04",
            Self::InvalidSignature => "97",
            Self::Unknown => "99",
        }
    }

    /// The body: `{"RspCode":"00","Message":"Confirm Success"}`.
    pub fn json(self) -> String {
        let message = match self {
            Self::Confirmed => "Confirm Success",
            Self::OrderNotFound => "Order not found",
            Self::AlreadyConfirmed => "Order already confirmed",
            Self::InvalidAmount => "Invalid amount",
            Self::InvalidSignature => "Invalid signature",
            Self::Unknown => "Unknown error",
        };
        serde_json::json!({ "RspCode": self.code(), "Message": message }).to_string()
    }
}

const QUERY_REQUEST_FIELDS: [&str; 9] = [
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
const QUERY_RESPONSE_FIELDS: [&str; 15] = [
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

fn piped(fields: &[&str], values: &serde_json::Map<String, serde_json::Value>) -> String {
    fields
        .iter()
        .map(|field| match values.get(*field) {
            Some(serde_json::Value::String(text)) => text.clone(),
            Some(serde_json::Value::Number(number)) => number.to_string(),
            _ => String::new(),
        })
        .collect::<Vec<_>>()
        .join("|")
}

/// The body of a transaction query (`querydr`) about one attempt, signed.
pub fn query_request(
    merchant: &Merchant,
    request_id: &str,
    txn_ref: &str,
    attempt_created: NaiveDateTime,
    now: NaiveDateTime,
    server_ip: &str,
) -> serde_json::Value {
    let mut body = serde_json::Map::new();
    for (name, value) in [
        ("vnp_RequestId", request_id.to_owned()),
        ("vnp_Version", VERSION.to_owned()),
        ("vnp_Command", "querydr".to_owned()),
        ("vnp_TmnCode", merchant.tmn_code.clone()),
        ("vnp_TxnRef", txn_ref.to_owned()),
        ("vnp_TransactionDate", attempt_created.format(TIME_FORMAT).to_string()),
        ("vnp_CreateDate", now.format(TIME_FORMAT).to_string()),
        ("vnp_IpAddr", server_ip.to_owned()),
        ("vnp_OrderInfo", format!("Truy van giao dich {txn_ref}")),
    ] {
        body.insert(name.to_owned(), serde_json::Value::String(value));
    }
    let hash = sign(&merchant.secret, &piped(&QUERY_REQUEST_FIELDS, &body));
    body.insert(HASH.to_owned(), serde_json::Value::String(hash));
    serde_json::Value::Object(body)
}

/// What the gateway knows of an attempt, from a signed query answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Queried {
    /// The query was answered: the attempt's outcome, as in an IPN.
    Found(Outcome),
    /// The gateway has no such transaction ("91"): the citizen never reached the payment.
    NotFound,
    /// Any other answer code: ask again later.
    Unanswered(String),
}

/// A query answer checked: signed by the merchant's secret, about `txn_ref`.
pub fn query_answer(secret: &str, txn_ref: &str, answer: &serde_json::Value) -> Result<Queried, Refused> {
    let values = answer.as_object().ok_or(Refused::Malformed)?;
    let hash = values.get(HASH).and_then(|h| h.as_str()).ok_or(Refused::Signature)?;
    if !signs(secret, &piped(&QUERY_RESPONSE_FIELDS, values), hash) {
        return Err(Refused::Signature);
    }
    let field = |name: &str| piped(&[name], values);
    match field("vnp_ResponseCode").as_str() {
        "00" => {}
        "91" => return Ok(Queried::NotFound),
        other => return Ok(Queried::Unanswered(other.to_owned())),
    }
    if field("vnp_TxnRef") != txn_ref {
        return Err(Refused::Malformed);
    }
    let scaled: u64 = field("vnp_Amount").parse().map_err(|_| Refused::Malformed)?;
    Ok(Queried::Found(Outcome {
        tmn_code: field("vnp_TmnCode"),
        txn_ref: field("vnp_TxnRef"),
        amount_vnd: scaled / AMOUNT_SCALE,
        // The query's own code said it was answered; the payment's is its transaction status.
        response_code: field("vnp_TransactionStatus"),
        transaction_status: field("vnp_TransactionStatus"),
        transaction_no: field("vnp_TransactionNo"),
        bank_code: field("vnp_BankCode"),
        pay_date: NaiveDateTime::parse_from_str(&field("vnp_PayDate"), TIME_FORMAT).ok(),
    }))
}

/// The gateway's side of a transaction query: the attempt asked about, if the request is signed.
pub fn queried_reference(secret: &str, request: &serde_json::Value) -> Option<String> {
    let values = request.as_object()?;
    let hash = values.get(HASH)?.as_str()?;
    signs(secret, &piped(&QUERY_REQUEST_FIELDS, values), hash).then(|| piped(&["vnp_TxnRef"], values))
}

/// The gateway's signed answer to a transaction query: the outcome, or "91" (no such transaction).
pub fn query_answer_body(secret: &str, tmn_code: &str, txn_ref: &str, outcome: Option<&Outcome>) -> serde_json::Value {
    let mut body = serde_json::Map::new();
    let text = |value: &str| serde_json::Value::String(value.to_owned());
    body.insert("vnp_ResponseId".into(), text(&uuid::Uuid::new_v4().simple().to_string()));
    body.insert("vnp_Command".into(), text("querydr"));
    body.insert("vnp_TmnCode".into(), text(tmn_code));
    body.insert("vnp_TxnRef".into(), text(txn_ref));
    match outcome {
        Some(outcome) => {
            body.insert("vnp_ResponseCode".into(), text("00"));
            body.insert("vnp_Message".into(), text("QueryDR Success"));
            body.insert("vnp_Amount".into(), text(&(outcome.amount_vnd * AMOUNT_SCALE).to_string()));
            body.insert("vnp_BankCode".into(), text(&outcome.bank_code));
            body.insert(
                "vnp_PayDate".into(),
                text(&outcome.pay_date.map(|d| d.format(TIME_FORMAT).to_string()).unwrap_or_default()),
            );
            body.insert("vnp_TransactionNo".into(), text(&outcome.transaction_no));
            body.insert("vnp_TransactionType".into(), text("01"));
            body.insert("vnp_TransactionStatus".into(), text(&outcome.transaction_status));
        }
        None => {
            body.insert("vnp_ResponseCode".into(), text("91"));
            body.insert("vnp_Message".into(), text("Not found transaction"));
        }
    }
    let hash = sign(secret, &piped(&QUERY_RESPONSE_FIELDS, &body));
    body.insert(HASH.into(), text(&hash));
    serde_json::Value::Object(body)
}

/// The signed parameters of an outcome, as the gateway sends them on the return and in the
/// IPN: what a gateway (the demo one, a test's) builds.
pub fn signed_outcome(secret: &str, outcome: &Outcome) -> Vec<(String, String)> {
    let params: BTreeMap<String, String> = [
        ("vnp_TmnCode", outcome.tmn_code.clone()),
        ("vnp_TxnRef", outcome.txn_ref.clone()),
        ("vnp_Amount", (outcome.amount_vnd * AMOUNT_SCALE).to_string()),
        ("vnp_ResponseCode", outcome.response_code.clone()),
        ("vnp_TransactionStatus", outcome.transaction_status.clone()),
        ("vnp_TransactionNo", outcome.transaction_no.clone()),
        ("vnp_BankCode", outcome.bank_code.clone()),
        ("vnp_PayDate", outcome.pay_date.map(|d| d.format(TIME_FORMAT).to_string()).unwrap_or_default()),
        ("vnp_OrderInfo", format!("Thanh toan {}", outcome.txn_ref)),
    ]
    .into_iter()
    .map(|(name, value)| (name.to_owned(), value))
    .collect();
    let hash = sign(secret, &query(&params));
    params.into_iter().chain([(HASH.to_owned(), hash)]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn merchant() -> Merchant {
        Merchant {
            tmn_code: "DEMOV210".into(),
            secret: "SECRETKEYFORTESTS".into(),
            pay_url: "https://sandbox.vnpayment.vn/paymentv2/vpcpay.html".into(),
            api_url: "https://sandbox.vnpayment.vn/merchant_webapi/api/transaction".into(),
            ipn_sources: Vec::new(),
        }
    }

    fn at(h: u32, m: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 12, 7).unwrap().and_hms_opt(h, m, 0).unwrap()
    }

    fn outcome_of(txn_ref: &str, amount_vnd: u64) -> Outcome {
        Outcome {
            tmn_code: "DEMOV210".into(),
            txn_ref: txn_ref.into(),
            amount_vnd,
            response_code: "00".into(),
            transaction_status: "00".into(),
            transaction_no: "14831393".into(),
            bank_code: "NCB".into(),
            pay_date: Some(at(14, 32)),
        }
    }

    #[test]
    fn notifications_come_only_from_the_listed_addresses_once_there_is_a_list() {
        let mut merchant = merchant();
        assert!(merchant.notifies_from(None), "no list: the signature alone decides");
        merchant.ipn_sources = vec!["203.0.113.0/28".parse().unwrap()];
        assert!(merchant.notifies_from(Some("203.0.113.14")));
        assert!(!merchant.notifies_from(Some("203.0.113.16")));
        assert!(!merchant.notifies_from(None), "an unknown address");
        assert!(!merchant.notifies_from(Some("2001:db8:1:2::/64")));
    }

    #[test]
    fn the_signature_is_hmac_sha512_over_the_php_encoded_sorted_parameters() {
        // Worked out independently with Python: hmac.new(b"key", b"vnp_Amount=800000&vnp_OrderInfo=Thanh+toan+ph%C3%AD%3A+5", sha512).
        let params: BTreeMap<String, String> = [("vnp_OrderInfo", "Thanh toan phí: 5"), ("vnp_Amount", "800000")]
            .into_iter()
            .map(|(n, v)| (n.to_owned(), v.to_owned()))
            .collect();
        assert_eq!(query(&params), "vnp_Amount=800000&vnp_OrderInfo=Thanh+toan+ph%C3%AD%3A+5");
        assert_eq!(
            sign("key", &query(&params)),
            "155ae1f24cdc5976403300891d7a403c261ee0232054915b3130bd665f72d829\
             10c3f3ad9ba8952e703aca26c624cc9b99b1ecae3b4c1a72ec5067302b64a883"
        );
    }

    #[test]
    fn a_pay_url_carries_the_amount_times_one_hundred_and_a_signature_over_the_rest() {
        let url = pay_url(
            &merchant(),
            &PayRequest {
                txn_ref: "TT1",
                amount_vnd: 24_000,
                order_info: "Le phi ho so 000.00.01.H01-261207-0001",
                return_url: "https://motcua.example/thanh-toan/ket-qua",
                client_ip: "10.0.0.1",
                created: at(9, 0),
                expires: at(9, 15),
                english: false,
            },
        );
        assert!(
            url.starts_with("https://sandbox.vnpayment.vn/paymentv2/vpcpay.html?vnp_Amount=2400000&vnp_Command=pay&")
        );
        assert!(url.contains("&vnp_ExpireDate=20261207091500&"));
        assert!(url.contains("&vnp_ReturnUrl=https%3A%2F%2Fmotcua.example%2Fthanh-toan%2Fket-qua&"));
        let (signed, hash) = url.split_once('?').unwrap().1.rsplit_once("&vnp_SecureHash=").unwrap();
        assert_eq!(hash, sign("SECRETKEYFORTESTS", signed));
        // The gateway's check, done on what it receives: the parameters, decoded.
        let params: Vec<(String, String)> = form_urlencoded::parse(url.split_once('?').unwrap().1.as_bytes())
            .map(|(n, v)| (n.into_owned(), v.into_owned()))
            .collect();
        assert!(signs("SECRETKEYFORTESTS", &query(&params.iter().filter(|(n, _)| n != HASH).cloned().collect()), hash));
    }

    #[test]
    fn an_outcome_signed_by_the_gateway_is_read_and_one_changed_or_unsigned_is_refused() {
        let secret = "SECRETKEYFORTESTS";
        let params = signed_outcome(secret, &outcome_of("TT1", 24_000));
        let read = outcome(secret, &params).unwrap();
        assert_eq!(read, outcome_of("TT1", 24_000));
        assert!(read.paid());

        let changed: Vec<_> = params
            .iter()
            .map(|(n, v)| if n == "vnp_Amount" { (n.clone(), "100".to_owned()) } else { (n.clone(), v.clone()) })
            .collect();
        assert_eq!(outcome(secret, &changed), Err(Refused::Signature));
        assert_eq!(outcome("another secret", &params), Err(Refused::Signature));
        let unsigned: Vec<_> = params.iter().filter(|(n, _)| n != HASH).cloned().collect();
        assert_eq!(outcome(secret, &unsigned), Err(Refused::Signature));
        let mut doubled = params.clone();
        doubled.push(("vnp_TxnRef".into(), "TT2".into()));
        assert_eq!(outcome(secret, &doubled), Err(Refused::Malformed));
        // Parameters that are not the gateway's are not signed and do not matter.
        let mut extra = params.clone();
        extra.push(("utm_source".into(), "x".into()));
        assert!(outcome(secret, &extra).is_ok());
    }

    #[test]
    fn a_cancelled_payment_is_signed_but_not_paid() {
        let secret = "SECRETKEYFORTESTS";
        let cancelled = Outcome {
            response_code: "24".into(),
            transaction_status: "02".into(),
            transaction_no: "0".into(),
            ..outcome_of("TT1", 24_000)
        };
        assert!(!outcome(secret, &signed_outcome(secret, &cancelled)).unwrap().paid());
    }

    #[test]
    fn the_ipn_answers_are_the_specification_codes() {
        assert_eq!(IpnAnswer::Confirmed.json(), r#"{"Message":"Confirm Success","RspCode":"00"}"#);
        let codes: Vec<_> = [
            IpnAnswer::OrderNotFound,
            IpnAnswer::AlreadyConfirmed,
            IpnAnswer::InvalidAmount,
            IpnAnswer::InvalidSignature,
            IpnAnswer::Unknown,
        ]
        .map(IpnAnswer::code)
        .into();
        assert_eq!(codes, ["01", "02", "04", "97", "99"]);
    }

    #[test]
    fn a_query_is_signed_over_its_piped_fields_and_its_answer_checked() {
        let m = merchant();
        let body = query_request(&m, "R1", "TT1", at(9, 0), at(10, 0), "10.0.0.2");
        let values = body.as_object().unwrap();
        assert_eq!(
            piped(&QUERY_REQUEST_FIELDS, values),
            "R1|2.1.0|querydr|DEMOV210|TT1|20261207090000|20261207100000|10.0.0.2|Truy van giao dich TT1"
        );
        assert_eq!(values["vnp_SecureHash"], sign(&m.secret, &piped(&QUERY_REQUEST_FIELDS, values)));

        let mut answer = serde_json::json!({
            "vnp_ResponseId": "A1", "vnp_Command": "querydr", "vnp_ResponseCode": "00", "vnp_Message": "OK",
            "vnp_TmnCode": "DEMOV210", "vnp_TxnRef": "TT1", "vnp_Amount": "2400000", "vnp_BankCode": "NCB",
            "vnp_PayDate": "20261207143200", "vnp_TransactionNo": "14831393", "vnp_TransactionType": "01",
            "vnp_TransactionStatus": "00", "vnp_OrderInfo": "x", "vnp_PromotionCode": "", "vnp_PromotionAmount": ""
        });
        let hash = sign(&m.secret, &piped(&QUERY_RESPONSE_FIELDS, answer.as_object().unwrap()));
        answer["vnp_SecureHash"] = hash.into();
        assert_eq!(query_answer(&m.secret, "TT1", &answer), Ok(Queried::Found(outcome_of("TT1", 24_000))));
        assert_eq!(query_answer(&m.secret, "TT2", &answer), Err(Refused::Malformed));
        answer["vnp_Amount"] = "100".into();
        assert_eq!(query_answer(&m.secret, "TT1", &answer), Err(Refused::Signature));
    }
}
