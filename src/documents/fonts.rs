//! The document fonts: Liberation Serif (Times New Roman metrics, as Decree 30/2020 asks; SIL
//! OFL 1.1, `assets/fonts/`), embedded in the binary. Documents print a fixed repertoire
//! (Vietnamese, Latin-1, typed punctuation: [`repertoire`]); text outside it is refused when it
//! is entered, and again when a page is drawn, so no document ever shows a blank box.

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

/// Advance widths by code point up to [`LAST`], per face, read from the fonts once: text
/// is measured for every line of every page, and a table beats a cmap lookup per character.
static ADVANCES: LazyLock<Vec<Vec<u16>>> = LazyLock::new(|| {
    FACES
        .iter()
        .map(|(_, face)| {
            (0..=LAST as u32)
                .map(|code| {
                    char::from_u32(code)
                        .and_then(|c| face.glyph_index(c))
                        .and_then(|glyph| face.glyph_hor_advance(glyph))
                        .unwrap_or(0)
                })
                .collect()
        })
        .collect()
});

/// Units per em of face `index` (in [`FACE_FILES`] order) and the advance width of a
/// character in those units (0 for one without a glyph, which entry checks keep out).
pub(super) fn face_metrics(index: usize) -> (u16, impl Fn(char) -> u16) {
    let face = FACES.get(index).map(|(_, face)| face);
    let units_per_em = face.map_or(1000, Face::units_per_em);
    let table = ADVANCES.get(index);
    let advance = move |c: char| match table.and_then(|table| table.get(c as usize)) {
        Some(advance) => *advance,
        None => face.and_then(|face| face.glyph_index(c).and_then(|glyph| face.glyph_hor_advance(glyph))).unwrap_or(0),
    };
    (units_per_em, advance)
}

/// Whether every face has a glyph for `c`, looked up in the fonts' tables.
fn in_every_face(c: char) -> bool {
    FACES.len() == FACE_FILES.len() && FACES.iter().all(|(_, face)| face.glyph_index(c).is_some())
}

/// The Vietnamese letters outside Latin-1 and the Latin Extended Additional block: Ă ă Đ đ
/// Ĩ ĩ Ũ ũ Ơ ơ Ư ư.
const VIETNAMESE_EXTRA: [char; 12] = [
    '\u{102}', '\u{103}', '\u{110}', '\u{111}', '\u{128}', '\u{129}', '\u{168}', '\u{169}', '\u{1A0}', '\u{1A1}',
    '\u{1AF}', '\u{1B0}',
];

/// Punctuation and signs of typed documents beyond Latin-1: dashes, curly quotes, bullet,
/// ellipsis, per mille, đồng and euro signs, numero sign.
const PUNCTUATION: [char; 12] = ['–', '—', '‘', '’', '“', '”', '•', '…', '‰', '₫', '€', '№'];

/// Whether `c` belongs to the printable repertoire, before looking at the fonts: printable
/// ASCII, Latin-1 (names such as "Hélène"), the Vietnamese letters (the Latin Extended
/// Additional block U+1EA0–U+1EF9 and [`VIETNAMESE_EXTRA`]) and [`PUNCTUATION`].
fn in_repertoire(c: char) -> bool {
    matches!(c, ' '..='~' | '\u{A0}'..='\u{FF}' | '\u{1EA0}'..='\u{1EF9}')
        || VIETNAMESE_EXTRA.contains(&c)
        || PUNCTUATION.contains(&c)
}

/// Every character the documents can print: [`in_repertoire`] and drawn by all four faces.
/// The fonts are embedded subset to exactly these once per process (`pdf::Fonts`), so what
/// entry accepts is what every document can draw. Characters that share a glyph with
/// another (Ð and Đ) come first, so the text read back from a PDF gives the ASCII and
/// Vietnamese ones, which come last.
pub fn repertoire() -> Vec<char> {
    let letters = vietnamese_letters();
    let preferred = |c: &char| c.is_ascii() || letters.contains(c);
    let all = (' '..=LAST).filter(|c| in_repertoire(*c) && in_every_face(*c));
    let (preferred, others): (Vec<char>, Vec<char>) = all.partition(preferred);
    others.into_iter().chain(preferred).collect()
}

/// The highest code point of the repertoire (№).
const LAST: char = '\u{2116}';

/// [`repertoire`] as a table by code point, worked out once: imports check millions of
/// characters, and a table lookup is cheaper than four font lookups.
static PRINTABLE: LazyLock<Vec<bool>> = LazyLock::new(|| {
    let mut table = vec![false; LAST as usize + 1];
    for c in repertoire() {
        table[c as usize] = true;
    }
    table
});

/// Whether the documents can print `c`. Line breaks and tabs are layout, not glyphs.
fn printable(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\t') || PRINTABLE.get(c as usize).copied().unwrap_or(false)
}

/// Errors (Vietnamese, for the user) naming the first character of `text` (cleaned, NFC)
/// that the document fonts cannot print, e.g. an emoji.
pub fn check_printable(text: &str) -> Result<(), String> {
    text.chars().find(|c| !printable(*c)).map_or(Ok(()), |c| Err(unprintable(c)))
}

/// The message (Vietnamese, for the user) refusing `c`, which the documents cannot print:
/// "The character “…” (U+…) cannot be printed on documents; remove or replace it."
pub(super) fn unprintable(c: char) -> String {
    // A lone combining mark is shown on a dotted circle, as character charts do; in quotes
    // alone it would sit on the quote mark.
    let shown = if ('\u{300}'..='\u{36F}').contains(&c) { format!("\u{25CC}{c}") } else { c.to_string() };
    format!("Ký tự “{shown}” (U+{:04X}) không in được trên giấy tờ; hãy bỏ hoặc thay ký tự này.", u32::from(c))
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
