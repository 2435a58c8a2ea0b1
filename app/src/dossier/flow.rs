//! The server side of the flow's server functions: authenticate, authorise (a citizen only
//! ever reaches their own drafts), validate, call one database function, redirect.

use super::db::{self, Draft};
use super::{
    AgencyChoice, CheckRow, CheckSection, CheckView, DraftStep, FileView, MyDossiers, ReceiptView, StepBody, StepLink,
};
use crate::auth::citizen as identity;
use crate::domain::application_form::{Answers, ApplicationForm, Context, FormPage, QuestionKind};
use crate::domain::identity_prefill::{asserted_answers, is_from_identity, prefilled, IdentityFacts};
use crate::domain::phone::PhoneNumber;
use crate::error::AppError;
use crate::i18n::tr;
use crate::routes::{sign_in_url, step_url, AGENCY_STEP, CHECK_STEP, FROM_CHECK};
use crate::state::with_db;
use std::collections::HashMap;
use uuid::Uuid;

fn parse_id(raw: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(raw).map_err(|_| AppError::NotFound("hồ sơ".into()))
}

/// Who is filling the draft in: its applicant, or an officer at the counter for them.
struct Applicant {
    citizen: identity::Citizen,
    /// The officer filling in a counter draft.
    assisting: bool,
}

/// The signed-in citizen, or else a signed-in intake officer who started this draft at the
/// counter (acting for its applicant). Anyone else must sign in.
async fn applicant_for(draft_id: Uuid) -> Result<Applicant, AppError> {
    if let Some(citizen) = identity::current_citizen().await? {
        return Ok(Applicant { citizen, assisting: false });
    }
    let staff = match crate::auth::staff::require_role(crate::domain::dossier_status::Role::Intake).await {
        Ok(staff) => staff,
        Err(AppError::StaffSignInRequired) => return Err(AppError::SignInRequired),
        Err(other) => return Err(other),
    };
    let (id, phone) = with_db(move |pool| async move { db::assisted_applicant(&pool, draft_id, staff.id).await })
        .await?
        .ok_or_else(|| AppError::NotFound("hồ sơ".into()))?;
    Ok(Applicant {
        citizen: identity::Citizen {
            id,
            phone: PhoneNumber::from_stored(phone),
            assurance: identity::Assurance::Phone,
        },
        assisting: true,
    })
}

async fn own_draft(raw_id: &str) -> Result<(identity::Citizen, Draft), AppError> {
    let draft_id = parse_id(raw_id)?;
    let citizen = applicant_for(draft_id).await?.citizen;
    let citizen_id = citizen.id;
    let draft = with_db(move |pool| async move {
        let mut conn = pool.acquire().await?;
        db::load_draft(&mut conn, draft_id, citizen_id).await
    })
    .await?
    .ok_or_else(|| AppError::NotFound("hồ sơ".into()))?;
    Ok((citizen, draft))
}

/// The draft's steps: every page, or during a supplement round only the documents asked for.
fn steps(draft: &Draft) -> Vec<StepLink> {
    let agency = StepLink { id: AGENCY_STEP.into(), title: tr("dossier.step.agency") };
    let check = StepLink { id: CHECK_STEP.into(), title: tr("dossier.step.check") };
    let pages = draft.form.shown_pages(&draft.answers).map(|p| StepLink { id: p.id.clone(), title: p.title.clone() });
    match &draft.supplement {
        None => std::iter::once(agency).chain(pages).chain(std::iter::once(check)).collect(),
        Some(_) => pages.filter(|p| is_supplement_step(draft, &p.id)).chain(std::iter::once(check)).collect(),
    }
}

/// Whether the step is a document the desk asked to supplement.
fn is_supplement_step(draft: &Draft, step: &str) -> bool {
    draft.supplement.as_ref().is_some_and(|open| {
        draft
            .form
            .page(step)
            .is_some_and(|(_, page)| page.is_document_page() && open.documents.contains(&page.questions[0].id))
    })
}

