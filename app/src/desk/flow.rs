//! The server side of the desk's server functions: authenticate the officer, authorise by role
//! and agency, check the form, run one transaction, redirect.

use super::db::{self, Acted, ActionContext, Refusal};
use super::{DeskDossier, DeskFile, DeskHome, Flash, Queue, QueueOrder, SupplementView};
use crate::auth::accounts::{self, PasswordChange, SignIn};
use crate::auth::staff::{self, Staff};
use crate::auth::StaffView;
use crate::domain::command::{self, ActionForm};
use crate::domain::dossier_status::{Action, Actor};
use crate::error::AppError;
use crate::filed::clock::{vietnam_time, work_calendar};
use crate::filed::events::audit_trail;
use crate::filed::record::FiledDossier;
use crate::filed::results::StoredResult;
use crate::i18n::Text;
use crate::routes::{desk_dossier_url, CHANGE_PASSWORD_PATH, DESK_PATH, STAFF_SIGN_IN_PATH};
use crate::state::with_db;
use chrono::{DateTime, NaiveDate, Utc};
use tower_sessions::Session;

const FLASH_KEY: &str = "desk_flash";
/// The assist form's `cach_nhan`: the citizen is at the counter, or the dossier came by post.
pub const COUNTER_RECEIPT: &str = "tai-quay";
pub const POST_RECEIPT: &str = "buu-chinh";

fn today() -> NaiveDate {
    vietnam_time(Utc::now()).date()
}

fn staff_view(staff: &Staff) -> StaffView {
    StaffView { full_name: staff.full_name.clone(), agency_name: staff.agency_name.clone(), roles: staff.roles.clone() }
}

pub async fn sign_in(username: String, password: String, return_to: String) -> Result<(), AppError> {
    let return_to = match crate::security::local_path(&return_to) {
        path if path.starts_with(DESK_PATH) => path,
        _ => DESK_PATH.to_owned(),
    };
    let typed: String = username.chars().take(40).collect();
    let outcome = accounts::sign_in(&typed, password, crate::security::client_address()).await?;
    let again = |slug: &str| {
        let query = form_urlencoded::Serializer::new(String::new())
            .append_pair("loi", slug)
            .append_pair("ten", &typed)
            .append_pair("tiep", &return_to)
            .finish();
        format!("{STAFF_SIGN_IN_PATH}?{query}")
    };
    let next = match outcome {
        SignIn::SignedIn { must_change_password: true } => CHANGE_PASSWORD_PATH.to_owned(),
        SignIn::SignedIn { must_change_password: false } => return_to,
        SignIn::CodeNeeded => {
            let query = form_urlencoded::Serializer::new(String::new()).append_pair("tiep", &return_to).finish();
            format!("{}?{query}", crate::routes::STAFF_CODE_PATH)
        }
        SignIn::Wrong => again("sai"),
        SignIn::TooManyAttempts => again("qua-nhieu"),
    };
    leptos_axum::redirect(&next);
    Ok(())
}

pub async fn change_password(current: String, new: String, repeated: String) -> Result<(), AppError> {
    let next = match accounts::change_password(current, new, repeated).await {
        Err(AppError::StaffSignInRequired) => STAFF_SIGN_IN_PATH.to_owned(),
        Err(other) => return Err(other),
        Ok(PasswordChange::Changed) => format!("{DESK_PATH}?da-doi-mat-khau=1"),
        Ok(problem) => {
            let slug = match problem {
                PasswordChange::WrongCurrent => "sai-mat-khau",
                PasswordChange::TooShort => "qua-ngan",
                PasswordChange::Mismatch => "khong-khop",
                PasswordChange::TooGuessable => "de-doan",
                _ => "trung-cu",
            };
            format!("{CHANGE_PASSWORD_PATH}?loi={slug}")
        }
    };
    leptos_axum::redirect(&next);
    Ok(())
}

