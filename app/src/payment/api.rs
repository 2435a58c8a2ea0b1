//! The server functions of this feature: authenticate, authorise, then hand over to the
//! feature's server side.

use super::{PaymentReceipt, ReturnView};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
fn gateway() -> Result<(super::Gateway, std::sync::Arc<super::vnpay::Merchant>), AppError> {
    let gateway = use_context::<super::Gateway>().unwrap_or_default();
    let merchant = gateway.merchant.clone().ok_or(AppError::Unavailable)?;
    Ok((gateway, merchant))
}

/// The applicant's "pay online": to the gateway, or back to the dossier's page when nothing
/// can be paid now.
#[server(endpoint = "thanh-toan/bat-dau")]
pub async fn start_payment(ma: String) -> Result<(), AppError> {
    use super::flow::{start, Requester, Started};
    let citizen = crate::auth::citizen::require_citizen().await?;
    let (gateway, merchant) = gateway()?;
    let (client_ip, origin) = (crate::security::client_address(), crate::state::public_origin());
    let english = crate::i18n::locale() == crate::i18n::Locale::En;
    let code = ma.clone();
    let started = crate::state::with_db(move |pool| async move {
        let requester = Requester { citizen_id: citizen.id, client_ip: &client_ip, origin: &origin, english };
        start(&pool, &gateway, &merchant, &code, &requester, chrono::Utc::now()).await
    })
    .await?
    .ok_or_else(|| AppError::NotFound("hồ sơ".into()))?;
    let back = crate::routes::receipt_url(&ma);
    match started {
        Started::Go(url) => leptos_axum::redirect(&url),
        Started::Waiting => leptos_axum::redirect(&format!("{back}?thanh-toan=cho#thanh-toan")),
        Started::NothingOwed => leptos_axum::redirect(&format!("{back}#thanh-toan")),
    }
    Ok(())
}

/// What came of a payment, from the gateway's signed return parameters: the return page's own
/// query, read as sent (form-encoded, as the gateway signs it), when the page is rendered.
#[server(endpoint = "thanh-toan/ket-qua")]
pub async fn payment_returned() -> Result<ReturnView, AppError> {
    let (_, merchant) = gateway()?;
    let query = use_context::<http::request::Parts>()
        .and_then(|parts| parts.uri.query().map(str::to_owned))
        .unwrap_or_default();
    // The gateway's return carries some twenty parameters.
    let params: Vec<(String, String)> =
        form_urlencoded::parse(query.as_bytes()).take(64).map(|(n, v)| (n.into_owned(), v.into_owned())).collect();
    crate::state::with_db(move |pool| async move { super::flow::returned(&pool, &merchant, &params).await }).await
}

/// A fee's electronic receipt, for the applicant or an officer of an agency that sees the dossier.
#[server(endpoint = "thanh-toan/bien-lai")]
pub async fn load_payment_receipt(reference: String) -> Result<PaymentReceipt, AppError> {
    use super::flow::{receipt, Viewer};
    let viewer = if let Some(citizen) = crate::auth::citizen::current_citizen().await? {
        Viewer::Citizen(citizen.id)
    } else if crate::auth::staff::current_staff().await?.is_some() {
        Viewer::Agency(crate::auth::staff::require_staff().await?.agency_id)
    } else {
        return Err(AppError::SignInRequired);
    };
    crate::state::with_db(move |pool| async move { receipt(&pool, &reference, viewer).await })
        .await?
        .ok_or_else(|| AppError::NotFound("biên lai".into()))
}
