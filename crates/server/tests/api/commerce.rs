//! Carts (SPEC §5.6) over HTTP: guest carts merged at login and carts private to their
//! customer; the cart helpers and `COMPLETE` the other checkout tests use. Checkout and
//! payments are in `payments`.

use serde_json::{json, Value};

use crate::helpers::{message, Resp, TestApp, JANE, PASSWORD, VIP};

const CART_FIELDS: &str = "entityId lineItems { totalQuantity physicalItems { entityId productEntityId quantity } } amount { value }";

impl TestApp {
    pub(crate) async fn cart_op(
        &self,
        token: &str,
        cat: Option<&str>,
        query: &str,
        vars: Value,
    ) -> Resp {
        let headers: Vec<(&str, &str)> = cat
            .map(|c| vec![("X-Bc-Customer-Access-Token", c)])
            .unwrap_or_default();
        let r = self
            .gql_body(
                Some(token),
                json!({ "query": query, "variables": vars }),
                &headers,
            )
            .await;
        assert_eq!(r.status, 200, "{:?}", r.body);
        r
    }

    pub(crate) async fn create_cart(&self, token: &str, cat: Option<&str>, lines: Value) -> String {
        let q = format!("mutation($l: [CartLineItemInput!]) {{ cart {{ createCart(input: {{ lineItems: $l }}) {{ cart {{ {CART_FIELDS} }} }} }} }}");
        let r = self.cart_op(token, cat, &q, json!({ "l": lines })).await;
        r.body["data"]["cart"]["createCart"]["cart"]["entityId"]
            .as_str()
            .unwrap_or_else(|| panic!("no cart: {:?}", r.body))
            .to_string()
    }

    pub(crate) async fn read_cart(&self, token: &str, cat: Option<&str>, id: &str) -> Value {
        let q =
            format!("query($id: String) {{ site {{ cart(entityId: $id) {{ {CART_FIELDS} }} }} }}");
        let r = self.cart_op(token, cat, &q, json!({ "id": id })).await;
        r.body["data"]["site"]["cart"].clone()
    }

    pub(crate) async fn pay(&self, hash: &str, pat: &str, card: &str) -> Resp {
        let r = self
            .client
            .post(self.url(&format!("/stores/{hash}/payments")))
            .header("Authorization", format!("PAT {pat}"))
            .header("Accept", "application/vnd.bc.v1+json")
            .json(
                &json!({ "payment": { "payment_method_id": "testgateway.card", "instrument": {
                "type": "card", "number": card, "cardholder_name": "Jane Doe",
                "expiry_month": 12, "expiry_year": 2030, "verification_value": "123" } } }),
            )
            .send()
            .await
            .expect("send");
        Resp::from(r).await
    }
}

fn quantities(cart: &Value) -> Vec<(i64, i64)> {
    let mut q: Vec<(i64, i64)> = cart["lineItems"]["physicalItems"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| {
            (
                i["productEntityId"].as_i64().unwrap(),
                i["quantity"].as_i64().unwrap(),
            )
        })
        .collect();
    q.sort();
    q
}

const LOGIN_WITH_CART: &str = "mutation($e: String!, $p: String!, $g: String) { login(email: $e, password: $p, guestCartEntityId: $g) { customerAccessToken { value } cart { entityId lineItems { physicalItems { productEntityId quantity } } } } }";