/// The desk's home: the queue `queue` (or the results of `search`), sorted by `order`, page
/// `page` of it.
pub async fn home(
    queue: Option<String>,
    search: Option<String>,
    order: Option<String>,
    page: Option<String>,
) -> Result<DeskHome, AppError> {
    let staff = staff::require_staff().await?;
    let search: String = search.unwrap_or_default().trim().chars().take(100).collect();
    let queue =
        if search.is_empty() { Some(queue.as_deref().and_then(Queue::from_slug).unwrap_or(Queue::New)) } else { None };
    let order = order.as_deref().and_then(QueueOrder::from_slug).unwrap_or(QueueOrder::Due);
    // Bounded: an absurd page number costs one empty page, not a huge offset.
    let page = page.and_then(|p| p.trim().parse::<i64>().ok()).unwrap_or(1).clamp(1, 100_000);
    let agency = staff.agency_id;
    let today = today();
    let lookup = search.clone();
    let (counts, rows, total) = with_db(move |pool| async move {
        let mut tx = pool.begin().await?;
        let soon = work_calendar(&mut tx, today).await?.add_working_days(today, 1);
        tx.commit().await?;
        let counts = db::queue_counts(&pool, agency, today, soon).await?;
        let (rows, total) = match queue {
            Some(queue) => {
                let total = counts.iter().find(|(q, _)| *q == queue).map_or(0, |(_, n)| *n);
                (db::queue(&pool, agency, queue, (today, soon), order, page).await?, total)
            }
            None => {
                let phone = crate::domain::phone::PhoneNumber::parse(&lookup).ok().map(|p| p.to_string());
                let digits = lookup.chars().filter(|c| !c.is_whitespace()).collect::<String>();
                let id_number = (digits.len() == 12 && digits.bytes().all(|b| b.is_ascii_digit())).then_some(digits);
                let search = db::Search { typed: &lookup, phone: phone.as_deref(), id_number: id_number.as_deref() };
                db::search(&pool, agency, &search, today, (order, page)).await?
            }
        };
        Ok((counts, rows, total))
    })
    .await?;
    Ok(DeskHome { staff: staff_view(&staff), counts, queue, search, order, page, total, rows })
}

async fn visible_record(staff: &Staff, code: &str) -> Result<FiledDossier, AppError> {
    let (code, agency) = (code.to_owned(), staff.agency_id);
    with_db(move |pool| async move { crate::filed::record::visible(&pool, &code, agency).await })
        .await?
        .ok_or_else(|| AppError::NotFound("hồ sơ".into()))
}

pub async fn dossier(code: String, with_flash: bool) -> Result<DeskDossier, AppError> {
    let staff = staff::require_staff().await?;
    let record = visible_record(&staff, &code).await?;
    let flash = if with_flash { take_flash(&record.code).await? } else { None };
    let (id, draft_id, version, case_no) = (record.id, record.draft_id, record.version_id, record.case_no);
    let channel = record.channel.clone();
    let copies = record.form.copies(&record.answers);
    let accepted = record.clone();
    let agency = staff.agency_id;
    let (timeline, extras, fee, slip, payments) = with_db(move |pool| async move {
        let fee = crate::filed::fees::due(&pool, version, &channel, case_no, copies).await?;
        let slip = crate::filed::slip::receipt_slip(&pool, &accepted).await?;
        let payments = crate::filed::payments::fees(&pool, &accepted).await?;
        Ok((audit_trail(&pool, id).await?, db::extras(&pool, agency, id, draft_id).await?, fee, slip, payments))
    })
    .await?;
    let actions = crate::domain::dossier_status::ALL_ACTIONS
        .into_iter()
        .filter(|a| *a != Action::Supplement && record.allows(&staff, *a))
        .filter(|a| *a != Action::ApproveApology || extras.apology.as_ref().is_some_and(|a| !a.approved))
        .filter(|a| *a != Action::ProposeApology || extras.apology.as_ref().is_none_or(|a| a.approved))
        .collect();
    Ok(DeskDossier { slip, payments, ..view(&staff, record, extras, fee, timeline, actions, flash) })
}

fn format_time(at: DateTime<Utc>) -> String {
    vietnam_time(at).format("%H:%M %d/%m/%Y").to_string()
}