/// During a supplement round only the documents asked for may change.
fn may_edit(draft: &Draft, step: &str) -> Result<(), AppError> {
    if draft.supplement.is_some() && !is_supplement_step(draft, step) {
        return Err(AppError::NotFound("bước".into()));
    }
    Ok(())
}

/// The code of the submitted dossier, unless the draft is open for a supplement.
fn submitted_code(draft: &Draft) -> Option<String> {
    draft.dossier_code.clone().filter(|_| draft.supplement.is_none())
}

fn today() -> chrono::NaiveDate {
    crate::filed::clock::vietnam_time(chrono::Utc::now()).date()
}

pub async fn start_draft(code: String) -> Result<(), AppError> {
    let Some(citizen) = identity::current_citizen().await? else {
        // Filing starts as soon as they have signed in: no second "Bắt đầu".
        session_insert(PENDING_START_KEY, &code).await?;
        leptos_axum::redirect(&sign_in_url(&crate::routes::resume_start_url(&code)));
        return Ok(());
    };
    open_new_draft(citizen, code).await
}

/// Where the visitor stands before a procedure filed online only with the national identity.
pub async fn identity_needed() -> Result<super::IdentityNeeded, AppError> {
    if leptos::prelude::use_context::<crate::auth::national_id::Provider>().is_none() {
        return Ok(super::IdentityNeeded::Unavailable);
    }
    let signed_in =
        identity::current_citizen().await?.is_some_and(|c| c.assurance == identity::Assurance::NationalIdentity);
    Ok(if signed_in { super::IdentityNeeded::SignedIn } else { super::IdentityNeeded::NotSignedIn })
}

/// The procedure a signed-out visitor asked to start filing, kept in their session.
const PENDING_START_KEY: &str = "start_after_sign_in";

async fn session_insert(key: &str, value: &str) -> Result<(), AppError> {
    crate::auth::session().await?.insert(key, value).await.map_err(|_| AppError::Unavailable)
}

/// Back from sign-in: the start the citizen asked for, once. Anything else (an old link, a
/// link from someone else) shows the procedure's start page, where "Bắt đầu" is a POST.
pub async fn resume_start(code: String) -> Result<(), AppError> {
    let citizen = identity::require_citizen().await?;
    let pending: Option<String> =
        crate::auth::session().await?.remove(PENDING_START_KEY).await.map_err(|_| AppError::Unavailable)?;
    if pending.as_deref() != Some(code.as_str()) {
        leptos_axum::redirect(&crate::routes::start_filing_url(&code));
        return Ok(());
    }
    open_new_draft(citizen, code).await
}

async fn open_new_draft(citizen: identity::Citizen, code: String) -> Result<(), AppError> {
    let lookup = code.clone();
    let (version, needs_identity) = with_db(move |pool| async move { db::current_form(&pool, &lookup).await })
        .await?
        .ok_or_else(|| AppError::NotFound("thủ tục".into()))?;
    if needs_identity && citizen.assurance != identity::Assurance::NationalIdentity {
        // The start page says why and offers the sign-in.
        leptos_axum::redirect(&crate::routes::start_filing_url(&code));
        return Ok(());
    }
    let draft = with_db(move |pool| async move { db::create_draft(&pool, citizen.id, version).await }).await?;
    match draft {
        Some(draft) => leptos_axum::redirect(&step_url(&draft.to_string(), AGENCY_STEP)),
        None => leptos_axum::redirect(&format!("{}?gioi-han=nhap#gioi-han", crate::routes::MY_DOSSIERS_PATH)),
    }
    Ok(())
}

