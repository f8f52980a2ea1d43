//! Real clients, unmodified, against the real server (issue 7): the Catalyst client over
//! development TLS, node-bigcommerce, the Python `bigcommerce` package, and Debian's Chromium
//! driven by playwright-core. The scripts live in `clients/`; they check each step themselves,
//! print one line per step naming the library and version, and exit non-zero on a failure.
//! `clients/install` installs the pinned versions from the registries (npm, PyPI, Debian).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::process::ServerProcess;

fn clients_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../clients")
}

fn install() {
    let status = Command::new(clients_dir().join("install"))
        .status()
        .expect("run clients/install");
    assert!(status.success(), "clients/install failed");
}

/// Runs a client script and returns its output lines; fails the test with everything it
/// printed when the script fails.
fn run(program: &str, args: &[&str], envs: &[(&str, String)]) -> Vec<String> {
    let out = Command::new(program)
        .args(args)
        .current_dir(clients_dir())
        .envs(envs.iter().map(|(k, v)| (*k, v.as_str())))
        .output()
        .unwrap_or_else(|e| panic!("run {program}: {e}"));
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    // Shown by the test runner: which library and version each step exercised.
    println!("{stdout}");
    assert!(
        out.status.success(),
        "{program} {args:?} failed\n--- stdout\n{stdout}\n--- stderr\n{stderr}"
    );
    stdout.lines().map(String::from).collect()
}

/// A server process on a fresh data directory (SQLite, demo data), with `serve_args`.
fn server(dir: &Path, serve_args: &[&str]) -> ServerProcess {
    let data = dir.display().to_string();
    let mut p = ServerProcess::start_serving(&["--data-dir", &data], serve_args, &[]);
    p.drain();
    p
}

fn port(p: &ServerProcess) -> String {
    p.base.rsplit(':').next().expect("port").to_string()
}

fn assert_steps(lines: &[String], library: &str, steps: &[&str]) {
    for step in steps {
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with(library) && l.contains(step)),
            "{library}: no line about {step:?} in {lines:#?}"
        );
    }
}

#[test]
fn catalyst_client_over_development_tls() {
    install();
    let dir = tempfile::tempdir().expect("tempdir");
    let p = server(dir.path(), &["--dev-tls"]);
    assert!(p.base.starts_with("https://"), "{}", p.base);
    let ca = p.value("ca_cert:");
    let domain_hint = p.value("catalyst:");
    assert!(domain_hint.contains(&format!(
        "BIGCOMMERCE_GRAPHQL_API_DOMAIN=localhost:{}",
        port(&p)
    )));
    let lines = run(
        "node",
        &["--require", "./dispatch.cjs", "catalyst.mjs"],
        &[
            (
                "BIGCOMMERCE_GRAPHQL_API_DOMAIN",
                format!("localhost:{}", port(&p)),
            ),
            ("NODE_EXTRA_CA_CERTS", ca),
            ("ACCESS_TOKEN", p.value("access_token:")),
        ],
    );
    assert_steps(
        &lines,
        "@bigcommerce/catalyst-client 1.0.3",
        &[
            "returned a customer access token",
            "customer query with the CAT returned jane@example.com",
            "logout succeeded",
            "raised InvalidCustomerAccessTokenError",
            "raised BigCommerceGQLError containing \"Invalid credentials\"",
            "refused server-to-server: BigCommerceAPIError 403",
            "introspection built a client schema",
        ],
    );
}

/// Development faults (issue 20) as the real Catalyst client observes them: its own error
/// classes for a 429, a 5xx, an invalid CAT and a revoked token; latency as a late answer.
#[test]
fn catalyst_client_observes_development_faults() {
    install();
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().display().to_string();
    let dev_token = "dev-token-for-the-catalyst-client";
    let mut p = ServerProcess::start_serving(
        &["--data-dir", &data],
        &["--dev-tls", "--dev"],
        &[("STOREFRONT_AUTH_DEV__TOKEN", dev_token)],
    );
    p.drain();
    let lines = run(
        "node",
        &["--require", "./dispatch.cjs", "catalyst_faults.mjs"],
        &[
            (
                "BIGCOMMERCE_GRAPHQL_API_DOMAIN",
                format!("localhost:{}", port(&p)),
            ),
            ("NODE_EXTRA_CA_CERTS", p.value("ca_cert:")),
            ("DEV_TOKEN", dev_token.to_string()),
        ],
    );
    assert_steps(
        &lines,
        "@bigcommerce/catalyst-client 1.0.3",
        &[
            "a rate_limited fault raised BigCommerceAPIError 429",
            "a server_error fault raised BigCommerceAPIError 503",
            "a latency fault answered after",
            "an invalid_customer_access_token fault raised InvalidCustomerAccessTokenError",
            "the next request with the same CAT returned jane@example.com",
            "a revoked_token fault raised BigCommerceAPIError 401",
            "each fault was applied exactly once",
        ],
    );
}

