//! One step of the flow: the receiving agency, a page of questions, or a document to attach.

use super::fields::QuestionField;
use super::photo::DocumentFileInput;
use super::{on_error, Hidden};
use crate::domain::application_form::{FieldError, FormPage};
use crate::dossier::api::{load_draft_step, RemoveDocument, SaveStep, UploadDocument};
use crate::dossier::{AgencyChoice, DraftStep, FileView, StepBody};
use crate::i18n::{tr, tr_with};
use crate::routes::{step_url, CHECK_STEP, FILES_PATH, FROM_CHECK};
use crate::ui::ErrorSummary;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn DraftStepPage() -> impl IntoView {
    let params = use_params_map().read_untracked().clone();
    let query = use_query_map().read_untracked().clone();
    let (draft, step) = (params.get("draft").unwrap_or_default(), params.get("step").unwrap_or_default());
    let show_errors = query.get("loi").is_some();
    let upload = query.get("tai-len");
    let from_check = query.get("tu").is_some_and(|t| t == FROM_CHECK);
    if step == CHECK_STEP {
        return view! { <crate::dossier::pages::check::CheckPage /> }.into_any();
    }
    // Document steps carry the photo-shrinking island; the step is known only after loading,
    // and the scripts are decided before that, so every form step declares it.
    crate::islands::page_has_islands();
    let here = step_url(&draft, &step);
    view! {
        <Suspense fallback=|| ()>
            {Suspend::new(async move {
                match load_draft_step(draft, step, show_errors, upload.clone()).await {
                    Ok(data) => view! { <Step data from_check upload_ok=upload.is_some_and(|u| u == "da-nhan") /> }.into_any(),
                    Err(error) => on_error(error, &here),
                }
            })}
        </Suspense>
    }
    .into_any()
}

#[component]
fn Step(data: DraftStep, from_check: bool, upload_ok: bool) -> impl IntoView {
    let DraftStep {
        draft_id,
        procedure_code,
        procedure_name,
        steps,
        index,
        body,
        submitted_code,
        supplement_note,
        at_counter,
    } = data;
    let title = steps[index].title.clone();
    // From the first step, back to where filing started: the procedure's start page, or the
    // counter's page for an officer.
    let back = match (from_check, index) {
        (true, _) => step_url(&draft_id, CHECK_STEP),
        (false, 0) if at_counter => crate::routes::ASSIST_PATH.to_owned(),
        (false, 0) => crate::routes::start_filing_url(&procedure_code),
        (false, _) => step_url(&draft_id, &steps[index - 1].id),
    };
    let progress = tr_with("dossier.progress", &[("n", &(index + 1).to_string()), ("total", &steps.len().to_string())]);
    let step_id = steps[index].id.clone();
    view! {
        <Title text=format!("{title} · {procedure_name}") />
        <p class="back-link"><a href=back>{tr("dossier.back")}</a></p>
        {submitted_code.map(|code| view! {
            <p class="notice" role="status">
                {tr("dossier.already_submitted")} " "
                <a href=crate::routes::receipt_url(&code)>{code.clone()}</a>
            </p>
        })}
        {supplement_note.map(|note| view! {
            <div class="notice">
                <p><strong>{tr("dossier.supplement_title")}</strong></p>
                <p>{note}</p>
            </div>
        })}
        <p class="progress">
            <span class="progress__label">{progress}</span>
            " · " <span lang="vi">{procedure_name}</span>
        </p>
        {match body {
            StepBody::Agency { options, chosen, missing } => {
                view! { <AgencyStep draft_id step_id title options chosen missing from_check /> }.into_any()
            }
            StepBody::Questions { page, answers, communes, errors, from_identity } => {
                view! { <QuestionsStep draft_id page answers communes errors from_identity from_check /> }.into_any()
            }
            StepBody::Document { page, document_name, files, error } => {
                view! { <DocumentStep draft_id page document_name files error upload_ok from_check /> }.into_any()
            }
        }}
    }
}

/// Continue, or save and come back later. `upload_action`: on a document page both post the
/// chosen files to it, with what to do next in its query.
#[component]
fn Buttons(from_check: bool, #[prop(optional)] upload_action: Option<String>) -> impl IntoView {
    let next = if from_check { tr("dossier.save_and_check") } else { tr("dossier.continue") };
    let action = move |di: &str| upload_action.as_ref().map(|a| format!("{a}&di={di}"));
    view! {
        <div class="button-row">
            <button type="submit" name="di" value="tiep" class="button" formaction=action("tiep")>{next}</button>
            <button type="submit" name="di" value="luu" class="button button--secondary" formaction=action("luu")>
                {tr("dossier.save_and_leave")}
            </button>
        </div>
    }
}

#[component]
fn FlowForm(draft_id: String, step_id: String, from_check: bool, children: Children) -> impl IntoView {
    view! {
        <form method="post" action=SaveStep::PATH class="form" novalidate>
            <Hidden name="draft" value=draft_id />
            <Hidden name="step" value=step_id />
            {from_check.then(|| view! { <Hidden name="tu" value=FROM_CHECK.to_owned() /> })}
            {children()}
            <Buttons from_check />
        </form>
    }
}

