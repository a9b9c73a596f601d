//! The document fonts: Liberation Serif (Times New Roman metrics, as Decree 30/2020 asks; SIL
//! OFL 1.1, `assets/fonts/`), embedded in the binary. Text that any of the four faces cannot
//! print is refused when it is entered, so no document ever shows a blank box.

use std::sync::LazyLock;

use ttf_parser::Face;
use unicode_normalization::UnicodeNormalization;

/// Regular, bold, italic and bold italic: every style a document uses.
pub(super) const FACE_FILES: [(&str, &[u8]); 4] = [
    ("LiberationSerif-Regular", include_bytes!("../../assets/fonts/LiberationSerif-Regular.ttf")),
    ("LiberationSerif-Bold", include_bytes!("../../assets/fonts/LiberationSerif-Bold.ttf")),
    ("LiberationSerif-Italic", include_bytes!("../../assets/fonts/LiberationSerif-Italic.ttf")),
    ("LiberationSerif-BoldItalic", include_bytes!("../../assets/fonts/LiberationSerif-BoldItalic.ttf")),
];

/// The faces, parsed once. The files are part of the build; one that does not parse is a
/// build defect, caught by the tests and at start ([`check_vietnamese`]).
static FACES: LazyLock<Vec<(&'static str, Face<'static>)>> = LazyLock::new(|| {
    FACE_FILES.iter().filter_map(|(name, bytes)| Face::parse(bytes, 0).ok().map(|face| (*name, face))).collect()
});

/// Units per em of face `index` (in [`FACE_FILES`] order) and the advance width of a
/// character in those units (0 for one without a glyph, which entry checks keep out).
pub(super) fn face_metrics(index: usize) -> (u16, impl Fn(char) -> u16) {
    let face = FACES.get(index).map(|(_, face)| face);
    let units_per_em = face.map_or(1000, Face::units_per_em);
    let advance = move |c: char| {
        face.and_then(|face| face.glyph_index(c).and_then(|glyph| face.glyph_hor_advance(glyph))).unwrap_or(0)
    };
    (units_per_em, advance)
}

/// Whether every face has a glyph for `c`, looked up in the fonts' tables.
fn in_every_face(c: char) -> bool {
    FACES.len() == FACE_FILES.len() && FACES.iter().all(|(_, face)| face.glyph_index(c).is_some())
}

/// [`in_every_face`] for each character of the Basic Multilingual Plane, worked out once:
/// imports check millions of characters, and a table lookup is cheaper than four font lookups.
static PRINTABLE_BMP: LazyLock<Vec<bool>> =
    LazyLock::new(|| (0..=0xFFFF_u32).map(|code| char::from_u32(code).is_some_and(in_every_face)).collect());

/// Whether the documents can print `c`. Line breaks and tabs are layout, not glyphs.
fn printable(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\t') || PRINTABLE_BMP.get(c as usize).copied().unwrap_or_else(|| in_every_face(c))
}

/// Errors (Vietnamese, for the user) naming the first character of `text` (cleaned, NFC)
/// that the document fonts cannot print, e.g. an emoji.
pub fn check_printable(text: &str) -> Result<(), String> {
    match text.chars().find(|c| !printable(*c)) {
        // "The character “…” (U+…) cannot be printed on documents; remove or replace it."
        Some(c) => {
            Err(format!("Ký tự “{c}” (U+{:04X}) không in được trên giấy tờ; hãy bỏ hoặc thay ký tự này.", u32::from(c)))
        }
        None => Ok(()),
    }
}

/// Every letter of the Vietnamese alphabet, upper and lower case, with each of the five tone
/// marks: the 12 vowels × 6 tones × 2 cases, Đ and đ, and the other Latin letters.
pub fn vietnamese_letters() -> Vec<char> {
    const VOWELS: &str = "aăâeêioôơuưy";
    const TONES: [&str; 6] = ["", "\u{300}", "\u{301}", "\u{309}", "\u{303}", "\u{323}"];
    let mut letters: Vec<char> = ('a'..='z').chain('A'..='Z').chain(['đ', 'Đ']).collect();
    for vowel in VOWELS.chars().flat_map(|v| [v, v.to_uppercase().next().unwrap_or(v)]) {
        for tone in TONES {
            letters.extend(format!("{vowel}{tone}").nfc());
        }
    }
    letters.sort_unstable();
    letters.dedup();
    letters
}

/// Checked at start: the embedded fonts parse and print every Vietnamese letter. Errors name
/// the face and the letters missing.
pub fn check_vietnamese() -> anyhow::Result<()> {
    if FACES.len() != FACE_FILES.len() {
        anyhow::bail!("a document font does not parse");
    }
    for (name, face) in FACES.iter() {
        let missing: String = vietnamese_letters().into_iter().filter(|c| face.glyph_index(*c).is_none()).collect();
        if !missing.is_empty() {
            anyhow::bail!("font {name} lacks Vietnamese letters: {missing}");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fonts_print_every_vietnamese_letter() {
        let letters = vietnamese_letters();
        // 12 vowels × 6 tones × 2 cases = 144, Đ/đ, and the 40 other Latin letters
        // (a, e, i, o, u, y are among the vowels).
        assert_eq!(letters.len(), 144 + 2 + 40);
        check_vietnamese().expect("all four faces cover Vietnamese");
        assert!(check_printable("Nguyễn Thị Ánh Tuyết — “Khu phố 3”, số 12/4…").is_ok());
    }

    #[test]
    fn emoji_and_unknown_scripts_are_named() {
        let refused = check_printable("Nguyễn Văn 😀").unwrap_err();
        assert!(refused.contains("U+1F600"), "{refused}");
        assert!(check_printable("阮文安").is_err());
    }
}
