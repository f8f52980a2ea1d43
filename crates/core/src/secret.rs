//! Secrets (access tokens, client secrets, session ids) and their digests. A `Secret` never
//! prints itself: its `Debug` shows a short fingerprint so logs can correlate without leaking.

use aws_lc_rs::{constant_time, digest, rand::SecureRandom};

/// A raw secret value. `Debug` prints `Secret(fp:xxxxxxxx)`, never the value.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The raw value, for the one place that must hand it to its owner (a response body, a
    /// signature key).
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The SHA-256 hex digest under which the secret is stored.
    pub fn digest(&self) -> String {
        sha256_hex(self.0.as_bytes())
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Secret(fp:{})", &self.digest()[..8])
    }
}

/// The SHA-256 digest of `bytes`, as bytes (what the token cache is keyed by).
pub fn sha256(bytes: &[u8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    out.copy_from_slice(digest::digest(&digest::SHA256, bytes).as_ref());
    out
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    // By table: every request digests its token, and `hex::encode` goes a char at a time.
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let digest = digest::digest(&digest::SHA256, bytes);
    let mut out = String::with_capacity(64);
    for b in digest.as_ref() {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    out
}

/// Compares two digests without leaking where they differ.
pub fn digests_equal(a: &str, b: &str) -> bool {
    constant_time::verify_slices_are_equal(a.as_bytes(), b.as_bytes()).is_ok()
}

/// `len` random bytes from the system CSPRNG.
pub fn random_bytes(len: usize) -> Vec<u8> {
    let mut buf = vec![0u8; len];
    // SystemRandom only fails when the OS has no entropy source, which is unrecoverable.
    if aws_lc_rs::rand::SystemRandom::new().fill(&mut buf).is_err() {
        std::process::abort();
    }
    buf
}

/// A random string of `len` characters from `[a-z0-9]` (client ids, access tokens).
pub fn random_alnum(len: usize) -> String {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    // Rejection sampling keeps the distribution uniform (252 = 7 * 36).
    let mut out = String::with_capacity(len);
    while out.len() < len {
        for b in random_bytes(len * 2) {
            if b < 252 && out.len() < len {
                out.push(ALPHABET[(b % 36) as usize] as char);
            }
        }
    }
    out
}

pub fn random_hex(bytes: usize) -> String {
    hex::encode(random_bytes(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_value() {
        let s = Secret::new("very-secret-token");
        let shown = format!("{s:?}");
        assert!(!shown.contains("very-secret-token"));
        assert!(shown.starts_with("Secret(fp:"));
    }

    #[test]
    fn alnum_has_requested_length_and_alphabet() {
        let s = random_alnum(31);
        assert_eq!(s.len(), 31);
        assert!(s
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()));
        assert_ne!(s, random_alnum(31));
    }

    #[test]
    fn digests_compare() {
        let a = Secret::new("x").digest();
        assert!(digests_equal(&a, &Secret::new("x").digest()));
        assert!(!digests_equal(&a, &Secret::new("y").digest()));
    }
}