fn view(
    staff: &Staff,
    record: FiledDossier,
    extras: db::Extras,
    fee: crate::domain::fee::FeeDue,
    timeline: Vec<super::AuditEntry>,
    actions: Vec<Action>,
    flash: Option<Flash>,
) -> DeskDossier {
    let document_name = |id: &str| record.form.question(id).map(|q| q.label.clone()).unwrap_or_default();
    let documents = record.form.document_questions(&record.answers).map(|q| (q.id.clone(), q.label.clone())).collect();
    let answers = record
        .form
        .shown_pages(&record.answers)
        .filter(|p| !p.is_document_page())
        .map(|p| {
            let rows = p
                .questions
                .iter()
                .map(|q| (q.label.clone(), crate::dossier::shown_answer(q, &record.answers, &extras.communes, 0)))
                .collect();
            (p.title.clone(), rows)
        })
        .collect();
    let files = extras
        .files
        .iter()
        .enumerate()
        .map(|(i, f)| DeskFile {
            id: f.id.to_string(),
            document: document_name(&f.question_id),
            label: Text::new(if f.content_type == "application/pdf" { "desk.file.pdf" } else { "desk.file.image" })
                .with("n", (i + 1).to_string())
                .with("kb", ((i64::from(f.size_bytes) + 1023) / 1024).to_string()),
            added_in_supplement: f.supplement,
            preview_url: if f.content_type == "application/pdf" {
                crate::routes::first_page_url(&f.id.to_string())
            } else {
                crate::routes::file_url(&f.id.to_string())
            },
        })
        .collect();
    DeskDossier {
        staff: staff_view(staff),
        code: record.code.clone(),
        procedure_code: record.procedure_code.clone(),
        procedure_name: record.procedure_name.clone(),
        status: record.status.as_db().to_owned(),
        channel: record.channel.clone(),
        applicant_name: record.applicant_name.clone(),
        phone: record.phone.clone(),
        identified_by: record.identified_by.clone(),
        received_at: format_time(record.received_at),
        accepted_at: record.accepted_at.map(format_time),
        due_date: record.due_date.format("%d/%m/%Y").to_string(),
        promised_date: record.promised_date.map(|d| d.format("%d/%m/%Y").to_string()),
        step_due: record.step_due_date.map(|d| d.format("%d/%m/%Y").to_string()),
        receiving_agency: record.receiving_agency.clone(),
        handling_agency: record.handling_agency.clone(),
        assisted_by: record.assisted_by.clone(),
        case: record.case_no.and_then(|n| record.form.case_name(n)),
        case_no: record.case_no,
        cases: record.form.case_names(),
        delivery: chosen_delivery(&record, &extras.communes),
        fee,
        slip: None,
        payments: Default::default(),
        answers,
        files,
        has_result: extras.has_result,
        supplement: extras.supplement.map(|(at, ids, note)| SupplementView {
            requested_at: format_time(at),
            documents: ids.iter().map(|id| document_name(id)).collect(),
            note,
        }),
        apology: extras.apology,
        actions,
        documents,
        agencies: extras.agencies.into_iter().filter(|(id, _)| *id != record.handling_agency_id).collect(),
        timeline,
        messages: extras.messages,
        rating: extras.rating,
        duplicates: extras.duplicates,
        flash,
    }
}

/// The delivery the applicant chose on a derived form, as the return form's choice.
fn chosen_delivery(record: &FiledDossier, communes: &[(String, String)]) -> Option<(String, String)> {
    use crate::domain::derived_form::{AT_DESK, BY_POST, DELIVERY, POST_ADDRESS};
    match record.answers.get(DELIVERY).map(String::as_str) {
        Some(AT_DESK) => Some(("tai-quay".into(), String::new())),
        Some(BY_POST) => {
            let address = record.form.question(POST_ADDRESS)?;
            Some(("buu-chinh".into(), crate::dossier::shown_answer(address, &record.answers, communes, 0)))
        }
        _ => None,
    }
}

async fn session() -> Result<Session, AppError> {
    leptos_axum::extract::<Session>().await.map_err(|_| AppError::Unavailable)
}

async fn take_flash(code: &str) -> Result<Option<Flash>, AppError> {
    let session = session().await?;
    let flash: Option<Flash> = session.remove(FLASH_KEY).await.map_err(|_| AppError::Unavailable)?;
    Ok(flash.filter(|f| f.code == code))
}

async fn set_flash(flash: Flash) -> Result<(), AppError> {
    session().await?.insert(FLASH_KEY, flash).await.map_err(|_| AppError::Unavailable)
}

