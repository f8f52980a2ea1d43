//! Development TLS's certificates by name (SNI): the certificate made at start names the
//! stores that existed then; a store made later (`POST /_dev/stores`, an import, the
//! management API) gets a certificate for its host at its first handshake, signed by the same
//! development CA, so clients that trust the CA reach every store. Only names of the shape
//! `store-{label}.{domain}` are issued for, at most `MAX_ISSUED` kept.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use rcgen::{CertificateParams, DnType, ExtendedKeyUsagePurpose, KeyPair, KeyUsagePurpose};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::server::{ClientHello, ResolvesServerCert};
use rustls::sign::{CertifiedKey, SigningKey};

/// Certificates made for later stores' hosts that are kept; beyond it they are made again.
const MAX_ISSUED: usize = 4096;
/// The longest store label a name may have.
const MAX_LABEL: usize = 80;

pub struct DevCertResolver {
    ca: rcgen::Certificate,
    ca_key: KeyPair,
    /// One key for every server certificate.
    key: KeyPair,
    signing_key: Arc<dyn SigningKey>,
    domain: String,
    at_start: Arc<CertifiedKey>,
    hosts_at_start: HashSet<String>,
    issued: Mutex<HashMap<String, Arc<CertifiedKey>>>,
}

impl std::fmt::Debug for DevCertResolver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DevCertResolver")
            .field("domain", &self.domain)
            .finish_non_exhaustive()
    }
}

/// What went wrong making a certificate, said by rcgen or rustls.
type Made<T> = Result<T, String>;

fn cert_err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

/// A server certificate for `hosts`, signed by the CA, with its PEM.
pub fn server_certificate(
    hosts: Vec<String>,
    key: &KeyPair,
    ca: &rcgen::Certificate,
    ca_key: &KeyPair,
) -> Made<rcgen::Certificate> {
    let mut params = CertificateParams::new(hosts).map_err(cert_err)?;
    params
        .distinguished_name
        .push(DnType::CommonName, "storefront-auth development server");
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    params.signed_by(key, ca, ca_key).map_err(cert_err)
}

impl DevCertResolver {
    /// Serves `at_start` (for `hosts`) and makes certificates for store hosts under `domain`.
    pub fn new(
        ca: rcgen::Certificate,
        ca_key: KeyPair,
        key: KeyPair,
        at_start: &rcgen::Certificate,
        hosts: &[String],
        domain: &str,
    ) -> Made<DevCertResolver> {
        let der = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
        let signing_key =
            rustls::crypto::aws_lc_rs::sign::any_supported_type(&der).map_err(cert_err)?;
        let certified = CertifiedKey::new(vec![at_start.der().clone()], signing_key.clone());
        Ok(DevCertResolver {
            ca,
            ca_key,
            key,
            signing_key,
            domain: domain.to_ascii_lowercase(),
            at_start: Arc::new(certified),
            hosts_at_start: hosts.iter().map(|h| h.to_ascii_lowercase()).collect(),
            issued: Mutex::new(HashMap::new()),
        })
    }

    /// `store-{label}.{domain}` with a label of lowercase letters, digits and hyphens.
    fn is_store_host(&self, name: &str) -> bool {
        let Some(label) = name
            .strip_suffix(self.domain.as_str())
            .and_then(|n| n.strip_suffix('.'))
            .and_then(|n| n.strip_prefix("store-"))
        else {
            return false;
        };
        !label.is_empty()
            && label.len() <= MAX_LABEL
            && label
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    }

    fn issue(&self, name: &str) -> Option<Arc<CertifiedKey>> {
        let cert = server_certificate(vec![name.to_string()], &self.key, &self.ca, &self.ca_key)
            .inspect_err(|e| tracing::warn!(host = name, error = %e, "development certificate"))
            .ok()?;
        let der: CertificateDer<'static> = cert.der().clone();
        Some(Arc::new(CertifiedKey::new(
            vec![der],
            self.signing_key.clone(),
        )))
    }
}

impl ResolvesServerCert for DevCertResolver {
    fn resolve(&self, hello: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        let Some(name) = hello.server_name().map(str::to_ascii_lowercase) else {
            return Some(self.at_start.clone());
        };
        if self.hosts_at_start.contains(&name) || !self.is_store_host(&name) {
            return Some(self.at_start.clone());
        }
        let lock = || self.issued.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(found) = lock().get(&name) {
            return Some(found.clone());
        }
        // Signed outside the lock: handshakes for other names do not wait on it.
        let made = self.issue(&name)?;
        let mut issued = lock();
        if issued.len() >= MAX_ISSUED {
            issued.clear();
        }
        issued.insert(name, made.clone());
        Some(made)
    }
}
