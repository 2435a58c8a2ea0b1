//! Online fee payments, the one writer of `payments`: a row per attempt to pay a dossier's fee
//! through a gateway, opened when the citizen is sent to pay and settled once, by the gateway's
//! signed notification or by asking the gateway, each settlement written to the audit trail.

use super::clock::vietnam_time;
use super::events::{record_event, Event};
use super::record::{Change, FiledDossier};
use super::{DossierFees, FeeOwed, PaidFee};
use crate::domain::dossier_status::{next_status, Action, Status};
use crate::domain::fee::FeeDue;
use chrono::{DateTime, Duration, Utc};
use sqlx::{PgPool, Postgres, Row, Transaction};
use uuid::Uuid;

/// The audit trail's action for a fee paid online.
pub const PAID_ONLINE: &str = "thanh-toan-truc-tuyen";

/// Why a fee is paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// The catalog's fee, paid when filing.
    Filing,
    /// A fee the desk asked for ("Yêu cầu nghĩa vụ tài chính").
    Obligation,
}

impl Purpose {
    fn as_db(self) -> &'static str {
        match self {
            Self::Filing => "filing",
            Self::Obligation => "obligation",
        }
    }
}

/// An attempt about to be opened.
#[derive(Debug, Clone)]
pub struct NewAttempt<'a> {
    pub dossier_id: Uuid,
    pub purpose: Purpose,
    pub fee_name: &'a str,
    pub amount_vnd: u64,
    pub agency_id: i64,
    /// "vnpay", or "demo" for the portal's own demo gateway.
    pub gateway: &'a str,
    /// How long the gateway will take the payment (sent to it as the attempt's expiry).
    pub lifetime: Duration,
}

/// An attempt the citizen can pay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    pub merchant_ref: String,
    pub amount_vnd: u64,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Opened {
    /// A new attempt, or the dossier's live one for the same amount (a second tab, a second tap).
    Payable(Attempt),
    /// An attempt for this fee is still open with another amount, or past its time but not yet
    /// settled: the citizen waits for the gateway's word instead of risking paying twice.
    Waiting,
}

/// A merchant reference: 32 letters and digits, unguessable, unique.
fn merchant_ref() -> String {
    Uuid::new_v4().simple().to_string().to_uppercase()
}

/// Opens an attempt, or gives back the dossier's live one for this purpose.
pub async fn open_attempt(pool: &PgPool, new: &NewAttempt<'_>, now: DateTime<Utc>) -> Result<Opened, sqlx::Error> {
    let amount = i64::try_from(new.amount_vnd).unwrap_or(i64::MAX);
    let inserted = sqlx::query(
        "INSERT INTO payments (merchant_ref, dossier_id, purpose, fee_name, amount_vnd, agency_id, gateway, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
         ON CONFLICT (dossier_id, purpose) WHERE status = 'pending' DO NOTHING \
         RETURNING merchant_ref, amount_vnd, created_at, expires_at",
    )
    .bind(merchant_ref())
    .bind(new.dossier_id)
    .bind(new.purpose.as_db())
    .bind(new.fee_name)
    .bind(amount)
    .bind(new.agency_id)
    .bind(new.gateway)
    .bind(now)
    .bind(now + new.lifetime)
    .fetch_optional(pool)
    .await?;
    let row = match inserted {
        Some(row) => row,
        None => match sqlx::query(
            "SELECT merchant_ref, amount_vnd, created_at, expires_at FROM payments \
             WHERE dossier_id = $1 AND purpose = $2 AND status = 'pending'",
        )
        .bind(new.dossier_id)
        .bind(new.purpose.as_db())
        .fetch_optional(pool)
        .await?
        {
            Some(row) => row,
            // Settled between the two statements: try once more with a clean slate.
            None => return Box::pin(open_attempt(pool, new, now)).await,
        },
    };
    let attempt = Attempt {
        merchant_ref: row.try_get(0)?,
        amount_vnd: u64::try_from(row.try_get::<i64, _>(1)?).unwrap_or(0),
        created_at: row.try_get(2)?,
        expires_at: row.try_get(3)?,
    };
    Ok(if attempt.amount_vnd == new.amount_vnd && attempt.expires_at > now {
        Opened::Payable(attempt)
    } else {
        Opened::Waiting
    })
}

/// How an attempt came to be settled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SettledBy {
    Ipn,
    Query,
}

