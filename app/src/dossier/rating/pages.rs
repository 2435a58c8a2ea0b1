//! The rating form (three choices, a reason when not satisfied) and the counter's tablet page.

use crate::domain::statistics::{InvalidRating, Satisfaction, ALL_SATISFACTION};
use crate::dossier::rating::api::{load_desk_rating, RateAtDesk};
use crate::dossier::rating::{DeskRatingView, RatingTyped};
use crate::i18n::{tr, tr_code};
use crate::ui::on_staff_error;
use crate::ui::ErrorSummary;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// `action`: the server function the form posts to; `tablet`: larger choices for the counter.
#[component]
pub fn RatingForm(code: String, action: &'static str, typed: RatingTyped, tablet: bool) -> impl IntoView {
    let problem = typed.problem();
    let level_error = problem.filter(|p| *p == InvalidRating::NoLevel).map(|p| tr_code("rating.error", p.slug()));
    let reason_error = problem.filter(|p| *p != InvalidRating::NoLevel).map(|p| tr_code("rating.error", p.slug()));
    let (level_wrong, reason_wrong) = (level_error.is_some(), reason_error.is_some());
    let choice = |level: Satisfaction| {
        // The first choice carries the id the error summary links to.
        let id = match level {
            Satisfaction::VerySatisfied => InvalidRating::NoLevel.field().to_owned(),
            _ => format!("muc-{}", level.as_db()),
        };
        let (label_for, checked) = (id.clone(), typed.level == level.as_db());
        view! {
            <label class="rating__choice" for=label_for>
                <input type="radio" name="muc" value=level.as_db() id=id checked=checked />
                {tr_code("satisfaction", level.as_db())}
            </label>
        }
    };
    view! {
        <section class="rating" class:rating--tablet=tablet id="danh-gia" aria-labelledby="danh-gia-tieu-de">
            <h2 id="danh-gia-tieu-de">{tr("rating.title")}</h2>
            <ErrorSummary errors=problem.iter().map(|p| (p.field().to_owned(), tr_code("rating.error", p.slug()))).collect() />
            <form method="post" action=action class="form">
                <input type="hidden" name="ma" value=code />
                <fieldset class="field" class:field--error=level_wrong>
                    <legend>{tr("rating.question")}</legend>
                    {level_error.map(|m| view! { <p class="field__error">{m}</p> })}
                    {ALL_SATISFACTION.into_iter().map(choice).collect_view()}
                </fieldset>
                <div class="field" class:field--error=reason_wrong>
                    <label for="ly-do">{tr("rating.reason")}</label>
                    {reason_error.map(|m| view! { <p class="field__error">{m}</p> })}
                    <textarea id="ly-do" name="ly_do" rows="3" maxlength="500"
                        aria-invalid=reason_wrong.then_some("true")>{typed.reason.clone()}</textarea>
                </div>
                <button type="submit" class="button">{tr("rating.send")}</button>
            </form>
        </section>
    }
}

/// What a dossier page shows where the form was: the rating given, or the form.
#[component]
pub fn RatingSection(code: String, given: Option<String>, action: &'static str, tablet: bool) -> impl IntoView {
    let query = use_query_map().read_untracked().clone();
    let thanked = query.get("da-danh-gia").is_some();
    let typed = RatingTyped::from_query(|name| query.get(name));
    match given {
        Some(level) => view! {
            <section class="notice notice--success" id="danh-gia" role=thanked.then_some("status")>
                {thanked.then(|| view! { <p><strong>{tr("rating.thanks")}</strong></p> })}
                <p>{tr("rating.recorded")} " " <strong>{tr_code("satisfaction", &level)}</strong></p>
            </section>
        }
        .into_any(),
        None => view! { <RatingForm code action typed tablet /> }.into_any(),
    }
}

#[component]
pub fn DeskRatingPage() -> impl IntoView {
    let code = use_params_map().read_untracked().get("code").unwrap_or_default();
    let here = crate::routes::desk_rating_url(&code);
    view! {
        <Title text=tr("rating.title") />
        <Suspense fallback=|| ()>
            {Suspend::new(async move {
                match load_desk_rating(code).await {
                    Ok(view) => view! { <TabletRating view /> }.into_any(),
                    Err(error) => on_staff_error(error, &here),
                }
            })}
        </Suspense>
    }
}

#[component]
fn TabletRating(view: DeskRatingView) -> impl IntoView {
    let DeskRatingView { code, procedure_name, agency_name, given, returned } = view;
    view! {
        <h1>{tr("rating.tablet_heading")}</h1>
        <p class="lead"><span lang="vi">{agency_name}</span> " · " <span lang="vi">{procedure_name}</span> " · " {tr("rating.dossier")} " " {code.clone()}</p>
        {if returned {
            view! { <RatingSection code=code.clone() given action=RateAtDesk::PATH tablet=true /> }.into_any()
        } else {
            view! { <p class="notice">{tr("rating.not_returned")}</p> }.into_any()
        }}
        <p class="hint"><a href=crate::routes::desk_dossier_url(&code)>{tr("rating.back_to_desk")}</a></p>
    }
}
