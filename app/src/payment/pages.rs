//! The return page the gateway sends the applicant back to, and a fee's printable receipt.

use super::api::{load_payment_receipt, payment_returned};
use super::{PaymentReceipt, ReturnState, ReturnView};
use crate::domain::money::group_thousands;
use crate::error::{set_page_status, AppError};
use crate::i18n::{tr, tr_code, tr_with};
use crate::routes::{receipt_url, sign_in_url};
use crate::ui::unavailable;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_location, use_params_map};

fn on_error(error: AppError, here: &str) -> AnyView {
    match error {
        AppError::SignInRequired => {
            #[cfg(feature = "ssr")]
            leptos_axum::redirect(&sign_in_url(here));
            view! { <p><a href=sign_in_url(here)>{tr("account.sign_in")}</a></p> }.into_any()
        }
        AppError::NotFound(_) => {
            set_page_status(404);
            view! {
                <Title text=tr("payment.receipt_not_found") />
                <h1>{tr("payment.receipt_not_found")}</h1>
            }
            .into_any()
        }
        _ => unavailable(),
    }
}

/// `/thanh-toan/ket-qua?vnp_…`: where the gateway sends the applicant back.
#[component]
pub fn PaymentReturnPage() -> impl IntoView {
    view! {
        <Title text=tr("payment.title") />
        <Suspense fallback=|| ()>
            {Suspend::new(async move {
                match payment_returned().await {
                    Ok(view) => view! { <Returned view /> }.into_any(),
                    Err(error) => on_error(error, crate::routes::MY_DOSSIERS_PATH),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Returned(view: ReturnView) -> impl IntoView {
    let ReturnView { state, code, reference } = view;
    let class = match state {
        ReturnState::Paid => "notice notice--success",
        ReturnState::Confirming => "notice",
        ReturnState::NotPaid | ReturnState::Unverified => "notice notice--error",
    };
    view! {
        <h1>{tr_code("payment.return", state.slug())}</h1>
        <p class=class role="status">{tr_code("payment.return_body", state.slug())}</p>
        {(state == ReturnState::Paid).then(|| reference.map(|reference| view! {
            <p><a class="button" href=crate::routes::payment_receipt_url(&reference)>{tr("payment.receipt_link")}</a></p>
        }))}
        {code.map(|code| view! {
            <p><a href=format!("{}#thanh-toan", receipt_url(&code))>{tr("payment.back_to_dossier")}</a></p>
        })}
    }
}

/// `/bien-lai/{reference}`: the electronic receipt of a fee paid online, printable.
#[component]
pub fn PaymentReceiptPage() -> impl IntoView {
    let reference = use_params_map().read_untracked().get("reference").unwrap_or_default();
    let here = use_location().pathname.get_untracked();
    view! {
        <Suspense fallback=|| ()>
            {Suspend::new(async move {
                match load_payment_receipt(reference).await {
                    Ok(receipt) => view! { <Receipt receipt /> }.into_any(),
                    Err(error) => on_error(error, &here),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Receipt(receipt: PaymentReceipt) -> impl IntoView {
    view! {
        <Title text=format!("{} {}", tr("payment.receipt_title"), receipt.reference) />
        <article class="receipt">
            <h1>{tr("payment.receipt_title")}</h1>
            {receipt.demo.then(|| view! { <p class="notice notice--error">{tr("payment.demo_receipt")}</p> })}
            <dl class="facts">
                <dt>{tr("payment.receipt_number")}</dt>
                <dd>{receipt.reference.clone()}</dd>
                <dt>{tr("payment.for")}</dt>
                <dd lang="vi">{receipt.fee_name}</dd>
                <dt>{tr("payment.amount")}</dt>
                <dd><strong>{tr_with("fee.amount", &[("amount", &group_thousands(receipt.amount_vnd))])}</strong></dd>
                <dt>{tr("dossier.code")}</dt>
                <dd>{receipt.code.clone()}</dd>
                <dt>{tr("dossier.procedure")}</dt>
                <dd lang="vi">{receipt.procedure_name}</dd>
                <dt>{tr("payment.payer")}</dt>
                <dd lang="vi">{receipt.payer}</dd>
                <dt>{tr("payment.to")}</dt>
                <dd lang="vi">{receipt.agency}</dd>
                <dt>{tr("payment.gateway")}</dt>
                <dd lang="vi">{receipt.gateway}</dd>
                <dt>{tr("payment.transaction_no")}</dt>
                <dd>{receipt.transaction_no} " (" {receipt.bank_code} ")"</dd>
                <dt>{tr("payment.paid_at")}</dt>
                <dd>{receipt.paid_at}</dd>
            </dl>
        </article>
        <p class="hint no-print">{tr("dossier.print_hint")}</p>
    }
}