pub async fn draft_step(
    draft: String,
    step: String,
    show_errors: bool,
    upload: Option<String>,
) -> Result<DraftStep, AppError> {
    let (citizen, draft) = own_draft(&draft).await?;
    let steps = steps(&draft);
    let index = steps
        .iter()
        .position(|s| s.id == step && s.id != CHECK_STEP)
        .ok_or_else(|| AppError::NotFound("bước".into()))?;
    let body = if step == AGENCY_STEP {
        let options = with_db(|pool| async move { db::receiving_agencies(&pool).await }).await?;
        StepBody::Agency {
            options: options.into_iter().map(|a| AgencyChoice { id: a.id, name: a.name }).collect(),
            chosen: draft.receiving_agency_id,
            missing: show_errors && draft.receiving_agency_id.is_none(),
        }
    } else {
        let (_, page) = draft.form.page(&step).ok_or_else(|| AppError::NotFound("bước".into()))?;
        page_body(&citizen, &draft, page.clone(), show_errors, upload).await?
    };
    let (submitted_code, supplement_note) = (submitted_code(&draft), draft.supplement.as_ref().map(|s| s.note.clone()));
    Ok(DraftStep {
        draft_id: draft.id.to_string(),
        procedure_code: draft.procedure_code,
        procedure_name: draft.procedure_name,
        steps,
        index,
        body,
        submitted_code,
        supplement_note,
        at_counter: draft.at_counter,
    })
}

async fn page_body(
    citizen: &identity::Citizen,
    draft: &Draft,
    page: FormPage,
    show_errors: bool,
    upload: Option<String>,
) -> Result<StepBody, AppError> {
    let communes = communes().await?;
    let files = draft.file_counts();
    let identifiers: Vec<String> = communes.iter().map(|c| c.identifier.clone()).collect();
    let errors = if show_errors {
        page.validate(&draft.answers, &Context { today: today(), communes: &identifiers, files: &files })
    } else {
        Vec::new()
    };
    if let Some(QuestionKind::Document { document }) =
        page.questions.first().map(|q| &q.kind).filter(|_| page.is_document_page())
    {
        let (version, position) = (draft.version_id, *document as i16);
        let document_name = with_db(move |pool| async move { db::required_document(&pool, version, position).await })
            .await?
            .unwrap_or_default();
        let question = &page.questions[0].id;
        let error = upload
            .as_deref()
            .and_then(super::upload::Rejected::from_slug)
            .map(|r| tr(&format!("upload.error.{}", r.slug())))
            .or_else(|| errors.first().map(|e| e.message.show()));
        let files = draft.files.iter().filter(|f| &f.question_id == question).enumerate().map(file_view).collect();
        return Ok(StepBody::Document { page, document_name, files, error });
    }
    let communes: Vec<(String, String)> = communes.into_iter().map(|c| (c.identifier, c.name)).collect();
    let asserted = match identity_facts(citizen).await? {
        Some(facts) => asserted_answers(&draft.form, &page, &facts, &draft.answers, &communes),
        None => Answers::new(),
    };
    let answers = prefilled(&page, &asserted, &draft.answers);
    let from_identity =
        page.questions.iter().filter(|q| is_from_identity(q, &asserted, &answers)).map(|q| q.id.clone()).collect();
    Ok(StepBody::Questions { page, answers, communes, errors, from_identity })
}

/// What the national digital identity asserted about the applicant, when they signed in with
/// it in this session (a phone sign-in never shows it, nor does an officer at the counter).
async fn identity_facts(citizen: &identity::Citizen) -> Result<Option<IdentityFacts>, AppError> {
    if citizen.assurance != identity::Assurance::NationalIdentity {
        return Ok(None);
    }
    let citizen_id = citizen.id;
    with_db(move |pool| async move { identity::identity_facts(&pool, citizen_id).await }).await
}

fn file_view((index, file): (usize, &db::DraftFile)) -> FileView {
    let (n, kb) = ((index + 1).to_string(), ((i64::from(file.size_bytes) + 1023) / 1024).to_string());
    let label = if file.content_type == "application/pdf" {
        let pages = file.page_count.unwrap_or(1).to_string();
        crate::i18n::tr_with("dossier.file_pdf", &[("n", &n), ("pages", &pages), ("kb", &kb)])
    } else {
        crate::i18n::tr_with("dossier.file_photo", &[("n", &n), ("kb", &kb)])
    };
    FileView { id: file.id.to_string(), label }
}

