//! What a citizen types into the procedure search box, made comparable to stored text.

use super::text::{fold_diacritics, normalize_input};

/// Longer queries are cut: nobody types a procedure name this long, and trigram work grows with it.
pub const MAX_QUERY_CHARS: usize = 100;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchQuery {
    /// As typed (NFC, trimmed, bounded): shown back in the search box.
    pub display: String,
    /// Folded to lower-case ASCII with single spaces: compared with `search_text`.
    pub folded: String,
}

impl SearchQuery {
    /// `None` when there is nothing to search for.
    pub fn parse(raw: &str) -> Option<Self> {
        let display: String = normalize_input(raw).chars().take(MAX_QUERY_CHARS).collect();
        let folded = fold_for_search(&display);
        (!folded.is_empty()).then_some(Self { display, folded })
    }
}

impl SearchQuery {
    /// The folded query's words: runs of letters, digits and inner dots (so codes such as
    /// 1.001193 stay whole), as the catalog's word dictionary splits its text.
    pub fn words(&self) -> Vec<&str> {
        self.folded
            .split(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.'))
            .map(|word| word.trim_matches('.'))
            .filter(|word| !word.is_empty())
            .collect()
    }
}

/// The stored side of the comparison: the same folding as queries.
pub fn fold_for_search(text: &str) -> String {
    fold_diacritics(text).split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_split_on_punctuation_but_keep_codes_whole() {
        let query = SearchQuery::parse("Đăng ký (khai sinh), mã 1.001193.").unwrap();
        assert_eq!(query.words(), ["dang", "ky", "khai", "sinh", "ma", "1.001193"]);
        assert!(SearchQuery::parse("“…”").map_or(true, |q| q.words().is_empty()));
    }

    #[test]
    fn queries_with_and_without_diacritics_fold_to_the_same_text() {
        let with = SearchQuery::parse("Đăng ký  khai sinh").unwrap();
        let without = SearchQuery::parse("dang ky khai sinh").unwrap();
        assert_eq!(with.folded, without.folded);
        assert_eq!(with.display, "Đăng ký  khai sinh");
    }

    #[test]
    fn blank_queries_are_no_search() {
        assert_eq!(SearchQuery::parse(""), None);
        assert_eq!(SearchQuery::parse(" \t "), None);
    }

    #[test]
    fn long_queries_are_bounded() {
        let long = "a".repeat(MAX_QUERY_CHARS * 3);
        assert_eq!(SearchQuery::parse(&long).unwrap().display.chars().count(), MAX_QUERY_CHARS);
    }
}
