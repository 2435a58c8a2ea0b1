//! The sign-in pages and the citizen's links in the header.

use super::api::*;
use crate::i18n::{tr, tr_with};
use crate::routes::{national_id_sign_in_url, sign_in_url, SIGN_IN_PATH};
use crate::ui::ErrorSummary;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

fn problem(slug: &str) -> Option<String> {
    let key = match slug {
        "so-khong-hop-le" => "account.error.phone",
        "qua-nhieu" => "account.error.too_many",
        "tam-ngung" => "account.error.paused",
        "sai-ma" => "account.error.wrong_code",
        "het-han" => "account.error.spent_code",
        "tam-loi" => "error.unavailable",
        super::LINKED_TO_ANOTHER => "account.national_id.linked_to_another",
        _ => return None,
    };
    Some(tr(key))
}

#[component]
pub fn SignInPage() -> impl IntoView {
    let query = use_query_map().read_untracked().clone();
    let error = query.get("loi").and_then(|slug| problem(&slug));
    let typed = query.get("so").unwrap_or_default();
    let return_to = query.get("tiep").unwrap_or_else(|| "/ho-so-cua-toi".to_owned());
    let has_error = error.is_some();
    let national_problem = query.get("dinh-danh").filter(|slug| NATIONAL_ID_PROBLEMS.contains(&slug.as_str()));
    view! {
        <Title text=tr("account.sign_in") />
        <ErrorSummary errors=error.iter().map(|m| ("so-dien-thoai".to_owned(), m.clone())).collect() />
        <h1>{tr("account.sign_in")}</h1>
        {national_problem.map(|slug| view! {
            <div class="notice notice--error" role="alert">
                <p>{tr(&format!("account.national_id.error.{slug}"))}</p>
            </div>
        })}
        <NationalSignIn return_to=return_to.clone() />
        <p class="lead">{tr("account.sign_in_lead")}</p>
        <form method="post" action=RequestSignInCode::PATH class="form">
            <input type="hidden" name="tiep" value=return_to />
            <div class="field" class:field--error=has_error>
                <label for="so-dien-thoai">{tr("account.phone")}</label>
                <p class="hint" id="so-dien-thoai-goi-y">{tr("account.phone_hint")}</p>
                {error.map(|m| view! { <p class="field__error" id="so-dien-thoai-loi">{m}</p> })}
                <input
                    id="so-dien-thoai"
                    name="phone"
                    type="tel"
                    inputmode="tel"
                    autocomplete="tel"
                    required
                    maxlength="20"
                    value=typed
                    aria-describedby=if has_error { "so-dien-thoai-goi-y so-dien-thoai-loi" } else { "so-dien-thoai-goi-y" }
                    aria-invalid=has_error.then_some("true")
                />
            </div>
            <button type="submit" class="button">{tr("account.send_code")}</button>
        </form>
        <p class="hint">{tr("account.privacy")}</p>
    }
}

/// The refusals of a sign-in through the identity provider the page explains.
const NATIONAL_ID_PROBLEMS: [&str; 5] =
    ["phien-khong-hop-le", "da-huy", "tam-loi", "ma-khong-hop-le", "thieu-so-dinh-danh"];

/// Sign-in with the national digital identity where the portal offers it; after the provider
/// asserted an identity not yet linked, what the phone number is for.
#[component]
fn NationalSignIn(return_to: String) -> impl IntoView {
    view! {
        <Suspense fallback=|| ()>
            {
                let return_to = return_to.clone();
                Suspend::new(async move {
                    match national_sign_in().await {
                        Ok((_, true)) => view! {
                            <div class="notice" role="status"><p>{tr("account.national_id.link_lead")}</p></div>
                        }
                        .into_any(),
                        Ok((true, false)) => {
                            view! {
                                <p>
                                    <a class="button button--secondary" href=national_id_sign_in_url(&return_to)>
                                        {tr("account.national_id.button")}
                                    </a>
                                </p>
                                <p class="hint">{tr("account.national_id.or_phone")}</p>
                            }
                            .into_any()
                        }
                        _ => ().into_any(),
                    }
                })
            }
        </Suspense>
    }
}

#[component]
pub fn CodePage() -> impl IntoView {
    let query = use_query_map().read_untracked().clone();
    let error = query.get("loi").and_then(|slug| problem(&slug));
    view! {
        <Suspense fallback=|| ()>
            {
                let error = error.clone();
                Suspend::new(async move {
                    match pending_sign_in().await {
                        Ok(Some((masked, return_to))) => {
                            view! { <CodeForm masked return_to error=error.clone() /> }.into_any()
                        }
                        Ok(None) => {
                            #[cfg(feature = "ssr")]
                            leptos_axum::redirect(SIGN_IN_PATH);
                            ().into_any()
                        }
                        Err(_) => crate::ui::unavailable(),
                    }
                })
            }
        </Suspense>
    }
}

#[component]
fn CodeForm(masked: String, return_to: String, error: Option<String>) -> impl IntoView {
    let has_error = error.is_some();
    view! {
        <Title text=tr("account.enter_code") />
        <ErrorSummary errors=error.iter().map(|m| ("ma-xac-nhan".to_owned(), m.clone())).collect() />
        <h1>{tr("account.enter_code")}</h1>
        <p class="lead">{tr_with("account.code_sent", &[("phone", &masked)])}</p>
        <form method="post" action=VerifySignInCode::PATH class="form">
            <div class="field" class:field--error=has_error>
                <label for="ma-xac-nhan">{tr("account.code")}</label>
                <p class="hint" id="ma-xac-nhan-goi-y">{tr("account.code_hint")}</p>
                {error.map(|m| view! { <p class="field__error" id="ma-xac-nhan-loi">{m}</p> })}
                <input
                    id="ma-xac-nhan"
                    name="code"
                    type="text"
                    inputmode="numeric"
                    autocomplete="one-time-code"
                    pattern="[0-9 ]*"
                    maxlength="8"
                    required
                    class="input--short"
                    aria-describedby=if has_error { "ma-xac-nhan-goi-y ma-xac-nhan-loi" } else { "ma-xac-nhan-goi-y" }
                    aria-invalid=has_error.then_some("true")
                />
            </div>
            <button type="submit" class="button">{tr("account.confirm")}</button>
        </form>
        <p>
            <a href=sign_in_url(&return_to)>{tr("account.resend")}</a>
        </p>
    }
}

/// Header link: "Đăng nhập", or the citizen's dossiers and a sign-out button. None on staff
/// pages, whose own bar has the officer's links.
#[component]
pub fn AccountLinks() -> impl IntoView {
    let path = leptos_router::hooks::use_location().pathname.get_untracked();
    let staff_page = path == crate::routes::DESK_PATH || path.starts_with(&format!("{}/", crate::routes::DESK_PATH));
    (!staff_page).then(|| {
        view! {
            <Suspense fallback=|| ()>
                {Suspend::new(async move {
                    match signed_in_as().await.ok().flatten() {
                        Some(_) => {
                            view! {
                                <a href="/ho-so-cua-toi">{tr("account.my_dossiers")}</a>
                                <form method="post" action=SignOut::PATH class="inline-form">
                                    <button type="submit" class="link-button">{tr("account.sign_out")}</button>
                                </form>
                            }
                                .into_any()
                        }
                        None => view! { <a href=SIGN_IN_PATH>{tr("account.sign_in")}</a> }.into_any(),
                    }
                })}
            </Suspense>
        }
    })
}
