//! Online fee payment through a payment gateway (VNPAY's protocol, `vnpay.rs`): the citizen is
//! sent from their dossier's page to the gateway with a signed request, comes back to the
//! return page, and the gateway's signed notification (`ipn.rs`) or a query to it
//! (`reconcile.rs`) marks the fee paid. With no merchant account configured, the portal serves
//! a labelled demo gateway (`demo.rs`) speaking the same protocol. The attempts themselves
//! belong to the filed dossier (`filed::payments`).

pub mod api;
#[cfg(feature = "ssr")]
pub mod demo;
#[cfg(feature = "ssr")]
mod flow;
#[cfg(feature = "ssr")]
pub mod ipn;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod reconcile;
#[cfg(feature = "ssr")]
pub mod vnpay;

use serde::{Deserialize, Serialize};

/// The gateway the portal sends citizens to: a merchant account with VNPAY, or the demo
/// gateway's, or none (online payment is then not offered).
#[cfg(feature = "ssr")]
#[derive(Clone, Debug, Default)]
pub struct Gateway {
    pub merchant: Option<std::sync::Arc<vnpay::Merchant>>,
    /// The portal's own demo gateway: attempts are labelled "demo".
    pub demo: bool,
}

#[cfg(feature = "ssr")]
impl Gateway {
    pub fn vnpay(merchant: vnpay::Merchant) -> Self {
        Self { merchant: Some(std::sync::Arc::new(merchant)), demo: false }
    }

    fn name(&self) -> &'static str {
        if self.demo {
            "demo"
        } else {
            "vnpay"
        }
    }
}

/// What the return page tells the citizen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReturnState {
    /// The gateway confirmed it: the fee is paid.
    Paid,
    /// The browser came back before the gateway's confirmation.
    Confirming,
    /// Not paid: cancelled, refused by the bank, or expired.
    NotPaid,
    /// The return's parameters are not signed by the gateway.
    Unverified,
}

impl ReturnState {
    pub fn slug(self) -> &'static str {
        match self {
            Self::Paid => "paid",
            Self::Confirming => "confirming",
            Self::NotPaid => "not_paid",
            Self::Unverified => "unverified",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReturnView {
    pub state: ReturnState,
    /// The dossier the fee is for, when the return is verified.
    pub code: Option<String>,
    pub reference: Option<String>,
}

/// The electronic receipt (biên lai điện tử) of a fee paid online.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentReceipt {
    pub reference: String,
    pub code: String,
    pub procedure_name: String,
    pub fee_name: String,
    pub amount_vnd: u64,
    pub payer: String,
    pub agency: String,
    pub transaction_no: String,
    pub bank_code: String,
    /// Vietnam time, "HH:MM:SS dd/mm/yyyy".
    pub paid_at: String,
    pub gateway: String,
    /// Paid through the demo gateway: no money moved.
    pub demo: bool,
}
