//! One question of a form page: one component per question type, sharing the label, hint and
//! error text. Inputs post as `answers[key]`.

use crate::domain::application_form::{date_boxes, input_id, Answers, Question, QuestionKind, DATE_PARTS};
use crate::i18n::tr;
use leptos::prelude::*;

fn field_name(key: &str) -> String {
    format!("answers[{key}]")
}

/// What every question shows around its input, with the ids that tie them together.
#[derive(Clone)]
struct FieldText {
    id: String,
    label: String,
    required: bool,
    hint: Option<String>,
    error: Option<String>,
    /// The answer shown is the one the national digital identity asserts.
    from_identity: bool,
}

impl FieldText {
    fn new(question: &Question, error: Option<String>, from_identity: bool) -> Self {
        Self {
            id: input_id(&question.id),
            label: question.label.clone(),
            required: question.required,
            hint: question.hint.clone(),
            error,
            from_identity,
        }
    }

    fn identity_id(&self) -> String {
        format!("{}-dinh-danh", self.id)
    }

    fn hint_id(&self) -> String {
        format!("{}-goi-y", self.id)
    }

    fn error_id(&self) -> String {
        format!("{}-loi", self.id)
    }

    /// `aria-describedby`: the hint and the error, when there are any.
    fn described_by(&self) -> Option<String> {
        let ids: Vec<String> = [
            self.hint.as_ref().map(|_| self.hint_id()),
            self.from_identity.then(|| self.identity_id()),
            self.error.as_ref().map(|_| self.error_id()),
        ]
        .into_iter()
        .flatten()
        .collect();
        (!ids.is_empty()).then(|| ids.join(" "))
    }

    fn invalid(&self) -> Option<&'static str> {
        self.error.is_some().then_some("true")
    }

    fn label_text(&self) -> impl IntoView {
        view! {
            <span lang="vi">{self.label.clone()}</span>
            {(!self.required).then(|| view! { <span class="optional">" " {tr("dossier.optional")}</span> })}
        }
    }

    fn hint_and_error(&self) -> impl IntoView {
        view! {
            {self.hint.clone().map(|h| view! { <p class="hint" id=self.hint_id() lang="vi">{h}</p> })}
            {self
                .from_identity
                .then(|| view! { <p class="identity-tag" id=self.identity_id()>{tr("dossier.from_identity")}</p> })}
            {self.error.clone().map(|m| view! { <p class="field__error" id=self.error_id()>{m}</p> })}
        }
    }
}

#[component]
pub fn QuestionField(
    question: Question,
    answers: Answers,
    communes: Vec<(String, String)>,
    error: Option<String>,
    from_identity: bool,
) -> impl IntoView {
    let text = FieldText::new(&question, error, from_identity);
    match question.kind.clone() {
        QuestionKind::Choice { options } => {
            let chosen = answers.get(&question.id).cloned().unwrap_or_default();
            view! { <ChoiceField text key=question.id options chosen /> }.into_any()
        }
        QuestionKind::Address => view! { <AddressField text question answers communes /> }.into_any(),
        QuestionKind::Date { .. } => view! { <DateField text question answers /> }.into_any(),
        _ => view! { <InputField text question answers /> }.into_any(),
    }
}

/// One of a few answers, as radio buttons.
#[component]
fn ChoiceField(text: FieldText, key: String, options: Vec<String>, chosen: String) -> impl IntoView {
    let has_error = text.error.is_some();
    view! {
        <fieldset class="field" class:field--error=has_error aria-describedby=text.described_by()>
            <legend>{text.label_text()}</legend>
            {text.hint_and_error()}
            <div class="choices">
                {options
                    .into_iter()
                    .enumerate()
                    .map(|(i, option)| {
                        let option_id = format!("{}-{i}", text.id);
                        view! {
                            <div class="choice">
                                <input type="radio" id=option_id.clone() name=field_name(&key) value=option.clone() checked=chosen == option />
                                <label for=option_id lang="vi">{option.clone()}</label>
                            </div>
                        }
                    })
                    .collect_view()}
            </div>
        </fieldset>
    }
}

