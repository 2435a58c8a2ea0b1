//! `/can-bo/ho-so/{code}`: one dossier as the officer works it: facts, what the citizen
//! answered and attached, the actions open now, and the audit trail.

use super::actions::{field_id, ActionForms};
use crate::desk::api::load_desk_dossier;
use crate::desk::DeskDossier;
use crate::domain::dossier_status::Status;
use crate::filed::AuditEntry;
use crate::routes::FILES_PATH;
use crate::routes::{desk_dossier_url, DESK_PATH};
use crate::ui::ErrorSummary;
use crate::ui::{on_staff_error, StaffBar};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn DeskDossierPage() -> impl IntoView {
    let code = use_params_map().read_untracked().get("code").unwrap_or_default();
    let here = desk_dossier_url(&code);
    view! {
        <Suspense fallback=|| ()>
            {Suspend::new(async move {
                match load_desk_dossier(code.clone(), true).await {
                    Ok(dossier) => view! { <Dossier dossier /> }.into_any(),
                    Err(error) => on_staff_error(error, &here),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Dossier(dossier: DeskDossier) -> impl IntoView {
    let flash = dossier.flash.clone().unwrap_or_default();
    let errors: Vec<(String, String)> =
        flash.problems.iter().map(|(field, m)| (field_id(&flash.form.action, field), m.clone())).collect();
    let d = dossier.clone();
    view! {
        <Title text=format!("Hồ sơ {}", d.code) />
        <StaffBar staff=d.staff.clone() />
        <p class="back-link"><a href=DESK_PATH>"Về danh sách hồ sơ"</a></p>
        <ErrorSummary errors />
        {flash.done.map(|m| view! { <p class="notice notice--success" id="thong-bao" role="status">{m}</p> })}
        <h1>"Hồ sơ " <span class="receipt__code">{d.code.clone()}</span></h1>
        <p class="lead">{d.procedure_name.clone()} " (" {d.procedure_code.clone()} ")"</p>
        <Facts dossier=d.clone() />
        {d.supplement.clone().map(|s| view! {
            <div class="notice">
                <p><strong>"Đang chờ công dân bổ sung"</strong> " (yêu cầu lúc " {s.requested_at} "): " {s.documents.join("; ")}</p>
                <p>{s.note}</p>
            </div>
        })}
        {d.apology.clone().map(|a| view! {
            <div class="notice">
                <p><strong>{if a.approved { "Thư xin lỗi đã được duyệt" } else { "Thư xin lỗi đang chờ lãnh đạo duyệt" }}</strong>
                    " · hẹn trả mới " {a.new_date} " · soạn bởi " {a.proposed_by}</p>
                <p>{a.reason}</p>
            </div>
        })}
        <section aria-labelledby="thao-tac">
            <h2 id="thao-tac">"Thao tác"</h2>
            {if d.actions.is_empty() {
                view! { <p>"Tài khoản của bạn không có thao tác nào với hồ sơ ở trạng thái này."</p> }.into_any()
            } else {
                view! { <ActionForms dossier=dossier.clone() /> }.into_any()
            }}
        </section>
        {(d.status == Status::DaTraKetQua.as_db()).then(|| view! {
            <section aria-labelledby="danh-gia">
                <h2 id="danh-gia">"Đánh giá của người dân"</h2>
                {match d.rating.clone() {
                    Some(level) => view! { <p>"Mức độ hài lòng: " <strong>{crate::i18n::tr_code("satisfaction", &level)}</strong></p> }.into_any(),
                    None => view! {
                        <p>"Chưa có đánh giá. "
                            <a href=crate::routes::desk_rating_url(&d.code)>"Mở trang đánh giá trên máy tính bảng"</a></p>
                    }.into_any(),
                }}
            </section>
        })}
        <Answers dossier=d.clone() />
        <section aria-labelledby="qua-trinh">
            <h2 id="qua-trinh">"Quá trình xử lý"</h2>
            <Timeline entries=d.timeline.clone() />
        </section>
        <section aria-labelledby="tin-nhan">
            <h2 id="tin-nhan">"Tin nhắn gửi công dân"</h2>
            <ul class="card-list">
                {d.messages.clone().into_iter().map(|m| view! {
                    <li class="card">
                        <p>{m.body}</p>
                        <p class="card__meta">{format!("Tạo lúc {} · {}", m.at, m.delivery)}</p>
                    </li>
                }).collect_view()}
            </ul>
        </section>
        <section aria-labelledby="giay-to-in">
            <h2 id="giay-to-in">"Giấy tờ để in"</h2>
            <super::notice::NoticeLinks dossier=d.clone() />
        </section>
    }
}

#[component]
fn Facts(dossier: DeskDossier) -> impl IntoView {
    let d = dossier;
    let row = |label: &'static str, value: Option<String>| {
        value.map(|value| view! { <div class="answers__row"><dt>{label}</dt><dd>{value}</dd></div> })
    };
    view! {
        <dl class="answers">
            {row("Trạng thái", Some(d.status_label))}
            {row("Người nộp", Some(d.applicant_name))}
            {row("Số điện thoại", Some(d.phone))}
            {row("Hình thức nộp", Some(if d.in_person { "Trực tiếp".into() } else { "Trực tuyến".into() }))}
            {row("Nộp lúc", Some(d.received_at))}
            {row("Tiếp nhận lúc", d.accepted_at)}
            {row("Hạn trả kết quả", Some(d.due_date))}
            {row("Hẹn trả mới (sau thư xin lỗi)", d.promised_date)}
            {row("Hạn của bước hiện tại", d.step_due)}
            {row("Nơi tiếp nhận", Some(d.receiving_agency))}
            {row("Cơ quan đang xử lý", Some(d.handling_agency))}
            {row("Cán bộ hỗ trợ nộp", d.assisted_by)}
        </dl>
    }
}

#[component]
fn Answers(dossier: DeskDossier) -> impl IntoView {
    view! {
        <section aria-labelledby="to-khai">
            <h2 id="to-khai">"Tờ khai"</h2>
            {dossier
                .answers
                .into_iter()
                .map(|(title, rows)| view! {
                    <h3>{title}</h3>
                    <dl class="answers">
                        {rows.into_iter().map(|(label, value)| view! {
                            <div class="answers__row"><dt>{label}</dt><dd>{value}</dd></div>
                        }).collect_view()}
                    </dl>
                })
                .collect_view()}
        </section>
        <section aria-labelledby="giay-to">
            <h2 id="giay-to">"Giấy tờ đính kèm"</h2>
            <ul class="file-list">
                {dossier
                    .files
                    .into_iter()
                    .map(|f| view! {
                        <li>
                            {f.document} ": " <a href=format!("{FILES_PATH}/{}", f.id)>{f.label}</a>
                            {f.added_in_supplement.then_some(" (bổ sung)")}
                        </li>
                    })
                    .collect_view()}
            </ul>
            {dossier.has_result.then(|| view! {
                <p><a href=format!("{}/ket-qua", desk_dossier_url(&dossier.code))>"Tệp kết quả giải quyết"</a></p>
            })}
        </section>
    }
}

/// The audit trail: each change with who, when, from which agency to which, the step's
/// deadline and the reason.
#[component]
pub(super) fn Timeline(entries: Vec<AuditEntry>) -> impl IntoView {
    view! {
        <ol class="timeline">
            {entries
                .into_iter()
                .map(|e| {
                    let route = match (e.from_agency, e.to_agency) {
                        (Some(from), Some(to)) if from != to => Some(format!("{from} → {to}")),
                        (_, Some(to)) => Some(to),
                        (from, None) => from,
                    };
                    view! {
                        <li>
                            <p><strong>{e.action}</strong> " · " {e.status}</p>
                            <p class="hint">{e.at} " · " {e.actor} {route.map(|r| format!(" · {r}"))}</p>
                            {e.step_due.map(|d| view! { <p>"Hạn của bước: " {d}</p> })}
                            {e.reason.map(|r| view! { <p>"Lý do, ghi chú: " {r}</p> })}
                            {e.details.into_iter().map(|line| view! { <p>{line}</p> }).collect_view()}
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
}