/// The README's Playwright example (issue 20), as written there, run by `@playwright/test` with
/// Debian's Chromium against a server in development mode: a store per worker, reset before
/// each test, a fault seen by the page.
#[test]
fn the_readme_playwright_example_passes() {
    install();
    let readme = std::fs::read_to_string(clients_dir().join("../README.md")).expect("README");
    let (_, after) = readme
        .split_once("<!-- playwright-example")
        .expect("the README's Playwright example");
    let code = after
        .split_once("```js\n")
        .and_then(|(_, rest)| rest.split_once("```"))
        .map(|(code, _)| code)
        .expect("its code block");
    let example = tempfile::Builder::new()
        .prefix(".readme-example")
        .tempdir_in(clients_dir())
        .expect("tempdir");
    std::fs::write(example.path().join("store.spec.mjs"), code).expect("write");
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().display().to_string();
    let dev_token = "dev-token-for-the-readme-example";
    let mut p = ServerProcess::start_serving(
        &["--data-dir", &data],
        &["--dev"],
        &[("STOREFRONT_AUTH_DEV__TOKEN", dev_token)],
    );
    p.drain();
    let cli = clients_dir().join("node_modules/@playwright/test/cli.js");
    let out = Command::new("node")
        .arg(cli)
        .args(["test", "--reporter=line"])
        .current_dir(example.path())
        .env("STOREFRONT_AUTH", &p.base)
        .env("DEV_TOKEN", dev_token)
        .output()
        .expect("run playwright");
    let stdout = String::from_utf8_lossy(&out.stdout);
    println!("{stdout}");
    assert!(
        out.status.success() && stdout.contains("2 passed"),
        "the README example failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn development_tls_keeps_its_ca_across_restarts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let first = server(dir.path(), &["--dev-tls"]);
    let ca = std::fs::read(first.value("ca_cert:")).expect("ca");
    drop(first);
    let second = server(dir.path(), &["--dev-tls"]);
    assert_eq!(
        std::fs::read(second.value("ca_cert:")).expect("ca"),
        ca,
        "the CA is created once"
    );
    // The new server certificate still chains to it: a client trusting only the CA connects.
    install();
    let lines = run(
        "node",
        &["-e", "fetch(process.argv[1] + '/healthz').then(r => r.json()).then(b => console.log('node fetch ' + process.version + ': ' + b.status))", &second.base.replace("127.0.0.1", "localhost")],
        &[("NODE_EXTRA_CA_CERTS", second.value("ca_cert:"))],
    );
    assert!(lines.iter().any(|l| l.ends_with(": ok")), "{lines:?}");
}

#[test]
fn node_bigcommerce_exchanges_codes_uses_its_token_and_verifies_payloads() {
    install();
    let dir = tempfile::tempdir().expect("tempdir");
    let p = server(dir.path(), &["--dev-tls"]);
    let ca = p.value("ca_cert:");
    let lines = run(
        "node",
        &["node_bigcommerce.mjs"],
        &[
            ("PORT", port(&p)),
            ("CA", ca.clone()),
            ("NODE_EXTRA_CA_CERTS", ca),
            ("ACCESS_TOKEN", p.value("access_token:")),
        ],
    );
    assert_steps(
        &lines,
        "node-bigcommerce 4.1.0",
        &[
            "authorize() exchanged the code",
            "a replayed code was refused",
            "with the install's token listed",
            "read-only grant was refused (403)",
            "verify() accepted the load callback's signed_payload",
            "verify() with the wrong secret threw",
        ],
    );
}

#[test]
fn python_bigcommerce_fetches_tokens_signs_login_jwts_and_verifies_payloads() {
    install();
    let dir = tempfile::tempdir().expect("tempdir");
    let p = server(dir.path(), &["--dev-tls"]);
    let host = format!("localhost:{}", port(&p));
    let python = clients_dir().join(".venv/bin/python").display().to_string();
    let lines = run(
        &python,
        &["python_client.py"],
        &[
            ("BC_AUTH_SERVICE", host.clone()),
            ("BC_API_ENDPOINT", host),
            ("REQUESTS_CA_BUNDLE", p.value("ca_cert:")),
            ("ACCESS_TOKEN", p.value("access_token:")),
            ("PYTHONWARNINGS", "ignore".into()),
        ],
    );
    assert_steps(
        &lines,
        "bigcommerce (PyPI) 0.23.4",
        &[
            "OAuthConnection.fetch_token exchanged the code",
            "a replayed code raised ClientRequestException (HTTP 400)",
            "reads v2/time",
            "CustomerLoginTokens.create made a JWT that /login/token accepted",
            "the same JWT a second time was refused",
            "verify_payload_jwt accepted",
            "verify_payload accepted the legacy signed_payload",
            "a wrong secret was refused",
        ],
    );
}

#[test]
fn chromium_uses_storefront_tokens_pages_cookies_and_login_links() {
    install();
    let dir = tempfile::tempdir().expect("tempdir");
    let p = server(dir.path(), &[]);
    let artifacts = Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    let lines = run(
        "node",
        &["browser.mjs"],
        &[
            ("BASE", p.base.clone()),
            ("ACCESS_TOKEN", p.value("access_token:")),
            ("CLIENT_ID", p.value("client_id:")),
            ("CLIENT_SECRET", p.value("client_secret:")),
            ("ARTIFACTS", artifacts.display().to_string()),
        ],
    );
    assert_steps(
        &lines,
        "playwright-core 1.65.1 + Chromium",
        &[
            "used a storefront token allowed for it (HTTP 200)",
            "was blocked by CORS",
            "a private token used from the page was refused: HTTP 403",
            "added to a cart through /graphql with the embedded token",
            "HttpOnly SHOP_TOKEN set, /account.php shows \"Jane Doe <jane@example.com>\"",
            "current.jwt answered",
            "a Customer Login JWT link landed signed in",
        ],
    );
    for shot in ["account.png", "account-via-login-link.png"] {
        let meta = std::fs::metadata(artifacts.join(shot)).expect("screenshot");
        assert!(meta.len() > 1_000, "{shot} is an image");
    }
}

#[test]
fn chromium_checks_out_on_the_hosted_checkout_from_a_catalyst_session() {
    install();
    let dir = tempfile::tempdir().expect("tempdir");
    let p = server(dir.path(), &["--dev-tls"]);
    let artifacts = Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    let lines = run(
        "node",
        &["--require", "./dispatch.cjs", "hosted_checkout.mjs"],
        &[
            (
                "BIGCOMMERCE_GRAPHQL_API_DOMAIN",
                format!("localhost:{}", port(&p)),
            ),
            ("NODE_EXTRA_CA_CERTS", p.value("ca_cert:")),
            ("ACCESS_TOKEN", p.value("access_token:")),
            ("ARTIFACTS", artifacts.display().to_string()),
        ],
    );
    assert_steps(
        &lines,
        "playwright-core 1.65.1 + Chromium",
        &[
            "the headless session (private token + CAT) made cart",
            "landed on /checkout signed in as Jane with her 2 lines",
            "shipping quoted Standard — $10.00, Express — $25.00",
            "the declining test card was refused",
            "confirmation shows order",
            "customer.orders with the CAT lists order",
            "the same link opened again was refused (HTTP 400)",
        ],
    );
    for shot in ["hosted-checkout.png", "order-confirmation.png"] {
        let meta = std::fs::metadata(artifacts.join(shot)).expect("screenshot");
        assert!(meta.len() > 1_000, "{shot} is an image");
    }
}

#[test]
fn chromium_shows_a_refused_requests_failing_check_in_the_inspector() {
    install();
    let dir = tempfile::tempdir().expect("tempdir");
    let p = server(dir.path(), &[]);
    let artifacts = Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    let lines = run(
        "node",
        &["inspector.mjs"],
        &[
            ("BASE", p.base.clone()),
            ("ACCESS_TOKEN", p.value("access_token:")),
            ("ARTIFACTS", artifacts.display().to_string()),
        ],
    );
    assert_steps(
        &lines,
        "playwright-core 1.65.1 + Chromium",
        &[
            "a page used a private token and was refused (HTTP 403)",
            "the inspector listed the tokens with their audit verdicts",
            "failing check \"its kind may be used from here, today: failed\"",
            "with a wrong token the page shows nothing",
        ],
    );
    let meta = std::fs::metadata(artifacts.join("inspector.png")).expect("screenshot");
    assert!(meta.len() > 1_000, "inspector.png is an image");
}
