//! Gateway mode over TLS with mutual authentication (issue 21): an `https` upstream that
//! demands a client certificate from its own CA answers the gateway holding one, and a gateway
//! without it gets the documented 502, never the client's fault. With
//! `gateway.upstream_protocol = "http2"` the gateway asks for `h2` by ALPN and speaks HTTP/2 to
//! an upstream that chooses it; one that does not is a 502.

use std::sync::{Arc, Mutex};

use hyper::service::service_fn;
use hyper::Version;
use hyper_util::rt::TokioIo;
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use serde_json::json;

use crate::gateway::upstream_unavailable;
use crate::helpers::TestApp;

/// A CA, and certificates it signed: (certificate PEM, key PEM, DER).
struct Issued {
    pem: String,
    key: String,
    der: CertificateDer<'static>,
    key_der: Vec<u8>,
}

fn ca() -> (rcgen::Certificate, KeyPair) {
    let key = KeyPair::generate().unwrap();
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params
        .distinguished_name
        .push(DnType::CommonName, "Operator CA");
    (params.self_signed(&key).unwrap(), key)
}

fn issue(names: &[&str], ca: &(rcgen::Certificate, KeyPair)) -> Issued {
    let key = KeyPair::generate().unwrap();
    let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
    let mut params = CertificateParams::new(names.clone()).unwrap();
    params
        .distinguished_name
        .push(DnType::CommonName, names[0].clone());
    let cert = params.signed_by(&key, &ca.0, &ca.1).unwrap();
    Issued {
        pem: cert.pem(),
        key: key.serialize_pem(),
        der: cert.der().clone(),
        key_der: key.serialize_der(),
    }
}

/// What the upstream saw of each request: whether it came with a client certificate, and its
/// HTTP version.
type Seen = Arc<Mutex<Vec<(bool, Version)>>>;

/// An upstream on loopback that requires a client certificate from `ca` and, when `h2`, offers
/// HTTP/2 by ALPN; it records each request ([`Seen`]) and answers a fixed `data`.
async fn mtls_upstream(ca: &(rcgen::Certificate, KeyPair), h2: bool) -> (String, Seen) {
    let server = issue(&["127.0.0.1"], ca);
    let mut roots = rustls::RootCertStore::empty();
    roots.add(ca.0.der().clone()).unwrap();
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let verifier = rustls::server::WebPkiClientVerifier::builder_with_provider(
        Arc::new(roots),
        provider.clone(),
    )
    .build()
    .unwrap();
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(server.key_der));
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_client_cert_verifier(verifier)
        .with_single_cert(vec![server.der], key)
        .unwrap();
    if h2 {
        config.alpn_protocols = vec![b"h2".to_vec()];
    }
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("https://{}/graphql", listener.local_addr().unwrap());
    let seen: Seen = Arc::default();
    let record = seen.clone();
    tokio::spawn(async move {
        loop {
            let (tcp, _) = listener.accept().await.unwrap();
            let (acceptor, record) = (acceptor.clone(), record.clone());
            tokio::spawn(async move {
                let Ok(tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let with_cert = tls
                    .get_ref()
                    .1
                    .peer_certificates()
                    .is_some_and(|c| !c.is_empty());
                let chose_h2 = tls.get_ref().1.alpn_protocol() == Some(b"h2".as_slice());
                let service = service_fn(move |req: hyper::Request<hyper::body::Incoming>| {
                    let record = record.clone();
                    async move {
                        let version = req.version();
                        let body = axum::body::Body::new(req.into_body());
                        let _ = axum::body::to_bytes(body, 1 << 20).await;
                        record.lock().unwrap().push((with_cert, version));
                        let body =
                            json!({ "data": { "site": { "settings": { "storeName": "mTLS" } } } });
                        let response = hyper::Response::builder()
                            .header("content-type", "application/json")
                            .body(axum::body::Body::from(body.to_string()))
                            .unwrap();
                        Ok::<_, std::convert::Infallible>(response)
                    }
                });
                let io = TokioIo::new(tls);
                let _ = match chose_h2 {
                    true => {
                        hyper::server::conn::http2::Builder::new(
                            hyper_util::rt::TokioExecutor::new(),
                        )
                        .serve_connection(io, service)
                        .await
                    }
                    false => {
                        hyper::server::conn::http1::Builder::new()
                            .serve_connection(io, service)
                            .await
                    }
                };
            });
        }
    });
    (url, seen)
}

