//! The desk's pages: sign-in, first password change, queues, one dossier, the control sheet.

pub mod actions;
pub mod assist;
pub mod dossier;
pub mod home;
pub mod notice;
pub mod sheet;

use crate::desk::api::{signed_in_staff, ChangeStaffPassword, StaffSignIn};
use crate::error::AppError;
use crate::routes::{CHANGE_PASSWORD_PATH, DESK_PATH};
use crate::ui::{on_staff_error, ErrorSummary};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

fn sign_in_problem(slug: &str) -> Option<&'static str> {
    match slug {
        "sai" => Some("Tên đăng nhập hoặc mật khẩu không đúng."),
        "qua-nhieu" => Some("Đăng nhập sai quá nhiều lần từ máy này. Vui lòng chờ 15 phút rồi thử lại."),
        _ => None,
    }
}

#[component]
pub fn StaffSignInPage() -> impl IntoView {
    let query = use_query_map().read_untracked().clone();
    let error = query.get("loi").and_then(|slug| sign_in_problem(&slug));
    let typed = query.get("ten").unwrap_or_default();
    let return_to = query.get("tiep").unwrap_or_else(|| DESK_PATH.to_owned());
    let has_error = error.is_some();
    view! {
        <Title text="Đăng nhập cán bộ" />
        <ErrorSummary errors=error.iter().map(|m| ("ten-dang-nhap".to_owned(), (*m).to_owned())).collect() />
        <h1>"Đăng nhập cán bộ"</h1>
        <p class="lead">"Dành cho cán bộ bộ phận một cửa, chuyên viên xử lý, lãnh đạo và quản trị viên."</p>
        <form method="post" action=StaffSignIn::PATH class="form">
            <input type="hidden" name="tiep" value=return_to />
            <div class="field" class:field--error=has_error>
                <label for="ten-dang-nhap">"Tên đăng nhập"</label>
                {error.map(|m| view! { <p class="field__error" id="ten-dang-nhap-loi">{m}</p> })}
                <input id="ten-dang-nhap" name="username" type="text" autocomplete="username" autocapitalize="none"
                    spellcheck="false" required maxlength="40" value=typed
                    aria-describedby=has_error.then_some("ten-dang-nhap-loi") aria-invalid=has_error.then_some("true") />
            </div>
            <div class="field">
                <label for="mat-khau">"Mật khẩu"</label>
                <input id="mat-khau" name="password" type="password" autocomplete="current-password" required maxlength="200" />
            </div>
            <button type="submit" class="button">"Đăng nhập"</button>
        </form>
        <p class="hint">"Quên mật khẩu? Liên hệ quản trị viên của cơ quan để được cấp mật khẩu tạm."</p>
    }
}

fn password_problem(slug: &str) -> Option<(&'static str, &'static str)> {
    match slug {
        "sai-mat-khau" => Some(("mat-khau-hien-tai", "Mật khẩu hiện tại không đúng.")),
        "qua-ngan" => Some(("mat-khau-moi", "Mật khẩu mới cần ít nhất 10 ký tự.")),
        "khong-khop" => Some(("nhap-lai", "Hai lần nhập mật khẩu mới không giống nhau.")),
        "trung-cu" => Some(("mat-khau-moi", "Mật khẩu mới phải khác mật khẩu hiện tại.")),
        _ => None,
    }
}

#[component]
pub fn ChangePasswordPage() -> impl IntoView {
    let problem = use_query_map().read_untracked().get("loi").and_then(|slug| password_problem(&slug));
    view! {
        <Suspense fallback=|| ()>
            {Suspend::new(async move {
                match signed_in_staff().await {
                    Ok(Some(name)) => view! { <PasswordForm name problem /> }.into_any(),
                    Ok(None) => on_staff_error(AppError::StaffSignInRequired, CHANGE_PASSWORD_PATH),
                    Err(error) => on_staff_error(error, CHANGE_PASSWORD_PATH),
                }
            })}
        </Suspense>
    }
}

#[component]
fn PasswordForm(name: String, problem: Option<(&'static str, &'static str)>) -> impl IntoView {
    let errors: Vec<(String, String)> = problem.iter().map(|(id, m)| ((*id).to_owned(), (*m).to_owned())).collect();
    let field = move |id: &'static str, label: &'static str, autocomplete: &'static str, hint: Option<&'static str>| {
        let message = problem.filter(|(field, _)| *field == id).map(|(_, m)| m);
        let has_error = message.is_some();
        let name = match id {
            "mat-khau-hien-tai" => "current",
            "mat-khau-moi" => "new",
            _ => "repeated",
        };
        view! {
            <div class="field" class:field--error=has_error>
                <label for=id>{label}</label>
                {hint.map(|h| view! { <p class="hint">{h}</p> })}
                {message.map(|m| view! { <p class="field__error">{m}</p> })}
                <input id=id name=name type="password" autocomplete=autocomplete required maxlength="200"
                    aria-invalid=has_error.then_some("true") />
            </div>
        }
    };
    view! {
        <Title text="Đổi mật khẩu" />
        <ErrorSummary errors />
        <h1>"Đổi mật khẩu"</h1>
        <p class="lead">{name} ": vui lòng đặt mật khẩu của riêng bạn trước khi làm việc."</p>
        <form method="post" action=ChangeStaffPassword::PATH class="form">
            {field("mat-khau-hien-tai", "Mật khẩu hiện tại (mật khẩu tạm được cấp)", "current-password", None)}
            {field("mat-khau-moi", "Mật khẩu mới", "new-password", Some("Ít nhất 10 ký tự; nên dùng một câu dễ nhớ."))}
            {field("nhap-lai", "Nhập lại mật khẩu mới", "new-password", None)}
            <button type="submit" class="button">"Đổi mật khẩu"</button>
        </form>
    }
}
