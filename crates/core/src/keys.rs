//! The ES256 key ring (SPEC §4): signing keys by `kid` (the RFC 7638 thumbprint), the newest
//! live key signs, every non-retired key verifies, and the JWKS document lists them. Private
//! keys are sealed with AES-256-GCM when a master key is configured.

use std::collections::HashMap;
use std::sync::Arc;

use aws_lc_rs::aead::{Aad, LessSafeKey, Nonce, UnboundKey, AES_256_GCM, NONCE_LEN};
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{EcdsaKeyPair, KeyPair, ECDSA_P256_SHA256_FIXED_SIGNING};
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;

use crate::secret::{random_bytes, sha256_hex};

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("could not generate a key")]
    Generate,
    #[error("stored key material is not a valid P-256 PKCS#8 key")]
    BadKeyMaterial,
    #[error("the stored key is sealed and no master key is configured")]
    SealedWithoutMasterKey,
    #[error("the stored key cannot be opened with the configured master key")]
    WrongMasterKey,
    #[error("the master key must be 32 bytes, base64-encoded")]
    BadMasterKey,
}

/// A P-256 private key able to sign.
pub struct SigningKey {
    kid: String,
    pair: EcdsaKeyPair,
    pkcs8: Vec<u8>,
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningKey")
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

impl SigningKey {
    pub fn generate() -> Result<Self, KeyError> {
        let doc =
            EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &SystemRandom::new())
                .map_err(|_| KeyError::Generate)?;
        Self::from_pkcs8(doc.as_ref())
    }

    pub fn from_pkcs8(pkcs8: &[u8]) -> Result<Self, KeyError> {
        let pair = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, pkcs8)
            .map_err(|_| KeyError::BadKeyMaterial)?;
        let public = VerifyingKey::from_point(pair.public_key().as_ref())?;
        Ok(SigningKey {
            kid: public.kid.clone(),
            pair,
            pkcs8: pkcs8.to_vec(),
        })
    }

    pub fn kid(&self) -> &str {
        &self.kid
    }

    pub fn verifying_key(&self) -> Result<VerifyingKey, KeyError> {
        VerifyingKey::from_point(self.pair.public_key().as_ref())
    }

    /// A fixed-size `r || s` signature, always in low-`s` form (`crate::ecdsa`).
    pub(crate) fn sign(&self, message: &[u8]) -> Option<Vec<u8>> {
        let mut signature = self
            .pair
            .sign(&SystemRandom::new(), message)
            .ok()?
            .as_ref()
            .to_vec();
        crate::ecdsa::normalize(&mut signature);
        Some(signature)
    }

    /// The private key as it is stored: sealed with the master key when there is one.
    pub fn to_stored(&self, master: Option<&MasterKey>) -> String {
        match master {
            Some(m) => format!("sealed:v1:{}", STANDARD.encode(m.seal(&self.pkcs8))),
            None => format!("plain:{}", STANDARD.encode(&self.pkcs8)),
        }
    }

    pub fn from_stored(stored: &str, master: Option<&MasterKey>) -> Result<Self, KeyError> {
        if let Some(b64) = stored.strip_prefix("plain:") {
            let der = STANDARD.decode(b64).map_err(|_| KeyError::BadKeyMaterial)?;
            return Self::from_pkcs8(&der);
        }
        if let Some(b64) = stored.strip_prefix("sealed:v1:") {
            let master = master.ok_or(KeyError::SealedWithoutMasterKey)?;
            let sealed = STANDARD.decode(b64).map_err(|_| KeyError::BadKeyMaterial)?;
            return Self::from_pkcs8(&master.open(&sealed)?);
        }
        Err(KeyError::BadKeyMaterial)
    }
}

/// A P-256 public key (uncompressed point) and its thumbprint.
#[derive(Clone, Debug)]
pub struct VerifyingKey {
    pub kid: String,
    pub x: String,
    pub y: String,
    point: Arc<[u8]>,
}

impl VerifyingKey {
    pub fn from_point(point: &[u8]) -> Result<Self, KeyError> {
        if point.len() != 65 || point[0] != 4 {
            return Err(KeyError::BadKeyMaterial);
        }
        let x = URL_SAFE_NO_PAD.encode(&point[1..33]);
        let y = URL_SAFE_NO_PAD.encode(&point[33..65]);
        Ok(VerifyingKey {
            kid: thumbprint(&x, &y),
            x,
            y,
            point: point.into(),
        })
    }

    pub fn point(&self) -> &[u8] {
        &self.point
    }

    pub fn to_jwk(&self) -> serde_json::Value {
        serde_json::json!({
            "kty": "EC", "crv": "P-256", "x": self.x, "y": self.y,
            "kid": self.kid, "use": "sig", "alg": "ES256",
        })
    }
}

