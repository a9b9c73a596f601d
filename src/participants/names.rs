//! Vietnamese personal names: the given name, and the order readers expect (DOMAIN.md,
//! *People's data*): by given name, then middle, then family name, with the CLDR "vi"
//! collation (Đ after D; a < ă < â; tones compared after the letters).

use std::sync::LazyLock;

use icu_collator::options::CollatorOptions;
use icu_collator::{CollatorBorrowed, CollatorPreferences};
use icu_locale_core::locale;

/// The collator of the "vi" locale, from the data compiled into the binary.
static VIETNAMESE: LazyLock<CollatorBorrowed<'static>> = LazyLock::new(|| {
    let preferences = CollatorPreferences::from(&locale!("vi"));
    // The compiled data has "vi"; failing here is a build defect, not an input error.
    CollatorBorrowed::try_new(preferences, CollatorOptions::default()).expect("compiled vi collation data")
});

/// The given name when none is stated: the last word ("Nguyễn Thị Minh Khai" → "Khai").
pub fn default_given_name(full_name: &str) -> &str {
    full_name.rsplit(' ').next().unwrap_or(full_name)
}

/// Family, middle and given name of `full_name` (cleaned text). When `given_name` is not the
/// end of the full name (some ethnic names), everything after the first word is the middle.
fn parts<'a>(full_name: &'a str, given_name: &'a str) -> (&'a str, &'a str, &'a str) {
    let before_given = full_name
        .strip_suffix(given_name)
        .filter(|rest| rest.is_empty() || rest.ends_with(' '))
        .map(str::trim_end)
        .unwrap_or(full_name);
    let (family, middle) = before_given.split_once(' ').unwrap_or((before_given, ""));
    (family, middle, given_name)
}

/// A byte string whose plain byte order (SQL `ORDER BY` on a BLOB/bytea) is the Vietnamese
/// order of names: by given name, then middle, then family, each compared whole by the "vi"
/// collation (letters, then tones, then case) before the next part counts — so every "An"
/// comes before any "Án", and "Vũ An" before "Vũ Văn An".
///
/// The parts' collation keys are joined by a zero byte, which no key contains and which sorts
/// below every key byte: a shorter part (or an empty middle name) sorts first. Keys depend on
/// the collation data of `icu_collator`; when that crate is upgraded, stored keys must be
/// recomputed (they derive only from `full_name` and `given_name`).
pub fn sort_key(full_name: &str, given_name: &str) -> Vec<u8> {
    let (family, middle, given) = parts(full_name, given_name);
    let mut key = Vec::with_capacity(96);
    for (i, part) in [given, middle, family].into_iter().enumerate() {
        if i > 0 {
            key.push(0);
        }
        let Ok(()) = VIETNAMESE.write_sort_key_to(part, &mut key);
    }
    key
}

/// The sort key of a person's name (given name = last word) or, for a collective, of its
/// whole name: recipients of awards in the order readers expect.
pub fn recipient_key(name: &str, is_person: bool) -> Vec<u8> {
    if is_person {
        sort_key(name, default_given_name(name))
    } else {
        let mut key = Vec::with_capacity(64);
        let Ok(()) = VIETNAMESE.write_sort_key_to(name, &mut key);
        key
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn given_name_is_the_last_word_unless_stated() {
        assert_eq!(default_given_name("Nguyễn Thị Minh Khai"), "Khai");
        assert_eq!(default_given_name("Khai"), "Khai");
        assert_eq!(parts("Nguyễn Thị Minh Khai", "Khai"), ("Nguyễn", "Thị Minh", "Khai"));
        assert_eq!(parts("Nguyễn Thị Minh Khai", "Minh Khai"), ("Nguyễn", "Thị", "Minh Khai"));
        assert_eq!(parts("H Hen Niê", "Hen"), ("H", "Hen Niê", "Hen"));
        assert_eq!(parts("Khai", "Khai"), ("", "", "Khai"));
    }

    #[test]
    fn names_sort_in_vietnamese_order() {
        // The expected order, by given name, then middle, then family name.
        let expected = [
            "Trần An",       // An without a middle name first,
            "Lê Văn An",     // then by middle name,
            "Nguyễn Văn An", // then by family name (L before N).
            "Võ Anh",        // Anh and Ánh share their letters; no tone first.
            "Phạm Thị Ánh",
            "Hoàng Ân", // â is a letter of its own, after a.
            "Lý Bình",
            "Đỗ Dũng",
            "Bùi Đức", // Đ after D.
            "Trịnh Em",
            "Mai Hà",
            "Phan Hạ", // Same letters as Hà; the heavier tone after.
        ];
        let mut names: Vec<&str> = expected.iter().rev().copied().collect();
        names.sort_by_key(|name| sort_key(name, default_given_name(name)));
        assert_eq!(names, expected);
    }

    #[test]
    fn the_given_names_tone_counts_before_middle_and_family_names() {
        let expected = ["Vũ An", "Vũ Văn An", "Lê Án", "Bùi Thị Ạn", "Ngô Thị Ân", "Hồ Ẩn"];
        let mut names: Vec<&str> = expected.iter().rev().copied().collect();
        names.sort_by_key(|name| sort_key(name, default_given_name(name)));
        assert_eq!(names, expected);
    }

    /// Words in the order their collation keys give.
    fn compare_words(left: &str, right: &str) -> std::cmp::Ordering {
        recipient_key(left, false).cmp(&recipient_key(right, false))
    }

    #[test]
    fn d_bar_sorts_after_d_and_breve_after_a() {
        assert_eq!(compare_words("Dũng", "Đức"), std::cmp::Ordering::Less);
        assert_eq!(compare_words("Đức", "Em"), std::cmp::Ordering::Less);
        assert_eq!(compare_words("Anh", "Ăn"), std::cmp::Ordering::Less);
        assert_eq!(compare_words("Ăn", "Ân"), std::cmp::Ordering::Less);
        assert_eq!(compare_words("Ân", "Bình"), std::cmp::Ordering::Less);
    }
}