/// The signed-in officer; `None` after sending them to sign in and back to the dossier.
async fn officer(code: &str) -> Result<Option<Staff>, AppError> {
    staff::gated(staff::require_staff().await, &desk_dossier_url(code))
}

/// Checks and takes an action, then comes back to the dossier with what happened.
pub async fn act(code: String, form: ActionForm) -> Result<(), AppError> {
    let Some(staff) = officer(&code).await? else { return Ok(()) };
    let record = visible_record(&staff, &code).await?;
    take_action(&staff, &record, form, None).await
}

async fn take_action(
    staff: &Staff,
    record: &FiledDossier,
    form: ActionForm,
    result: Option<StoredResult>,
) -> Result<(), AppError> {
    let document_ids: Vec<String> = record.form.document_questions(&record.answers).map(|q| q.id.clone()).collect();
    let context = command::Context {
        today: today(),
        document_ids: &document_ids,
        due_date: record.due_date,
        cases: record.form.case_count(),
        case_no: record.case_no,
    };
    let mut flash = Flash { code: record.code.clone(), form: form.clone(), ..Flash::default() };
    let uploaded = result.as_ref().map(|r| r.storage_key.clone());
    let mut unreferenced = uploaded.clone();
    match command::parse(&form, &context) {
        Err(problems) => flash.problems = problems,
        Ok(command) => {
            let known = command.action;
            let acted = with_db({
                let (staff, code, origin) = (staff.clone(), record.code.clone(), crate::state::public_origin());
                move |pool| async move {
                    db::act(&pool, &staff, &code, &command, ActionContext { link_base: &origin, result }).await
                }
            })
            .await;
            let acted = match acted {
                Ok(acted) => acted,
                Err(error) => {
                    forget_stored(uploaded).await;
                    return Err(error);
                }
            };
            match acted {
                Acted::Done { orphaned } => {
                    unreferenced = orphaned;
                    flash = Flash { code: record.code.clone(), done: Some(done_message(known)), ..Flash::default() }
                }
                Acted::NotFound => {
                    forget_stored(uploaded).await;
                    return Err(AppError::NotFound("hồ sơ".into()));
                }
                Acted::NotAllowed => {
                    let allowed = staff.roles.iter().any(|r| known.allowed_for(Actor::Staff(*r)));
                    if !allowed {
                        tracing::warn!(action = known.as_slug(), "officer tried an action outside their roles");
                    }
                    flash.problems = not_allowed();
                }
                Acted::Refused(refusal) => flash.problems = vec![refusal_problem(refusal)],
            }
        }
    }
    forget_stored(unreferenced).await;
    back_to_dossier(flash).await
}

fn not_allowed() -> crate::domain::command::Problems {
    vec![("hanh-dong".into(), Text::new("desk.flash.not_allowed"))]
}

async fn forget_stored(key: Option<String>) {
    if let Some(key) = key {
        crate::dossier::files::forget(&key).await;
    }
}

/// Back to the dossier page, which shows what the flash says.
async fn back_to_dossier(flash: Flash) -> Result<(), AppError> {
    let anchor = if flash.problems.is_empty() { "#thong-bao" } else { "#loi" };
    let page = desk_dossier_url(&flash.code);
    set_flash(flash).await?;
    leptos_axum::redirect(&format!("{page}{anchor}"));
    Ok(())
}

fn done_message(action: Action) -> Text {
    match action {
        Action::Accept | Action::SupplementAtDesk | Action::ProposeApology | Action::ApproveApology => {
            Text::new(format!("desk.flash.done.{}", action.as_slug()))
        }
        other => Text::new("desk.flash.done").with_text("action", format!("desk.button.{}", other.as_slug())),
    }
}