/// RFC 7638 thumbprint: SHA-256 over the required members in lexicographic order.
fn thumbprint(x: &str, y: &str) -> String {
    let canonical = format!(r#"{{"crv":"P-256","kty":"EC","x":"{x}","y":"{y}"}}"#);
    let hex_digest = sha256_hex(canonical.as_bytes());
    let bytes = hex::decode(hex_digest).unwrap_or_default();
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The keys of one process: who signs, who verifies.
#[derive(Debug, Default, Clone)]
pub struct KeyRing {
    signer: Option<Arc<SigningKey>>,
    verifiers: HashMap<String, VerifyingKey>,
    /// Tokens issued (`iat`) before this moment were signed before signatures were made
    /// canonical, and may carry a high `s` (`crate::ecdsa`); no later token may.
    high_s_issued_before: i64,
}

impl KeyRing {
    /// `signer` is the newest live key; `verifiers` every key not yet retired.
    pub fn new(signer: Option<SigningKey>, verifiers: Vec<VerifyingKey>) -> Self {
        KeyRing {
            signer: signer.map(Arc::new),
            verifiers: verifiers.into_iter().map(|k| (k.kid.clone(), k)).collect(),
            high_s_issued_before: i64::MIN,
        }
    }

    /// Accepts the high-`s` form of signatures on tokens issued before `t` (those a database
    /// held when this version first opened it), so upgrading invalidates no token.
    pub fn with_high_s_issued_before(mut self, t: i64) -> Self {
        self.high_s_issued_before = t;
        self
    }

    pub fn accepts_high_s(&self, issued_at: i64) -> bool {
        issued_at < self.high_s_issued_before
    }

    /// The ids of the keys that verify.
    pub fn kids(&self) -> impl Iterator<Item = &str> {
        self.verifiers.keys().map(String::as_str)
    }

    pub fn signer(&self) -> Option<&SigningKey> {
        self.signer.as_deref()
    }

    pub fn verifier(&self, kid: &str) -> Option<&VerifyingKey> {
        self.verifiers.get(kid)
    }

    /// The `/.well-known/jwks.json` document, sorted by kid for a stable output.
    pub fn jwks(&self) -> serde_json::Value {
        let mut keys: Vec<_> = self.verifiers.values().collect();
        keys.sort_by(|a, b| a.kid.cmp(&b.kid));
        serde_json::json!({ "keys": keys.iter().map(|k| k.to_jwk()).collect::<Vec<_>>() })
    }
}

/// The operator's master key that seals private keys at rest.
pub struct MasterKey(LessSafeKey);

impl std::fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MasterKey(..)")
    }
}

impl MasterKey {
    pub fn from_base64(b64: &str) -> Result<Self, KeyError> {
        let raw = STANDARD
            .decode(b64.trim())
            .map_err(|_| KeyError::BadMasterKey)?;
        let key = UnboundKey::new(&AES_256_GCM, &raw).map_err(|_| KeyError::BadMasterKey)?;
        Ok(MasterKey(LessSafeKey::new(key)))
    }

    fn seal(&self, plain: &[u8]) -> Vec<u8> {
        self.seal_for(plain, b"storefront-auth signing key")
    }

    fn open(&self, sealed: &[u8]) -> Result<Vec<u8>, KeyError> {
        self.open_for(sealed, b"storefront-auth signing key")
    }

    /// Seals a named server-wide secret (the payment token key, say) as text, bound to its
    /// name: `sealed:v1:{base64}`.
    pub fn seal_secret(&self, name: &str, plain: &str) -> String {
        let aad = format!("storefront-auth secret {name}");
        format!(
            "sealed:v1:{}",
            STANDARD.encode(self.seal_for(plain.as_bytes(), aad.as_bytes()))
        )
    }

    fn open_secret(&self, name: &str, sealed_b64: &str) -> Result<String, KeyError> {
        let sealed = STANDARD
            .decode(sealed_b64)
            .map_err(|_| KeyError::BadKeyMaterial)?;
        let aad = format!("storefront-auth secret {name}");
        String::from_utf8(self.open_for(&sealed, aad.as_bytes())?)
            .map_err(|_| KeyError::BadKeyMaterial)
    }

    fn seal_for(&self, plain: &[u8], aad: &[u8]) -> Vec<u8> {
        let nonce_bytes = random_bytes(NONCE_LEN);
        let mut nonce_arr = [0u8; NONCE_LEN];
        nonce_arr.copy_from_slice(&nonce_bytes);
        let mut buf = plain.to_vec();
        // Sealing with a valid key and a fresh nonce cannot fail.
        let _ = self.0.seal_in_place_append_tag(
            Nonce::assume_unique_for_key(nonce_arr),
            Aad::from(aad),
            &mut buf,
        );
        let mut out = nonce_bytes;
        out.extend_from_slice(&buf);
        out
    }