impl SettledBy {
    fn as_db(self) -> &'static str {
        match self {
            Self::Ipn => "ipn",
            Self::Query => "query",
        }
    }
}

/// The gateway's word on an attempt.
#[derive(Debug, Clone)]
pub struct Settlement<'a> {
    pub merchant_ref: &'a str,
    pub amount_vnd: u64,
    pub paid: bool,
    pub transaction_no: &'a str,
    pub bank_code: &'a str,
    pub paid_at: Option<DateTime<Utc>>,
    pub gateway_code: &'a str,
    pub by: SettledBy,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settled {
    /// Written now: paid, or failed.
    Recorded {
        paid: bool,
    },
    NotFound,
    /// The gateway's amount is not the attempt's: nothing is written.
    AmountDiffers,
    /// Settled before (a repeated or concurrent notification): nothing is written again.
    Already,
}

/// Settles an attempt once. Concurrent settlements of one attempt wait for each other on its
/// row: the first writes, the others find it settled. A paid fee is written to the dossier's
/// audit trail; a paid obligation also sends the dossier back to processing, as the desk's
/// "fees paid" does.
pub async fn settle(pool: &PgPool, settlement: &Settlement<'_>, now: DateTime<Utc>) -> Result<Settled, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let Some(row) = sqlx::query(
        "SELECT p.id, p.amount_vnd, p.status, p.purpose, d.code FROM payments p JOIN dossiers d ON d.id = p.dossier_id \
         WHERE p.merchant_ref = $1 FOR UPDATE OF p",
    )
    .bind(settlement.merchant_ref)
    .fetch_optional(&mut *tx)
    .await?
    else {
        return Ok(Settled::NotFound);
    };
    let amount: i64 = row.try_get("amount_vnd")?;
    if u64::try_from(amount).ok() != Some(settlement.amount_vnd) {
        return Ok(Settled::AmountDiffers);
    }
    if row.try_get::<String, _>("status")? != "pending" {
        return Ok(Settled::Already);
    }
    sqlx::query(
        "UPDATE payments SET status = $2, settled_by = $3, settled_at = $4, transaction_no = $5, bank_code = $6, \
           paid_at = $7, gateway_code = $8 WHERE id = $1",
    )
    .bind(row.try_get::<i64, _>("id")?)
    .bind(if settlement.paid { "paid" } else { "failed" })
    .bind(settlement.by.as_db())
    .bind(now)
    .bind(settlement.paid.then_some(settlement.transaction_no))
    .bind(settlement.bank_code)
    .bind(settlement.paid.then(|| settlement.paid_at.unwrap_or(now)))
    .bind((!settlement.paid).then_some(settlement.gateway_code))
    .execute(&mut *tx)
    .await?;
    if settlement.paid {
        let obligation = row.try_get::<String, _>("purpose")? == Purpose::Obligation.as_db();
        record_paid(&mut tx, &row.try_get::<String, _>("code")?, obligation, settlement, now).await?;
    }
    tx.commit().await?;
    Ok(Settled::Recorded { paid: settlement.paid })
}

/// The audit entry of a fee paid online, and for an obligation asked by the desk the dossier's
/// return to processing.
async fn record_paid(
    tx: &mut Transaction<'_, Postgres>,
    code: &str,
    obligation: bool,
    settlement: &Settlement<'_>,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let Some(record) = super::record::lock(tx, code).await? else { return Ok(()) };
    let to_status = match next_status(record.status, Action::RecordFee, record.accepted()) {
        Ok(next) if obligation => next,
        // Paid when filing, or the desk recorded the fee at the counter meanwhile.
        _ => record.status,
    };
    if to_status != record.status {
        Change::new(&record, to_status).write(tx, &record, now).await?;
    }
    let event = Event {
        action: PAID_ONLINE,
        from_status: Some(record.status),
        to_status,
        actor: "citizen",
        staff_user_id: None,
        from_agency_id: None,
        to_agency_id: record.handling_agency_id,
        step_due_date: None,
        reason: None,
        details: serde_json::json!({
            "so_tien": settlement.amount_vnd,
            "ma_giao_dich": settlement.transaction_no,
            "ma_thanh_toan": settlement.merchant_ref,
        }),
    };
    record_event(tx, record.id, &event, now).await
}

