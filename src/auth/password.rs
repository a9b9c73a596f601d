//! Password hashing with Argon2id (the `argon2` crate), never stored or logged in clear.

use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};

/// OWASP's recommended Argon2id setting: 19 MiB of memory, 2 passes, 1 lane. About 25 ms per
/// hash on one core of the reference machine, which bounds login throughput per core.
const PARAMS: Params = match Params::new(19 * 1024, 2, 1, None) {
    Ok(params) => params,
    Err(_) => panic!("valid Argon2 parameters"),
};

/// Fewest characters a password may have.
pub const MIN_LENGTH: usize = 10;

fn argon2() -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, PARAMS)
}

/// A PHC string (`$argon2id$v=19$m=19456,t=2,p=1$…`) with a fresh random salt.
pub fn hash(password: &str) -> anyhow::Result<String> {
    argon2()
        .hash_password(password.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|err| anyhow::anyhow!("hashing a password failed: {err}"))
}

/// Whether `password` matches `phc`; a malformed hash never matches. CPU-heavy: call it
/// from a blocking thread.
pub fn verify(password: &str, phc: &str) -> bool {
    argon2().verify_password(password.as_bytes(), phc).is_ok()
}

/// A hash of nothing anyone knows, checked when the e-mail is unknown so that a failed login
/// takes as long whether or not the account exists.
pub fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash("decoy password never used").unwrap_or_default())
}

/// Errors (for the user): shorter than [`MIN_LENGTH`] characters.
pub fn check_strength(password: &str) -> Result<(), String> {
    if password.chars().count() < MIN_LENGTH {
        // "At least 10 characters."
        return Err(format!("Mật khẩu cần ít nhất {MIN_LENGTH} ký tự."));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_and_are_salted() {
        let first = hash("mật khẩu đủ dài").unwrap();
        assert!(first.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{first}");
        assert!(verify("mật khẩu đủ dài", &first));
        assert!(!verify("mật khẩu sai rồi", &first));
        assert_ne!(first, hash("mật khẩu đủ dài").unwrap());
        assert!(!verify("x", "not a hash"));
    }
}
