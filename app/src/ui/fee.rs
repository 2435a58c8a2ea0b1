//! What a dossier costs, as the check page, the receipt and the desk show it.

use crate::domain::fee::FeeDue;
use crate::domain::money::group_thousands;
use crate::i18n::{tr, tr_with};
use leptos::prelude::*;

#[component]
pub fn FeeDueView(fee: FeeDue) -> impl IntoView {
    match fee {
        FeeDue::Free => view! { <p>{tr("fee.free")}</p> }.into_any(),
        FeeDue::NotFixed(description) => view! {
            <p><span lang="vi">{description}</span> ". " {tr("fee.not_fixed")}</p>
        }
        .into_any(),
        FeeDue::Total { total_vnd, lines } => {
            let several = lines.len() > 1;
            view! {
                <ul class="fee-lines">
                    {lines.into_iter().map(|line| {
                        let amount = group_thousands(line.amount_vnd);
                        let text = match line.copies {
                            Some(copies) => tr_with("fee.line_per_copy", &[
                                ("copies", &copies.to_string()),
                                ("unit", &group_thousands(line.unit_vnd)),
                                ("amount", &amount),
                            ]),
                            None => tr_with("fee.amount", &[("amount", &amount)]),
                        };
                        view! { <li><span lang="vi">{line.name}</span> ": " {text}</li> }
                    }).collect_view()}
                </ul>
                {several.then(|| view! {
                    <p><strong>{tr_with("fee.total", &[("amount", &group_thousands(total_vnd))])}</strong></p>
                })}
            }
            .into_any()
        }
    }
}

/// The fee a dossier can pay online now, with the button that takes the applicant to the
/// payment gateway (a plain form: it works without script), and the fees paid online, each
/// with its electronic receipt. `waiting`: the applicant tried to pay while an earlier attempt
/// awaits the gateway's word.
#[component]
pub fn OnlinePayment(code: String, fees: crate::filed::DossierFees, waiting: bool) -> impl IntoView {
    let crate::filed::DossierFees { owed, paid } = fees;
    if owed.is_none() && paid.is_empty() {
        return ().into_any();
    }
    view! {
        <section class="payment no-print" id="thanh-toan" aria-labelledby="thanh-toan-tieu-de">
            <h2 id="thanh-toan-tieu-de">{tr("payment.title")}</h2>
            {waiting.then(|| view! { <p class="notice" role="status">{tr("payment.waiting")}</p> })}
            {owed.map(|owed| view! {
                <dl class="facts">
                    <dt>{tr("payment.for")}</dt>
                    <dd lang="vi">{owed.fee_name}</dd>
                    <dt>{tr("payment.amount")}</dt>
                    <dd><strong>{tr_with("fee.amount", &[("amount", &group_thousands(owed.amount_vnd))])}</strong></dd>
                    <dt>{tr("payment.to")}</dt>
                    <dd lang="vi">{owed.agency}</dd>
                </dl>
                <form method="post" action=crate::routes::PAY_START_PATH class="form">
                    <input type="hidden" name="ma" value=code.clone() />
                    <button type="submit" class="button">{tr("payment.pay")}</button>
                </form>
                <p class="hint">{tr("payment.hint")}</p>
            })}
            {(!paid.is_empty()).then(|| view! {
                <ul class="payment__paid">
                    {paid.into_iter().map(|fee| view! {
                        <li>
                            <span lang="vi">{fee.fee_name}</span> ": "
                            {tr_with("payment.paid_line", &[
                                ("amount", &group_thousands(fee.amount_vnd)),
                                ("time", &fee.paid_at),
                            ])} " "
                            <a href=crate::routes::payment_receipt_url(&fee.reference)>{tr("payment.receipt_link")}</a>
                        </li>
                    }).collect_view()}
                </ul>
            })}
        </section>
    }
    .into_any()
}

/// For the desk: whether the dossier's fee is paid online (with its receipts) or still owed.
#[component]
pub fn PaymentState(fees: crate::filed::DossierFees) -> impl IntoView {
    let crate::filed::DossierFees { owed, paid } = fees;
    let nothing = owed.is_none() && paid.is_empty();
    view! {
        {nothing.then(|| view! { <p>{tr("payment.nothing")}</p> })}
        {paid.into_iter().map(|fee| view! {
            <p>
                <strong>{tr("payment.paid")}</strong> ": " <span lang="vi">{fee.fee_name}</span> ", "
                {tr_with("payment.paid_line", &[("amount", &group_thousands(fee.amount_vnd)), ("time", &fee.paid_at)])} " "
                <a href=crate::routes::payment_receipt_url(&fee.reference)>{tr("payment.receipt_link")}</a>
            </p>
        }).collect_view()}
        {owed.map(|owed| view! {
            <p>
                <strong>{tr("payment.unpaid")}</strong> ": " <span lang="vi">{owed.fee_name}</span> ", "
                {tr_with("fee.amount", &[("amount", &group_thousands(owed.amount_vnd))])}
            </p>
        })}
    }
}