async fn gateway(
    url: &str,
    dir: &std::path::Path,
    client: Option<&Issued>,
    (ca_pem, protocol): (&str, &str),
) -> TestApp {
    let sdl = dir.join("upstream.graphql");
    std::fs::write(&sdl, storefront_auth::graphql::schema::build().sdl()).unwrap();
    let ca = dir.join("ca.pem");
    std::fs::write(&ca, ca_pem).unwrap();
    let files = client.map(|c| {
        let (cert, key) = (dir.join("client.pem"), dir.join("client-key.pem"));
        std::fs::write(&cert, &c.pem).unwrap();
        std::fs::write(&key, &c.key).unwrap();
        (cert.display().to_string(), key.display().to_string())
    });
    let url = url.to_string();
    TestApp::spawn_with(move |c| {
        c.gateway.upstream = Some(url);
        c.gateway.schema = Some(format!("sdl:{}", sdl.display()));
        c.gateway.tls_ca = Some(ca.display().to_string());
        c.gateway.tls_client_cert = files.as_ref().map(|f| f.0.clone());
        c.gateway.tls_client_key = files.map(|f| f.1);
        c.gateway.timeout_ms = 2_000;
        c.gateway.upstream_protocol = protocol.to_string();
    })
    .await
}

#[tokio::test]
async fn an_upstream_that_demands_a_client_certificate_answers_the_gateway_that_has_one() {
    let ca = ca();
    let (url, seen) = mtls_upstream(&ca, false).await;
    let client = issue(&["storefront-auth gateway"], &ca);
    let dir = tempfile::tempdir().unwrap();
    let app = gateway(&url, dir.path(), Some(&client), (&ca.0.pem(), "http1")).await;
    let token = app.private_token(&["Unauthenticated"]).await;
    let query = "{ site { settings { storeName } } }";
    for _ in 0..2 {
        let r = app.gql(Some(&token), query, &[]).await;
        assert_eq!(r.status, 200, "{:?}", r.body);
        assert_eq!(r.body["data"]["site"]["settings"]["storeName"], "mTLS");
    }
    assert_eq!(*seen.lock().unwrap(), vec![(true, Version::HTTP_11); 2]);

    // Without the certificate the upstream ends the handshake: a 502, and nothing arrived.
    let dir = tempfile::tempdir().unwrap();
    let app = gateway(&url, dir.path(), None, (&ca.0.pem(), "http1")).await;
    let token = app.private_token(&["Unauthenticated"]).await;
    upstream_unavailable(&app, &token, query).await;
    assert_eq!(seen.lock().unwrap().len(), 2);

    // A client certificate from another CA is refused the same way.
    let stranger = issue(&["someone else"], &self::ca());
    let dir = tempfile::tempdir().unwrap();
    let app = gateway(&url, dir.path(), Some(&stranger), (&ca.0.pem(), "http1")).await;
    let token = app.private_token(&["Unauthenticated"]).await;
    let r = app.gql(Some(&token), query, &[]).await;
    assert_eq!(r.status, 502, "{:?}", r.body);
    assert_eq!(seen.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn over_tls_http2_is_asked_for_by_alpn_and_an_upstream_that_declines_is_a_502() {
    let ca = ca();
    let client = issue(&["storefront-auth gateway"], &ca);
    let query = "{ site { settings { storeName } } }";
    let (url, seen) = mtls_upstream(&ca, true).await;
    let dir = tempfile::tempdir().unwrap();
    let app = gateway(&url, dir.path(), Some(&client), (&ca.0.pem(), "http2")).await;
    let token = app.private_token(&["Unauthenticated"]).await;
    for _ in 0..3 {
        let r = app.gql(Some(&token), query, &[]).await;
        assert_eq!(r.status, 200, "{:?}", r.body);
        assert_eq!(r.body["data"]["site"]["settings"]["storeName"], "mTLS");
    }
    assert_eq!(*seen.lock().unwrap(), vec![(true, Version::HTTP_2); 3]);

    // An upstream that offers no `h2` by ALPN: nothing is sent to it, every call is a 502.
    let (url, seen) = mtls_upstream(&ca, false).await;
    let dir = tempfile::tempdir().unwrap();
    let app = gateway(&url, dir.path(), Some(&client), (&ca.0.pem(), "http2")).await;
    let token = app.private_token(&["Unauthenticated"]).await;
    upstream_unavailable(&app, &token, query).await;
    assert!(seen.lock().unwrap().is_empty());
}
