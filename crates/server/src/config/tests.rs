//! Loading and validating the configuration.

use super::*;

fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn layers_file_env_and_flags() {
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("c.toml");
    std::fs::write(
        &file,
        "domain = \"file.test\"\nlisten = \"127.0.0.1:1\"\n[rate_limit]\nquota = 5\n",
    )
    .expect("write");
    let mut flags = BTreeMap::new();
    flags.insert(
        "listen".to_string(),
        toml::Value::String("127.0.0.1:3".into()),
    );
    let c = Config::load(
        Some(&file),
        env(&[
            ("STOREFRONT_AUTH_DOMAIN", "env.test"),
            ("STOREFRONT_AUTH_RATE_LIMIT__WINDOW_MS", "10"),
            ("STOREFRONT_AUTH_LOG", "debug"),
            ("STOREFRONT_AUTH_CONFIG", "ignored.toml"),
            ("OTHER", "x"),
        ]),
        flags,
    )
    .expect("load");
    assert_eq!(c.domain, "env.test");
    assert_eq!(c.listen, "127.0.0.1:3");
    assert_eq!((c.rate_limit.quota, c.rate_limit.window_ms), (5, 10));
}

#[test]
fn unknown_keys_are_rejected_from_every_source() {
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("c.toml");
    std::fs::write(&file, "domian = \"typo\"\n").expect("write");
    let err = Config::load(Some(&file), vec![], BTreeMap::new()).expect_err("file");
    assert!(err.to_string().contains("domian"), "{err}");
    let err = Config::load(
        None,
        env(&[("STOREFRONT_AUTH_LISTN", "x")]),
        BTreeMap::new(),
    )
    .expect_err("env");
    assert!(err.to_string().contains("listn"), "{err}");
}

#[test]
fn debug_shows_no_secret() {
    let c = Config {
        master_key: Some("c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3I=".into()),
        database_url: Some("postgres://user:hunter2@db/x".into()),
        ..Config::default()
    };
    let shown = format!("{c:?}");
    assert!(
        !shown.contains("hunter2") && !shown.contains("c2VjcmV0"),
        "{shown}"
    );
    assert!(shown.contains("<redacted>") && shown.contains("postgres://***@db/x"));
}

#[test]
fn bad_values_are_explained() {
    let err = Config::load(
        None,
        env(&[("STOREFRONT_AUTH_CLOCK", "tomorrow")]),
        BTreeMap::new(),
    )
    .expect_err("clock");
    assert!(err.to_string().contains("clock"), "{err}");
    let err = Config::load(
        None,
        env(&[("STOREFRONT_AUTH_LISTEN", "nowhere")]),
        BTreeMap::new(),
    )
    .expect_err("listen");
    assert!(err.to_string().contains("listen"), "{err}");
}
