//! The official notices, laid out to print and sign: receipt and appointment, supplement
//! request, refusal, apology with a new date, notice of stopping.

use crate::desk::api::load_desk_dossier;
use crate::desk::DeskDossier;
use crate::domain::dossier_status::Action;
use crate::domain::notice::NoticeKind;
use crate::filed::AuditEntry;
use crate::routes::{desk_dossier_url, notice_url};
use crate::ui::on_staff_error;
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
                        None => on_staff_error(crate::error::AppError::NotFound("thông báo".into()), &here),
                    },
                    (Ok(_), None) => on_staff_error(crate::error::AppError::NotFound("thông báo".into()), &here),
                    (Err(error), _) => on_staff_error(error, &here),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Notice(dossier: DeskDossier, kind: NoticeKind, entry: AuditEntry) -> impl IntoView {
    let d = dossier;
    let body = match kind {
        NoticeKind::Receipt => view! {
            <p>"Đã tiếp nhận hồ sơ của ông/bà " <strong>{d.applicant_name.clone()}</strong> " về thủ tục " {d.procedure_name.clone()} "."</p>
            <p>"Hồ sơ gồm:"</p>
            <ul>{d.files.iter().map(|f| view! { <li>{f.document.clone()} " (" {f.label.clone()} ")"</li> }).collect_view()}</ul>
            <p>"Ngày hẹn trả kết quả: " <strong>{d.due_date.clone()}</strong></p>
            <p>"Theo dõi hồ sơ bằng mã " <strong>{d.code.clone()}</strong> " trên Cổng Một Cửa hoặc qua tin nhắn."</p>
        }
        .into_any(),
        NoticeKind::Supplement => view! {
            <p>"Hồ sơ của ông/bà " <strong>{d.applicant_name.clone()}</strong> " cần được bổ sung, hoàn thiện như sau:"</p>
            <ul>{entry.details.iter().map(|line| view! { <li>{line.clone()}</li> }).collect_view()}</ul>
            <p>"Nội dung: " {entry.reason.clone().unwrap_or_default()}</p>
            <p>"Ông/bà có thể bổ sung trực tuyến trên Cổng Một Cửa bằng mã hồ sơ, hoặc nộp tại bộ phận một cửa. Thời gian chờ bổ sung không tính vào thời hạn giải quyết."</p>
        }
        .into_any(),
        NoticeKind::Refusal | NoticeKind::Stop => view! {
            <p>"Hồ sơ của ông/bà " <strong>{d.applicant_name.clone()}</strong> " về thủ tục " {d.procedure_name.clone()}
                {if kind == NoticeKind::Refusal { " không được tiếp nhận giải quyết" } else { " bị dừng xử lý" }} "."</p>
            <p>"Lý do: " {entry.reason.clone().unwrap_or_default()}</p>
        }
        .into_any(),
        NoticeKind::Apology => view! {
            <p>"Cơ quan chân thành xin lỗi ông/bà " <strong>{d.applicant_name.clone()}</strong> " vì hồ sơ chưa giải quyết xong đúng hẹn (hẹn ban đầu ngày " {d.due_date.clone()} ")."</p>
            <p>"Lý do: " {d.apology.as_ref().map(|a| a.reason.clone()).unwrap_or_default()}</p>
            <p>"Ngày hẹn trả kết quả mới: " <strong>{d.promised_date.clone().unwrap_or_default()}</strong></p>
        }
        .into_any(),
    };
    view! {
        <Title text=format!("{} {}", kind.title(), d.code) />
        <p class="back-link no-print"><a href=desk_dossier_url(&d.code)>"Về hồ sơ"</a></p>
        <article class="printable">
            <p class="printable__agency">{d.receiving_agency.clone()}</p>
            <h1>{kind.title()}</h1>
            <p>"Mã hồ sơ: " <strong>{d.code.clone()}</strong> " · " {entry.at.clone()}</p>
            {body}
            <p class="printable__signature">"Người lập phiếu: " {entry.actor.clone()}</p>
        </article>
        <p class="hint no-print">"Dùng lệnh In của trình duyệt để in phiếu."</p>
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
            {links.into_iter().map(|k| view! { <li><a href=notice_url(&dossier.code, k)>{k.title()}</a></li> }).collect_view()}
            <li><a href=crate::routes::control_sheet_url(&dossier.code)>"Phiếu kiểm soát quá trình giải quyết hồ sơ"</a></li>
        </ul>
    }
}
