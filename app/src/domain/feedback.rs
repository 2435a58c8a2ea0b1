//! A citizen's feedback on a posted procedure ("góp ý").

use super::text::normalize_input;

pub const MAX_FEEDBACK_CHARS: usize = 1000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedbackMessage(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum InvalidFeedback {
    #[error("feedback is empty")]
    Empty,
    #[error("feedback is longer than {MAX_FEEDBACK_CHARS} characters")]
    TooLong,
}

impl InvalidFeedback {
    /// Stable short name carried in the redirect URL; the page shows the message
    /// `feedback.error.{slug}` from the locale file.
    pub fn slug(self) -> &'static str {
        match self {
            Self::Empty => "trong",
            Self::TooLong => "qua-dai",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Self> {
        match slug {
            "trong" => Some(Self::Empty),
            "qua-dai" => Some(Self::TooLong),
            _ => None,
        }
    }
}

impl FeedbackMessage {
    pub fn parse(raw: &str) -> Result<Self, InvalidFeedback> {
        let text = normalize_input(raw);
        match text.chars().count() {
            0 => Err(InvalidFeedback::Empty),
            n if n > MAX_FEEDBACK_CHARS => Err(InvalidFeedback::TooLong),
            _ => Ok(Self(text)),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_feedback_is_refused() {
        assert_eq!(FeedbackMessage::parse("   \n "), Err(InvalidFeedback::Empty));
    }

    #[test]
    fn feedback_up_to_the_limit_is_accepted_counting_characters_not_bytes() {
        let at_limit = "ệ".repeat(MAX_FEEDBACK_CHARS);
        assert!(FeedbackMessage::parse(&at_limit).is_ok());
        let over = "ệ".repeat(MAX_FEEDBACK_CHARS + 1);
        assert_eq!(FeedbackMessage::parse(&over), Err(InvalidFeedback::TooLong));
    }

    #[test]
    fn feedback_is_stored_trimmed_and_nfc() {
        let parsed = FeedbackMessage::parse("  Hướng dẫn rõ ra\u{0300}ng ").unwrap();
        assert_eq!(parsed.as_str(), "Hướng dẫn rõ ràng");
    }

    #[test]
    fn error_slugs_round_trip() {
        for e in [InvalidFeedback::Empty, InvalidFeedback::TooLong] {
            assert_eq!(InvalidFeedback::from_slug(e.slug()), Some(e));
        }
        assert_eq!(InvalidFeedback::from_slug("x"), None);
    }
}