    fn open_for(&self, sealed: &[u8], aad: &[u8]) -> Result<Vec<u8>, KeyError> {
        if sealed.len() < NONCE_LEN {
            return Err(KeyError::BadKeyMaterial);
        }
        let mut nonce_arr = [0u8; NONCE_LEN];
        nonce_arr.copy_from_slice(&sealed[..NONCE_LEN]);
        let mut buf = sealed[NONCE_LEN..].to_vec();
        let plain = self
            .0
            .open_in_place(
                Nonce::assume_unique_for_key(nonce_arr),
                Aad::from(aad),
                &mut buf,
            )
            .map_err(|_| KeyError::WrongMasterKey)?;
        Ok(plain.to_vec())
    }
}

/// A named server-wide secret as stored: `sealed:v1:…` (needs the master key) or the plain
/// value (written before a master key was configured, or without one).
pub fn open_stored_secret(
    name: &str,
    stored: &str,
    master: Option<&MasterKey>,
) -> Result<String, KeyError> {
    match stored.strip_prefix("sealed:v1:") {
        Some(b64) => master
            .ok_or(KeyError::SealedWithoutMasterKey)?
            .open_secret(name, b64),
        None => Ok(stored.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kid_is_the_rfc7638_thumbprint() {
        // RFC 7638 has no P-256 vector; check the construction against a hand-computed one.
        let key = SigningKey::generate().expect("key");
        let vk = key.verifying_key().expect("vk");
        assert_eq!(key.kid(), vk.kid);
        assert_eq!(key.kid().len(), 43);
        let canonical = format!(
            r#"{{"crv":"P-256","kty":"EC","x":"{}","y":"{}"}}"#,
            vk.x, vk.y
        );
        let expected =
            URL_SAFE_NO_PAD.encode(hex::decode(sha256_hex(canonical.as_bytes())).expect("hex"));
        assert_eq!(vk.kid, expected);
    }

    #[test]
    fn stored_key_round_trips_plain_and_sealed() {
        let key = SigningKey::generate().expect("key");
        let plain = key.to_stored(None);
        assert_eq!(
            SigningKey::from_stored(&plain, None).expect("plain").kid(),
            key.kid()
        );

        let master = MasterKey::from_base64(&STANDARD.encode([7u8; 32])).expect("master");
        let sealed = key.to_stored(Some(&master));
        assert!(sealed.starts_with("sealed:v1:"));
        assert!(!sealed.contains(&STANDARD.encode(&key.pkcs8)));
        assert_eq!(
            SigningKey::from_stored(&sealed, Some(&master))
                .expect("sealed")
                .kid(),
            key.kid()
        );
        assert!(matches!(
            SigningKey::from_stored(&sealed, None),
            Err(KeyError::SealedWithoutMasterKey)
        ));
        let other = MasterKey::from_base64(&STANDARD.encode([8u8; 32])).expect("other");
        assert!(matches!(
            SigningKey::from_stored(&sealed, Some(&other)),
            Err(KeyError::WrongMasterKey)
        ));
    }

    #[test]
    fn named_secrets_are_sealed_for_their_name() {
        let master = MasterKey::from_base64(&STANDARD.encode([7u8; 32])).expect("master");
        let sealed = master.seal_secret("payments", "abc123");
        assert!(sealed.starts_with("sealed:v1:") && !sealed.contains("abc123"));
        assert_eq!(
            open_stored_secret("payments", &sealed, Some(&master)).expect("open"),
            "abc123"
        );
        assert!(matches!(
            open_stored_secret("other", &sealed, Some(&master)),
            Err(KeyError::WrongMasterKey)
        ));
        assert!(matches!(
            open_stored_secret("payments", &sealed, None),
            Err(KeyError::SealedWithoutMasterKey)
        ));
        assert_eq!(
            open_stored_secret("payments", "plain", None).expect("plain"),
            "plain"
        );
    }

    #[test]
    fn bad_master_key_is_refused() {
        assert!(MasterKey::from_base64("short").is_err());
    }

    #[test]
    fn jwks_lists_every_verifier() {
        let a = SigningKey::generate().expect("a");
        let b = SigningKey::generate().expect("b");
        let ring = KeyRing::new(
            None,
            vec![a.verifying_key().expect("a"), b.verifying_key().expect("b")],
        );
        let jwks = ring.jwks();
        let kids: Vec<_> = jwks["keys"]
            .as_array()
            .expect("keys")
            .iter()
            .map(|k| k["kid"].as_str().unwrap_or("").to_string())
            .collect();
        assert!(kids.contains(&a.kid().to_string()) && kids.contains(&b.kid().to_string()));
    }
}