/// "Đã có kết quả": who may, where and in which status are checked before the upload is read;
/// then the result is stored and the action taken with it.
pub async fn result_ready(data: server_fn::codec::MultipartData) -> Result<(), AppError> {
    let query = leptos_axum::extract::<axum::extract::Query<std::collections::HashMap<String, String>>>()
        .await
        .map(|q| q.0)
        .unwrap_or_default();
    let code = query.get("ma").cloned().unwrap_or_default();
    let Some(staff) = officer(&code).await? else { return Ok(()) };
    let record = visible_record(&staff, &code).await?;
    let form = ActionForm { action: Action::ResultReady.as_slug().into(), ..ActionForm::default() };
    let flash = Flash { code: record.code.clone(), form: form.clone(), ..Flash::default() };
    if !record.allows(&staff, Action::ResultReady) {
        return back_to_dossier(Flash { problems: not_allowed(), ..flash }).await;
    }
    match crate::dossier::files::receive_result(data).await {
        Ok(stored) => take_action(&staff, &record, form, Some(stored)).await,
        Err(rejected) => {
            let problem = Text::new(format!("upload.error.{}", rejected.slug()));
            back_to_dossier(Flash { problems: vec![("tep-ket-qua".into(), problem)], ..flash }).await
        }
    }
}

pub async fn assist_page() -> Result<super::AssistView, AppError> {
    let staff = staff::require_role(crate::domain::dossier_status::Role::Intake).await?;
    let id = staff.id;
    let (procedures, drafts) = with_db(move |pool| async move {
        Ok((db::procedures_with_forms(&pool).await?, crate::dossier::db::assisted_drafts(&pool, id).await?))
    })
    .await?;
    Ok(super::AssistView { staff: staff_view(&staff), procedures, drafts })
}

/// `by_post`: the officer enters a dossier that came by post, filed through the post channel.
/// `papers_checked`: at the counter, the officer checked the citizen's identity papers.
pub async fn start_assisted(
    phone: String,
    procedure: String,
    by_post: bool,
    papers_checked: bool,
) -> Result<(), AppError> {
    use crate::domain::phone::PhoneNumber;
    let intake = staff::require_role(crate::domain::dossier_status::Role::Intake).await;
    let Some(staff) = staff::gated(intake, crate::routes::ASSIST_PATH)? else { return Ok(()) };
    let procedure: String = procedure.chars().filter(|c| c.is_ascii_digit() || *c == '.').take(20).collect();
    let again = |slug: &str| {
        let typed: String = phone.chars().take(20).collect();
        let query = form_urlencoded::Serializer::new(String::new())
            .append_pair("loi", slug)
            .append_pair("so", &typed)
            .append_pair("thu-tuc", &procedure)
            .append_pair("cach-nhan", if by_post { POST_RECEIPT } else { COUNTER_RECEIPT })
            .finish();
        format!("{}?{query}", crate::routes::ASSIST_PATH)
    };
    let Ok(number) = PhoneNumber::parse(&phone) else {
        leptos_axum::redirect(&again("so-dien-thoai"));
        return Ok(());
    };
    if !by_post && !papers_checked {
        leptos_axum::redirect(&again("doi-chieu"));
        return Ok(());
    }
    let lookup = procedure.clone();
    // At the counter the officer checks the identity papers: no national identity sign-in needed.
    let Some((version, _)) =
        with_db(move |pool| async move { crate::dossier::db::current_form(&pool, &lookup).await }).await?
    else {
        leptos_axum::redirect(&again("thu-tuc"));
        return Ok(());
    };
    if by_post
        && !with_db(move |pool| async move { crate::dossier::db::offers_channel(&pool, version, "post").await }).await?
    {
        leptos_axum::redirect(&again("khong-buu-chinh"));
        return Ok(());
    }
    let (staff_id, agency) = (staff.id, staff.agency_id);
    let draft = with_db(move |pool| async move {
        crate::dossier::db::create_assisted_draft(&pool, &number.to_string(), version, staff_id, agency, by_post).await
    })
    .await?;
    leptos_axum::redirect(&crate::routes::step_url(&draft.to_string(), crate::routes::AGENCY_STEP));
    Ok(())
}

/// The form field a refusal concerns, and what the officer is told.
fn refusal_problem(refusal: Refusal) -> (String, Text) {
    let (field, key) = match refusal {
        Refusal::SameOrUnknownAgency => ("co-quan", "desk.refusal.same_agency"),
        Refusal::ResultFileMissing => ("tep-ket-qua", "desk.refusal.no_result_file"),
        Refusal::ApologyAlreadyPending => ("ngay-hen-moi", "desk.refusal.apology_pending"),
        Refusal::NoApologyPending => ("hanh-dong", "desk.refusal.no_apology"),
        Refusal::UnknownCase => ("truong-hop", "command.case"),
    };
    (field.to_owned(), Text::new(key))
}