/// What a dossier's pages show of its fees.
pub async fn fees(pool: &PgPool, record: &FiledDossier) -> Result<DossierFees, sqlx::Error> {
    let paid: Vec<(String, String, i64, DateTime<Utc>, Option<String>)> = sqlx::query_as(
        "SELECT merchant_ref, fee_name, amount_vnd, paid_at, transaction_no FROM payments \
         WHERE dossier_id = $1 AND status = 'paid' ORDER BY paid_at",
    )
    .bind(record.id)
    .fetch_all(pool)
    .await?;
    let paid = paid
        .into_iter()
        .map(|(reference, fee_name, amount, paid_at, transaction_no)| PaidFee {
            reference,
            fee_name,
            amount_vnd: u64::try_from(amount).unwrap_or(0),
            paid_at: vietnam_time(paid_at).format("%H:%M %d/%m/%Y").to_string(),
            transaction_no: transaction_no.unwrap_or_default(),
        })
        .collect();
    Ok(DossierFees { owed: owed(pool, record).await?.map(|(owed, _)| owed), paid })
}

/// The fee the applicant can pay online now, and the id of the agency it goes to: the
/// obligation the desk asked for while the dossier waits for it, or else, for a dossier filed
/// online, the catalog's fee for its case and copies until it is paid online or at the desk.
pub async fn owed(pool: &PgPool, record: &FiledDossier) -> Result<Option<(FeeOwed, i64)>, sqlx::Error> {
    if record.status.is_closed() {
        return Ok(None);
    }
    let (requested, filing_fee_settled): (Option<i64>, bool) = sqlx::query_as(
        "SELECT (SELECT (e.details->>'so_tien')::bigint FROM dossier_events e WHERE e.dossier_id = $1 AND e.action = $2 \
                 ORDER BY e.at DESC, e.id DESC LIMIT 1), \
                EXISTS (SELECT 1 FROM payments p WHERE p.dossier_id = $1 AND p.purpose = 'filing' AND p.status = 'paid') \
                OR EXISTS (SELECT 1 FROM dossier_events e WHERE e.dossier_id = $1 AND e.action = $3)",
    )
    .bind(record.id)
    .bind(Action::RequestFee.as_slug())
    .bind(Action::RecordFee.as_slug())
    .fetch_one(pool)
    .await?;
    let owed = |fee_name: String, amount_vnd: u64, obligation: bool| {
        let agency = record.handling_agency.clone();
        Some((FeeOwed { fee_name, amount_vnd, agency, obligation }, record.handling_agency_id))
    };
    if record.status == Status::YeuCauNghiaVuTaiChinh {
        return Ok(requested
            .and_then(|amount| u64::try_from(amount).ok())
            .filter(|amount| *amount > 0)
            .and_then(|amount| owed(format!("Nghĩa vụ tài chính: {}", record.procedure_name), amount, true)));
    }
    if record.channel != "online" || filing_fee_settled {
        return Ok(None);
    }
    let copies = record.form.copies(&record.answers);
    match super::fees::due(pool, record.version_id, &record.channel, record.case_no, copies).await? {
        FeeDue::Total { total_vnd, lines } if total_vnd > 0 => {
            let names: Vec<String> = lines
                .iter()
                .map(|line| match line.copies {
                    Some(copies) => format!("{} ({copies} bản)", line.name),
                    None => line.name.clone(),
                })
                .collect();
            Ok(owed(names.join("; "), total_vnd, false))
        }
        _ => Ok(None),
    }
}

/// An attempt not yet settled.
#[derive(Debug, Clone)]
pub struct Pending {
    pub merchant_ref: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// Attempts opened before `before` and still pending, oldest first.
pub async fn pending(pool: &PgPool, before: DateTime<Utc>, limit: i64) -> Result<Vec<Pending>, sqlx::Error> {
    let rows: Vec<(String, DateTime<Utc>, DateTime<Utc>)> = sqlx::query_as(
        "SELECT merchant_ref, created_at, expires_at FROM payments WHERE status = 'pending' AND created_at < $1 \
         ORDER BY created_at LIMIT $2",
    )
    .bind(before)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(merchant_ref, created_at, expires_at)| Pending { merchant_ref, created_at, expires_at })
        .collect())
}

/// Closes an attempt the gateway never saw, past its time.
pub async fn expire(pool: &PgPool, merchant_ref: &str, now: DateTime<Utc>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE payments SET status = 'expired', settled_by = 'expiry', settled_at = $2 \
         WHERE merchant_ref = $1 AND status = 'pending'",
    )
    .bind(merchant_ref)
    .bind(now)
    .execute(pool)
    .await?;
    Ok(())
}
