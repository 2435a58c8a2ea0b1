//! The official notices, laid out to print and sign: receipt and appointment, supplement
//! request, refusal, apology with a new date, notice of stopping.

use crate::desk::api::load_desk_dossier;
use crate::desk::DeskDossier;
use crate::domain::dossier_status::Action;
use crate::domain::notice::NoticeKind;
use crate::filed::AuditEntry;
use crate::i18n::{tr, tr_code, tr_with};
use crate::routes::{desk_dossier_url, notice_url};
use crate::ui::{on_staff_error, ReceiptSlipView};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// The entry a notice reports: the latest of its action (a counter filing is its own receipt).
pub(super) fn reported_entry(dossier: &DeskDossier, kind: NoticeKind) -> Option<AuditEntry> {
    let slug = kind.action().as_slug();
    let counter_receipt = kind == NoticeKind::Receipt && dossier.assisted_by.is_some();
    dossier.timeline.iter().rev().find(|e| e.slug == slug || (counter_receipt && e.slug == "nop")).cloned()
}

#[component]
pub fn NoticePage() -> impl IntoView {
    let params = use_params_map().read_untracked().clone();
    let code = params.get("code").unwrap_or_default();
    let kind = params.get("kind").and_then(|k| NoticeKind::from_slug(&k));
    let here = kind.map(|k| notice_url(&code, k)).unwrap_or_else(|| desk_dossier_url(&code));
    view! {
        <Suspense fallback=|| ()>
            {Suspend::new(async move {
                let dossier = load_desk_dossier(code.clone(), false).await;
                match (dossier, kind) {
                    (Ok(dossier), Some(kind)) => match reported_entry(&dossier, kind) {
                        Some(entry) => view! { <Notice dossier kind entry /> }.into_any(),
                        None => on_staff_error(crate::error::AppError::NotFound("notice".into()), &here),
                    },
                    (Ok(_), None) => on_staff_error(crate::error::AppError::NotFound("notice".into()), &here),
                    (Err(error), _) => on_staff_error(error, &here),
                }
            })}
        </Suspense>
    }
}

fn notice_title(kind: NoticeKind) -> String {
    tr_code("notice.title", kind.slug())
}

#[component]
fn Notice(dossier: DeskDossier, kind: NoticeKind, entry: AuditEntry) -> impl IntoView {
    let d = dossier;
    let name = || view! { <strong lang="vi">{d.applicant_name.clone()}</strong> };
    let procedure = || view! { <span lang="vi">{d.procedure_name.clone()}</span> };
    let reason = |text: Option<String>| view! { <p>{tr("notice.reason")} " " <span lang="vi">{text.unwrap_or_default()}</span></p> };
    let body = match kind {
        NoticeKind::Receipt => view! {
            <p>{tr("notice.receipt.accepted")} " " {name()} " " {tr("notice.about")} " " {procedure()} "."</p>
            {d.slip.clone().map(|slip| view! { <ReceiptSlipView slip /> })}
            <p>{tr_with("notice.receipt.follow", &[("code", &d.code)])}</p>
        }
        .into_any(),
        NoticeKind::Supplement => view! {
            <p>{tr("notice.supplement.intro")} " " {name()} " " {tr("notice.supplement.needs")}</p>
            <ul>{entry.details.iter().map(|line| view! { <li>{line.show()}</li> }).collect_view()}</ul>
            <p>{tr("notice.supplement.what")} " " <span lang="vi">{entry.reason.clone().unwrap_or_default()}</span></p>
            <p>{tr("notice.supplement.how")}</p>
        }
        .into_any(),
        NoticeKind::Refusal | NoticeKind::Stop => view! {
            <p>{tr("notice.supplement.intro")} " " {name()} " " {tr("notice.about")} " " {procedure()} " "
                {tr(if kind == NoticeKind::Refusal { "notice.refusal.outcome" } else { "notice.stop.outcome" })} "."</p>
            {reason(entry.reason.clone())}
        }
        .into_any(),
        NoticeKind::Apology => view! {
            <p>{tr("notice.apology.sorry")} " " {name()} " " {tr_with("notice.apology.late", &[("date", &d.due_date)])}</p>
            {reason(d.apology.as_ref().map(|a| a.reason.clone()))}
            <p>{tr("notice.apology.new_date")} " " <strong>{d.promised_date.clone().unwrap_or_default()}</strong></p>
        }
        .into_any(),
    };
    view! {
        <Title text=format!("{} {}", notice_title(kind), d.code) />
        <p class="back-link no-print"><a href=desk_dossier_url(&d.code)>{tr("notice.back")}</a></p>
        <article class="printable">
            <p class="printable__agency" lang="vi">{d.receiving_agency.clone()}</p>
            <h1>{notice_title(kind)}</h1>
            <p>{tr("notice.code")} " " <strong>{d.code.clone()}</strong> " · " {entry.at.clone()}</p>
            {body}
            <p class="printable__signature">{tr("notice.signed_by")} " " <span lang="vi">{entry.actor.clone()}</span></p>
        </article>
        <p class="hint no-print">{tr("notice.print_hint")}</p>
    }
}

/// Links to the notices this dossier has.
#[component]
pub(super) fn NoticeLinks(dossier: DeskDossier) -> impl IntoView {
    let links: Vec<_> = crate::domain::notice::ALL_NOTICES
        .into_iter()
        .filter(|k| reported_entry(&dossier, *k).is_some())
        .filter(|k| {
            *k != NoticeKind::Apology || dossier.timeline.iter().any(|e| e.slug == Action::ApproveApology.as_slug())
        })
        .collect();
    view! {
        <ul>
            {links.into_iter().map(|k| view! { <li><a href=notice_url(&dossier.code, k)>{notice_title(k)}</a></li> }).collect_view()}
            <li><a href=crate::routes::control_sheet_url(&dossier.code)>{tr("sheet.title")}</a></li>
        </ul>
    }
}
