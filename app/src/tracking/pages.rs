//! The look-up form and the dossier as the public sees it.

use crate::error::AppError;
use crate::routes::{tracking_url, TRACKING_PATH};
use crate::tracking::api::{load_tracked_dossier, LookUpDossier};
use crate::tracking::{ToDo, TrackedDossier};
use crate::ui::ErrorSummary;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

fn problem(slug: &str) -> Option<(&'static str, &'static str)> {
    match slug {
        "ma" => Some(("ma-ho-so", "Mã hồ sơ có dạng như trên giấy tiếp nhận, ví dụ 000.00.21.H12-260315-0042.")),
        "so" => Some(("so-cuoi", "Nhập đúng 4 chữ số cuối của số điện thoại người nộp.")),
        "khong-khop" => Some((
            "so-cuoi",
            "Mã hồ sơ và 4 số cuối điện thoại không khớp với hồ sơ nào. Vui lòng kiểm tra lại giấy tiếp nhận.",
        )),
        "qua-nhieu" => Some((
            "so-cuoi",
            "Bạn đã thử quá nhiều lần. Vui lòng chờ 15 phút rồi thử lại, hoặc gọi đường dây nóng của cơ quan.",
        )),
        _ => None,
    }
}

#[component]
pub fn TrackingPage() -> impl IntoView {
    let query = use_query_map().read_untracked().clone();
    let code = query.get("ma").unwrap_or_default();
    let error = query.get("loi").and_then(|slug| problem(&slug));
    let field_error = |field: &str| error.filter(|(f, _)| *f == field).map(|(_, m)| m);
    let (code_error, digits_error) = (field_error("ma-ho-so"), field_error("so-cuoi"));
    view! {
        <Title text="Tra cứu hồ sơ" />
        <ErrorSummary errors=error.iter().map(|(f, m)| ((*f).to_owned(), (*m).to_owned())).collect() />
        <h1>"Tra cứu hồ sơ"</h1>
        <p class="lead">"Xem hồ sơ đang ở đâu, hạn trả kết quả và việc bạn cần làm, không cần đến cơ quan."</p>
        <form method="post" action=LookUpDossier::PATH class="form">
            <div class="field" class:field--error=code_error.is_some()>
                <label for="ma-ho-so">"Mã hồ sơ"</label>
                <p class="hint" id="ma-ho-so-goi-y">"In trên giấy tiếp nhận và trong tin nhắn."</p>
                {code_error.map(|m| view! { <p class="field__error">{m}</p> })}
                <input id="ma-ho-so" name="ma" type="text" autocapitalize="characters" spellcheck="false" required
                    maxlength="60" value=code aria-describedby="ma-ho-so-goi-y" aria-invalid=code_error.is_some().then_some("true") />
            </div>
            <div class="field" class:field--error=digits_error.is_some()>
                <label for="so-cuoi">"4 số cuối điện thoại người nộp"</label>
                {digits_error.map(|m| view! { <p class="field__error">{m}</p> })}
                <input id="so-cuoi" name="so_cuoi" type="text" inputmode="numeric" pattern="[0-9]*" required
                    maxlength="4" class="input--short" autocomplete="off" aria-invalid=digits_error.is_some().then_some("true") />
            </div>
            <button type="submit" class="button">"Tra cứu"</button>
        </form>
    }
}

#[component]
pub fn TrackedPage() -> impl IntoView {
    let code = use_params_map().read_untracked().get("code").unwrap_or_default();
    view! {
        <Suspense fallback=|| ()>
            {Suspend::new(async move {
                match load_tracked_dossier(code.clone()).await {
                    Ok(dossier) => view! { <Tracked dossier /> }.into_any(),
                    Err(AppError::NotFound(_)) => {
                        // Not proven in this session: ask for the digits, code filled in.
                        #[cfg(feature = "ssr")]
                        leptos_axum::redirect(&tracking_url(&code));
                        view! { <p><a href=tracking_url(&code)>"Tra cứu hồ sơ"</a></p> }.into_any()
                    }
                    Err(_) => crate::ui::unavailable(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Tracked(dossier: TrackedDossier) -> impl IntoView {
    let d = dossier;
    view! {
        <Title text=format!("Hồ sơ {}", d.code) />
        <h1>"Hồ sơ " <span class="receipt__code">{d.code.clone()}</span></h1>
        <p class="lead">{d.procedure_name.clone()}</p>
        <div class="notice" role="status">
            <p><strong>{d.status_label.clone()}</strong></p>
            <ToDoText to_do=d.to_do.clone() />
        </div>
        <dl class="facts">
            <dt>"Nơi tiếp nhận"</dt><dd>{d.receiving_agency.clone()}</dd>
            <dt>"Cơ quan đang giải quyết"</dt><dd>{d.handling_agency.clone()}</dd>
            <dt>"Ngày nộp"</dt><dd>{d.received_at.clone()}</dd>
            <dt>"Hạn trả kết quả"</dt><dd><strong>{d.due_date.clone()}</strong></dd>
            {d.promised_date.clone().map(|p| view! { <dt>"Ngày hẹn trả mới"</dt><dd><strong>{p}</strong></dd> })}
        </dl>
        <h2>"Quá trình giải quyết"</h2>
        <ol class="timeline">
            {d.steps.into_iter().map(|s| view! {
                <li>
                    <strong>{s.action}</strong> " · " {s.status}
                    <span class="card__meta">" " {s.at} " · " {s.agency}</span>
                </li>
            }).collect_view()}
        </ol>
        <p><a href=TRACKING_PATH>"Tra cứu hồ sơ khác"</a></p>
    }
}

#[component]
fn ToDoText(to_do: ToDo) -> impl IntoView {
    match to_do {
        ToDo::Wait => {
            view! { <p>"Bạn chưa cần làm gì. Cơ quan sẽ báo qua tin nhắn khi hồ sơ đổi trạng thái."</p> }.into_any()
        }
        ToDo::Supplement { documents, note } => view! {
            <p>{format!("Bạn cần bổ sung: {}.", documents.join("; "))}</p>
            <p>{note}</p>
            <p><a href=crate::routes::MY_DOSSIERS_PATH>"Đăng nhập để bổ sung trực tuyến"</a></p>
        }
        .into_any(),
        ToDo::Pay { amount } => {
            view! { <p>{format!("Bạn cần nộp phí, lệ phí {amount} đồng tại bộ phận một cửa.")}</p> }.into_any()
        }
        ToDo::Collect { agency } => {
            view! { <p>{format!("Kết quả đã có. Mời bạn nhận tại {agency} (mang theo giấy tiếp nhận).")}</p> }
                .into_any()
        }
        ToDo::Done => view! { <p>"Hồ sơ đã trả kết quả."</p> }.into_any(),
        ToDo::Refused { reason } => {
            view! { <p>{format!("Hồ sơ không được tiếp nhận. Lý do: {reason}")}</p> }.into_any()
        }
        ToDo::Stopped { reason } => view! { <p>{format!("Hồ sơ đã dừng xử lý. Lý do: {reason}")}</p> }.into_any(),
        ToDo::Withdrawn => view! { <p>"Hồ sơ đã được rút theo yêu cầu của bạn."</p> }.into_any(),
    }
}
