//! SPEC §9: two server processes on one PostgreSQL database behave as one service: tokens,
//! revocations, sessions, and every single-use artifact (SSO jti, PAT, OAuth code). Prints the
//! measured revocation propagation time.

use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::helpers::{JANE, LOGIN, PASSWORD};
use crate::process::{fresh_schema, postgres_base, ServerProcess};

async fn post(
    client: &reqwest::Client,
    url: String,
    token: &str,
    body: Value,
    headers: &[(&str, &str)],
) -> (u16, Value) {
    let mut req = client.post(url).bearer_auth(token).json(&body);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let r = req.send().await.expect("send");
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

/// A private token (Unauthenticated, Customer) issued by the instance at `base`.
async fn private_token(client: &reqwest::Client, base: &str, access_token: &str) -> String {
    let created: Value = client
        .post(format!("{base}/stores/demo/v3/storefront/api-token-private"))
        .header("X-Auth-Token", access_token)
        .json(&json!({ "channel_id": 1, "expires_at": 2_147_483_647, "scopes": ["Unauthenticated", "Customer"] }))
        .send()
        .await
        .expect("send")
        .json()
        .await
        .expect("json");
    created["data"]["token"]
        .as_str()
        .expect("token")
        .to_string()
}

/// Sends one request to both instances at the same moment (each on its own task) and returns
/// both outcomes: the way to show that a single-use artifact is accepted exactly once.
async fn at_once<T, Fut>(bases: [&str; 2], send: impl Fn(String) -> Fut) -> [T; 2]
where
    T: Send + 'static,
    Fut: std::future::Future<Output = T> + Send + 'static,
{
    let (first, second) = (
        tokio::spawn(send(bases[0].to_string())),
        tokio::spawn(send(bases[1].to_string())),
    );
    [first.await.expect("join"), second.await.expect("join")]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_share_tokens_revocations_sessions_and_single_use() {
    let url = fresh_schema(&postgres_base());
    let args = ["--database-url", url.as_str()];
    let a = ServerProcess::start(&args, &[]);
    let access_token = a.value("access_token:");
    let client_id = a.value("client_id:");
    let client_secret = a.value("client_secret:");
    // B's connections carry a name of their own, so the test can cut B's event listener.
    let b_name = format!(
        "storefront-auth-b-{}",
        storefront_auth_core::secret::random_alnum(8)
    );
    let b_url = format!("{url}&application_name={b_name}");
    let b = ServerProcess::start(&["--database-url", b_url.as_str()], &[]);
    assert!(
        !b.seen.join("\n").contains("Created the store"),
        "the second instance shares the first one's data"
    );
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");

    let token = private_token(&client, &a.base, &access_token).await;
    let q = json!({ "query": "{ channel { entityId } }" });
    let (status, _) = post(&client, b.url("/graphql"), &token, q.clone(), &[]).await;
    assert_eq!(status, 200, "a token issued on A works on B");

    // Revoked on A, refused on B within a second.
    let revoke = client
        .delete(a.url("/stores/demo/v3/storefront/api-token"))
        .header("X-Auth-Token", &access_token)
        .header("Sf-Api-Token", &token)
        .send()
        .await
        .expect("send");
    assert_eq!(revoke.status(), 200);
    let started = Instant::now();
    loop {
        let (status, _) = post(&client, b.url("/graphql"), &token, q.clone(), &[]).await;
        if status == 401 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "B still accepted the revoked token after 1 s"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let propagation = started.elapsed();
    println!(
        "revocation propagated from instance A to instance B in {:.2} ms",
        propagation.as_secs_f64() * 1000.0
    );

    // A customer signing in again on A ends the session B has just seen (and cached): B
    // refuses it within a second.
    let token = private_token(&client, &a.base, &access_token).await;
    let login = json!({ "query": LOGIN, "variables": { "email": JANE, "password": PASSWORD } });
    let (_, on_a) = post(&client, a.url("/graphql"), &token, login.clone(), &[]).await;
    let cat_a = on_a["data"]["login"]["customerAccessToken"]["value"]
        .as_str()
        .expect("cat")
        .to_string();
    let me = json!({ "query": "{ customer { email } }" });
    let strict = ("X-Bc-Error-On-Invalid-Customer-Access-Token", "true");
    let me_on = |server: &ServerProcess, cat: &str| {
        let (client, url, token, me, cat) = (
            client.clone(),
            server.url("/graphql"),
            token.clone(),
            me.clone(),
            cat.to_string(),
        );
        async move {
            let (_, r) = post(
                &client,
                url,
                &token,
                me,
                &[("X-Bc-Customer-Access-Token", &cat), strict],
            )
            .await;
            r
        }
    };
    assert_eq!(me_on(&b, &cat_a).await["data"]["customer"]["email"], JANE);
    let (_, again) = post(&client, a.url("/graphql"), &token, login, &[]).await;
    let cat_again = again["data"]["login"]["customerAccessToken"]["value"]
        .as_str()
        .expect("cat")
        .to_string();
    let ended = Instant::now();
    loop {
        let r = me_on(&b, &cat_a).await;
        if r["errors"][0]["extensions"]["code"] == "INVALID_CUSTOMER_ACCESS_TOKEN" {
            break;
        }
        assert!(
            ended.elapsed() < Duration::from_secs(1),
            "B still signed the ended session in after 1 s: {r}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    println!(
        "a sign-in on A ended B's cached session within {:.0} ms",
        ended.elapsed().as_secs_f64() * 1000.0
    );
    assert_eq!(
        me_on(&a, &cat_again).await["data"]["customer"]["email"],
        JANE
    );
    assert_eq!(
        me_on(&b, &cat_again).await["data"]["customer"]["email"],
        JANE
    );

    // B's event listener is cut: a revocation and a sign-in made on A meanwhile (their
    // notifications lost) still reach B within a second: the revocation through the catch-up,
    // the session's end because B trusts a cached sign-in for 0.8 s at most.
    let watched = private_token(&client, &a.base, &access_token).await;
    let (status, _) = post(&client, b.url("/graphql"), &watched, q.clone(), &[]).await;
    assert_eq!(status, 200);
    assert_eq!(
        me_on(&b, &cat_again).await["data"]["customer"]["email"],
        JANE
    );
    let cut = std::process::Command::new("psql")
        .arg(postgres_base())
        .arg("-qAtc")
        .arg(format!(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = '{b_name}' AND query ILIKE 'listen%'"
        ))
        .output()
        .expect("psql");
    assert_eq!(String::from_utf8_lossy(&cut.stdout).trim(), "1", "{cut:?}");
    let revoke = client
        .delete(a.url("/stores/demo/v3/storefront/api-token"))
        .header("X-Auth-Token", &access_token)
        .header("Sf-Api-Token", &watched)
        .send()
        .await
        .expect("send");
    assert_eq!(revoke.status(), 200);
    let started = Instant::now();
    let login = json!({ "query": LOGIN, "variables": { "email": JANE, "password": PASSWORD } });
    let (_, third) = post(&client, a.url("/graphql"), &token, login, &[]).await;
    assert!(third["data"]["login"]["customerAccessToken"]["value"].is_string());
    let (mut revoked, mut ended) = (false, false);
    while !(revoked && ended) {
        let (status, _) = post(&client, b.url("/graphql"), &watched, q.clone(), &[]).await;
        revoked |= status == 401;
        let r = me_on(&b, &cat_again).await;
        ended |= r["errors"][0]["extensions"]["code"] == "INVALID_CUSTOMER_ACCESS_TOKEN";
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "while its listener was down, B kept alive a revoked token ({revoked}) or an ended session ({ended})"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    // The same Customer Login JWT sent to A and B at once succeeds exactly once.
    let now = storefront_auth_core::clock::system_now();
    let jwt = storefront_auth_core::hs256::sign(
        &json!({ "iss": client_id, "iat": now, "jti": uuid::Uuid::new_v4().to_string(), "operation": "customer_login", "store_hash": "demo", "customer_id": 1 }),
        client_secret.as_bytes(),
    );
    let outcomes = at_once([&a.base, &b.base], |base| {
        let (client, jwt) = (client.clone(), jwt.clone());
        async move {
            client
                .get(format!("{base}/login/token/{jwt}"))
                .send()
                .await
                .expect("send")
                .headers()
                .get("location")
                .and_then(|v| v.to_str().ok())
                .map(String::from)
        }
    })
    .await;
    assert_eq!(
        outcomes
            .iter()
            .filter(|o| o.as_deref() == Some("/account.php"))
            .count(),
        1,
        "{outcomes:?}"
    );

    // A payment access token used on A and B at once pays exactly once.
    let cart = json!({ "query": "mutation { cart { createCart(input: { lineItems: [{ productEntityId: 1, quantity: 1 }] }) { cart { entityId } } } }" });
    let (_, created) = post(&client, a.url("/graphql"), &token, cart, &[]).await;
    let cart_id = created["data"]["cart"]["createCart"]["cart"]["entityId"]
        .as_str()
        .expect("cart")
        .to_string();
    let checkout = json!({ "query": "mutation($id: String!) { checkout { completeCheckout(input: { checkoutEntityId: $id }) { paymentAccessToken } } }", "variables": { "id": cart_id } });
    let (_, done) = post(&client, b.url("/graphql"), &token, checkout, &[]).await;
    let pat = done["data"]["checkout"]["completeCheckout"]["paymentAccessToken"]
        .as_str()
        .expect("pat")
        .to_string();
    let mut paid = at_once([&a.base, &b.base], |base| {
        let (client, pat) = (client.clone(), pat.clone());
        async move {
            client
                .post(format!("{base}/stores/demo/payments"))
                .header("Authorization", format!("PAT {pat}"))
                .header("Accept", "application/vnd.bc.v1+json")
                .json(&json!({ "payment": { "payment_method_id": "testgateway.card", "instrument": { "type": "card", "number": "4111111111111111" } } }))
                .send()
                .await
                .expect("send")
                .status()
                .as_u16()
        }
    })
    .await;
    paid.sort();
    assert_eq!(paid, [201, 401], "one PAT, one payment");

    // An OAuth code exchanged on A and B at once yields exactly one access token.
    let app: Value = client
        .post(a.url("/stores/demo/v3/apps"))
        .header("X-Auth-Token", &access_token)
        .json(&json!({ "name": "Race", "auth_callback": "http://127.0.0.1:9/auth", "load_callback": "http://127.0.0.1:9/load", "scopes": ["store_v2_products"] }))
        .send()
        .await
        .expect("send")
        .json()
        .await
        .expect("json");
    let (app_id, app_secret) = (
        app["data"]["client_id"].as_str().expect("id").to_string(),
        app["data"]["client_secret"]
            .as_str()
            .expect("secret")
            .to_string(),
    );
    let install = client
        .post(b.url(&format!("/stores/demo/v3/apps/{app_id}/install")))
        .header("X-Auth-Token", &access_token)
        .send()
        .await
        .expect("send");
    let location = install.headers()["location"]
        .to_str()
        .expect("location")
        .to_string();
    let code = location
        .split("code=")
        .nth(1)
        .expect("code")
        .split('&')
        .next()
        .expect("code")
        .to_string();
    let body = json!({ "client_id": app_id, "client_secret": app_secret, "code": code, "grant_type": "authorization_code",
        "redirect_uri": "http://127.0.0.1:9/auth", "context": "stores/demo", "scope": "store_v2_products" });
    let mut exchanged = at_once([&a.base, &b.base], |base| {
        let (client, body) = (client.clone(), body.clone());
        async move {
            client
                .post(format!("{base}/oauth2/token"))
                .json(&body)
                .send()
                .await
                .expect("send")
                .status()
                .as_u16()
        }
    })
    .await;
    exchanged.sort();
    assert_eq!(exchanged, [200, 400], "one code, one token");

    let (sa, _) = a.terminate();
    let (sb, _) = b.terminate();
    assert!(sa.success() && sb.success());
}
