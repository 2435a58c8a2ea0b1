//! One form per action the officer may take now, each folded in a `<details>` (no script
//! needed); a refused form comes back open, filled in as typed, with its messages.

use crate::desk::api::{DeskAct, DeskResult};
use crate::desk::DeskDossier;
use crate::domain::command::ActionForm;
use crate::domain::dossier_status::Action;
use crate::domain::fee::FeeDue;
use crate::i18n::tr;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

/// The id of a field in the form of `action` (fields repeat across forms).
pub(super) fn field_id(action: &str, field: &str) -> String {
    format!("{action}-{field}")
}

#[component]
pub(super) fn ActionForms(dossier: DeskDossier) -> impl IntoView {
    let flash = dossier.flash.clone().unwrap_or_default();
    let typed = if flash.problems.is_empty() { ActionForm::default() } else { flash.form.clone() };
    let problems = flash.problems.clone();
    dossier
        .actions
        .iter()
        .map(|action| {
            let slug = action.as_slug();
            let mine = typed.action == slug;
            let form = if mine { typed.clone() } else { ActionForm::default() };
            let problem = {
                let problems = if mine { problems.clone() } else { Vec::new() };
                move |field: &str| problems.iter().find(|(f, _)| f == field).map(|(_, m)| m.show())
            };
            let fields = fields(*action, &dossier, &form, &problem);
            let label = tr(&format!("desk.button.{slug}"));
            // Refusing or stopping ends the citizen's dossier: it looks like it.
            let button = if action.ends_the_dossier() { "button button--danger" } else { "button" };
            let body = if *action == Action::ResultReady {
                view! {
                    <form method="post" enctype="multipart/form-data" class="form"
                        action=format!("{}?ma={}", DeskResult::PATH, dossier.code)>
                        {fields}
                        <button type="submit" class=button>{label.clone()}</button>
                    </form>
                }
                .into_any()
            } else {
                view! {
                    <form method="post" action=DeskAct::PATH class="form">
                        <input type="hidden" name="ma" value=dossier.code.clone() />
                        <input type="hidden" name="thao_tac" value=slug />
                        {fields}
                        <button type="submit" class=button>{label.clone()}</button>
                    </form>
                }
                .into_any()
            };
            view! {
                <details class="action" open=mine>
                    <summary>{label}</summary>
                    {body}
                </details>
            }
        })
        .collect_view()
}

fn fields(
    action: Action,
    dossier: &DeskDossier,
    form: &ActionForm,
    problem: &dyn Fn(&str) -> Option<String>,
) -> AnyView {
    let slug = action.as_slug();
    let specific = match action {
        Action::RequestSupplement => documents(slug, dossier, form, problem("giay-to")).into_any(),
        Action::Forward => view! {
            {agency(slug, dossier, form, problem("co-quan"))}
            {date_boxes(slug, DateInput { field: "han-buoc", name: "han_buoc", label: "desk.form.step_due" }, &form.step_due, problem("han-buoc"))}
        }
        .into_any(),
        Action::RequestFee | Action::RecordFee => {
            // Pre-filled with the fee computed from the catalog, the case and the copies.
            let amount = match &dossier.fee {
                FeeDue::Total { total_vnd, .. } if form.amount.is_empty() => total_vnd.to_string(),
                _ => form.amount.clone(),
            };
            input(slug, Input { field: "so-tien", name: "so_tien", label: "desk.form.amount", kind: "text", required: true }, &amount, problem("so-tien")).into_any()
        }
        Action::Return => delivery(slug, dossier, form, problem).into_any(),
        Action::Accept if dossier.cases.len() >= 2 => case_choice(slug, dossier, form, problem("truong-hop")).into_any(),
        Action::ProposeApology => {
            date_boxes(slug, DateInput { field: "ngay-hen-moi", name: "ngay_hen_moi", label: "desk.form.new_date" }, &form.new_date, problem("ngay-hen-moi"))
                .into_any()
        }
        Action::ResultReady => view! {
            <div class="field" class:field--error=problem("tep-ket-qua").is_some()>
                <label for=field_id(slug, "tep-ket-qua")>{tr("desk.form.result_file")}</label>
                {problem("tep-ket-qua").map(|m| view! { <p class="field__error">{m}</p> })}
                <input id=field_id(slug, "tep-ket-qua") name="tep" type="file" accept="image/*,application/pdf" required />
            </div>
        }
        .into_any(),
        _ => ().into_any(),
    };
    let reason = (action != Action::ResultReady).then(|| reason(action, form, problem("ly-do")));
    let confirm = action.ends_the_dossier().then(|| confirmation(action, problem("xac-nhan")));
    view! { {specific} {reason} {confirm} }.into_any()
}

