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

impl SearchQuery {
    /// The query with each everyday phrase of `synonyms` (folded words, as the catalog's list
    /// holds them) replaced by its formal words, longest phrase first; shown as typed.
    pub fn with_synonyms(&self, synonyms: &[(String, String)]) -> SearchQuery {
        let mut by_length: Vec<&(String, String)> = synonyms.iter().collect();
        by_length.sort_by_key(|(everyday, _)| std::cmp::Reverse(everyday.len()));
        let mut text = format!(" {} ", self.words().join(" "));
        for (everyday, formal) in by_length {
            text = text.replace(&format!(" {everyday} "), &format!(" {formal} "));
        }
        let folded = text.trim().to_owned();
        if synonyms.is_empty() || folded.is_empty() {
            return self.clone();
        }
        SearchQuery { display: self.display.clone(), folded }
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
    fn everyday_phrases_become_the_catalogs_words_whole_words_only() {
        let synonyms = [
            ("nhap ho khau".to_owned(), "dang ky thuong tru".to_owned()),
            ("ho khau".to_owned(), "cu tru".to_owned()),
            ("ly di".to_owned(), "ly hon".to_owned()),
        ];
        let query = SearchQuery::parse("Nhập hộ khẩu cho con").unwrap().with_synonyms(&synonyms);
        assert_eq!(query.folded, "dang ky thuong tru cho con");
        assert_eq!(query.display, "Nhập hộ khẩu cho con");
        assert_eq!(SearchQuery::parse("sổ hộ khẩu").unwrap().with_synonyms(&synonyms).folded, "so cu tru");
        // "ly dich" is not "ly di".
        assert_eq!(SearchQuery::parse("ly dich").unwrap().with_synonyms(&synonyms).folded, "ly dich");
        let plain = SearchQuery::parse("Đăng ký, khai sinh").unwrap();
        assert_eq!(plain.with_synonyms(&[]), plain);
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
