//! `/can-bo/nop-thay`: filing at the counter with a walk-in citizen ("cầm tay chỉ việc"). The
//! officer enters the citizen's phone number and the procedure, then fills in the same form
//! steps; the citizen stays the applicant and gets the receipt by SMS.

use crate::desk::api::{load_assist_page, StartAssisted};
use crate::desk::AssistView;
use crate::routes::ASSIST_PATH;
use crate::ui::ErrorSummary;
use crate::ui::{on_staff_error, StaffBar};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AssistPage() -> impl IntoView {
    let query = use_query_map().read_untracked().clone();
    let error = match query.get("loi").as_deref() {
        Some("so-dien-thoai") => {
            Some(("so-dien-thoai", "Số điện thoại di động gồm 10 chữ số, bắt đầu bằng 0, ví dụ 0912345678."))
        }
        Some("thu-tuc") => Some(("thu-tuc", "Chọn một thủ tục có tờ khai trên cổng.")),
        _ => None,
    };
    let typed = (query.get("so").unwrap_or_default(), query.get("thu-tuc").unwrap_or_default());
    let saved = query.get("da-luu").is_some();
    view! {
        <Suspense fallback=|| ()>
            {Suspend::new({
                let typed = typed.clone();
                async move {
                    match load_assist_page().await {
                        Ok(page) => view! { <Assist page error typed=typed.clone() saved /> }.into_any(),
                        Err(e) => on_staff_error(e, ASSIST_PATH),
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn Assist(
    page: AssistView,
    error: Option<(&'static str, &'static str)>,
    typed: (String, String),
    saved: bool,
) -> impl IntoView {
    let AssistView { staff, procedures, drafts } = page;
    let problem = |field: &str| error.filter(|(f, _)| *f == field).map(|(_, m)| m);
    let (phone_error, procedure_error) = (problem("so-dien-thoai"), problem("thu-tuc"));
    view! {
        <Title text="Nộp hồ sơ thay công dân" />
        <StaffBar staff />
        <ErrorSummary errors=error.iter().map(|(f, m)| ((*f).to_owned(), (*m).to_owned())).collect() />
        {saved.then(|| view! { <p class="notice notice--success" role="status">"Đã lưu hồ sơ đang nhập."</p> })}
        <h1>"Nộp hồ sơ thay công dân tại quầy"</h1>
        <p class="lead">"Công dân vẫn là người nộp: hồ sơ gắn với số điện thoại của họ, giấy tiếp nhận gửi qua tin nhắn và hồ sơ ghi rõ cán bộ hỗ trợ."</p>
        <form method="post" action=StartAssisted::PATH class="form">
            <div class="field" class:field--error=phone_error.is_some()>
                <label for="so-dien-thoai">"Số điện thoại di động của công dân"</label>
                {phone_error.map(|m| view! { <p class="field__error">{m}</p> })}
                <input id="so-dien-thoai" name="so_dien_thoai" type="tel" inputmode="tel" required maxlength="20"
                    value=typed.0 aria-invalid=phone_error.is_some().then_some("true") />
            </div>
            <div class="field" class:field--error=procedure_error.is_some()>
                <label for="thu-tuc">"Thủ tục"</label>
                {procedure_error.map(|m| view! { <p class="field__error">{m}</p> })}
                <select id="thu-tuc" name="thu_tuc" required aria-invalid=procedure_error.is_some().then_some("true")>
                    <option value="">"Chọn thủ tục"</option>
                    {procedures
                        .into_iter()
                        .map(|(code, name)| {
                            let (selected, label) = (code == typed.1, format!("{name} ({code})"));
                            view! { <option value=code selected=selected>{label}</option> }
                        })
                        .collect_view()}
                </select>
            </div>
            <button type="submit" class="button">"Bắt đầu nhập hồ sơ"</button>
        </form>
        {(!drafts.is_empty()).then(|| view! {
            <h2>"Hồ sơ đang nhập dở"</h2>
            <ul class="card-list">
                {drafts.into_iter().map(|d| view! {
                    <li class="card">
                        <a href=crate::routes::step_url(&d.id, crate::routes::AGENCY_STEP)>{d.procedure_name}</a>
                        <p class="card__meta">"Sửa lần cuối " {d.updated_at}</p>
                    </li>
                }).collect_view()}
            </ul>
        })}
    }
}
