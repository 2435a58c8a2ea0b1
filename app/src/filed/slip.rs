//! The receipt and appointment slip of an accepted dossier, with the content of the
//! regulation's form (Circular 01/2018/TT-VPCP, form 01): the receiving agency with its address
//! and phone, when it was received, the documents with their originals and copies, the time
//! limit and due date, how the result is collected, and the officer who received it.

use super::record::FiledDossier;
use super::{ReceiptSlip, SlipDocument};
use crate::domain::application_form::QuestionKind;
use crate::domain::derived_form::{AT_DESK, BY_POST, DELIVERY, DIGITAL, POST_ADDRESS};
use crate::domain::dossier_status::Status;
use crate::i18n::Text;
use sqlx::PgPool;
use std::collections::HashMap;

/// The slip, once intake has accepted the dossier (none before, and none for a refused one).
pub async fn receipt_slip(pool: &PgPool, record: &FiledDossier) -> Result<Option<ReceiptSlip>, sqlx::Error> {
    let (Some(accepted_at), Some(time_limit)) = (record.accepted_at, record.time_limit) else { return Ok(None) };
    let (address, phone): (Option<String>, Option<String>) =
        sqlx::query_as("SELECT address, hotline FROM agencies WHERE id = $1")
            .bind(record.receiving_agency_id)
            .fetch_one(pool)
            .await?;
    let officer: Option<String> = sqlx::query_scalar(
        "SELECT actor FROM dossier_events WHERE dossier_id = $1 AND status = $2 ORDER BY at, id LIMIT 1",
    )
    .bind(record.id)
    .bind(Status::DuocTiepNhan.as_db())
    .fetch_optional(pool)
    .await?;
    Ok(Some(ReceiptSlip {
        agency: record.receiving_agency.clone(),
        agency_address: address.clone(),
        agency_phone: phone,
        accepted_at: super::clock::vietnam_time(accepted_at).format("%H:%M %d/%m/%Y").to_string(),
        time_limit,
        due_date: record.due_date.format("%d/%m/%Y").to_string(),
        documents: documents(pool, record).await?,
        delivery: delivery(pool, record, address.as_deref()).await?,
        officer: officer.unwrap_or_default(),
    }))
}

/// The documents of the dossier's case that were handed in (files sent) or shown in original.
async fn documents(pool: &PgPool, record: &FiledDossier) -> Result<Vec<SlipDocument>, sqlx::Error> {
    let catalog: Vec<(i16, String, i16, i16, bool)> = sqlx::query_as(
        "SELECT position, name, originals, copies, present_only FROM procedure_documents \
         WHERE version_id = $1 AND (case_no IS NULL OR case_no = COALESCE($2, 1)) ORDER BY position",
    )
    .bind(record.version_id)
    .bind(record.case_no)
    .fetch_all(pool)
    .await?;
    let files: HashMap<String, i64> =
        sqlx::query_as("SELECT question_id, count(*) FROM draft_files WHERE draft_id = $1 GROUP BY question_id")
            .bind(record.draft_id)
            .fetch_all(pool)
            .await?
            .into_iter()
            .collect();
    let mut files_of_position: HashMap<i16, i64> = HashMap::new();
    for question in record.form.document_questions(&record.answers) {
        if let QuestionKind::Document { document } = question.kind {
            let position = i16::try_from(document).unwrap_or(i16::MAX);
            *files_of_position.entry(position).or_default() += files.get(&question.id).copied().unwrap_or(0);
        }
    }
    Ok(catalog
        .into_iter()
        .filter_map(|(position, name, originals, copies, present_only)| {
            let files = files_of_position.get(&position).copied().unwrap_or(0);
            (files > 0 || present_only).then_some(SlipDocument { name, originals, copies, present_only, files })
        })
        .collect())
}

/// How the applicant chose to collect the result; at the receiving desk when the form did not ask.
async fn delivery(pool: &PgPool, record: &FiledDossier, desk_address: Option<&str>) -> Result<Text, sqlx::Error> {
    let at_desk = || Text::new("slip.delivery.desk").with("address", desk_address.unwrap_or(&record.receiving_agency));
    Ok(match record.answers.get(DELIVERY).map(String::as_str) {
        Some(BY_POST) => Text::new("slip.delivery.post").with("address", post_address(pool, record).await?),
        Some(DIGITAL) => Text::new("slip.delivery.digital"),
        Some(AT_DESK) | Some(_) | None => at_desk(),
    })
}

async fn post_address(pool: &PgPool, record: &FiledDossier) -> Result<String, sqlx::Error> {
    let Some(question) = record.form.question(POST_ADDRESS) else { return Ok(String::new()) };
    let answer = |key: String| record.answers.get(&key).cloned().unwrap_or_default();
    let commune: Option<String> = sqlx::query_scalar("SELECT name FROM agencies WHERE identifier = $1")
        .bind(answer(question.commune_key()))
        .fetch_optional(pool)
        .await?;
    Ok([Some(answer(question.street_key())), commune]
        .into_iter()
        .flatten()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", "))
}
