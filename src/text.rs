//! Text as people type it: normalized once at the edge (DOMAIN.md, *People's data*).

use std::fmt;

use unicode_normalization::UnicodeNormalization;

use crate::documents::fonts::check_printable;

/// NFC (some keyboards and Macs send NFD), trimmed, runs of white space folded to one space,
/// and the look-alike Ð/ð (Icelandic eth, U+00D0/U+00F0, typed by some Vietnamese keyboards
/// and fonts) turned into the Vietnamese Đ/đ (U+0110/U+0111), which sort and print as such.
pub fn clean(raw: &str) -> String {
    raw.nfc()
        .map(|c| match c {
            '\u{d0}' => 'Đ',
            '\u{f0}' => 'đ',
            other => other,
        })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// NFC and trimmed, keeping line breaks (as `\n`) for multi-line notes.
pub fn clean_multiline(raw: &str) -> String {
    raw.replace("\r\n", "\n").lines().map(clean).collect::<Vec<_>>().join("\n").trim().to_owned()
}

/// Lower-case ASCII form for accent-insensitive search and uniqueness: "Tân Phú" → "tan phu",
/// "Đồng" → "dong".
pub fn fold(raw: &str) -> String {
    deunicode::deunicode(&clean(raw)).to_lowercase()
}

/// One line of text a person typed, cleaned by [`clean`], with 1 to `MAX` characters, all of
/// which the document fonts can print.
/// Holding one means it is valid; build it with [`Line::parse`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line<const MAX: usize>(String);

impl<const MAX: usize> Line<MAX> {
    /// Errors (Vietnamese, for the user): empty after cleaning, longer than `MAX` characters,
    /// or holding control characters or characters the document fonts lack (emoji, other
    /// scripts).
    pub fn parse(raw: &str) -> Result<Self, String> {
        let text = clean(raw);
        if text.is_empty() {
            // "Must not be empty."
            return Err("Không được để trống.".into());
        }
        check_length(&text, MAX)?;
        if text.chars().any(char::is_control) {
            // "Contains characters that cannot be printed."
            return Err("Có ký tự không in được.".into());
        }
        // Any line may end up on an invitation or certificate.
        check_printable(&text)?;
        Ok(Self(text))
    }

    /// Like [`Line::parse`], but absent or blank input is `None`.
    pub fn parse_optional(raw: Option<&str>) -> Result<Option<Self>, String> {
        match raw.map(clean) {
            Some(text) if !text.is_empty() => Self::parse(&text).map(Some),
            _ => Ok(None),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

impl<const MAX: usize> fmt::Display for Line<MAX> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Multi-line notes cleaned by [`clean_multiline`], at most `max` characters, printable by the
/// document fonts; blank is allowed.
pub fn notes(raw: &str, max: usize) -> Result<String, String> {
    let text = clean_multiline(raw);
    check_length(&text, max)?;
    check_printable(&text)?;
    Ok(text)
}

/// An integer with dots between thousands, as Vietnamese write it (20008 → "20.008"); the
/// `number` filter of the templates.
pub fn thousands(value: i64) -> String {
    let digits = value.unsigned_abs().to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push('.');
        }
        grouped.push(digit);
    }
    if value < 0 { format!("-{grouped}") } else { grouped }
}

/// The inverse of [`thousands`]: a whole number as Vietnamese officers type it, digits
/// optionally grouped by three with dots or with spaces ("1.250", "1 250"). Anything else (a
/// decimal "1.5", a sign, a comma, mixed separators) is none.
pub fn parse_thousands(typed: &str) -> Option<i64> {
    let groups: Vec<&str> = match typed.chars().find(|c| matches!(c, '.' | ' ')) {
        None => vec![typed],
        Some(separator) => typed.split(separator).collect(),
    };
    let digits = |group: &&str| !group.is_empty() && group.bytes().all(|byte| byte.is_ascii_digit());
    // One to three digits, then groups of exactly three.
    let grouped = groups.len() == 1 || (groups[0].len() <= 3 && groups[1..].iter().all(|group| group.len() == 3));
    if !grouped || !groups.iter().all(digits) {
        return None;
    }
    groups.concat().parse().ok()
}

fn check_length(text: &str, max: usize) -> Result<(), String> {
    let length = text.chars().count();
    if length > max {
        // "At most {max} characters (got {length})."
        return Err(format!("Tối đa {max} ký tự (hiện có {length})."));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_numbers_are_read_as_officers_group_them_and_nothing_else() {
        for (typed, read) in [("350", 350), ("1.250", 1250), ("1 250", 1250), ("12.500.000", 12_500_000), ("0", 0)] {
            assert_eq!(parse_thousands(typed), Some(read), "{typed}");
            assert_eq!(parse_thousands(&thousands(read)), Some(read), "read back");
        }
        for typed in ["1.5", "1.25", "12.50", "1.2.3", "1 2", "+350", "-3", "1,250", "1.250 000", "ba trăm", "1..250"]
        {
            assert_eq!(parse_thousands(typed), None, "{typed}");
        }
    }

    #[test]
    fn clean_composes_nfd_and_folds_spaces() {
        let nfd = "Nguye\u{302}\u{303}n  Thi\u{323}\t Minh ";
        assert_eq!(clean(nfd), "Nguyễn Thị Minh");
    }

    #[test]
    fn eth_becomes_d_bar() {
        assert_eq!(clean("Lê Thị \u{d0}ào"), "Lê Thị Đào");
    }

    #[test]
    fn fold_strips_tones_and_d_bar() {
        assert_eq!(fold("Xã Tân Phú"), "xa tan phu");
        assert_eq!(fold("ĐỒNG Đăng"), "dong dang");
    }

    #[test]
    fn numbers_group_thousands_with_dots() {
        assert_eq!(thousands(20008), "20.008");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000_000), "1.000.000");
        assert_eq!(thousands(-1234), "-1.234");
    }

    #[test]
    fn line_rejects_blank_and_too_long() {
        assert!(Line::<5>::parse("   ").is_err());
        assert!(Line::<5>::parse("Thôn Đông").is_err());
        assert_eq!(Line::<9>::parse(" Thôn  Đông ").unwrap().as_str(), "Thôn Đông");
    }
}
