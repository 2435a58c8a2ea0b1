//! Amounts in Vietnamese đồng, written the Vietnamese way.

/// `20000` → `"20.000"` (dots group thousands).
pub fn group_thousands(amount: u64) -> String {
    let digits = amount.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index) % 3 == 0 {
            grouped.push('.');
        }
        grouped.push(digit);
    }
    grouped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_grouped_with_dots() {
        assert_eq!(group_thousands(0), "0");
        assert_eq!(group_thousands(999), "999");
        assert_eq!(group_thousands(1000), "1.000");
        assert_eq!(group_thousands(20000), "20.000");
        assert_eq!(group_thousands(200000), "200.000");
        assert_eq!(group_thousands(1234567), "1.234.567");
    }
}