/// The tick an officer gives before an action that ends the dossier.
fn confirmation(action: Action, problem: Option<String>) -> impl IntoView {
    let id = field_id(action.as_slug(), "xac-nhan");
    let has_error = problem.is_some();
    view! {
        <div class="field" class:field--error=has_error>
            {problem.map(|m| view! { <p class="field__error">{m}</p> })}
            <div class="choice">
                <input type="checkbox" id=id.clone() name="xac_nhan" value="co" aria-invalid=has_error.then_some("true") />
                <label for=id>{tr(&format!("desk.form.confirm.{}", action.as_slug()))}</label>
            </div>
        </div>
    }
}

fn reason(action: Action, form: &ActionForm, problem: Option<String>) -> impl IntoView {
    let id = field_id(action.as_slug(), "ly-do");
    let label = tr(match action {
        Action::RequestSupplement => "desk.form.reason.supplement",
        Action::ProposeApology => "desk.form.reason.late",
        a if a.needs_reason() => "desk.form.reason.required",
        _ => "desk.form.reason.note",
    });
    let has_error = problem.is_some();
    view! {
        <div class="field" class:field--error=has_error>
            <label for=id.clone()>{label}</label>
            {problem.map(|m| view! { <p class="field__error">{m}</p> })}
            <textarea id=id name="ly_do" rows="3" maxlength="2000" required=action.needs_reason()
                aria-invalid=has_error.then_some("true")>{form.reason.clone()}</textarea>
        </div>
    }
}

/// A one-line input of an action form; `label` is a locale key.
struct Input {
    field: &'static str,
    name: &'static str,
    label: &'static str,
    kind: &'static str,
    required: bool,
}

fn input(slug: &str, spec: Input, value: &str, problem: Option<String>) -> impl IntoView {
    let id = field_id(slug, spec.field);
    let has_error = problem.is_some();
    view! {
        <div class="field" class:field--error=has_error>
            <label for=id.clone()>{tr(spec.label)}</label>
            {problem.map(|m| view! { <p class="field__error">{m}</p> })}
            <input id=id name=spec.name type=spec.kind value=value.to_owned() required=spec.required
                maxlength=(spec.kind == "text").then_some("300")
                inputmode=(spec.name == "so_tien").then_some("numeric") aria-invalid=has_error.then_some("true") />
        </div>
    }
}

/// A date of an action form, as three boxes like the citizen's dates. They post as
/// `ngay[{name}.ngay]` and so on.
struct DateInput {
    field: &'static str,
    name: &'static str,
    label: &'static str,
}

fn date_boxes(slug: &str, spec: DateInput, value: &str, problem: Option<String>) -> impl IntoView {
    crate::ui::date_boxes_view(crate::ui::DateBoxes {
        id: field_id(slug, spec.field),
        legend: tr(spec.label),
        value: value.to_owned(),
        error: problem,
        required: true,
        field: spec.name,
        wrap_name: |key| format!("ngay[{key}]"),
    })
}

