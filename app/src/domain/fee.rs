//! Fee items of a filing channel and the one-line summary shown in lists.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeItem {
    /// "Lệ phí", "Phí", ...
    pub name: String,
    /// `None`: a rate only the description states (per page, set by the province, ...).
    pub amount_vnd: Option<u64>,
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum FeeSummary {
    Free,
    Amount(u64),
    Described(String),
}

impl FeeSummary {
    /// Summary of a channel's fees, from the item count, the total when every amount is fixed,
    /// and the description of the first item without a fixed amount.
    pub fn from_parts(items: i64, total: Option<i64>, description: Option<String>) -> Self {
        match (items, total) {
            (0, _) | (_, Some(0)) => Self::Free,
            (_, Some(total)) => Self::Amount(u64::try_from(total).unwrap_or(0)),
            (_, None) => Self::Described(description.unwrap_or_default()),
        }
    }

    pub fn of(items: &[FeeItem]) -> Self {
        let total = items.iter().map(|item| item.amount_vnd).sum::<Option<u64>>();
        let description = items.iter().find(|item| item.amount_vnd.is_none()).and_then(|item| item.description.clone());
        Self::from_parts(items.len() as i64, total.map(|t| i64::try_from(t).unwrap_or(i64::MAX)), description)
    }
}

/// What the applicant of one dossier pays, computed from the channel's fee items.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum FeeDue {
    Free,
    /// Every item has a fixed amount.
    Total {
        total_vnd: u64,
        lines: Vec<FeeLine>,
    },
    /// An amount the catalog leaves to the province or only describes: its description.
    NotFixed(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeLine {
    pub name: String,
    pub unit_vnd: u64,
    /// Set for a rate per copy: the copies asked for.
    pub copies: Option<u32>,
    pub amount_vnd: u64,
}

/// The fee of a dossier from its channel's items (for the case chosen) and the copies asked.
pub fn fee_due(items: &[FeeItem], copies: u32) -> FeeDue {
    if let Some(open) = items.iter().find(|item| item.amount_vnd.is_none()) {
        return FeeDue::NotFixed(open.description.clone().unwrap_or_else(|| open.name.clone()));
    }
    let lines: Vec<FeeLine> = items
        .iter()
        .filter_map(|item| {
            let unit = item.amount_vnd.filter(|amount| *amount > 0)?;
            let per_copy = is_per_copy(item.description.as_deref()).then_some(copies.max(1));
            let amount = unit.saturating_mul(u64::from(per_copy.unwrap_or(1)));
            Some(FeeLine { name: item.name.clone(), unit_vnd: unit, copies: per_copy, amount_vnd: amount })
        })
        .collect();
    if lines.is_empty() {
        return FeeDue::Free;
    }
    FeeDue::Total { total_vnd: lines.iter().map(|l| l.amount_vnd).fold(0, u64::saturating_add), lines }
}

/// A rate charged per copy of the result ("8.000 đồng/bản sao", "3.000 đồng mỗi bản").
pub fn is_per_copy(description: Option<&str>) -> bool {
    description.is_some_and(|d| {
        let d = d.to_lowercase();
        d.contains("/bản") || d.contains("/ bản") || d.contains("mỗi bản")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_per_copy_fee_is_multiplied_by_the_copies_asked() {
        let per_copy = item(Some(8_000), Some("8.000 đồng/bản sao"));
        let due = fee_due(&[per_copy], 3);
        let FeeDue::Total { total_vnd, lines } = due else { panic!("{due:?}") };
        assert_eq!(total_vnd, 24_000);
        assert_eq!((lines[0].unit_vnd, lines[0].copies), (8_000, Some(3)));
    }

    #[test]
    fn fixed_fees_add_up_whatever_the_copies_and_free_items_are_left_out() {
        let due = fee_due(&[item(Some(15_000), None), item(Some(0), Some("Miễn phí"))], 4);
        assert_eq!(
            due,
            FeeDue::Total {
                total_vnd: 15_000,
                lines: vec![FeeLine { name: "Lệ phí".into(), unit_vnd: 15_000, copies: None, amount_vnd: 15_000 }]
            }
        );
        assert_eq!(fee_due(&[item(Some(0), Some("Miễn lệ phí"))], 1), FeeDue::Free);
        assert_eq!(fee_due(&[], 1), FeeDue::Free);
    }

    #[test]
    fn a_rate_left_to_the_province_is_said_plainly() {
        let province = item(None, Some("Theo mức do Hội đồng nhân dân tỉnh quy định"));
        assert_eq!(
            fee_due(&[item(Some(5_000), None), province], 1),
            FeeDue::NotFixed("Theo mức do Hội đồng nhân dân tỉnh quy định".into())
        );
    }

    #[test]
    fn a_per_copy_rate_is_recognised_by_its_wording() {
        assert!(is_per_copy(Some("8.000 đồng/bản sao")));
        assert!(is_per_copy(Some("3.000 đồng mỗi bản")));
        assert!(!is_per_copy(Some("2.000 đồng/trang")));
        assert!(!is_per_copy(None));
    }

    fn item(amount_vnd: Option<u64>, description: Option<&str>) -> FeeItem {
        FeeItem { name: "Lệ phí".into(), amount_vnd, description: description.map(Into::into) }
    }

    #[test]
    fn no_fee_items_or_only_zero_amounts_are_free() {
        assert_eq!(FeeSummary::of(&[]), FeeSummary::Free);
        assert_eq!(FeeSummary::of(&[item(Some(0), Some("Miễn lệ phí"))]), FeeSummary::Free);
    }

    #[test]
    fn fixed_amounts_add_up() {
        assert_eq!(FeeSummary::of(&[item(Some(20_000), None)]), FeeSummary::Amount(20_000));
        assert_eq!(FeeSummary::of(&[item(Some(20_000), None), item(Some(5_000), None)]), FeeSummary::Amount(25_000));
    }

    #[test]
    fn a_rate_without_fixed_amount_is_described() {
        let per_page = item(None, Some("2.000 đồng/trang"));
        assert_eq!(FeeSummary::of(&[item(Some(0), None), per_page]), FeeSummary::Described("2.000 đồng/trang".into()));
    }
}