pub async fn save_step(
    draft: String,
    step: String,
    submitted: HashMap<String, String>,
    agency: Option<String>,
    di: Option<String>,
    tu: Option<String>,
) -> Result<(), AppError> {
    let (citizen, draft) = match own_draft(&draft).await {
        Err(AppError::SignInRequired) => return redirect_to_sign_in(&step_url(&draft, &step)),
        other => other?,
    };
    let draft_key = draft.id.to_string();
    may_edit(&draft, &step)?;
    let (answers, agency_id) = if step == AGENCY_STEP {
        (Answers::new(), agency.and_then(|a| a.parse::<i64>().ok()))
    } else {
        let (_, page) = draft.form.page(&step).ok_or_else(|| AppError::NotFound("bước".into()))?;
        (ApplicationForm::answers_for_page(page, &submitted.into_iter().collect()), None)
    };
    let (draft_id, citizen_id) = (draft.id, citizen.id);
    let saved =
        with_db(move |pool| async move { db::save_answers(&pool, draft_id, citizen_id, &answers, agency_id).await })
            .await?;
    if !saved {
        // Submitted meanwhile (another tab, a double tap): show what became of it.
        leptos_axum::redirect(&step_url(&draft_key, CHECK_STEP));
        return Ok(());
    }
    go_on(&draft_key, &step, di.as_deref() == Some("luu"), tu.as_deref() == Some(FROM_CHECK)).await
}

/// After a page is saved: to the list when the applicant leaves, else to the next step (or back
/// to check answers) once the page is complete, or back to the page with its errors.
async fn go_on(draft_key: &str, step: &str, leave: bool, from_check: bool) -> Result<(), AppError> {
    if leave {
        let list = if identity::current_citizen().await?.is_some() {
            crate::routes::MY_DOSSIERS_PATH
        } else {
            crate::routes::ASSIST_PATH
        };
        leptos_axum::redirect(&format!("{list}?da-luu=1"));
        return Ok(());
    }
    let (_, fresh) = own_draft(draft_key).await?;
    let next = if step_is_complete(&fresh, step).await? {
        let steps = steps(&fresh);
        let here = steps.iter().position(|s| s.id == step).unwrap_or(0);
        let next = if from_check { CHECK_STEP } else { steps[(here + 1).min(steps.len() - 1)].id.as_str() };
        step_url(draft_key, next)
    } else {
        let back = if from_check { "&tu=kiem-tra" } else { "" };
        format!("{}?loi=1{back}#loi", step_url(draft_key, step))
    };
    leptos_axum::redirect(&next);
    Ok(())
}

async fn step_is_complete(draft: &Draft, step: &str) -> Result<bool, AppError> {
    if step == AGENCY_STEP {
        return Ok(draft.receiving_agency_id.is_some());
    }
    let Some((_, page)) = draft.form.page(step) else { return Ok(false) };
    let communes = commune_identifiers().await?;
    let files = draft.file_counts();
    Ok(page.validate(&draft.answers, &Context { today: today(), communes: &communes, files: &files }).is_empty())
}

async fn communes() -> Result<Vec<db::AgencyOption>, AppError> {
    with_db(|pool| async move {
        let mut conn = pool.acquire().await?;
        db::communes(&mut conn).await
    })
    .await
}

async fn commune_identifiers() -> Result<Vec<String>, AppError> {
    Ok(communes().await?.into_iter().map(|c| c.identifier).collect())
}

fn redirect_to_sign_in(back: &str) -> Result<(), AppError> {
    leptos_axum::redirect(&sign_in_url(back));
    Ok(())
}

