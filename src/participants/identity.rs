//! Contact and identity numbers as Vietnamese people write them (DOMAIN.md, *People's data*).

use super::model::Sex;
use crate::time::local_year;

/// A phone number in national form: mobile `0[35789]` + 8 digits, or landline `02` + 9 digits.
/// Accepts `+84`/`84` for the leading zero and spaces, dots, dashes and brackets between digits.
/// Errors (Vietnamese, for the user) name the expected forms.
pub fn normalize_phone(raw: &str) -> Result<String, String> {
    // "A mobile number has 10 digits starting with 03, 05, 07, 08, 09; a landline 11 digits starting with 02."
    let wrong = || {
        "Số điện thoại di động có 10 chữ số bắt đầu bằng 03, 05, 07, 08, 09; số cố định có 11 chữ số bắt đầu bằng 02."
            .to_owned()
    };
    let trimmed = raw.trim();
    let international = trimmed.starts_with('+');
    let mut digits = String::with_capacity(trimmed.len());
    for c in trimmed.trim_start_matches('+').chars() {
        match c {
            '0'..='9' => digits.push(c),
            ' ' | '.' | '-' | '(' | ')' | '\u{a0}' => {}
            _ => return Err(wrong()),
        }
    }
    let national = if let Some(rest) = digits.strip_prefix("84").filter(|rest| international || rest.len() >= 9) {
        // `+84 912…` and `84912…` (9 or 10 digits after the country code) drop 84 for a 0.
        if rest.starts_with('0') { rest.to_owned() } else { format!("0{rest}") }
    } else if international {
        return Err(wrong());
    } else {
        digits
    };
    let is_mobile = national.len() == 10 && matches!(national.get(..2), Some("03" | "05" | "07" | "08" | "09"));
    let is_landline = national.len() == 11 && national.starts_with("02");
    if is_mobile || is_landline { Ok(national) } else { Err(wrong()) }
}

/// An e-mail address, lower-cased. Errors when its syntax is wrong (RFC 5322 via `email_address`).
pub fn normalize_email(raw: &str) -> Result<String, String> {
    let email = raw.trim().to_lowercase();
    if email.len() <= 254 && email_address::EmailAddress::is_valid(&email) && email.contains('.') {
        Ok(email)
    } else {
        Err("Địa chỉ email không đúng, ví dụ: ten@example.com.".into()) // "Not a valid e-mail address."
    }
}

/// A CCCD (citizen identity number): exactly 12 digits, spaces ignored. Errors otherwise.
pub fn normalize_cccd(raw: &str) -> Result<String, String> {
    let digits: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.len() == 12 && digits.bytes().all(|b| b.is_ascii_digit()) {
        Ok(digits)
    } else {
        Err("Số CCCD gồm đúng 12 chữ số.".into()) // "A CCCD has exactly 12 digits."
    }
}

/// Province codes of the registration place, the first three CCCD digits: the 63 provinces
/// before the 2025 merger (Circular 07/2016/TT-BCA, amended by 06/2021/TT-BCA).
const CCCD_PROVINCES: [u16; 63] = [
    1, 2, 4, 6, 8, 10, 11, 12, 14, 15, 17, 19, 20, 22, 24, 25, 26, 27, 30, 31, 33, 34, 35, 36, 37, 38, 40, 42, 44, 45,
    46, 48, 49, 51, 52, 54, 56, 58, 60, 62, 64, 66, 67, 68, 70, 72, 74, 75, 77, 79, 80, 82, 83, 84, 86, 87, 89, 91, 92,
    93, 94, 95, 96,
];

/// Soft checks of a valid 12-digit CCCD: the province code, the birth year (4th digit = century
/// and sex, 5th–6th = year), and the sex when known. Each problem is a Vietnamese warning;
/// none is a refusal, because the number on the card is what it is.
pub fn cccd_warnings(cccd: &str, sex: Option<Sex>, today: chrono::DateTime<chrono::Utc>) -> Vec<String> {
    let mut warnings = Vec::new();
    let digit = |i: usize| u16::from(cccd.as_bytes()[i] - b'0');
    let province = digit(0) * 100 + digit(1) * 10 + digit(2);
    if !CCCD_PROVINCES.contains(&province) {
        // "The first three digits (…) are not a province code."
        warnings.push(format!("Ba chữ số đầu ({:03}) không phải mã tỉnh, thành phố.", province));
    }
    let century_sex = digit(3);
    let century = 1900 + i32::from(century_sex / 2) * 100;
    let birth_year = century + i32::from(digit(4) * 10 + digit(5));
    let this_year = local_year(today);
    if birth_year > this_year || birth_year < this_year - 120 {
        // "The birth year in the CCCD (…) is impossible."
        warnings.push(format!("Năm sinh trong số CCCD ({birth_year}) không hợp lý."));
    }
    let card_sex = if century_sex % 2 == 0 { Sex::Male } else { Sex::Female };
    if sex.is_some_and(|sex| sex != card_sex) {
        // "The CCCD says …, the form says …."
        warnings.push(format!(
            "Số CCCD cho biết giới tính {}, khác với giới tính đã nhập.",
            card_sex.label().to_lowercase()
        ));
    }
    warnings
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;

    #[test]
    fn phones_in_every_written_form_become_national() {
        for raw in ["0912345678", "091 234 5678", "0912.345.678", "+84 912 345 678", "84912345678", "+84912345678"] {
            assert_eq!(normalize_phone(raw).as_deref(), Ok("0912345678"), "{raw}");
        }
        assert_eq!(normalize_phone("(028) 3823 4567").as_deref(), Ok("02838234567"));
        assert_eq!(normalize_phone("+84 28 3823 4567").as_deref(), Ok("02838234567"));
    }

    #[test]
    fn wrong_phones_are_refused() {
        for raw in ["091234567", "01234567890", "0612345678", "09123456789", "+1 212 555 0100", "0912abc678", ""] {
            assert!(normalize_phone(raw).is_err(), "{raw}");
        }
    }

    #[test]
    fn email_syntax() {
        assert_eq!(normalize_email(" An.Nguyen@Example.VN ").as_deref(), Ok("an.nguyen@example.vn"));
        for raw in ["an@", "an.example.vn", "an@@example.vn", "an@localhost"] {
            assert!(normalize_email(raw).is_err(), "{raw}");
        }
    }

    #[test]
    fn cccd_is_twelve_digits_with_soft_checks() {
        let today = Utc.with_ymd_and_hms(2026, 11, 29, 0, 0, 0).unwrap();
        assert_eq!(normalize_cccd("079 085 001 234").as_deref(), Ok("079085001234"));
        assert!(normalize_cccd("07908500123").is_err());
        assert!(normalize_cccd("07908500123x").is_err());
        // Hồ Chí Minh (079), male born 1985: nothing to say.
        assert!(cccd_warnings("079085001234", Some(Sex::Male), today).is_empty());
        // Female born 2001 (century-sex digit 3).
        assert!(cccd_warnings("001301001234", Some(Sex::Female), today).is_empty());
        // 003 is not a province code.
        assert_eq!(cccd_warnings("003085001234", None, today).len(), 1);
        // Born 2099 and born in the 22nd century are impossible.
        assert_eq!(cccd_warnings("079299001234", None, today).len(), 1);
        assert_eq!(cccd_warnings("079405001234", None, today).len(), 1);
        // The card says male, the form says female.
        assert_eq!(cccd_warnings("079085001234", Some(Sex::Female), today).len(), 1);
    }
}
