//! The visitor's language. Vietnamese first; English where a translation exists (catalog content
//! itself stays Vietnamese). The choice is a cookie, set by a plain link, so it works without
//! JavaScript and persists across pages.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub const COOKIE: &str = "lang";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Locale {
    #[default]
    Vi,
    En,
}

impl Locale {
    pub fn code(self) -> &'static str {
        match self {
            Self::Vi => "vi",
            Self::En => "en",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        match code {
            "vi" => Some(Self::Vi),
            "en" => Some(Self::En),
            _ => None,
        }
    }

    /// The language named in a `Cookie` header, Vietnamese when absent or unknown.
    pub fn from_cookie_header(header: &str) -> Self {
        header
            .split(';')
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(name, _)| *name == COOKIE)
            .and_then(|(_, value)| Self::parse(value.trim()))
            .unwrap_or_default()
    }
}

/// Reads the request's language into context; called once per page render.
pub fn provide_locale() {
    #[cfg(feature = "ssr")]
    let locale = use_context::<http::request::Parts>()
        .and_then(|parts| {
            parts.headers.get(http::header::COOKIE).and_then(|v| v.to_str().ok()).map(Locale::from_cookie_header)
        })
        .unwrap_or_default();
    #[cfg(not(feature = "ssr"))]
    let locale = Locale::default();
    provide_context(locale);
}

pub fn locale() -> Locale {
    use_context::<Locale>().unwrap_or_default()
}

/// The text for `key` in the page's language (Vietnamese when English lacks it).
pub fn tr(key: &str) -> String {
    translated(key, locale().code()).or_else(|| translated(key, "vi")).unwrap_or_else(|| key.to_owned())
}

fn translated(key: &str, code: &str) -> Option<String> {
    let text = rust_i18n::t!(key, locale = code);
    // rust-i18n answers "{locale}.{key}" for a missing translation.
    (text != format!("{code}.{key}")).then(|| text.into_owned())
}

/// The text of a code of some kind (`status`, `role`, `queue`, `satisfaction`, …): the key
/// `{group}.{code}`.
pub fn tr_code(group: &str, code: &str) -> String {
    tr(&format!("{group}.{code}"))
}

/// Like [`tr`], filling `%{name}` placeholders.
pub fn tr_with(key: &str, values: &[(&str, &str)]) -> String {
    values.iter().fold(tr(key), |text, (name, value)| text.replace(&format!("%{{{name}}}"), value))
}

/// The Vietnamese text of `key`, where no page is rendering (a task of its own, an SMS).
pub fn vi(key: &str) -> String {
    translated(key, "vi").unwrap_or_else(|| key.to_owned())
}

/// A text decided where the page is not known (a rule's message, a flash after a redirect, an
/// audit line): its locale key and the values of its placeholders, shown in the reader's
/// language when the page renders.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Text {
    pub key: String,
    pub values: Vec<(String, String)>,
    /// Placeholders filled with another locale text, by its key.
    pub texts: Vec<(String, String)>,
}

impl Text {
    pub fn new(key: impl Into<String>) -> Self {
        Self { key: key.into(), values: Vec::new(), texts: Vec::new() }
    }

    pub fn with(mut self, name: &str, value: impl Into<String>) -> Self {
        self.values.push((name.to_owned(), value.into()));
        self
    }

    /// Fills `name` with the text of `key`, in the same language as the whole.
    pub fn with_text(mut self, name: &str, key: impl Into<String>) -> Self {
        self.texts.push((name.to_owned(), key.into()));
        self
    }

    /// In the page's language.
    pub fn show(&self) -> String {
        self.fill(tr(&self.key), tr)
    }

    /// In Vietnamese, where the reader's language is not known (an SMS).
    pub fn vi(&self) -> String {
        self.fill(vi(&self.key), vi)
    }

    fn fill(&self, template: String, translate: fn(&str) -> String) -> String {
        let texts = self.texts.iter().map(|(name, key)| (name, translate(key)));
        let values = self.values.iter().map(|(name, value)| (name, value.clone()));
        texts.chain(values).fold(template, |text, (name, value)| text.replace(&format!("%{{{name}}}"), &value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cookie_picks_the_language_and_anything_else_means_vietnamese() {
        assert_eq!(Locale::from_cookie_header("a=1; lang=en; b=2"), Locale::En);
        assert_eq!(Locale::from_cookie_header("lang=vi"), Locale::Vi);
        assert_eq!(Locale::from_cookie_header("lang=fr"), Locale::Vi);
        assert_eq!(Locale::from_cookie_header(""), Locale::Vi);
        assert_eq!(Locale::from_cookie_header("xlang=en"), Locale::Vi);
    }

    #[test]
    fn a_text_is_filled_in_one_language_throughout() {
        let text = Text::new("desk.flash.done").with_text("action", "desk.button.chuyen");
        assert_eq!(text.vi(), "Đã thực hiện: Chuyển cơ quan khác (liên thông).");
        let owner = Owner::new();
        owner.with(|| {
            provide_context(Locale::En);
            assert_eq!(text.show(), "Done: Forward to another agency.");
        });
    }

    #[test]
    fn every_key_has_both_languages() {
        let keys = include_str!("../locales/app.yml")
            .lines()
            .filter(|line| !line.starts_with(' ') && !line.starts_with('_') && line.ends_with(':'))
            .map(|line| line.trim_end_matches(':'));
        let mut count = 0;
        for key in keys {
            for code in ["vi", "en"] {
                assert!(translated(key, code).is_some(), "missing {code} text for {key}");
            }
            count += 1;
        }
        assert!(count > 50);
    }
}