pub async fn upload_document(data: server_fn::codec::MultipartData) -> Result<(), AppError> {
    let query =
        leptos_axum::extract::<axum::extract::Query<HashMap<String, String>>>().await.map(|q| q.0).unwrap_or_default();
    let (raw_draft, step) =
        (query.get("nhap").cloned().unwrap_or_default(), query.get("buoc").cloned().unwrap_or_default());
    let (citizen, draft) = match own_draft(&raw_draft).await {
        Err(AppError::SignInRequired) => return redirect_to_sign_in(&step_url(&raw_draft, &step)),
        other => other?,
    };
    may_edit(&draft, &step)?;
    let question = match draft.form.page(&step) {
        Some((_, page)) if page.is_document_page() => page.questions[0].id.clone(),
        _ => return Err(AppError::NotFound("bước".into())),
    };
    let outcome = super::files::receive_uploads(data, &draft, citizen.id, &question).await;
    let draft_key = draft.id.to_string();
    let here = step_url(&draft_key, &step);
    // "Tiếp tục" and "Lưu và thoát" post the page's files too, so a chosen file is never left
    // behind: saved, or the page comes back saying why not.
    let going_on = matches!(query.get("di").map(String::as_str), Some("tiep" | "luu"));
    let from_check = query.get("tu").map(String::as_str) == Some(FROM_CHECK);
    let back = if from_check { format!("&tu={FROM_CHECK}") } else { String::new() };
    match outcome {
        Ok(()) | Err(super::upload::Rejected::NoFile) if going_on => {
            go_on(&draft_key, &step, query.get("di").map(String::as_str) == Some("luu"), from_check).await
        }
        Ok(()) => {
            leptos_axum::redirect(&format!("{here}?tai-len=da-nhan{back}#tai-len"));
            Ok(())
        }
        Err(rejected) => {
            leptos_axum::redirect(&format!("{here}?tai-len={}{back}#tai-len", rejected.slug()));
            Ok(())
        }
    }
}

pub async fn remove_document(draft: String, step: String, file: String) -> Result<(), AppError> {
    let (draft_id, file_id) = (parse_id(&draft)?, parse_id(&file)?);
    // Only used to come back to the page: keep it to the characters a step id has.
    let step: String = step.chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_')).collect();
    let back = step_url(&draft_id.to_string(), &step);
    let citizen = match applicant_for(draft_id).await {
        Err(AppError::SignInRequired) => return redirect_to_sign_in(&back),
        other => other?.citizen,
    };
    let key = with_db(move |pool| async move { db::detach_file(&pool, draft_id, file_id, citizen.id).await }).await?;
    if let Some(key) = key {
        super::files::forget(&key).await;
    }
    leptos_axum::redirect(&format!("{back}#tai-len"));
    Ok(())
}

