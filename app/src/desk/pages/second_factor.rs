//! The second factor's pages: the code after the password (`/can-bo/xac-thuc`) and setting it
//! up or changing it (`/can-bo/xac-thuc-hai-buoc`).

use crate::desk::api::{load_second_factor, ChangeSecondFactor, StaffCode};
use crate::desk::SecondFactorView;
use crate::i18n::{tr, tr_with};
use crate::routes::{DESK_PATH, SECOND_FACTOR_PATH};
use crate::ui::{on_staff_error, ErrorSummary, StaffBar};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

fn code_problem(slug: &str) -> Option<String> {
    match slug {
        "sai" => Some(tr("staff.code.wrong")),
        "qua-nhieu" => Some(tr("staff.code.too_many")),
        _ => None,
    }
}

/// The six-digit code field (a recovery code fits too), with its error.
#[component]
fn CodeField(id: String, error: Option<String>, hint: String) -> impl IntoView {
    let has_error = error.is_some();
    let hint_id = format!("{id}-goi-y");
    view! {
        <div class="field" class:field--error=has_error>
            <label for=id.clone()>{tr("staff.code.label")}</label>
            <p class="hint" id=hint_id.clone()>{hint}</p>
            {error.map(|m| view! { <p class="field__error">{m}</p> })}
            <input id=id name="ma" type="text" inputmode="numeric" autocomplete="one-time-code"
                autocapitalize="none" spellcheck="false" required maxlength="40" class="input--short"
                aria-describedby=hint_id aria-invalid=has_error.then_some("true") />
        </div>
    }
}

/// The code field of the form that does `what` (its id, so that error links find it).
fn field_id(what: &str) -> String {
    format!("ma-{what}")
}

#[component]
pub fn StaffCodePage() -> impl IntoView {
    let query = use_query_map().read_untracked().clone();
    let error = query.get("loi").and_then(|slug| code_problem(&slug));
    let return_to = query.get("tiep").unwrap_or_else(|| DESK_PATH.to_owned());
    view! {
        <Title text=tr("staff.code.title") />
        <ErrorSummary errors=error.iter().map(|m| ("ma-xac-thuc".to_owned(), m.clone())).collect() />
        <h1>{tr("staff.code.title")}</h1>
        <form method="post" action=StaffCode::PATH class="form">
            <input type="hidden" name="tiep" value=return_to />
            <CodeField id="ma-xac-thuc".to_owned() error hint=tr("staff.code.hint") />
            <button type="submit" class="button">{tr("staff.code.button")}</button>
        </form>
        <p class="hint">{tr("staff.code.lost_phone")}</p>
    }
}

#[component]
pub fn SecondFactorPage() -> impl IntoView {
    let query = use_query_map().read_untracked().clone();
    let error =
        query.get("loi").and_then(|slug| code_problem(&slug)).map(|m| (query.get("viec").unwrap_or_default(), m));
    let done = ["da-bat", "da-tat", "ma-moi"].into_iter().find(|flag| query.get(flag).is_some());
    view! {
        <Suspense fallback=|| ()>
            {Suspend::new(async move {
                match load_second_factor().await {
                    Ok(view) => view! { <Settings view error=error.clone() done /> }.into_any(),
                    Err(error) => on_staff_error(error, SECOND_FACTOR_PATH),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Settings(view: SecondFactorView, error: Option<(String, String)>, done: Option<&'static str>) -> impl IntoView {
    let SecondFactorView { staff, required, active, qr_svg, typed_secret, recovery_codes_left, new_codes } = view;
    let done = done.map(|flag| match flag {
        "da-bat" => tr("staff.second_factor.turned_on"),
        "da-tat" => tr("staff.second_factor.turned_off"),
        _ => tr("staff.second_factor.new_codes_made"),
    });
    let errors: Vec<(String, String)> = error.iter().map(|(what, m)| (field_id(what), m.clone())).collect();
    view! {
        <Title text=tr("staff.second_factor.title") />
        <StaffBar staff />
        <ErrorSummary errors />
        {done.map(|m| view! { <p class="notice notice--success" role="status">{m}</p> })}
        <h1>{tr("staff.second_factor.title")}</h1>
        <p class="lead">{tr(if required { "staff.second_factor.required" } else { "staff.second_factor.optional" })}</p>
        {(!new_codes.is_empty()).then(|| view! { <NewCodes codes=new_codes /> })}
        {if active {
            view! { <Active required recovery_codes_left error /> }.into_any()
        } else {
            view! { <SetUp qr_svg typed_secret error /> }.into_any()
        }}
    }
}

#[component]
fn NewCodes(codes: Vec<String>) -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby="ma-du-phong">
            <h2 id="ma-du-phong">{tr("staff.second_factor.codes_heading")}</h2>
            <p>{tr("staff.second_factor.codes_lead")}</p>
            <ul class="recovery-codes">
                {codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn SetUp(qr_svg: String, typed_secret: String, error: Option<(String, String)>) -> impl IntoView {
    let error = error.map(|(_, m)| m);
    view! {
        <ol class="steps">
            <li>{tr("staff.second_factor.step_app")}</li>
            <li>
                {tr("staff.second_factor.step_scan")}
                <div class="qr" inner_html=qr_svg role="img" aria-label=tr("staff.second_factor.qr_label")></div>
                <p class="hint">{tr("staff.second_factor.step_type")}</p>
                <p><code class="secret">{typed_secret}</code></p>
            </li>
            <li>{tr("staff.second_factor.step_code")}</li>
        </ol>
        <form method="post" action=ChangeSecondFactor::PATH class="form">
            <input type="hidden" name="viec" value="bat" />
            <CodeField id=field_id("bat") error hint=tr("staff.second_factor.first_code_hint") />
            <button type="submit" class="button">{tr("staff.second_factor.turn_on")}</button>
        </form>
    }
}

#[component]
fn Active(required: bool, recovery_codes_left: i64, error: Option<(String, String)>) -> impl IntoView {
    let left = recovery_codes_left.to_string();
    let form = move |what: &'static str, button: &'static str| {
        let error = error.clone().filter(|(on, _)| on == what).map(|(_, m)| m);
        view! {
            <form method="post" action=ChangeSecondFactor::PATH class="form">
                <input type="hidden" name="viec" value=what />
                <CodeField id=field_id(what) error hint=tr("staff.code.hint") />
                <button type="submit" class="button button--secondary">{tr(button)}</button>
            </form>
        }
    };
    view! {
        <p class="notice" role="status">{tr("staff.second_factor.is_on")}</p>
        <p>{tr_with("staff.second_factor.codes_left", &[("count", &left)])}</p>
        <h2>{tr("staff.second_factor.renew_heading")}</h2>
        {form("ma-moi", "staff.second_factor.renew")}
        {(!required).then(|| view! {
            <h2>{tr("staff.second_factor.off_heading")}</h2>
            {form("tat", "staff.second_factor.turn_off")}
        })}
        <p><a href=DESK_PATH>{tr("staff.back_to_desk")}</a></p>
    }
}
