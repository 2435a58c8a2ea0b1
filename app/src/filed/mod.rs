//! The filed dossier, shared by every feature that reads or changes it: its record and lock,
//! the one writer of its row and of its audit trail (every transition, the submission
//! included), result files and who may see them, Vietnam's clock and working calendar, and
//! the texts the citizen is told.

#[cfg(feature = "ssr")]
pub mod apologies;
#[cfg(feature = "ssr")]
pub mod clock;
#[cfg(feature = "ssr")]
pub mod events;
#[cfg(feature = "ssr")]
pub mod fees;
pub mod messages;
#[cfg(feature = "ssr")]
pub mod payments;
#[cfg(feature = "ssr")]
pub mod record;
#[cfg(feature = "ssr")]
pub mod results;
#[cfg(feature = "ssr")]
pub mod slip;
#[cfg(feature = "ssr")]
pub mod supplements;

use crate::domain::time_limit::TimeLimit;
use crate::i18n::Text;
use serde::{Deserialize, Serialize};

/// A dossier's fees as its pages show them: what can be paid online now, and what was paid online.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DossierFees {
    pub owed: Option<FeeOwed>,
    pub paid: Vec<PaidFee>,
}

/// A fee the applicant can pay online now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeOwed {
    /// What it is for, in Vietnamese as the catalog or the desk names it.
    pub fee_name: String,
    pub amount_vnd: u64,
    /// The agency the money goes to.
    pub agency: String,
    /// Asked for by the desk ("Yêu cầu nghĩa vụ tài chính"), not the catalog's fee at filing.
    pub obligation: bool,
}

/// A fee paid online: the line of its electronic receipt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaidFee {
    /// The merchant reference, which names the receipt.
    pub reference: String,
    pub fee_name: String,
    pub amount_vnd: u64,
    /// Vietnam time, "HH:MM dd/mm/yyyy".
    pub paid_at: String,
    pub transaction_no: String,
}

/// The receipt and appointment slip of an accepted dossier (`slip::receipt_slip`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReceiptSlip {
    pub agency: String,
    pub agency_address: Option<String>,
    pub agency_phone: Option<String>,
    /// When intake accepted it, Vietnam time.
    pub accepted_at: String,
    pub time_limit: TimeLimit,
    pub due_date: String,
    pub documents: Vec<SlipDocument>,
    pub delivery: Text,
    /// As recorded in the audit trail: the officer who received it.
    pub officer: String,
}

/// A document handed in, with what the catalog asks of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SlipDocument {
    pub name: String,
    pub originals: i16,
    pub copies: i16,
    /// Shown in original at the desk, not kept.
    pub present_only: bool,
    /// Files sent online or scanned at the counter.
    pub files: i64,
}

/// The submission's slug in the audit trail (not an action of the status machine).
pub const SUBMITTED_SLUG: &str = "nop";
/// The actor named in the audit trail for what the applicant does online.
pub const CITIZEN_ACTOR: &str = "Công dân (trực tuyến)";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AuditEntry {
    pub at: String,
    /// The action's slug ("nop" for the submission), shown through its locale text.
    pub slug: String,
    /// Stored statuses, shown through their locale texts.
    pub from_status: Option<String>,
    pub status: String,
    /// As recorded: the officer's name, or who filed.
    pub actor: String,
    pub from_agency: Option<String>,
    pub to_agency: Option<String>,
    pub step_due: Option<String>,
    pub reason: Option<String>,
    pub details: Vec<crate::i18n::Text>,
}

/// Writes a transition: the dossier's new row, its audit entry, and the citizen's SMS where
/// the rules send one, in the caller's transaction.
#[cfg(feature = "ssr")]
pub async fn write_transition(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    record: &record::FiledDossier,
    change: &record::Change,
    event: &events::Event<'_>,
    details: &crate::domain::command::Details,
    link_base: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), sqlx::Error> {
    use crate::domain::dossier_status::Action;
    use crate::notify::{enqueue_sms, Purpose, Sms};
    change.write(tx, record, now).await?;
    events::record_event(tx, record.id, event, now).await?;
    let Some(action) = Action::from_slug(event.action) else { return Ok(()) };
    // A fee asked for leads to paying it online; every other change to the tracking page.
    let page = match action {
        Action::RequestFee => crate::routes::pay_url(&record.code),
        _ => crate::routes::tracking_url(&record.code),
    };
    let link = format!("{link_base}{page}");
    let facts = messages::Facts {
        code: &record.code,
        reason: event.reason,
        due: change.promised_date.unwrap_or(change.due_date),
        link: &link,
    };
    if let Some(body) = messages::status_sms(action, details, &facts) {
        let sms = Sms { to: &record.phone, body, purpose: Purpose::Status, dossier_id: Some(record.id) };
        enqueue_sms(tx, sms).await?;
    }
    Ok(())
}
