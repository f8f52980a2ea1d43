//! The outbound rules and calls, against local servers.
use super::*;

fn outbound(allow: &[&str]) -> Outbound {
    let allow: Vec<String> = allow.iter().map(|s| s.to_string()).collect();
    Outbound::new(&allow, Duration::from_secs(1)).expect("valid allow-list")
}

#[test]
fn urls_need_https_and_public_addresses_unless_allowed() {
    let strict = outbound(&[]);
    assert!(strict.check("https://app.example.com/auth?x=1").is_ok());
    for bad in [
        "http://app.example.com/auth",
        "https://127.0.0.1/auth",
        "https://169.254.169.254/latest/meta-data",
        "https://[::1]:8443/",
        "https://[::ffff:10.0.0.1]/",
        "https://user:pass@app.example.com/",
        "https://app.example.com/#frag",
        "ftp://app.example.com/",
        "not a url",
    ] {
        assert!(strict.check(bad).is_err(), "{bad}");
    }
    let dev = outbound(&["127.0.0.1", "localhost"]);
    assert!(dev.check("http://127.0.0.1:4000/auth").is_ok());
    assert!(dev.check("http://localhost:4000/auth").is_ok());
    assert!(dev.check("http://10.0.0.1/auth").is_err());
    assert!(matches!(
        dev.check("https://169.254.169.254/"),
        Err(OutboundError::Blocked { .. })
    ));
}

#[tokio::test]
async fn names_are_resolved_and_every_address_vetted() {
    let strict = outbound(&[]);
    // `localhost` resolves to loopback: refused before any connection.
    assert!(matches!(
        strict.get("https://localhost:1/").await,
        Err(OutboundError::Blocked { .. })
    ));
    assert!(outbound(&["localhost"])
        .check("https://localhost:1/")
        .is_ok());
}

/// HTTPS end to end: a local TLS server (its certificate trusted for the test), reached
/// through the allow-list; a redirect is reported, not followed.
#[tokio::test]
async fn https_calls_verify_the_certificate_and_report_redirects() {
    let key = rcgen::KeyPair::generate().expect("key");
    let cert = rcgen::CertificateParams::new(vec!["localhost".to_string()])
        .expect("params")
        .self_signed(&key)
        .expect("cert");
    // Built here rather than by `http::tls`: the domain layer does not import HTTP plumbing.
    let key_der = rustls::pki_types::PrivatePkcs8KeyDer::from(key.serialize_der());
    let server = std::sync::Arc::new(
        rustls::ServerConfig::builder_with_provider(std::sync::Arc::new(
            rustls::crypto::aws_lc_rs::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .expect("versions")
        .with_no_client_auth()
        .with_single_cert(vec![cert.der().clone()], key_der.into())
        .expect("server config"),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let port = listener.local_addr().expect("addr").port();
    tokio::spawn(async move {
        let acceptor = tokio_rustls::TlsAcceptor::from(server);
        while let Ok((tcp, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                use tokio::io::{AsyncReadExt, AsyncWriteExt};
                let Ok(mut tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let mut buf = [0u8; 1024];
                let _ = tls.read(&mut buf).await;
                let _ = tls
                    .write_all(b"HTTP/1.1 302 Found\r\nlocation: https://example.com/\r\ncontent-length: 0\r\n\r\n")
                    .await;
            });
        }
    });
    let mut roots = rustls::RootCertStore::empty();
    roots.add(cert.der().clone()).expect("root");
    let trusting = Outbound {
        tls: std::sync::Arc::new(
            rustls::ClientConfig::builder_with_provider(std::sync::Arc::new(
                rustls::crypto::aws_lc_rs::default_provider(),
            ))
            .with_safe_default_protocol_versions()
            .expect("versions")
            .with_root_certificates(roots)
            .with_no_client_auth(),
        ),
        ..outbound(&["localhost"])
    };
    let url = format!("https://localhost:{port}/auth?code=secret");
    assert_eq!(trusting.get(&url).await.expect("answered"), 302);
    // Without the certificate trusted, the call fails (and says so without the query).
    let refused = outbound(&["localhost"]).get(&url).await;
    let why = format!("{:?}", refused.expect_err("untrusted"));
    assert!(!why.contains("secret"), "{why}");
}

#[test]
fn logs_never_see_the_query() {
    assert_eq!(
        safe_for_logs("https://app.example/cb?signed_payload_jwt=secret"),
        "https://app.example/cb"
    );
}
