//! Vietnamese text handling shared by storage and search.

use unicode_normalization::UnicodeNormalization;

/// Normalises user input to Unicode NFC and trims it, so "Hoà" typed with a combining
/// accent and "Hoà" typed precomposed are stored and compared as the same text.
pub fn normalize_input(raw: &str) -> String {
    raw.trim().nfc().collect()
}

/// Folds Vietnamese text to lower-case ASCII for diacritic-insensitive matching:
/// "Đăng ký khai sinh" → "dang ky khai sinh".
pub fn fold_diacritics(text: &str) -> String {
    text.nfd()
        .filter(|c| !is_combining_mark(*c))
        .map(|c| match c {
            'đ' | 'Đ' => 'd',
            other => other,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

fn is_combining_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decomposed_and_precomposed_input_become_identical() {
        let decomposed = "Hoa\u{0300}"; // "Hoà" with a combining grave accent
        assert_eq!(normalize_input(decomposed), "Hoà");
        assert_eq!(normalize_input(decomposed), normalize_input("Hoà"));
    }

    #[test]
    fn input_is_trimmed() {
        assert_eq!(normalize_input("  Hộ tịch \n"), "Hộ tịch");
    }

    #[test]
    fn folding_removes_every_vietnamese_tone_and_vowel_mark() {
        assert_eq!(fold_diacritics("Đăng ký khai sinh"), "dang ky khai sinh");
        assert_eq!(fold_diacritics("Xác nhận tình trạng hôn nhân"), "xac nhan tinh trang hon nhan");
        assert_eq!(fold_diacritics("ƯỚC ĐỊNH Ở ỦY BAN"), "uoc dinh o uy ban");
    }

    #[test]
    fn folding_leaves_ascii_unchanged_apart_from_case() {
        assert_eq!(fold_diacritics("Ma 1.001193"), "ma 1.001193");
    }
}