#[component]
fn AgencyStep(
    draft_id: String,
    step_id: String,
    title: String,
    options: Vec<AgencyChoice>,
    chosen: Option<i64>,
    missing: bool,
    from_check: bool,
) -> impl IntoView {
    let error = tr("dossier.agency_missing");
    let summary = if missing { vec![("q-agency-0".to_owned(), error.clone())] } else { vec![] };
    view! {
        <ErrorSummary errors=summary />
        <FlowForm draft_id step_id from_check>
            <fieldset class="field" class:field--error=missing aria-describedby="q-agency-hint">
                <legend><h1>{title}</h1></legend>
                <p class="hint" id="q-agency-hint">{tr("dossier.agency_hint")}</p>
                {missing.then(|| view! { <p class="field__error">{error.clone()}</p> })}
                <div class="choices">
                    {options
                        .into_iter()
                        .enumerate()
                        .map(|(i, option)| {
                            let id = format!("q-agency-{i}");
                            view! {
                                <div class="choice">
                                    <input type="radio" id=id.clone() name="agency" value=option.id.to_string() checked=chosen == Some(option.id) />
                                    <label for=id lang="vi">{option.name}</label>
                                </div>
                            }
                        })
                        .collect_view()}
                </div>
            </fieldset>
        </FlowForm>
    }
}

#[component]
fn QuestionsStep(
    draft_id: String,
    page: FormPage,
    answers: crate::domain::application_form::Answers,
    communes: Vec<(String, String)>,
    errors: Vec<FieldError>,
    from_identity: Vec<String>,
    from_check: bool,
) -> impl IntoView {
    let summary = errors.iter().map(|e| (e.input.clone(), e.message.show())).collect();
    let step_id = page.id.clone();
    view! {
        <ErrorSummary errors=summary />
        <h1 lang="vi">{page.title.clone()}</h1>
        {page.intro.clone().map(|intro| view! { <p class="lead" lang="vi">{intro}</p> })}
        <FlowForm draft_id step_id from_check>
            {page
                .questions
                .into_iter()
                .map(|question| {
                    let error = errors.iter().find(|e| e.question_id == question.id).map(|e| e.message.show());
                    let from_identity = from_identity.contains(&question.id);
                    view! {
                        <QuestionField question answers=answers.clone() communes=communes.clone() error from_identity />
                    }
                })
                .collect_view()}
        </FlowForm>
    }
}

#[component]
fn DocumentStep(
    draft_id: String,
    page: FormPage,
    document_name: String,
    files: Vec<FileView>,
    error: Option<String>,
    upload_ok: bool,
    from_check: bool,
) -> impl IntoView {
    let question = page.questions[0].clone();
    let summary = error.iter().map(|m| ("q-tep".to_owned(), m.clone())).collect();
    let from = if from_check { format!("&tu={FROM_CHECK}") } else { String::new() };
    let upload_action = format!("{}?nhap={draft_id}&buoc={}{from}", UploadDocument::PATH, page.id);
    let has_error = error.is_some();
    let optional = !question.required;
    view! {
        <ErrorSummary errors=summary />
        <h1 lang="vi">{page.title.clone()}</h1>
        {page.intro.clone().map(|intro| view! { <p class="lead" lang="vi">{intro}</p> })}
        <p class="hint">{tr("dossier.document_is")} " " <span lang="vi">{document_name}</span></p>
        <section id="tai-len" aria-labelledby="da-tai-len">
            <h2 id="da-tai-len">{tr("dossier.uploaded")}</h2>
            {upload_ok.then(|| view! { <p class="notice notice--success" role="status">{tr("dossier.upload_ok")}</p> })}
            {files.is_empty().then(|| view! { <p>{tr("dossier.no_files")}</p> })}
            <ul class="file-list">
                {files
                    .into_iter()
                    .map(|file| {
                        view! {
                            <li>
                                <a href=format!("{FILES_PATH}/{}", file.id) target="_blank">{file.label.clone()}</a>
                                <form method="post" action=RemoveDocument::PATH class="inline-form">
                                    <Hidden name="draft" value=draft_id.clone() />
                                    <Hidden name="step" value=page.id.clone() />
                                    <Hidden name="file" value=file.id.clone() />
                                    <button type="submit" class="link-button">
                                        {tr("dossier.remove")}
                                        <span class="visually-hidden">" " {file.label}</span>
                                    </button>
                                </form>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
        <form method="post" action=upload_action enctype="multipart/form-data" class="form upload">
            <div class="field" class:field--error=has_error>
                <label for="q-tep"><span lang="vi">{question.label.clone()}</span> {optional.then(|| tr("dossier.optional"))}</label>
                {question.hint.clone().map(|hint| view! { <p class="hint" id="q-tep-goi-y" lang="vi">{hint}</p> })}
                {error.map(|m| view! { <p class="field__error">{m}</p> })}
                <DocumentFileInput
                    id="q-tep".to_owned()
                    multiple=true
                    camera=false
                    described_by=Some("q-tep-goi-y".to_owned())
                />
            </div>
            <div class="field">
                <label for="q-chup">{tr("dossier.take_photo")}</label>
                <DocumentFileInput
                    id="q-chup".to_owned()
                    multiple=false
                    camera=true
                    described_by=None
                />
            </div>
            <p class="hint">{tr("dossier.upload_hint")}</p>
            <button type="submit" class="button button--secondary">{tr("dossier.upload")}</button>
            <Buttons from_check upload_action=upload_action.clone() />
        </form>
    }
}
