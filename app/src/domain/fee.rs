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

#[cfg(test)]
mod tests {
    use super::*;

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
