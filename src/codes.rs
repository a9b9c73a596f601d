//! Random codes people read, type or scan: check-in codes on invitations and verification
//! codes on certificates. Crockford's base 32 (digits and letters without I, L, O, U): easy to
//! read aloud, safe in URLs, and forgiving when typed.

use rand::Rng;

const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// `length` random letters of 5 bits each (12 letters = 60 bits, 20 letters = 100 bits).
pub fn random_code(length: usize) -> String {
    let mut rng = rand::rng();
    (0..length).map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())])).collect()
}

/// A code as typed or scanned, in stored form: the last part of a scanned link
/// (`…/verify/CODE`), upper case, without spaces, dashes or dots, with O read as 0 and I, L as 1.
pub fn normalize_code(raw: &str) -> String {
    let code = raw.trim().trim_end_matches('/').rsplit('/').next().unwrap_or_default();
    code.chars()
        .filter(|c| !matches!(c, ' ' | '-' | '.'))
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            other => other,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_random_and_forgiving_to_type() {
        let code = random_code(12);
        assert_eq!(code.len(), 12);
        assert!(code.bytes().all(|b| ALPHABET.contains(&b)));
        assert_ne!(code, random_code(12));
        assert_eq!(normalize_code(" 7kq2-m9xd-4rta "), "7KQ2M9XD4RTA");
        assert_eq!(normalize_code("https://ngayhoi.vn/verify/7KQ2M9XD4RTA"), "7KQ2M9XD4RTA");
        assert_eq!(normalize_code("o1l"), "011");
    }
}
