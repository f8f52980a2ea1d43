//! Forgotten passwords (issue 17) as Catalyst's forgot-password and change-password pages use
//! them: `requestResetPassword` with a private token and no customer queues a mail whose link
//! (read with `storefront-auth mail list`) carries the customer `c` and token `t`;
//! `resetPassword` sets the new password with them, once.

use serde_json::{json, Value};

use crate::helpers::{TestApp, JANE, LOGIN, PASSWORD};

const REQUEST: &str = "mutation ResetPasswordMutation($input: RequestResetPasswordInput!) {
    customer { requestResetPassword(input: $input) { __typename errors { __typename ... on Error { message } ... on ValidationError { path } } } } }";
const RESET: &str = "mutation ChangePasswordMutation($input: ResetPasswordInput!) {
    customer { resetPassword(input: $input) { __typename errors { __typename ... on Error { message } ... on ValidationError { path } } } } }";
const NEW_PASSWORD: &str = "Brand-new-pass9";

impl TestApp {
    /// Runs one of the two mutations; its `errors`, or the whole answer when there are none
    /// to read (a refusal).
    async fn reset_call(&self, token: &str, document: &str, input: Value) -> Vec<Value> {
        let r = self
            .gql_body(
                Some(token),
                json!({ "query": document, "variables": { "input": input } }),
                &[],
            )
            .await;
        assert!(r.body["errors"].is_null(), "{:?}", r.body);
        let field = if document.contains("requestResetPassword") {
            "requestResetPassword"
        } else {
            "resetPassword"
        };
        r.body["data"]["customer"][field]["errors"]
            .as_array()
            .unwrap_or_else(|| panic!("{:?}", r.body))
            .clone()
    }

    /// The store's outbox, newest first, as `mail list --json` prints it.
    fn outbox(&self) -> Vec<Value> {
        let out = self.cli(&["mail", "list", "--store", "demo", "--json"]);
        assert!(out.status.success(), "{out:?}");
        serde_json::from_slice(&out.stdout).expect("json")
    }

    async fn login_with(&self, token: &str, password: &str) -> Value {
        self.gql_body(
            Some(token),
            json!({ "query": LOGIN, "variables": { "email": JANE, "password": password } }),
            &[],
        )
        .await
        .body
    }
}

/// The customer id and token of the reset link in a mail's body.
fn link_params(mail: &Value) -> (String, i64, String) {
    let body = mail["body"].as_str().expect("body");
    let link = body
        .split_whitespace()
        .find(|w| w.starts_with("http"))
        .expect("a link");
    let url = url::Url::parse(link).expect("url");
    let param = |k: &str| {
        url.query_pairs()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.to_string())
            .expect(k)
    };
    (link.to_string(), param("c").parse().expect("c"), param("t"))
}

#[tokio::test]
async fn a_mailed_link_sets_a_new_password_once_and_signs_out_everywhere() {
    let app = TestApp::spawn().await;
    let token = app.private_token(&["Customer"]).await;
    let cat = app.login_cat(&token, JANE).await;
    let input = json!({ "email": "Jane@Example.com", "path": "/change-password" });
    assert_eq!(
        app.reset_call(&token, REQUEST, input).await,
        Vec::<Value>::new()
    );

    let mails = app.outbox();
    assert_eq!(mails.len(), 1, "{mails:?}");
    assert_eq!(mails[0]["to"], JANE);
    assert!(mails[0]["subject"]
        .as_str()
        .unwrap()
        .starts_with("Reset your password"));
    let (link, customer, t) = link_params(&mails[0]);
    assert!(
        link.starts_with("http://localhost:4000/change-password?c="),
        "the channel's site, the path asked for: {link}"
    );
    // A bad new password keeps the link usable.
    let short = json!({ "customerEntityId": customer, "token": t, "newPassword": "x" });
    let errors = app.reset_call(&token, RESET, short).await;
    assert_eq!(errors[0]["__typename"], "ValidationError", "{errors:?}");
    assert_eq!(errors[0]["path"], json!(["input", "newPassword"]));

    let good = json!({ "customerEntityId": customer, "token": t, "newPassword": NEW_PASSWORD });
    assert_eq!(
        app.reset_call(&token, RESET, good.clone()).await,
        Vec::<Value>::new()
    );
    // The old password is gone, the new one signs in, the earlier sign-in has ended.
    let old = app.login_with(&token, PASSWORD).await;
    assert!(old["data"]["login"].is_null(), "{old:?}");
    let new = app.login_with(&token, NEW_PASSWORD).await;
    assert!(
        new["data"]["login"]["customerAccessToken"]["value"].is_string(),
        "{new:?}"
    );
    let r = app
        .gql(
            Some(&token),
            "{ customer { entityId } }",
            &[("X-Bc-Customer-Access-Token", &cat)],
        )
        .await;
    assert!(r.body["data"]["customer"].is_null(), "{:?}", r.body);

    // Used once.
    let again = app.reset_call(&token, RESET, good).await;
    assert_eq!(again[0]["__typename"], "ValidationError");
    assert_eq!(again[0]["path"], json!(["input", "token"]));
    assert!(again[0]["message"]
        .as_str()
        .unwrap()
        .contains("invalid or has expired"));
}

