//! One question of a form page, drawn from its type. Inputs post as `answers[key]`.

use crate::domain::application_form::{input_id, parse_date, Answers, Question, QuestionKind};
use crate::i18n::tr;
use leptos::prelude::*;

fn field_name(key: &str) -> String {
    format!("answers[{key}]")
}

#[component]
pub fn QuestionField(
    question: Question,
    answers: Answers,
    communes: Vec<(String, String)>,
    error: Option<String>,
) -> impl IntoView {
    let has_error = error.is_some();
    let id = input_id(&question.id);
    let hint_id = format!("{id}-goi-y");
    let error_id = format!("{id}-loi");
    let described = [question.hint.as_ref().map(|_| hint_id.clone()), error.as_ref().map(|_| error_id.clone())]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let described = (!described.is_empty()).then_some(described);
    let value = |key: &str| answers.get(key).cloned().unwrap_or_default();
    let label = view! {
        {question.label.clone()}
        {(!question.required).then(|| view! { <span class="optional">" " {tr("dossier.optional")}</span> })}
    };
    let hint = question.hint.clone().map(|h| view! { <p class="hint" id=hint_id.clone()>{h}</p> });
    let message = error.clone().map(|m| view! { <p class="field__error" id=error_id.clone()>{m}</p> });
    let invalid = has_error.then_some("true");
    match question.kind.clone() {
        QuestionKind::Choice { options } => {
            let chosen = value(&question.id);
            view! {
                <fieldset class="field" class:field--error=has_error aria-describedby=described>
                    <legend>{label}</legend>
                    {hint}
                    {message}
                    <div class="choices">
                        {options
                            .into_iter()
                            .enumerate()
                            .map(|(i, option)| {
                                let option_id = format!("{id}-{i}");
                                view! {
                                    <div class="choice">
                                        <input type="radio" id=option_id.clone() name=field_name(&question.id) value=option.clone() checked=chosen == option />
                                        <label for=option_id>{option.clone()}</label>
                                    </div>
                                }
                            })
                            .collect_view()}
                    </div>
                </fieldset>
            }
                .into_any()
        }
        QuestionKind::Address => {
            let (commune_key, street_key) = (question.commune_key(), question.street_key());
            let chosen = value(&commune_key);
            view! {
                <fieldset class="field" class:field--error=has_error aria-describedby=described>
                    <legend>{label}</legend>
                    {hint}
                    {message}
                    <label for=input_id(&commune_key) class="sub-label">{tr("dossier.commune")}</label>
                    <select id=input_id(&commune_key) name=field_name(&commune_key) aria-invalid=invalid>
                        <option value="">{tr("dossier.choose")}</option>
                        {communes
                            .into_iter()
                            .map(|(identifier, name)| {
                                let selected = identifier == chosen;
                                view! { <option value=identifier selected=selected>{name}</option> }
                            })
                            .collect_view()}
                    </select>
                    <label for=input_id(&street_key) class="sub-label">{tr("dossier.street")}</label>
                    <input type="text" id=input_id(&street_key) name=field_name(&street_key) value=value(&street_key) maxlength="200" autocomplete="street-address" />
                </fieldset>
            }
                .into_any()
        }
        kind => {
            let raw = value(&question.id);
            let (input_type, inputmode, autocomplete, maxlength, shown) = match kind {
                QuestionKind::Date { .. } => {
                    let shown = parse_date(&raw).map_or(raw.clone(), |d| d.format("%Y-%m-%d").to_string());
                    ("date", None, None, None, shown)
                }
                QuestionKind::Number { .. } => ("text", Some("numeric"), Some("off"), Some(6), raw),
                QuestionKind::IdNumber => ("text", Some("numeric"), Some("off"), Some(12), raw),
                QuestionKind::Phone => ("tel", Some("tel"), Some("tel"), Some(20), raw),
                QuestionKind::Text { max_length } => ("text", None, None, Some(max_length), raw),
                QuestionKind::Choice { .. } | QuestionKind::Address | QuestionKind::Document { .. } => {
                    ("text", None, None, None, raw)
                }
            };
            let short = matches!(
                question.kind,
                QuestionKind::Number { .. } | QuestionKind::IdNumber | QuestionKind::Date { .. }
            );
            view! {
                <div class="field" class:field--error=has_error>
                    <label for=id.clone()>{label}</label>
                    {hint}
                    {message}
                    <input
                        type=input_type
                        id=id.clone()
                        name=field_name(&question.id)
                        value=shown
                        inputmode=inputmode
                        autocomplete=autocomplete
                        maxlength=maxlength
                        class:input--short=short
                        aria-describedby=described
                        aria-invalid=invalid
                    />
                </div>
            }
            .into_any()
        }
    }
}