#[tokio::test]
async fn a_guest_cart_is_merged_into_the_customers_cart_at_login() {
    let app = TestApp::spawn().await;
    let token = app.private_token(&["Unauthenticated", "Customer"]).await;
    let jane = app.login_cat(&token, JANE).await;
    let jane_cart = app
        .create_cart(
            &token,
            Some(&jane),
            json!([{ "productEntityId": 2, "quantity": 1 }]),
        )
        .await;
    // On another device, as a guest.
    let guest = app
        .create_cart(
            &token,
            None,
            json!([{ "productEntityId": 1, "quantity": 2 }, { "productEntityId": 2, "quantity": 1 }]),
        )
        .await;
    let r = app
        .cart_op(
            &token,
            None,
            LOGIN_WITH_CART,
            json!({ "e": JANE, "p": PASSWORD, "g": guest }),
        )
        .await;
    let login = &r.body["data"]["login"];
    assert_eq!(
        login["cart"]["entityId"],
        jane_cart.as_str(),
        "{:?}",
        r.body
    );
    assert_eq!(quantities(&login["cart"]), vec![(1, 2), (2, 2)]);
    // The guest cart is gone; the merged cart is the customer's current cart.
    assert_eq!(app.read_cart(&token, None, &guest).await, Value::Null);
    let cat = login["customerAccessToken"]["value"].as_str().unwrap();
    let r = app
        .cart_op(
            &token,
            Some(cat),
            &format!("{{ site {{ cart {{ {CART_FIELDS} }} }} }}"),
            json!({}),
        )
        .await;
    assert_eq!(
        r.body["data"]["site"]["cart"]["entityId"],
        jane_cart.as_str()
    );
    assert_eq!(
        r.body["data"]["site"]["cart"]["lineItems"]["totalQuantity"],
        4
    );

    // A customer without a cart takes the guest cart over as it is.
    let guest2 = app
        .create_cart(
            &token,
            None,
            json!([{ "productEntityId": 3, "quantity": 1 }]),
        )
        .await;
    let r = app
        .cart_op(
            &token,
            None,
            LOGIN_WITH_CART,
            json!({ "e": VIP, "p": PASSWORD, "g": guest2 }),
        )
        .await;
    assert_eq!(r.body["data"]["login"]["cart"]["entityId"], guest2.as_str());
    // An unknown guest cart id fails the login with a clear error, and nothing is merged.
    let r = app
        .cart_op(
            &token,
            None,
            LOGIN_WITH_CART,
            json!({ "e": JANE, "p": PASSWORD, "g": "no-such-cart" }),
        )
        .await;
    assert_eq!(message(&r), "Cart not found.", "{:?}", r.body);
}