pub async fn check_answers(draft: String) -> Result<CheckView, AppError> {
    let (citizen, draft) = own_draft(&draft).await?;
    if let Some(open) = &draft.supplement {
        return Ok(supplement_check(&draft, open));
    }
    let communes = communes().await?;
    let agencies = with_db(|pool| async move { db::receiving_agencies(&pool).await }).await?;
    let identifiers: Vec<String> = communes.iter().map(|c| c.identifier.clone()).collect();
    let files = draft.file_counts();
    let context = Context { today: today(), communes: &identifiers, files: &files };
    let steps = steps(&draft);
    let mut incomplete: Vec<(StepLink, String)> = Vec::new();
    let agency_name =
        draft.receiving_agency_id.and_then(|id| agencies.iter().find(|a| a.id == id)).map(|a| a.name.clone());
    if agency_name.is_none() {
        incomplete.push((steps[0].clone(), tr("dossier.agency_missing")));
    }
    for (page_id, errors) in draft.form.validate_all(&draft.answers, &context) {
        if let Some(step) = steps.iter().find(|s| s.id == page_id) {
            incomplete.push((step.clone(), errors[0].message.show()));
        }
    }
    let mut sections = vec![CheckSection {
        step: steps[0].clone(),
        rows: vec![CheckRow::new(tr("dossier.step.agency"), agency_name.unwrap_or_default())],
    }];
    let communes: Vec<(String, String)> = communes.into_iter().map(|c| (c.identifier, c.name)).collect();
    let files = draft.file_counts();
    let facts = identity_facts(&citizen).await?;
    for (page, step) in draft.form.shown_pages(&draft.answers).zip(steps.iter().skip(1)) {
        let asserted = facts
            .as_ref()
            .map(|facts| asserted_answers(&draft.form, page, facts, &draft.answers, &communes))
            .unwrap_or_default();
        let rows = page
            .questions
            .iter()
            .map(|q| {
                let count = files.get(&q.id).copied().unwrap_or(0);
                let row = CheckRow::of(q, super::shown_answer(q, &draft.answers, &communes, count));
                CheckRow { from_identity: is_from_identity(q, &asserted, &draft.answers), ..row }
            })
            .collect();
        sections.push(CheckSection { step: step.clone(), rows });
    }
    let fee = fee_due(&draft).await?;
    Ok(CheckView {
        draft_id: draft.id.to_string(),
        procedure_code: draft.procedure_code,
        procedure_name: draft.procedure_name,
        sections,
        incomplete,
        fee: Some(fee),
        submitted_code: draft.dossier_code,
        supplement_note: None,
    })
}

async fn fee_due(draft: &Draft) -> Result<crate::domain::fee::FeeDue, AppError> {
    let copies = draft.form.copies(&draft.answers);
    let (version, channel, case_no) = (draft.version_id, draft.channel(), draft.form.case_no(&draft.answers));
    with_db(move |pool| async move { crate::filed::fees::due(&pool, version, channel, case_no, copies).await }).await
}

/// The check page of a supplement round: each document asked for and the files added since.
fn supplement_check(draft: &Draft, open: &db::OpenSupplement) -> CheckView {
    let mut sections = Vec::new();
    let mut incomplete = Vec::new();
    for step in steps(draft).into_iter().filter(|s| s.id != CHECK_STEP) {
        let Some((_, page)) = draft.form.page(&step.id) else { continue };
        let question = &page.questions[0];
        let added =
            draft.files.iter().filter(|f| f.question_id == question.id && f.created_at > open.requested_at).count();
        if added == 0 {
            incomplete.push((step.clone(), tr("dossier.supplement_missing")));
        }
        let shown = if added == 0 { String::new() } else { format!("{added} tệp mới") };
        sections.push(CheckSection { step, rows: vec![CheckRow::of(question, shown)] });
    }
    CheckView {
        draft_id: draft.id.to_string(),
        procedure_code: draft.procedure_code.clone(),
        procedure_name: draft.procedure_name.clone(),
        sections,
        incomplete,
        fee: None,
        submitted_code: None,
        supplement_note: Some(open.note.clone()),
    }
}

/// Sends the documents the desk asked for; back to the dossier's page.
pub async fn submit_supplement(draft: String) -> Result<(), AppError> {
    let check_page = step_url(&draft, CHECK_STEP);
    let citizen = match identity::require_citizen().await {
        Err(AppError::SignInRequired) => return redirect_to_sign_in(&check_page),
        other => other?,
    };
    let draft_id = parse_id(&draft)?;
    let origin = crate::state::public_origin();
    let outcome =
        with_db(move |pool| async move { db::record_supplement(&pool, draft_id, citizen.id, &origin).await }).await?;
    let next = match outcome {
        db::Supplemented::Done(code) => format!("{}?da-bo-sung=1", crate::routes::receipt_url(&code)),
        db::Supplemented::Missing(_) => format!("{check_page}?loi=chua-du#loi"),
        db::Supplemented::NothingOpen => crate::routes::MY_DOSSIERS_PATH.to_owned(),
    };
    leptos_axum::redirect(&next);
    Ok(())
}

