//! Wishlists over HTTP: each belongs to its customer (SPEC §5.4); renaming, sharing and
//! deleting them, and the shared wishlist page (issue 17: Catalyst's account wishlists page
//! and `/wishlist/{token}`).

use serde_json::{json, Value};

use crate::customers::STRICT;
use crate::helpers::{TestApp, JANE, VIP};

const UPDATE: &str = "mutation UpdateWishlistMutation($wishlistId: Int!, $input: WishlistUpdateDataInput!) {
    wishlist { updateWishlist(input: { entityId: $wishlistId, data: $input }) { result { entityId name isPublic token } } } }";
const DELETE: &str = "mutation DeleteWishlistsMutation($ids: [Int!]!) { wishlist { deleteWishlists(input: { entityIds: $ids }) { result } } }";
const PUBLIC: &str = "query PublicWishlistQuery($token: String!) { site { publicWishlist(token: $token) {
    entityId name token isOwner items(first: 10) { edges { node { productEntityId product { name } } } } } } }";

struct Shopper {
    token: String,
    jane: String,
    vip: String,
}

impl TestApp {
    async fn shopper(&self) -> Shopper {
        let token = self.private_token(&["Unauthenticated", "Customer"]).await;
        let jane = self.login_cat(&token, JANE).await;
        let vip = self.login_cat(&token, VIP).await;
        Shopper { token, jane, vip }
    }

    /// Runs `query` as the customer with `cat` (or anonymously with `None`).
    async fn as_customer(
        &self,
        s: &Shopper,
        cat: Option<&str>,
        query: &str,
        variables: Value,
    ) -> Value {
        let headers: Vec<(&str, &str)> = cat
            .map(|c| ("X-Bc-Customer-Access-Token", c))
            .into_iter()
            .collect();
        let r = self
            .gql_body(
                Some(&s.token),
                json!({ "query": query, "variables": variables }),
                &headers,
            )
            .await;
        assert_eq!(r.status, 200, "{:?}", r.body);
        r.body
    }

    async fn new_wishlist(&self, s: &Shopper, cat: &str, name: &str) -> i64 {
        let create = "mutation($name: String!) { wishlist { createWishlist(input: { name: $name, isPublic: false, items: [{ productEntityId: 2 }] }) { result { entityId } } } }";
        let body = self
            .as_customer(s, Some(cat), create, json!({ "name": name }))
            .await;
        body["data"]["wishlist"]["createWishlist"]["result"]["entityId"]
            .as_i64()
            .unwrap_or_else(|| panic!("{body}"))
    }

