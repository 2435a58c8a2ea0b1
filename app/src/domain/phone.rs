//! Vietnamese mobile numbers, as citizens type them: "0912 345 678", "+84 912.345.678".

use serde::{Deserialize, Serialize};
use std::fmt;

/// A mobile number in national form: ten digits starting with 0.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PhoneNumber(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum InvalidPhone {
    #[error("Vui lòng nhập số điện thoại di động.")]
    Empty,
    #[error("Số điện thoại di động gồm 10 chữ số, bắt đầu bằng 0, ví dụ 0912 345 678.")]
    Malformed,
}

impl InvalidPhone {
    /// The locale key of the message.
    pub fn key(self) -> &'static str {
        match self {
            Self::Empty => "form.error.phone_empty",
            Self::Malformed => "form.error.phone",
        }
    }
}

impl PhoneNumber {
    pub fn parse(raw: &str) -> Result<Self, InvalidPhone> {
        let compact: String = raw.chars().filter(|c| !matches!(c, ' ' | '.' | '-' | '(' | ')')).collect();
        if compact.is_empty() {
            return Err(InvalidPhone::Empty);
        }
        let national =
            match compact.strip_prefix("+84").or_else(|| compact.strip_prefix("84").filter(|_| compact.len() == 11)) {
                Some(rest) => format!("0{rest}"),
                None => compact,
            };
        let mobile_prefix = matches!(national.as_bytes().get(1), Some(b'3' | b'5' | b'7' | b'8' | b'9'));
        if national.len() == 10
            && national.starts_with('0')
            && mobile_prefix
            && national.bytes().all(|b| b.is_ascii_digit())
        {
            Ok(Self(national))
        } else {
            Err(InvalidPhone::Malformed)
        }
    }

    /// Trusted input: a number read back from the database.
    pub fn from_stored(stored: String) -> Self {
        Self(stored)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// All but the last three digits hidden, for screens and logs: "*******678".
    pub fn masked(&self) -> String {
        let visible = self.0.len().saturating_sub(3);
        format!("{}{}", "*".repeat(visible), &self.0[visible..])
    }
}

impl fmt::Display for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_typed_in_the_usual_ways_become_the_national_form() {
        for typed in ["0912345678", "0912 345 678", "0912.345.678", "+84 912 345 678", "84912345678", " 091-234-5678 "]
        {
            assert_eq!(PhoneNumber::parse(typed).unwrap().as_str(), "0912345678", "{typed}");
        }
    }

    #[test]
    fn landlines_short_numbers_and_letters_are_refused() {
        assert_eq!(PhoneNumber::parse(""), Err(InvalidPhone::Empty));
        for typed in ["02293871234", "091234567", "09123456789", "0912abc678", "0112345678"] {
            assert_eq!(PhoneNumber::parse(typed), Err(InvalidPhone::Malformed), "{typed}");
        }
    }

    #[test]
    fn masked_numbers_show_only_the_last_three_digits() {
        assert_eq!(PhoneNumber::parse("0912345678").unwrap().masked(), "*******678");
    }
}
