//! The receipt and appointment slip ("giấy tiếp nhận hồ sơ và hẹn trả kết quả"), printable,
//! with the dossier's status timeline.

use super::on_error;
use crate::domain::dossier_code::grouped;
use crate::domain::dossier_status::Status;
use crate::dossier::api::dossier_receipt;
use crate::dossier::rating::api::RateOnline;
use crate::dossier::rating::pages::RatingSection;
use crate::dossier::ReceiptView;
use crate::i18n::{tr, tr_code, tr_with};
use crate::routes::receipt_url;
use crate::ui::{OnlinePayment, ReceiptSlipView};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn ReceiptPage() -> impl IntoView {
    let code = use_params_map().read_untracked().get("code").unwrap_or_default();
    let here = receipt_url(&code);
    let query = use_query_map().read_untracked().clone();
    let supplemented = query.get("da-bo-sung").is_some();
    let waiting = query.get("thanh-toan").is_some_and(|v| v == "cho");
    view! {
        <Suspense fallback=|| ()>
            {Suspend::new(async move {
                match dossier_receipt(code).await {
                    Ok(receipt) => view! { <Receipt receipt supplemented waiting /> }.into_any(),
                    Err(error) => on_error(error, &here),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Receipt(receipt: ReceiptView, supplemented: bool, waiting: bool) -> impl IntoView {
    // Sent online and not yet checked: no receipt and no appointment until intake accepts it.
    let awaiting = receipt.check_by.is_some();
    let title = tr(if awaiting { "dossier.awaiting_title" } else { "dossier.receipt_title" });
    let received = match (supplemented, awaiting) {
        (true, _) => tr("dossier.supplement_sent"),
        (false, true) => tr("dossier.awaiting_sent"),
        (false, false) => tr("dossier.received"),
    };
    view! {
        <Title text=format!("{title} {}", receipt.code) />
        <p class="notice notice--success no-print" role="status">{received}</p>
        {receipt.supplement.clone().map(|s| view! {
            <section class="notice no-print" aria-labelledby="bo-sung">
                <h2 id="bo-sung">{tr("dossier.supplement_title")}</h2>
                <p>{s.note}</p>
                <p>{tr("dossier.supplement_documents")} " " {s.documents.join("; ")}</p>
                <p><a class="button" href=s.start_url>{tr("dossier.supplement_start")}</a></p>
            </section>
        })}
        {receipt.result_url.clone().map(|url| view! {
            <p class="no-print"><a class="button" href=url>{tr("dossier.result_copy")}</a></p>
        })}
        <article class="receipt">
            <h1>{title}</h1>
            <p class="receipt__code">
                {tr("dossier.code")} ": " <strong>{receipt.code.clone()}</strong>
                <span class="hint">{tr_with("dossier.code_grouped", &[("code", &grouped(&receipt.code))])}</span>
            </p>
            <dl class="facts">
                <dt>{tr("dossier.procedure")}</dt>
                <dd><span lang="vi">{receipt.procedure_name.clone()}</span> " (" {receipt.procedure_code.clone()} ")"</dd>
                <dt>{tr("dossier.applicant")}</dt>
                <dd lang="vi">{receipt.applicant_name.clone()}</dd>
                <dt>{tr("dossier.received_at")}</dt>
                <dd>{tr_with("dossier.at_time", &[("time", &receipt.received_time), ("date", &receipt.received_date)])}</dd>
                <dt>{tr("dossier.received_by")}</dt>
                <dd lang="vi">{receipt.receiving_agency.clone()}</dd>
                <dt>{tr("dossier.handled_by")}</dt>
                <dd lang="vi">{receipt.handling_agency.clone()}</dd>
                <dt>{tr("dossier.files")}</dt>
                <dd>{receipt.file_count}</dd>
                {match receipt.check_by.clone() {
                    Some(by) => view! { <dt>{tr("dossier.check_by")}</dt> <dd><strong>{by}</strong></dd> }.into_any(),
                    None => view! { <dt>{tr("dossier.due")}</dt> <dd><strong>{receipt.due_date.clone()}</strong></dd> }.into_any(),
                }}
                {receipt.promised_date.clone().map(|date| view! {
                    <dt>{tr("dossier.promised")}</dt>
                    <dd><strong>{date}</strong></dd>
                })}
                <dt>{tr("dossier.result")}</dt>
                <dd lang="vi">{receipt.result.clone()}</dd>
                <dt>{tr("dossier.status")}</dt>
                <dd>{tr_code("status", &receipt.status)}</dd>
            </dl>
            {receipt.slip.clone().map(|slip| view! { <ReceiptSlipView slip /> })}
            <h2>{tr("dossier.next_title")}</h2>
            <ol>
                <li>{tr(if awaiting { "dossier.awaiting_next" } else { "dossier.next_check" })}</li>
                <li>{tr("dossier.next_sms")}</li>
                <li>{tr("dossier.next_collect")}</li>
            </ol>
            <figure class="receipt__qr">
                <div inner_html=receipt.qr_svg.clone()></div>
                <figcaption>{tr("dossier.qr")}</figcaption>
            </figure>
        </article>
        <p class="hint no-print">{tr("dossier.print_hint")}</p>
        <OnlinePayment code=receipt.code.clone() fees=receipt.fees.clone() waiting />
        {(receipt.status == Status::DaTraKetQua.as_db()).then(|| view! {
            <div class="no-print">
                <RatingSection code=receipt.code.clone() given=receipt.rating.clone() action=RateOnline::PATH tablet=false />
            </div>
        })}
        <section aria-labelledby="dong-thoi-gian">
            <h2 id="dong-thoi-gian">{tr("dossier.timeline")}</h2>
            <ol class="timeline">
                {receipt
                    .timeline
                    .into_iter()
                    .map(|e| {
                        view! {
                            <li>
                                <strong>{tr_code("status", &e.status)}</strong>
                                <span class="card__meta">{e.at} " · " <span lang="vi">{e.actor}</span></span>
                                {e.note.map(|note| view! { <p lang="vi">{note}</p> })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </section>
        <p class="no-print"><a href=crate::routes::MY_DOSSIERS_PATH>{tr("account.my_dossiers")}</a></p>
    }
}
