//! National procedure codes such as `1.001193` (digit, dot, six digits).

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ProcedureCode(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Mã thủ tục không hợp lệ: mã có dạng 1.001193")]
pub struct InvalidProcedureCode;

impl ProcedureCode {
    pub fn parse(raw: &str) -> Result<Self, InvalidProcedureCode> {
        let raw = raw.trim();
        let (group, number) = raw.split_once('.').ok_or(InvalidProcedureCode)?;
        let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if group.len() == 1 && number.len() == 6 && all_digits(group) && all_digits(number) {
            Ok(Self(raw.to_owned()))
        } else {
            Err(InvalidProcedureCode)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ProcedureCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_national_codes() {
        for code in ["1.001193", "2.000815", "3.000722", " 1.004222 "] {
            assert!(ProcedureCode::parse(code).is_ok(), "{code}");
        }
        assert_eq!(ProcedureCode::parse(" 1.004222 ").unwrap().as_str(), "1.004222");
    }

    #[test]
    fn rejects_anything_else() {
        for code in ["", "1001193", "1.00119", "1.0011934", "12.001193", "a.001193", "1.00119x", "1..001193", "../etc"]
        {
            assert_eq!(ProcedureCode::parse(code), Err(InvalidProcedureCode), "{code}");
        }
    }
}