fn documents(slug: &str, dossier: &DeskDossier, form: &ActionForm, problem: Option<String>) -> impl IntoView {
    let has_error = problem.is_some();
    view! {
        <fieldset class="field choices" class:field--error=has_error id=field_id(slug, "giay-to")>
            <legend>{tr("desk.form.documents")}</legend>
            {problem.map(|m| view! { <p class="field__error">{m}</p> })}
            {dossier
                .documents
                .iter()
                .map(|(id, name)| {
                    let input = field_id(slug, id);
                    view! {
                        <div class="choice">
                            <input type="checkbox" id=input.clone() name=format!("giay_to[{id}]")
                                checked=form.documents.contains(id) />
                            <label for=input lang="vi">{name.clone()}</label>
                        </div>
                    }
                })
                .collect_view()}
        </fieldset>
    }
}

fn agency(slug: &str, dossier: &DeskDossier, form: &ActionForm, problem: Option<String>) -> impl IntoView {
    let id = field_id(slug, "co-quan");
    let has_error = problem.is_some();
    view! {
        <div class="field" class:field--error=has_error>
            <label for=id.clone()>{tr("desk.form.agency")}</label>
            {problem.map(|m| view! { <p class="field__error">{m}</p> })}
            <select id=id name="co_quan" required aria-invalid=has_error.then_some("true")>
                <option value="">{tr("desk.form.choose_agency")}</option>
                {dossier
                    .agencies
                    .iter()
                    .map(|(value, name)| {
                        let value = value.to_string();
                        view! { <option selected=form.agency == value value=value.clone()>{name.clone()}</option> }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}

/// The case to accept the dossier under, starting from the one the applicant chose.
fn case_choice(slug: &str, dossier: &DeskDossier, form: &ActionForm, problem: Option<String>) -> impl IntoView {
    let id = field_id(slug, "truong-hop");
    let chosen = if form.case.is_empty() {
        dossier.case_no.map(|n| n.to_string()).unwrap_or_default()
    } else {
        form.case.clone()
    };
    let has_error = problem.is_some();
    view! {
        <div class="field" class:field--error=has_error>
            <label for=id.clone()>{tr("desk.form.case")}</label>
            <p class="hint">{tr("desk.form.case_hint")}</p>
            {problem.map(|m| view! { <p class="field__error">{m}</p> })}
            <select id=id name="truong_hop">
                {dossier.cases.iter().enumerate().map(|(i, name)| {
                    let value = (i + 1).to_string();
                    view! { <option value=value.clone() selected=chosen == value lang="vi">{name.clone()}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}

/// How the result is handed over; it starts from what the applicant chose at filing.
fn delivery(
    slug: &str,
    dossier: &DeskDossier,
    form: &ActionForm,
    problem: &dyn Fn(&str) -> Option<String>,
) -> impl IntoView {
    let method = problem("hinh-thuc");
    let has_error = method.is_some();
    let (chosen, chosen_address) = dossier.delivery.clone().unwrap_or_default();
    let checked = if form.delivery.is_empty() { chosen } else { form.delivery.clone() };
    let address = if form.address.is_empty() { chosen_address } else { form.address.clone() };
    let radio = |value: &'static str, key: &'static str| {
        let id = field_id(slug, value);
        view! {
            <div class="choice">
                <input type="radio" id=id.clone() name="hinh_thuc" value=value checked=checked == value required />
                <label for=id>{tr(key)}</label>
            </div>
        }
    };
    view! {
        <fieldset class="field choices" class:field--error=has_error id=field_id(slug, "hinh-thuc")>
            <legend>{tr("desk.form.delivery")}</legend>
            {method.map(|m| view! { <p class="field__error">{m}</p> })}
            {radio("tai-quay", "desk.form.at_desk")}
            {radio("buu-chinh", "desk.form.by_post")}
        </fieldset>
        <p class="hint">{tr("desk.form.post_hint")}</p>
        {input(slug, Input { field: "dia-chi", name: "dia_chi", label: "desk.form.address", kind: "text", required: false }, &address, problem("dia-chi"))}
        {input(slug, Input { field: "ma-buu-gui", name: "ma_buu_gui", label: "desk.form.tracking", kind: "text", required: false }, &form.tracking, problem("ma-buu-gui"))}
    }
}
