//! An e-mail address a citizen adds to receive each notice by e-mail as well as by SMS.

use serde::{Deserialize, Serialize};

const MAX_CHARS: usize = 254;
const MAX_LOCAL_CHARS: usize = 64;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailAddress(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not an e-mail address")]
pub struct InvalidEmail;

impl EmailAddress {
    /// `ten@mien.vn`: one `@`, a plain ASCII local part and a domain of dot-separated labels.
    /// The domain is stored in lower case; the local part as typed.
    pub fn parse(raw: &str) -> Result<Self, InvalidEmail> {
        let raw = raw.trim();
        let (local, domain) = raw.rsplit_once('@').ok_or(InvalidEmail)?;
        let local_ok = !local.is_empty()
            && local.len() <= MAX_LOCAL_CHARS
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..")
            && local.chars().all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c));
        let labels: Vec<&str> = domain.split('.').collect();
        let domain_ok = labels.len() >= 2
            && labels.iter().all(|label| {
                !label.is_empty()
                    && label.len() <= 63
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            });
        if !local_ok || !domain_ok || raw.len() > MAX_CHARS {
            return Err(InvalidEmail);
        }
        Ok(Self(format!("{local}@{}", domain.to_ascii_lowercase())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_addresses_are_accepted_with_the_domain_in_lower_case() {
        assert_eq!(EmailAddress::parse(" Lo.Thi.Mai+hoso@Gmail.COM ").unwrap().as_str(), "Lo.Thi.Mai+hoso@gmail.com");
        assert!(EmailAddress::parse("an@ninhbinh.gov.vn").is_ok());
    }

    #[test]
    fn malformed_addresses_are_refused() {
        for raw in [
            "",
            "mai",
            "mai@",
            "@gmail.com",
            "mai@gmail",
            "mai@@gmail.com",
            "mai@gmail..com",
            "mai@-gmail.com",
            ".mai@gmail.com",
            "m..ai@gmail.com",
            "mai @gmail.com",
            "mai@gmail.com\r\nBcc: x@y.z",
            "mài@gmail.com",
        ] {
            assert_eq!(EmailAddress::parse(raw), Err(InvalidEmail), "{raw:?}");
        }
    }

    #[test]
    fn overlong_addresses_are_refused() {
        let local = "a".repeat(65);
        assert_eq!(EmailAddress::parse(&format!("{local}@gmail.com")), Err(InvalidEmail));
        let domain = format!("{}.vn", vec!["b".repeat(60); 5].join("."));
        assert_eq!(EmailAddress::parse(&format!("mai@{domain}")), Err(InvalidEmail));
    }
}
