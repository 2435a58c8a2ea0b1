//! The desk's pages: sign-in, first password change, queues, one dossier, the control sheet.

pub mod actions;
pub mod assist;
pub mod dossier;
pub mod home;
pub mod notice;
pub mod register;
pub mod second_factor;
pub mod sheet;

use crate::desk::api::{signed_in_staff, ChangeStaffPassword, StaffSignIn};
use crate::error::AppError;
use crate::i18n::{tr, tr_with};
use crate::routes::{CHANGE_PASSWORD_PATH, DESK_PATH};
use crate::ui::{on_staff_error, ErrorSummary};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

fn sign_in_problem(slug: &str) -> Option<String> {
    match slug {
        "sai" => Some(tr("staff.sign_in.wrong")),
        "qua-nhieu" => Some(tr("staff.sign_in.too_many")),
        "het-han" => Some(tr("staff.code.expired")),
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
        <Title text=tr("staff.sign_in.title") />
        <ErrorSummary errors=error.iter().map(|m| ("ten-dang-nhap".to_owned(), m.clone())).collect() />
        <h1>{tr("staff.sign_in.title")}</h1>
        <p class="lead">{tr("staff.sign_in.lead")}</p>
        <form method="post" action=StaffSignIn::PATH class="form">
            <input type="hidden" name="tiep" value=return_to />
            <div class="field" class:field--error=has_error>
                <label for="ten-dang-nhap">{tr("staff.username")}</label>
                {error.map(|m| view! { <p class="field__error" id="ten-dang-nhap-loi">{m}</p> })}
                <input id="ten-dang-nhap" name="username" type="text" autocomplete="username" autocapitalize="none"
                    spellcheck="false" required maxlength="40" value=typed
                    aria-describedby=has_error.then_some("ten-dang-nhap-loi") aria-invalid=has_error.then_some("true") />
            </div>
            <div class="field">
                <label for="mat-khau">{tr("staff.password")}</label>
                <input id="mat-khau" name="password" type="password" autocomplete="current-password" required maxlength="200" />
            </div>
            <button type="submit" class="button">{tr("staff.sign_in.button")}</button>
        </form>
        <p class="hint">{tr("staff.sign_in.forgot")}</p>
    }
}

/// The input a password problem concerns, and the key of its message.
fn password_problem(slug: &str) -> Option<(&'static str, &'static str)> {
    match slug {
        "sai-mat-khau" => Some(("mat-khau-hien-tai", "staff.password.wrong_current")),
        "qua-ngan" => Some(("mat-khau-moi", "staff.password.too_short")),
        "khong-khop" => Some(("nhap-lai", "staff.password.mismatch")),
        "trung-cu" => Some(("mat-khau-moi", "staff.password.same")),
        "de-doan" => Some(("mat-khau-moi", "staff.password.guessable")),
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
    let errors: Vec<(String, String)> = problem.iter().map(|(id, key)| ((*id).to_owned(), tr(key))).collect();
    let field = move |id: &'static str, label: &'static str, autocomplete: &'static str, hint: Option<&'static str>| {
        let message = problem.filter(|(field, _)| *field == id).map(|(_, key)| tr(key));
        let (label, hint) = (tr(label), hint.map(tr));
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
        <Title text=tr("staff.password.title") />
        <ErrorSummary errors />
        <h1>{tr("staff.password.title")}</h1>
        <p class="lead">{tr_with("staff.password.lead", &[("name", &name)])}</p>
        <form method="post" action=ChangeStaffPassword::PATH class="form">
            {field("mat-khau-hien-tai", "staff.password.current", "current-password", None)}
            {field("mat-khau-moi", "staff.password.new", "new-password", Some("staff.password.new_hint"))}
            {field("nhap-lai", "staff.password.repeat", "new-password", None)}
            <button type="submit" class="button">{tr("staff.password.title")}</button>
        </form>
    }
}