#[tokio::test]
async fn another_customers_cart_cannot_be_read_or_changed() {
    let app = TestApp::spawn().await;
    let token = app.private_token(&["Unauthenticated", "Customer"]).await;
    let jane = app.login_cat(&token, JANE).await;
    let vip = app.login_cat(&token, VIP).await;
    let cart = app
        .create_cart(
            &token,
            Some(&jane),
            json!([{ "productEntityId": 1, "quantity": 1 }]),
        )
        .await;
    assert_eq!(
        app.read_cart(&token, Some(&jane), &cart).await["entityId"],
        cart.as_str()
    );
    assert_eq!(app.read_cart(&token, Some(&vip), &cart).await, Value::Null);
    assert_eq!(app.read_cart(&token, None, &cart).await, Value::Null);
    let add = "mutation($id: String!) { cart { addCartLineItems(input: { cartEntityId: $id, data: { lineItems: [{ productEntityId: 2, quantity: 1 }] } }) { cart { entityId } } } }";
    let r = app
        .cart_op(&token, Some(&vip), add, json!({ "id": cart }))
        .await;
    assert_eq!(message(&r), "Cart not found.");
    assert_eq!(r.body["data"]["cart"]["addCartLineItems"], Value::Null);
    let checkout = "mutation($id: String!) { checkout { completeCheckout(input: { checkoutEntityId: $id }) { orderEntityId errors { ... on CartError { message } } } } }";
    let r = app
        .cart_op(&token, Some(&vip), checkout, json!({ "id": cart }))
        .await;
    assert_eq!(
        r.body["data"]["checkout"]["completeCheckout"]["errors"][0]["message"],
        "Cart not found."
    );
    // Jane's cart is untouched.
    assert_eq!(
        quantities(&app.read_cart(&token, Some(&jane), &cart).await),
        vec![(1, 1)]
    );

    // Bad input is refused with a clear error and nothing is created.
    let bad = "mutation { cart { createCart(input: { lineItems: [{ productEntityId: 999, quantity: 1 }] }) { cart { entityId } } } }";
    let r = app.cart_op(&token, Some(&jane), bad, json!({})).await;
    assert_eq!(message(&r), "Product 999 does not exist.");
    let bad = "mutation { cart { createCart(input: { lineItems: [{ productEntityId: 1, quantity: 0 }] }) { cart { entityId } } } }";
    let r = app.cart_op(&token, Some(&jane), bad, json!({})).await;
    assert_eq!(message(&r), "Quantity must be between 1 and 1000.");

    // Assign / unassign, delete a line, and logout handing the cart back to guests.
    let guest = app
        .create_cart(&token, None, json!([{ "productEntityId": 3, "quantity": 1 }, { "productEntityId": 4, "quantity": 1 }]))
        .await;
    let assign = "mutation($id: String!) { cart { assignCartToCustomer(input: { cartEntityId: $id }) { cart { entityId } } } }";
    let r = app
        .cart_op(&token, Some(&vip), assign, json!({ "id": guest }))
        .await;
    assert_eq!(
        r.body["data"]["cart"]["assignCartToCustomer"]["cart"]["entityId"],
        guest.as_str()
    );
    assert_eq!(
        app.read_cart(&token, None, &guest).await,
        Value::Null,
        "now VIP's"
    );
    let items =
        app.read_cart(&token, Some(&vip), &guest).await["lineItems"]["physicalItems"].clone();
    let del = "mutation($id: String!, $item: String!) { cart { deleteCartLineItem(input: { cartEntityId: $id, lineItemEntityId: $item }) { deletedLineItemEntityId cart { lineItems { totalQuantity } } } } }";
    let r = app
        .cart_op(
            &token,
            Some(&vip),
            del,
            json!({ "id": guest, "item": items[0]["entityId"] }),
        )
        .await;
    assert_eq!(
        r.body["data"]["cart"]["deleteCartLineItem"]["cart"]["lineItems"]["totalQuantity"],
        1
    );
    let logout = "mutation($id: String) { logout(cartEntityId: $id) { result cartUnassignResult { cart { entityId } errors { message } } } }";
    let r = app
        .cart_op(&token, Some(&vip), logout, json!({ "id": guest }))
        .await;
    assert_eq!(
        r.body["data"]["logout"]["cartUnassignResult"]["cart"]["entityId"],
        guest.as_str(),
        "{:?}",
        r.body
    );
    assert_eq!(
        app.read_cart(&token, None, &guest).await["entityId"],
        guest.as_str(),
        "a guest cart again"
    );
    // Redirect URLs point at the channel's own site.
    let urls = "mutation($id: String) { cart { createCartRedirectUrls(input: { cartEntityId: $id }) { redirectUrls { redirectedCheckoutUrl embeddedCheckoutUrl } errors { ... on NotFoundError { message } } } } }";
    let r = app
        .cart_op(&token, None, urls, json!({ "id": guest }))
        .await;
    let url = r.body["data"]["cart"]["createCartRedirectUrls"]["redirectUrls"]
        ["redirectedCheckoutUrl"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        // On this server's storefront host (its hosted checkout), not the channel's site.
        url.starts_with(&format!(
            "{}/cart.php?action=loadInCheckout&id={guest}&token=",
            app.base
        )),
        "{url}"
    );
    let r = app.cart_op(&token, None, urls, json!({ "id": cart })).await;
    assert_eq!(
        r.body["data"]["cart"]["createCartRedirectUrls"]["errors"][0]["message"],
        "Cart not found."
    );
}

pub(crate) const COMPLETE: &str = "mutation($id: String!) { checkout { completeCheckout(input: { checkoutEntityId: $id }) { orderEntityId paymentAccessToken errors { ... on CartError { message } } } } }";