    async fn wishlist_names(&self, s: &Shopper, cat: &str) -> Vec<String> {
        let body = self
            .as_customer(
                s,
                Some(cat),
                "{ customer { wishlists { edges { node { name } } } } }",
                json!({}),
            )
            .await;
        body["data"]["customer"]["wishlists"]["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["node"]["name"].as_str().unwrap().to_string())
            .collect()
    }
}

fn message(body: &Value) -> &str {
    body["errors"][0]["message"]
        .as_str()
        .unwrap_or_else(|| panic!("no error: {body}"))
}

#[tokio::test]
async fn a_shared_wishlist_is_seen_by_anyone_with_its_link_until_it_is_private_again() {
    let app = TestApp::spawn().await;
    let s = app.shopper().await;
    let id = app.new_wishlist(&s, &s.jane, "Kitchen").await;
    let body = app
        .as_customer(
            &s,
            Some(&s.jane),
            UPDATE,
            json!({ "wishlistId": id, "input": { "name": "  Birthday  ", "isPublic": true } }),
        )
        .await;
    let updated = &body["data"]["wishlist"]["updateWishlist"]["result"];
    assert_eq!(
        (&updated["name"], &updated["isPublic"]),
        (&json!("Birthday"), &json!(true)),
        "{body}"
    );
    let token = updated["token"].as_str().unwrap().to_string();

    // Anyone with the link (no customer): the list and its products; ownership unknown.
    let anonymous = app
        .as_customer(&s, None, PUBLIC, json!({ "token": token }))
        .await;
    let shared = &anonymous["data"]["site"]["publicWishlist"];
    assert_eq!(shared["entityId"], id);
    assert_eq!(shared["name"], "Birthday");
    assert_eq!(shared["isOwner"], Value::Null);
    assert_eq!(
        shared["items"]["edges"][0]["node"]["product"]["name"],
        "Able Brewing System"
    );
    let owner = app
        .as_customer(&s, Some(&s.jane), PUBLIC, json!({ "token": token }))
        .await;
    assert_eq!(owner["data"]["site"]["publicWishlist"]["isOwner"], true);
    let other = app
        .as_customer(&s, Some(&s.vip), PUBLIC, json!({ "token": token }))
        .await;
    assert_eq!(other["data"]["site"]["publicWishlist"]["isOwner"], false);
    // A token with Unauthenticated only opens the shared page too.
    let shop_only = app.private_token(&["Unauthenticated"]).await;
    let r = app
        .gql_body(
            Some(&shop_only),
            json!({ "query": PUBLIC, "variables": { "token": token } }),
            &[],
        )
        .await;
    assert_eq!(
        r.body["data"]["site"]["publicWishlist"]["name"], "Birthday",
        "{:?}",
        r.body
    );

    // Renaming alone keeps it shared; making it private closes the link.
    let body = app
        .as_customer(
            &s,
            Some(&s.jane),
            UPDATE,
            json!({ "wishlistId": id, "input": { "name": "Gifts" } }),
        )
        .await;
    assert_eq!(
        body["data"]["wishlist"]["updateWishlist"]["result"]["isPublic"],
        true
    );
    app.as_customer(
        &s,
        Some(&s.jane),
        UPDATE,
        json!({ "wishlistId": id, "input": { "isPublic": false } }),
    )
    .await;
    for t in [
        token.clone(),
        "0".repeat(32),
        "x".repeat(5000),
        String::new(),
    ] {
        let body = app
            .as_customer(&s, None, PUBLIC, json!({ "token": t }))
            .await;
        assert_eq!(
            body["data"]["site"]["publicWishlist"],
            Value::Null,
            "{body}"
        );
        assert!(body["errors"].is_null(), "{body}");
    }
}

#[tokio::test]
async fn only_the_owner_renames_and_a_name_must_be_given() {
    let app = TestApp::spawn().await;
    let s = app.shopper().await;
    let id = app.new_wishlist(&s, &s.jane, "Kitchen").await;
    let not_found = format!("Wishlist {id} not found.");
    let body = app
        .as_customer(
            &s,
            Some(&s.vip),
            UPDATE,
            json!({ "wishlistId": id, "input": { "name": "Mine", "isPublic": true } }),
        )
        .await;
    assert_eq!(message(&body), not_found);
    for (name, want) in [
        ("   ", "A wishlist needs a name."),
        (
            &*"n".repeat(256),
            "A wishlist name is at most 255 characters.",
        ),
    ] {
        let body = app
            .as_customer(
                &s,
                Some(&s.jane),
                UPDATE,
                json!({ "wishlistId": id, "input": { "name": name } }),
            )
            .await;
        assert_eq!(message(&body), want);
    }
    assert_eq!(app.wishlist_names(&s, &s.jane).await, vec!["Kitchen"]);
    // Without a customer there is nobody to own it.
    let body = app
        .as_customer(
            &s,
            None,
            UPDATE,
            json!({ "wishlistId": id, "input": { "name": "X" } }),
        )
        .await;
    assert!(
        body["errors"].is_array() && body["data"]["wishlist"]["updateWishlist"].is_null(),
        "{body}"
    );
}

#[tokio::test]
async fn deleting_wishlists_is_all_or_nothing_and_only_the_owners() {
    let app = TestApp::spawn().await;
    let s = app.shopper().await;
    let (a, b) = (
        app.new_wishlist(&s, &s.jane, "A").await,
        app.new_wishlist(&s, &s.jane, "B").await,
    );
    let vips = app.new_wishlist(&s, &s.vip, "V").await;
    // One of them not hers: nothing is deleted.
    let body = app
        .as_customer(&s, Some(&s.jane), DELETE, json!({ "ids": [a, vips] }))
        .await;
    assert_eq!(message(&body), format!("Wishlist {vips} not found."));
    assert_eq!(app.wishlist_names(&s, &s.jane).await, vec!["A", "B"]);
    assert_eq!(app.wishlist_names(&s, &s.vip).await, vec!["V"]);
    let many: Vec<i64> = (0..101).collect();
    let body = app
        .as_customer(&s, Some(&s.jane), DELETE, json!({ "ids": many }))
        .await;
    assert_eq!(message(&body), "Delete at most 100 wishlists at once.");

    let body = app
        .as_customer(&s, Some(&s.jane), DELETE, json!({ "ids": [a, b] }))
        .await;
    assert_eq!(
        body["data"]["wishlist"]["deleteWishlists"]["result"], "success",
        "{body}"
    );
    assert!(app.wishlist_names(&s, &s.jane).await.is_empty());
    assert_eq!(app.wishlist_names(&s, &s.vip).await, vec!["V"]);
    // Gone is gone: deleting again is not found.
    let body = app
        .as_customer(&s, Some(&s.jane), DELETE, json!({ "ids": [a] }))
        .await;
    assert_eq!(message(&body), format!("Wishlist {a} not found."));
}

#[tokio::test]
async fn wishlists_belong_to_their_customer() {
    let app = TestApp::spawn().await;
    let token = app.private_token(&["Unauthenticated", "Customer"]).await;
    let jane = app.login_cat(&token, JANE).await;
    let vip = app.login_cat(&token, VIP).await;
    let create = "mutation { wishlist { createWishlist(input: { name: \"Gifts\", isPublic: false, items: [{ productEntityId: 1 }] }) { result { entityId name items { edges { node { entityId productEntityId product { name } } } } } } } }";
    let r = app
        .gql(
            Some(&token),
            create,
            &[("X-Bc-Customer-Access-Token", &jane)],
        )
        .await;
    let list = &r.body["data"]["wishlist"]["createWishlist"]["result"];
    let id = list["entityId"].as_i64().expect("id");
    assert_eq!(
        list["items"]["edges"][0]["node"]["product"]["name"],
        "Orbit Terrarium - Large"
    );

    let add = |wid: i64| {
        format!("mutation {{ wishlist {{ addWishlistItems(input: {{ entityId: {wid}, items: [{{ productEntityId: 2 }}] }}) {{ result {{ items {{ edges {{ node {{ entityId productEntityId }} }} }} }} }} }} }}")
    };
    let r = app
        .gql(
            Some(&token),
            &add(id),
            &[("X-Bc-Customer-Access-Token", &vip)],
        )
        .await;
    assert_eq!(
        r.body["errors"][0]["message"],
        format!("Wishlist {id} not found."),
        "another customer's wishlist is invisible"
    );
    let r = app
        .gql(
            Some(&token),
            &add(id),
            &[("X-Bc-Customer-Access-Token", &jane)],
        )
        .await;
    let items = r.body["data"]["wishlist"]["addWishlistItems"]["result"]["items"]["edges"]
        .as_array()
        .expect("items")
        .clone();
    assert_eq!(items.len(), 2);
    let first_item = items[0]["node"]["entityId"].as_i64().expect("item");
    let del = format!("mutation {{ wishlist {{ deleteWishlistItems(input: {{ entityId: {id}, itemEntityIds: [{first_item}] }}) {{ result {{ items {{ edges {{ node {{ productEntityId }} }} }} }} }} }} }}");
    let r = app
        .gql(Some(&token), &del, &[("X-Bc-Customer-Access-Token", &jane)])
        .await;
    assert_eq!(
        r.body["data"]["wishlist"]["deleteWishlistItems"]["result"]["items"]["edges"],
        json!([{ "node": { "productEntityId": 2 } }])
    );

    let mine = "{ customer { wishlists { edges { node { name } } } } }";
    let r = app
        .gql(Some(&token), mine, &[("X-Bc-Customer-Access-Token", &jane)])
        .await;
    assert_eq!(
        r.body["data"]["customer"]["wishlists"]["edges"],
        json!([{ "node": { "name": "Gifts" } }])
    );
    let r = app
        .gql(Some(&token), mine, &[("X-Bc-Customer-Access-Token", &vip)])
        .await;
    assert_eq!(r.body["data"]["customer"]["wishlists"]["edges"], json!([]));

    // A guest: MISSING_CUSTOMER_ACCESS_TOKEN when the client opted in, a plain error otherwise.
    let r = app.gql(Some(&token), create, &[STRICT]).await;
    assert_eq!(
        r.body["errors"][0]["extensions"]["code"],
        "MISSING_CUSTOMER_ACCESS_TOKEN"
    );
    let r = app.gql(Some(&token), create, &[]).await;
    assert_eq!(r.body["errors"][0]["message"], "Please sign in to do this.");
    assert!(r.body["errors"][0].get("extensions").is_none());
}
