//! HTTPS (SPEC §2): a certificate from files (`--tls-cert/--tls-key`), or development TLS
//! (`--dev-tls`): a local CA created once in `{data_dir}/dev-tls` and, at every start, a server
//! certificate signed by it whose SANs name every store host (`store-{hash}.{domain}` and
//! `store-{hash}-{channel}.{domain}` for each channel), `localhost` and `127.0.0.1`; stores
//! made later get theirs at the first handshake (`dev_certs`). Clients
//! trust the CA (`NODE_EXTRA_CA_CERTS`, `REQUESTS_CA_BUNDLE`), which is what the Catalyst
//! client needs: it only speaks `https://store-{hash}-{channel}.{domain}`.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair, KeyUsagePurpose};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

use super::dev_certs::{server_certificate, DevCertResolver};
use crate::service::Domain;

#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("{0}: {1}")]
    Io(String, std::io::Error),
    #[error("certificate: {0}")]
    Certificate(String),
    #[error(transparent)]
    Store(#[from] storefront_auth_store::StoreError),
}

/// Where the development CA lives and which hosts the certificate names.
pub struct DevTls {
    pub ca_path: PathBuf,
    pub hosts: Vec<String>,
}

fn cert_err(e: impl std::fmt::Display) -> TlsError {
    TlsError::Certificate(e.to_string())
}

fn write(path: &Path, contents: &str, private: bool) -> Result<(), TlsError> {
    std::fs::write(path, contents).map_err(|e| TlsError::Io(path.display().to_string(), e))?;
    #[cfg(unix)]
    if private {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
            .map_err(|e| TlsError::Io(path.display().to_string(), e))?;
    }
    Ok(())
}

/// The rustls configuration for a PEM chain and key.
pub fn server_config(
    chain_pem: &[u8],
    key_pem: &[u8],
) -> Result<Arc<rustls::ServerConfig>, TlsError> {
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(chain_pem)
        .collect::<Result<_, _>>()
        .map_err(cert_err)?;
    if chain.is_empty() {
        return Err(TlsError::Certificate(
            "no certificate in the PEM file".into(),
        ));
    }
    let key = PrivateKeyDer::from_pem_slice(key_pem).map_err(cert_err)?;
    let config = builder()?.with_single_cert(chain, key).map_err(cert_err)?;
    Ok(with_alpn(config))
}

type NeedsCert = rustls::ConfigBuilder<rustls::ServerConfig, rustls::server::WantsServerCert>;

/// TLS 1.2 and 1.3 on aws-lc, no client certificates.
fn builder() -> Result<NeedsCert, TlsError> {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let versions = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(cert_err)?;
    Ok(versions.with_no_client_auth())
}

fn with_alpn(mut config: rustls::ServerConfig) -> Arc<rustls::ServerConfig> {
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Arc::new(config)
}

pub fn from_files(cert: &Path, key: &Path) -> Result<Arc<rustls::ServerConfig>, TlsError> {
    let read = |p: &Path| std::fs::read(p).map_err(|e| TlsError::Io(p.display().to_string(), e));
    server_config(&read(cert)?, &read(key)?)
}

/// The CA's parameters; rebuilt identically at every start so that a certificate signed now
/// chains to the CA certificate written on the first start (same subject, same key).
fn ca_params() -> Result<CertificateParams, TlsError> {
    let mut params = CertificateParams::new(Vec::<String>::new()).map_err(cert_err)?;
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params
        .distinguished_name
        .push(DnType::CommonName, "Storefront Auth development CA");
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    Ok(params)
}

/// Creates the development CA on first use and a fresh server certificate for today's hosts.
pub async fn dev_certificate(
    domain: &Domain,
    data_dir: &Path,
) -> Result<(Arc<rustls::ServerConfig>, DevTls), TlsError> {
    let dir = data_dir.join("dev-tls");
    std::fs::create_dir_all(&dir).map_err(|e| TlsError::Io(dir.display().to_string(), e))?;
    let (ca_key_path, ca_path) = (dir.join("ca-key.pem"), dir.join("ca.pem"));
    let ca_key = match std::fs::read_to_string(&ca_key_path) {
        Ok(pem) => KeyPair::from_pem(&pem).map_err(cert_err)?,
        Err(_) => {
            let key = KeyPair::generate().map_err(cert_err)?;
            write(&ca_key_path, &key.serialize_pem(), true)?;
            let _ = std::fs::remove_file(&ca_path);
            key
        }
    };
    let ca_cert = ca_params()?.self_signed(&ca_key).map_err(cert_err)?;
    if !ca_path.exists() {
        write(&ca_path, &ca_cert.pem(), false)?;
    }
    let mut hosts = vec!["localhost".to_string(), "127.0.0.1".to_string()];
    hosts.extend(crate::service::stores::storefront_hosts(domain).await?);
    let key = KeyPair::generate().map_err(cert_err)?;
    let cert = server_certificate(hosts.clone(), &key, &ca_cert, &ca_key)
        .map_err(TlsError::Certificate)?;
    write(&dir.join("server.pem"), &cert.pem(), false)?;
    write(&dir.join("server-key.pem"), &key.serialize_pem(), true)?;
    let suffix = &domain.settings().domain;
    let resolver = DevCertResolver::new(ca_cert, ca_key, key, &cert, &hosts, suffix)
        .map_err(TlsError::Certificate)?;
    let config = builder()?.with_cert_resolver(Arc::new(resolver));
    Ok((with_alpn(config), DevTls { ca_path, hosts }))
}

/// Browsers reach this server over TLS: it serves TLS itself, or a TLS proxy is in front.
pub fn browsers_use_tls(config: &crate::config::Config) -> bool {
    config.dev_tls || config.tls_cert.is_some() || config.behind_tls_proxy
}

/// The `Strict-Transport-Security` value when served over TLS: a year, or a day under
/// `--dev-tls` (a development certificate should not pin `localhost` for long).
pub fn hsts(config: &crate::config::Config) -> Option<&'static str> {
    match (browsers_use_tls(config), config.dev_tls) {
        (false, _) => None,
        (true, true) => Some("max-age=86400"),
        (true, false) => Some("max-age=31536000"),
    }
}
