//! TLS to an `https` upstream: the system's roots plus `gateway.tls_ca`, and for mutual TLS
//! the client certificate `gateway.tls_client_cert` with its key `gateway.tls_client_key`.
//! Read once at start; a file that cannot be read or holds no certificate stops the server.

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

use crate::config::gateway::UpstreamProtocol as Protocol;
use crate::config::GatewayConfig;

fn read(key: &str, path: &str) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("gateway.{key}: reading {path}: {e}"))
}

fn certificates(key: &str, path: &str) -> Result<Vec<CertificateDer<'static>>, String> {
    let pem = read(key, path)?;
    let certs: Vec<_> = CertificateDer::pem_slice_iter(&pem)
        .collect::<Result<_, _>>()
        .map_err(|e| format!("gateway.{key}: {path}: {e}"))?;
    if certs.is_empty() {
        return Err(format!("gateway.{key}: {path} holds no PEM certificate"));
    }
    Ok(certs)
}

/// The client configuration for the upstream; HTTP/2 is asked for by ALPN.
pub fn client_config(
    config: &GatewayConfig,
    protocol: Protocol,
) -> Result<rustls::ClientConfig, String> {
    let mut roots = rustls::RootCertStore::empty();
    for cert in rustls_native_certs::load_native_certs().certs {
        let _ = roots.add(cert);
    }
    if let Some(path) = &config.tls_ca {
        for cert in certificates("tls_ca", path)? {
            roots
                .add(cert)
                .map_err(|e| format!("gateway.tls_ca: {path}: {e}"))?;
        }
    }
    let provider = std::sync::Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS: {e}"))?
        .with_root_certificates(roots);
    let mut client = match (&config.tls_client_cert, &config.tls_client_key) {
        (Some(cert), Some(key)) => {
            let chain = certificates("tls_client_cert", cert)?;
            let pem = read("tls_client_key", key)?;
            let key_der = PrivateKeyDer::from_pem_slice(&pem)
                .map_err(|e| format!("gateway.tls_client_key: {key}: {e}"))?;
            builder
                .with_client_auth_cert(chain, key_der)
                .map_err(|e| format!("gateway.tls_client_cert: {e}"))?
        }
        _ => builder.with_no_client_auth(),
    };
    if protocol == Protocol::Http2 {
        client.alpn_protocols = vec![b"h2".to_vec()];
    }
    Ok(client)
}