#[tokio::test]
async fn only_the_newest_link_works_and_links_expire_after_an_hour() {
    let app = TestApp::spawn().await;
    let token = app.private_token(&["Customer"]).await;
    let ask = json!({ "email": JANE, "path": "/change-password" });
    app.reset_call(&token, REQUEST, ask.clone()).await;
    app.reset_call(&token, REQUEST, ask.clone()).await;
    let mails = app.outbox();
    let (_, customer, newest) = link_params(&mails[0]);
    let (_, _, older) = link_params(&mails[1]);
    assert_ne!(newest, older);
    let with =
        |t: &str| json!({ "customerEntityId": customer, "token": t, "newPassword": NEW_PASSWORD });
    let refused = app.reset_call(&token, RESET, with(&older)).await;
    assert_eq!(refused[0]["path"], json!(["input", "token"]), "{refused:?}");

    // Another customer's id with this token, and made-up tokens, are refused alike.
    for (id, t) in [
        (customer + 1, newest.clone()),
        (customer, "f".repeat(64)),
        (customer, "nope".into()),
    ] {
        let input = json!({ "customerEntityId": id, "token": t, "newPassword": NEW_PASSWORD });
        let errors = app.reset_call(&token, RESET, input).await;
        assert_eq!(errors[0]["path"], json!(["input", "token"]), "{errors:?}");
    }

    app.set_now(crate::helpers::NOW + 3_601);
    let expired = app.reset_call(&token, RESET, with(&newest)).await;
    assert_eq!(expired[0]["path"], json!(["input", "token"]), "{expired:?}");
    assert!(app.login_with(&token, PASSWORD).await["data"]["login"].is_object());
}

#[tokio::test]
async fn requests_tell_nobody_which_emails_have_accounts_and_are_throttled() {
    let app = TestApp::spawn().await;
    let token = app.private_token(&["Customer"]).await;
    // No account: the same empty answer, and no mail.
    let nobody = json!({ "email": "nobody@example.com", "path": "/change-password" });
    assert_eq!(
        app.reset_call(&token, REQUEST, nobody.clone()).await,
        Vec::<Value>::new()
    );
    assert!(app.outbox().is_empty());

    // Bad input is a validation error on its field, and queues nothing.
    for (input, field) in [
        (json!({ "email": "not-an-email" }), "email"),
        (
            json!({ "email": JANE, "path": "https://evil.example/steal" }),
            "path",
        ),
        (
            json!({ "email": JANE, "path": "//evil.example/steal" }),
            "path",
        ),
    ] {
        let errors = app.reset_call(&token, REQUEST, input).await;
        assert_eq!(errors[0]["__typename"], "ValidationError", "{errors:?}");
        assert_eq!(errors[0]["path"], json!(["input", field]));
    }
    assert!(app.outbox().is_empty());

    // Five requests an hour per email, known or not, then the same refusal for both.
    for _ in 0..4 {
        assert!(app
            .reset_call(&token, REQUEST, nobody.clone())
            .await
            .is_empty());
    }
    let jane = json!({ "email": JANE });
    for _ in 0..5 {
        assert!(app
            .reset_call(&token, REQUEST, jane.clone())
            .await
            .is_empty());
    }
    for input in [nobody, jane] {
        let errors = app.reset_call(&token, REQUEST, input).await;
        let message = errors[0]["message"].as_str().unwrap_or_default();
        assert!(
            message.starts_with("Too many password reset requests"),
            "{errors:?}"
        );
    }
    let mails = app.outbox();
    assert_eq!(mails.len(), 5);
    // No path: Stencil's change-password page at the channel's site.
    let (link, ..) = link_params(&mails[0]);
    assert!(link.starts_with("http://localhost:4000/login.php?action=change_password&c="));
}

#[tokio::test]
async fn the_mutations_need_the_customer_scope() {
    let app = TestApp::spawn().await;
    let token = app.private_token(&["Unauthenticated"]).await;
    let r = app
        .gql_body(
            Some(&token),
            json!({ "query": REQUEST, "variables": { "input": { "email": JANE } } }),
            &[],
        )
        .await;
    assert_eq!(
        r.body["errors"][0]["extensions"]["code"], "INSUFFICIENT_ACCESS_SCOPE",
        "{:?}",
        r.body
    );
    assert!(app.outbox().is_empty());
}

#[tokio::test]
async fn with_a_master_key_the_outbox_is_sealed_at_rest() {
    let key = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
    let app = TestApp::spawn_with(|c| c.master_key = Some(key.into())).await;
    let token = app.private_token(&["Customer"]).await;
    app.reset_call(&token, REQUEST, json!({ "email": JANE }))
        .await;
    let store = app.store().await;
    let demo = store
        .store_by_hash("demo")
        .await
        .expect("read")
        .expect("demo");
    let stored: Vec<String> = store
        .outbox(demo.id, 10)
        .await
        .expect("outbox")
        .into_iter()
        .map(|m| m.body)
        .collect();
    assert!(stored[0].starts_with("sealed:v1:"), "{stored:?}");
    // Without the key the CLI says so; with it, it shows the link.
    let out = app.cli(&["mail", "list", "--store", "demo"]);
    assert!(!out.status.success());
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_storefront-auth"));
    cmd.arg("--data-dir").arg(app.data_dir());
    if let Some(url) = &app.config.database_url {
        cmd.arg("--database-url").arg(url);
    }
    let out = cmd
        .args(["mail", "list", "--store", "demo"])
        .env_remove("STOREFRONT_AUTH_CONFIG")
        .env("STOREFRONT_AUTH_MASTER_KEY", key)
        .output()
        .expect("cli");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{out:?}");
    assert!(
        text.contains("login.php?action=change_password&c="),
        "{text}"
    );
}
