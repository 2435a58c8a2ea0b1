//! Dossier codes: `{receiving agency's identifier}-{yyMMdd}-{NNNN}`, numbered per agency per day.

use chrono::NaiveDate;

/// Largest number a day's counter may reach (four digits).
pub const MAX_DAILY_NUMBER: u32 = 9999;

pub fn dossier_code(agency_identifier: &str, day: NaiveDate, number: u32) -> String {
    format!("{agency_identifier}-{}-{number:04}", day.format("%y%m%d"))
}

/// Whether `raw` has the shape of a dossier code (for look-ups typed by hand).
pub fn looks_like_dossier_code(raw: &str) -> bool {
    let mut parts = raw.rsplitn(3, '-');
    let (Some(number), Some(day), Some(agency)) = (parts.next(), parts.next(), parts.next()) else { return false };
    number.len() == 4
        && number.bytes().all(|b| b.is_ascii_digit())
        && day.len() == 6
        && day.bytes().all(|b| b.is_ascii_digit())
        && !agency.is_empty()
        && agency.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'.')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_follow_the_national_pattern() {
        let day = NaiveDate::from_ymd_opt(2026, 3, 15).unwrap();
        assert_eq!(dossier_code("000.00.21.H12", day, 42), "000.00.21.H12-260315-0042");
        assert_eq!(dossier_code("DEMO.NB.01", day, 9999), "DEMO.NB.01-260315-9999");
    }

    #[test]
    fn only_well_formed_codes_look_like_codes() {
        assert!(looks_like_dossier_code("000.00.21.H12-260315-0042"));
        for bad in ["", "DEMO-260315-42", "demo.nb-260315-0042", "DEMO.NB-2603-0042", "x' OR 1=1"] {
            assert!(!looks_like_dossier_code(bad), "{bad}");
        }
    }
}
