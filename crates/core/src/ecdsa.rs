//! ECDSA P-256 signatures in their one canonical form (SPEC §11). For a valid signature
//! `(r, s)`, `(r, n − s)` verifies too: a second encoding of the same token, with the same
//! `jti`. We sign with the low `s` only and refuse the high one, so every token has exactly one
//! valid string and a revocation or a cache entry always names it.

/// The order `n` of the P-256 group, big-endian.
const ORDER: [u8; 32] = [
    0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    0xBC, 0xE6, 0xFA, 0xAD, 0xA7, 0x17, 0x9E, 0x84, 0xF3, 0xB9, 0xCA, 0xC2, 0xFC, 0x63, 0x25, 0x51,
];

/// `floor(n / 2)`: an `s` above it is the high form.
const HALF_ORDER: [u8; 32] = [
    0x7F, 0xFF, 0xFF, 0xFF, 0x80, 0x00, 0x00, 0x00, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    0xDE, 0x73, 0x7D, 0x56, 0xD3, 0x8B, 0xCF, 0x42, 0x79, 0xDC, 0xE5, 0x61, 0x7E, 0x31, 0x92, 0xA8,
];

/// Is this fixed-size `r || s` signature in low-`s` form? (Big-endian byte arrays of equal
/// length compare as the numbers they encode.)
pub fn is_low_s(signature: &[u8]) -> bool {
    signature.len() == 64 && signature[32..] <= HALF_ORDER[..]
}

/// Turns a fixed-size `r || s` signature into its low-`s` form (`s` becomes `n − s` when it is
/// high); the signature still verifies.
pub fn normalize(signature: &mut [u8]) {
    if signature.len() == 64 && !is_low_s(signature) {
        flip_s(signature);
    }
}

/// Replaces `s` by `n − s` in a fixed-size `r || s` signature: the other encoding of the same
/// signature (`0 < s < n` for any signature that verifies).
pub fn flip_s(signature: &mut [u8]) {
    let s = &mut signature[32..64];
    let mut borrow = 0i16;
    for i in (0..32).rev() {
        let d = i16::from(ORDER[i]) - i16::from(s[i]) - borrow;
        (s[i], borrow) = if d < 0 {
            ((d + 256) as u8, 1)
        } else {
            (d as u8, 0)
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_high_form_becomes_the_low_one_and_back() {
        let mut sig = [0u8; 64];
        sig[32..].copy_from_slice(&HALF_ORDER);
        assert!(is_low_s(&sig));
        sig[63] += 1; // (n + 1) / 2: the smallest high s
        assert!(!is_low_s(&sig));
        normalize(&mut sig);
        assert!(is_low_s(&sig));
        assert_eq!(&sig[32..], &HALF_ORDER[..], "n - (n + 1) / 2 = (n - 1) / 2");
        let mut one = [0u8; 64];
        one[63] = 1;
        normalize(&mut one);
        assert_eq!(&one[32..63], &[0u8; 31][..], "1 is already low: unchanged");
        assert_eq!(one[63], 1);
        flip_s(&mut one);
        assert_eq!(one[63], 0x50, "n - 1 ends in ...50");
        assert!(!is_low_s(&one));
        assert!(!is_low_s(&[0u8; 10]));
    }
}
