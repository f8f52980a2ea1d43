//! SPEC §9: an acknowledged token or revocation survives `kill -9` at any moment, on SQLite and
//! on PostgreSQL. Prints how many kill points were tried.

use std::time::Duration;

use serde_json::{json, Value};

use crate::process::{fresh_schema, postgres_base, ServerProcess};

const ROUNDS: usize = 5;

/// Issues and revokes tokens until killed; returns what the server acknowledged.
async fn churn(
    client: reqwest::Client,
    base: String,
    access_token: String,
    stop: tokio::sync::watch::Receiver<bool>,
    acked: std::sync::Arc<std::sync::atomic::AtomicUsize>,
) -> (Vec<String>, Vec<String>) {
    let (mut issued, mut revoked) = (Vec::new(), Vec::new());
    let mut n = 0u64;
    while !*stop.borrow() {
        n += 1;
        let r = client
            .post(format!(
                "{base}/stores/demo/v3/storefront/api-token-private"
            ))
            .header("X-Auth-Token", &access_token)
            .json(&json!({ "channel_id": 1, "expires_at": 2_147_483_647, "scopes": ["Customer"] }))
            .send()
            .await;
        let Ok(r) = r else { break };
        if r.status() != 200 {
            break;
        }
        let Ok(body) = r.json::<Value>().await else {
            break;
        };
        let jwt = body["data"]["token"].as_str().expect("token").to_string();
        issued.push(jwt.clone());
        acked.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        if n.is_multiple_of(2) {
            let r = client
                .delete(format!("{base}/stores/demo/v3/storefront/api-token"))
                .header("X-Auth-Token", &access_token)
                .header("Sf-Api-Token", &jwt)
                .send()
                .await;
            match r {
                Ok(r) if r.status() == 200 => revoked.push(jwt),
                _ => break,
            }
        }
    }
    (issued, revoked)
}

