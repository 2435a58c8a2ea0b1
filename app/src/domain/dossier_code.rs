//! Dossier codes: `{receiving agency's identifier}-{yyMMdd}-{NNNN}`, numbered per agency per day.

use chrono::NaiveDate;

/// Digits of a day's number, zero-padded.
pub const NUMBER_DIGITS: usize = 4;
/// Largest number a day's counter may reach (four digits).
pub const MAX_DAILY_NUMBER: u32 = 9999;

pub fn dossier_code(agency_identifier: &str, day: NaiveDate, number: u32) -> String {
    format!("{}{number:0width$}", code_prefix(agency_identifier, day), width = NUMBER_DIGITS)
}

/// The code up to its number: the submission numbers it in the database.
pub fn code_prefix(agency_identifier: &str, day: NaiveDate) -> String {
    format!("{agency_identifier}-{}-", day.format("%y%m%d"))
}

/// What people type for a code, reduced to upper-case letters and digits, so that a code typed
/// in lower case, with spaces, or without its dots and hyphens finds the dossier: compared with
/// [`COMPACT_CODE_SQL`] of the stored code. `None` unless it ends in the day and number (ten
/// digits) after an agency part.
pub fn compact_code(raw: &str) -> Option<String> {
    let compact = compact_text(raw);
    let digits = compact.bytes().rev().take_while(u8::is_ascii_digit).count();
    (compact.len() <= 40 && digits >= 10 && compact.len() > 10).then_some(compact)
}

/// `raw`'s ASCII letters and digits, upper-cased (a prefix of a code for the desk's search).
pub fn compact_text(raw: &str) -> String {
    raw.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_uppercase()).collect()
}

/// The stored code of dossier `s` as [`compact_code`] makes it (an index has this expression).
pub const COMPACT_CODE_SQL: &str = "upper(regexp_replace(s.code, '[^A-Za-z0-9]', '', 'g'))";

/// The code in groups to read aloud or copy by hand: agency, day, number.
pub fn grouped(code: &str) -> String {
    code.split('-').collect::<Vec<_>>().join(" · ")
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
    fn codes_typed_loosely_compact_to_the_stored_codes_letters_and_digits() {
        for typed in
            ["DEMO.NB.03-261202-0001", "demo nb 03 261202 0001", "DEMONB032612020001", " Demo.nb.03 - 261202 - 0001 "]
        {
            assert_eq!(compact_code(typed).as_deref(), Some("DEMONB032612020001"), "{typed}");
        }
        for not_a_code in ["", "0001", "2612020001", "DEMO-26120-0001", &"9".repeat(60)] {
            assert_eq!(compact_code(not_a_code), None, "{not_a_code}");
        }
        assert_eq!(grouped("000.00.21.H12-260315-0042"), "000.00.21.H12 · 260315 · 0042");
    }
}