/// A commune of the province and the street address in it.
#[component]
fn AddressField(
    text: FieldText,
    question: Question,
    answers: Answers,
    communes: Vec<(String, String)>,
) -> impl IntoView {
    let (commune_key, street_key) = (question.commune_key(), question.street_key());
    let value = |key: &str| answers.get(key).cloned().unwrap_or_default();
    let chosen = value(&commune_key);
    let has_error = text.error.is_some();
    view! {
        <fieldset class="field" class:field--error=has_error aria-describedby=text.described_by()>
            <legend>{text.label_text()}</legend>
            {text.hint_and_error()}
            <label for=input_id(&commune_key) class="sub-label">{tr("dossier.commune")}</label>
            <select id=input_id(&commune_key) name=field_name(&commune_key) aria-invalid=text.invalid()>
                <option value="">{tr("dossier.choose")}</option>
                {communes
                    .into_iter()
                    .map(|(identifier, name)| {
                        let selected = identifier == chosen;
                        view! { <option value=identifier selected=selected lang="vi">{name}</option> }
                    })
                    .collect_view()}
            </select>
            <label for=input_id(&street_key) class="sub-label">{tr("dossier.street")}</label>
            <input type="text" id=input_id(&street_key) name=field_name(&street_key) value=value(&street_key) maxlength="200" autocomplete="address-line1" />
        </fieldset>
    }
}

/// A date as three boxes, day, month and year, with numeric keyboards: quicker than a calendar
/// for a birth in 1992, and the same on every browser.
#[component]
fn DateField(text: FieldText, question: Question, answers: Answers) -> impl IntoView {
    let boxes = date_boxes(answers.get(&question.id).map(String::as_str).unwrap_or_default());
    let example_id = format!("{}-vi-du", text.id);
    let described_by =
        [Some(example_id.clone()), text.described_by()].into_iter().flatten().collect::<Vec<_>>().join(" ");
    let has_error = text.error.is_some();
    view! {
        <fieldset class="field" class:field--error=has_error aria-describedby=described_by>
            <legend>{text.label_text()}</legend>
            <p class="hint" id=example_id>{tr("form.date.example")}</p>
            {text.hint_and_error()}
            <div class="date-input">
                {DATE_PARTS
                    .into_iter()
                    .zip(boxes)
                    .map(|((suffix, label, width), value)| {
                        let key = format!("{}.{suffix}", question.id);
                        view! {
                            <div class="date-input__item">
                                <label for=input_id(&key)>{tr(label)}</label>
                                <input type="text" id=input_id(&key) name=field_name(&key) value=value
                                    inputmode="numeric" maxlength=width class=format!("input--{width}ch")
                                    aria-invalid=text.invalid() />
                            </div>
                        }
                    })
                    .collect_view()}
            </div>
        </fieldset>
    }
}

/// How a one-line input asks for its kind of answer.
struct InputShape {
    input_type: &'static str,
    inputmode: Option<&'static str>,
    autocomplete: Option<&'static str>,
    maxlength: Option<u32>,
    /// Digits and dates get a narrow box.
    short: bool,
}

fn input_shape(kind: &QuestionKind) -> InputShape {
    let shape = |input_type, inputmode, autocomplete, maxlength, short| InputShape {
        input_type,
        inputmode,
        autocomplete,
        maxlength,
        short,
    };
    match kind {
        QuestionKind::Number { .. } => shape("text", Some("numeric"), Some("off"), Some(6), true),
        QuestionKind::IdNumber => shape("text", Some("numeric"), Some("off"), Some(12), true),
        QuestionKind::Phone => shape("tel", Some("tel"), Some("tel"), Some(20), false),
        QuestionKind::Text { max_length } => shape("text", None, None, Some(*max_length), false),
        QuestionKind::Choice { .. }
        | QuestionKind::Address
        | QuestionKind::Date { .. }
        | QuestionKind::Document { .. } => shape("text", None, None, None, false),
    }
}

/// Text, number, identity number or phone number: one input.
#[component]
fn InputField(text: FieldText, question: Question, answers: Answers) -> impl IntoView {
    let shown = answers.get(&question.id).cloned().unwrap_or_default();
    let shape = input_shape(&question.kind);
    let has_error = text.error.is_some();
    view! {
        <div class="field" class:field--error=has_error>
            <label for=text.id.clone()>{text.label_text()}</label>
            {text.hint_and_error()}
            <input
                type=shape.input_type
                id=text.id.clone()
                name=field_name(&question.id)
                value=shown
                inputmode=shape.inputmode
                autocomplete=shape.autocomplete
                maxlength=shape.maxlength
                class:input--short=shape.short
                aria-describedby=text.described_by()
                aria-invalid=text.invalid()
            />
        </div>
    }
}