pub async fn submit_dossier(draft: String, declared: bool) -> Result<(), AppError> {
    let check_page = step_url(&draft, CHECK_STEP);
    let draft_id = parse_id(&draft)?;
    let Applicant { citizen, assisting } = match applicant_for(draft_id).await {
        Err(AppError::SignInRequired) => return redirect_to_sign_in(&check_page),
        other => other?,
    };
    if !declared {
        leptos_axum::redirect(&format!("{check_page}?loi=cam-doan#loi"));
        return Ok(());
    }
    if !assisting && citizen.assurance != identity::Assurance::NationalIdentity {
        let citizen_id = citizen.id;
        let needs_identity =
            with_db(move |pool| async move { db::draft_needs_national_identity(&pool, draft_id, citizen_id).await })
                .await?;
        if needs_identity {
            leptos_axum::redirect(&format!("{check_page}?loi=dinh-danh#loi"));
            return Ok(());
        }
    }
    let (phone, origin) = (citizen.phone.to_string(), crate::state::public_origin());
    let identified_by = match citizen.assurance {
        identity::Assurance::NationalIdentity => crate::filed::record::IdentifiedBy::NationalIdentity,
        identity::Assurance::Phone => crate::filed::record::IdentifiedBy::Phone,
    };
    let outcome = with_db(move |pool| async move {
        let filer = db::Filer { citizen_id: citizen.id, phone: &phone, identified_by };
        db::submit(&pool, draft_id, &filer, &origin).await
    })
    .await?;
    let next = match outcome {
        db::Submitted::Dossier(code) if assisting => crate::routes::desk_dossier_url(&code),
        db::Submitted::Dossier(code) => crate::routes::receipt_url(&code),
        db::Submitted::Incomplete => format!("{check_page}?loi=chua-du#loi"),
        db::Submitted::TooMany => format!("{check_page}?loi=gioi-han#loi"),
        db::Submitted::NumbersUsedUp => format!("{check_page}?loi=het-so#loi"),
        db::Submitted::Gone => return Err(AppError::NotFound("hồ sơ".into())),
    };
    leptos_axum::redirect(&next);
    Ok(())
}

/// The citizen removes a draft they will not send, with its files. A draft already gone (a
/// second tap) or not theirs changes nothing and says nothing.
pub async fn delete_draft(draft: String) -> Result<(), AppError> {
    let citizen = identity::require_citizen().await?;
    let deleted = match Uuid::parse_str(&draft) {
        Ok(draft_id) => {
            with_db(move |pool| async move { db::delete_own_draft(&pool, draft_id, citizen.id).await }).await?
        }
        Err(_) => None,
    };
    let Some(keys) = deleted else {
        leptos_axum::redirect(crate::routes::MY_DOSSIERS_PATH);
        return Ok(());
    };
    for key in keys {
        super::files::forget(&key).await;
    }
    leptos_axum::redirect(&format!("{}?da-xoa=1", crate::routes::MY_DOSSIERS_PATH));
    Ok(())
}

pub async fn my_dossiers() -> Result<MyDossiers, AppError> {
    let citizen = identity::require_citizen().await?;
    with_db(move |pool| async move {
        Ok(MyDossiers {
            drafts: db::my_drafts(&pool, citizen.id).await?,
            dossiers: db::my_dossiers(&pool, citizen.id).await?,
            email: crate::auth::citizen::notification_email(&pool, citizen.id).await?,
        })
    })
    .await
}

pub async fn dossier_receipt(code: String) -> Result<ReceiptView, AppError> {
    let citizen = identity::require_citizen().await?;
    let lookup = code.clone();
    let mut receipt = with_db(move |pool| async move { db::receipt(&pool, &lookup, citizen.id).await })
        .await?
        .ok_or_else(|| AppError::NotFound("hồ sơ".into()))?;
    receipt.qr_svg =
        crate::ui::qr_svg(&format!("{}{}", crate::state::public_origin(), crate::routes::tracking_url(&receipt.code)));
    Ok(receipt)
}