async fn crash_loop(label: &str, args: Vec<String>) {
    let client = reqwest::Client::new();
    let arg_refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let first = ServerProcess::start(&arg_refs, &[]);
    let access_token = first.value("access_token:");
    first.kill9();
    let (mut checked_tokens, mut checked_revocations) = (0, 0);
    for round in 0..ROUNDS {
        let server = ServerProcess::start(&arg_refs, &[]);
        let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
        let acked = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let worker = tokio::spawn(churn(
            client.clone(),
            server.base.clone(),
            access_token.clone(),
            stop_rx,
            acked.clone(),
        ));
        // Once writes are flowing, a different moment each round: 0 to 400 ms later.
        let started = std::time::Instant::now();
        while acked.load(std::sync::atomic::Ordering::SeqCst) == 0 {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "{label} round {round}: the server never acknowledged a write"
            );
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        let delay = storefront_auth_core::secret::random_bytes(1)[0] as u64 * 400 / 255;
        tokio::time::sleep(Duration::from_millis(delay)).await;
        server.kill9();
        let _ = stop_tx.send(true);
        let (issued, revoked) = worker.await.expect("join");
        assert!(
            !issued.is_empty(),
            "round {round}: nothing was issued before the kill"
        );

        let check = ServerProcess::start(&arg_refs, &[]);
        let inventory: Value = client
            .get(check.url("/stores/demo/v3/storefront/api-tokens?limit=250"))
            .header("X-Auth-Token", &access_token)
            .send()
            .await
            .expect("send")
            .json()
            .await
            .expect("json");
        let mut all = inventory["data"].as_array().expect("data").clone();
        let mut cursor = inventory["meta"]["pagination"]["next_cursor"]
            .as_str()
            .map(String::from);
        while let Some(c) = cursor {
            let page: Value = client
                .get(check.url(&format!(
                    "/stores/demo/v3/storefront/api-tokens?limit=250&before={c}"
                )))
                .header("X-Auth-Token", &access_token)
                .send()
                .await
                .expect("send")
                .json()
                .await
                .expect("json");
            all.extend(page["data"].as_array().expect("data").iter().cloned());
            cursor = page["meta"]["pagination"]["next_cursor"]
                .as_str()
                .map(String::from);
        }
        let jti = |jwt: &str| {
            crate::helpers::decode(jwt).1["jti"]
                .as_str()
                .expect("jti")
                .to_string()
        };
        for jwt in &issued {
            let id = jti(jwt);
            let entry = all.iter().find(|t| t["id"] == id.as_str());
            assert!(
                entry.is_some(),
                "{label} round {round}: acknowledged token {id} was lost"
            );
            checked_tokens += 1;
        }
        for jwt in &revoked {
            let id = jti(jwt);
            let entry = all.iter().find(|t| t["id"] == id.as_str()).expect("listed");
            assert_eq!(
                entry["revoked"], true,
                "{label} round {round}: acknowledged revocation of {id} was lost"
            );
            checked_revocations += 1;
        }
        check.kill9();
    }
    println!("{label}: {ROUNDS} kill -9 points tried; {checked_tokens} acknowledged tokens and {checked_revocations} acknowledged revocations all survived");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_writes_survive_kill_9_on_sqlite() {
    let dir = tempfile::tempdir().expect("dir");
    crash_loop(
        "sqlite",
        vec!["--data-dir".into(), dir.path().display().to_string()],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_writes_survive_kill_9_on_postgres() {
    let url = fresh_schema(&postgres_base());
    crash_loop("postgres", vec!["--database-url".into(), url]).await;
}

/// Signs a customer in, pays an order and signs another out, each acknowledged, then kills
/// the server with SIGKILL at once: after a restart the sign-in still works, the signed-out
/// session does not, the order is paid, and its PAT stays used.
async fn sessions_and_payments_survive(label: &str, args: Vec<String>) {
    let arg_refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let server = ServerProcess::start(&arg_refs, &[]);
    let client = reqwest::Client::new();
    let token = server.private_token(&["Unauthenticated", "Customer"]).await;
    let gql = |base: String, body: Value, cat: Option<String>| {
        let (client, token) = (client.clone(), token.clone());
        async move {
            let mut req = client
                .post(format!("{base}/graphql"))
                .bearer_auth(token)
                .json(&body);
            if let Some(cat) = cat {
                req = req
                    .header("X-Bc-Customer-Access-Token", cat)
                    .header("X-Bc-Error-On-Invalid-Customer-Access-Token", "true");
            }
            req.send()
                .await
                .expect("send")
                .json::<Value>()
                .await
                .expect("json")
        }
    };
    let login = |email: &str| json!({ "query": crate::helpers::LOGIN, "variables": { "email": email, "password": crate::helpers::PASSWORD } });
    let cat_of = |r: &Value| {
        r["data"]["login"]["customerAccessToken"]["value"]
            .as_str()
            .expect("cat")
            .to_string()
    };
    let jane = cat_of(&gql(server.base.clone(), login(crate::helpers::JANE), None).await);
    let vip = cat_of(&gql(server.base.clone(), login(crate::helpers::VIP), None).await);
    let cart = gql(
        server.base.clone(),
        json!({ "query": "mutation { cart { createCart(input: { lineItems: [{ productEntityId: 1, quantity: 1 }] }) { cart { entityId } } } }" }),
        Some(jane.clone()),
    )
    .await;
    let cart = cart["data"]["cart"]["createCart"]["cart"]["entityId"]
        .as_str()
        .expect("cart")
        .to_string();
    let done = gql(
        server.base.clone(),
        json!({ "query": crate::commerce::COMPLETE, "variables": { "id": cart } }),
        Some(jane.clone()),
    )
    .await;
    let pat = done["data"]["checkout"]["completeCheckout"]["paymentAccessToken"]
        .as_str()
        .expect("pat")
        .to_string();
    let pay = |base: String| {
        let (client, pat) = (client.clone(), pat.clone());
        async move {
            client
                .post(format!("{base}/stores/demo/payments"))
                .header("Authorization", format!("PAT {pat}"))
                .header("Accept", "application/vnd.bc.v1+json")
                .json(&json!({ "payment": { "payment_method_id": "testgateway.card", "instrument": { "type": "card", "number": "4111111111111111" } } }))
                .send()
                .await
                .expect("pay")
                .status()
                .as_u16()
        }
    };
    assert_eq!(pay(server.base.clone()).await, 201);
    let out = gql(
        server.base.clone(),
        json!({ "query": "mutation { logout { result } }" }),
        Some(vip.clone()),
    )
    .await;
    assert_eq!(out["data"]["logout"]["result"], "success");
    // Everything above was acknowledged: now the process dies without a chance to flush.
    server.kill9();

    let again = ServerProcess::start(&arg_refs, &[]);
    let me =
        json!({ "query": "{ customer { email orders { edges { node { status { value } } } } } }" });
    let r = gql(again.base.clone(), me.clone(), Some(jane)).await;
    assert_eq!(
        r["data"]["customer"]["email"],
        crate::helpers::JANE,
        "{label}: {r}"
    );
    assert_eq!(
        r["data"]["customer"]["orders"]["edges"][0]["node"]["status"]["value"],
        "AWAITING_FULFILLMENT",
        "{label}: the payment survived"
    );
    let r = gql(again.base.clone(), me, Some(vip)).await;
    assert_eq!(
        r["errors"][0]["extensions"]["code"], "INVALID_CUSTOMER_ACCESS_TOKEN",
        "{label}: the logout survived: {r}"
    );
    assert_eq!(
        pay(again.base.clone()).await,
        401,
        "{label}: the PAT stays used"
    );
    again.kill9();
    println!("{label}: a sign-in, a payment and a logout acknowledged before kill -9 all survived");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_and_payments_survive_kill_9_on_sqlite() {
    let dir = tempfile::tempdir().expect("dir");
    sessions_and_payments_survive(
        "sqlite",
        vec!["--data-dir".into(), dir.path().display().to_string()],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_and_payments_survive_kill_9_on_postgres() {
    let url = fresh_schema(&postgres_base());
    sessions_and_payments_survive("postgres", vec!["--database-url".into(), url]).await;
}
