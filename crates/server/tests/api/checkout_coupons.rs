//! Coupons on the checkout over HTTP, as Catalyst's cart page applies them: a code (any case)
//! comes off the grand total and the order, one per checkout; bad codes, used-up coupons and
//! gift certificates are refused with a message and change nothing; operators manage coupons
//! with the CLI.

use serde_json::{json, Value};

use crate::commerce::COMPLETE;
use crate::helpers::{message, TestApp};

const APPLY: &str = "mutation ApplyCheckoutCouponMutation($applyCheckoutCouponInput: ApplyCheckoutCouponInput!) { checkout { applyCheckoutCoupon(input: $applyCheckoutCouponInput) { checkout { entityId } } } }";
const UNAPPLY: &str = "mutation UnapplyCheckoutCouponMutation($unapplyCheckoutCouponInput: UnapplyCheckoutCouponInput!) { checkout { unapplyCheckoutCoupon(input: $unapplyCheckoutCouponInput) { checkout { entityId } } } }";
const APPLY_GIFT: &str = "mutation($input: ApplyCheckoutGiftCertificateInput!) { checkout { applyCheckoutGiftCertificate(input: $input) { checkout { entityId } } } }";
const UNAPPLY_GIFT: &str = "mutation($input: UnapplyCheckoutGiftCertificateInput!) { checkout { unapplyCheckoutGiftCertificate(input: $input) { checkout { entityId } } } }";
const TOTALS: &str = "query($id: String) { site { checkout(entityId: $id) { subtotal { value } grandTotal { value } coupons { code discountedAmount { value currencyCode } } giftCertificates { code } } } }";
const ORDER: &str = "query($filter: OrderFilterInput) { site { order(filter: $filter) { subTotal { value } totalIncTax { value }
  discounts { nonCouponDiscountTotal { value } couponDiscounts { couponCode discountedAmount { value } } } } } }";

struct Shop<'a> {
    app: &'a TestApp,
    token: String,
}

impl Shop<'_> {
    async fn call(&self, doc: &str, vars: Value) -> crate::helpers::Resp {
        self.app.cart_op(&self.token, None, doc, vars).await
    }

    async fn apply(&self, cart: &str, code: &str) -> crate::helpers::Resp {
        let input = json!({ "checkoutEntityId": cart, "data": { "couponCode": code } });
        self.call(APPLY, json!({ "applyCheckoutCouponInput": input }))
            .await
    }

    async fn unapply(&self, cart: &str, code: &str) -> crate::helpers::Resp {
        let input = json!({ "checkoutEntityId": cart, "data": { "couponCode": code } });
        self.call(UNAPPLY, json!({ "unapplyCheckoutCouponInput": input }))
            .await
    }

    async fn totals(&self, cart: &str) -> Value {
        let r = self.call(TOTALS, json!({ "id": cart })).await;
        assert!(r.body["errors"].is_null(), "{:?}", r.body);
        r.body["data"]["site"]["checkout"].clone()
    }

    /// Completes the checkout: the order id, or the CartError's message.
    async fn complete(&self, cart: &str) -> Result<i64, String> {
        let r = self.call(COMPLETE, json!({ "id": cart })).await;
        let done = &r.body["data"]["checkout"]["completeCheckout"];
        done["orderEntityId"].as_i64().ok_or_else(|| {
            done["errors"][0]["message"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        })
    }

    fn cli(&self, args: &[&str]) -> (bool, String) {
        let out = self.app.cli(args);
        let text = String::from_utf8_lossy(&out.stdout).to_string()
            + &String::from_utf8_lossy(&out.stderr);
        (out.status.success(), text)
    }
}

#[tokio::test]
async fn a_coupon_code_comes_off_the_checkout_and_the_order() {
    let app = TestApp::spawn().await;
    let shop = Shop {
        app: &app,
        token: app.private_token(&["Unauthenticated", "Customer"]).await,
    };
    // 109.00 + 34.95 = 143.95.
    let cart = app
        .create_cart(&shop.token, None, json!([{ "productEntityId": 1, "quantity": 1 }, { "productEntityId": 4, "quantity": 1 }]))
        .await;
    let r = shop.apply(&cart, "welcome10").await;
    assert!(r.body["errors"].is_null(), "{:?}", r.body);
    let totals = shop.totals(&cart).await;
    assert_eq!(
        totals["coupons"],
        json!([{ "code": "WELCOME10", "discountedAmount": { "value": 14.4, "currencyCode": "USD" } }])
    );
    assert_eq!(totals["subtotal"]["value"], 143.95);
    assert_eq!(totals["grandTotal"]["value"], 129.55);
    // Applying it again changes nothing.
    assert!(shop.apply(&cart, "WELCOME10").await.body["errors"].is_null());

    let order_id = shop.complete(&cart).await.expect("placed");
    let r = shop
        .call(
            ORDER,
            json!({ "filter": { "entityId": order_id, "cartEntityId": cart } }),
        )
        .await;
    let order = &r.body["data"]["site"]["order"];
    assert_eq!(order["subTotal"]["value"], 143.95, "{:?}", r.body);
    assert_eq!(order["totalIncTax"]["value"], 129.55);
    assert_eq!(
        order["discounts"],
        json!({ "nonCouponDiscountTotal": { "value": 0.0 }, "couponDiscounts": [{ "couponCode": "WELCOME10", "discountedAmount": { "value": 14.4 } }] })
    );
}

#[tokio::test]
async fn bad_codes_second_coupons_and_gift_certificates_are_refused_and_change_nothing() {
    let app = TestApp::spawn().await;
    let shop = Shop {
        app: &app,
        token: app.private_token(&["Unauthenticated"]).await,
    };
    let (ok, out) = shop.cli(&[
        "coupons", "add", "--store", "demo", "--code", "FIVE", "--kind", "amount", "--value", "5",
    ]);
    assert!(
        ok && out.contains("FIVE ($5.00 off; used 0, no limit)"),
        "{out}"
    );
    let cart = app
        .create_cart(
            &shop.token,
            None,
            json!([{ "productEntityId": 3, "quantity": 1 }]),
        )
        .await;
    assert!(shop.apply(&cart, "WELCOME10").await.body["errors"].is_null());
    let before = shop.totals(&cart).await;
    let long = "X".repeat(51);
    let refusals = [
        (
            shop.apply(&cart, "NOPE").await,
            "The coupon code NOPE is not valid.",
        ),
        (
            shop.apply(&cart, &long).await,
            &*format!("The coupon code {long} is not valid."),
        ),
        (
            shop.apply(&cart, "five").await,
            "Only one coupon can be applied; remove WELCOME10 first.",
        ),
        (
            shop.unapply(&cart, "FIVE").await,
            "Coupon FIVE is not applied to this checkout.",
        ),
        (shop.apply("not-a-cart", "FIVE").await, "Cart not found."),
    ];
    for (r, expected) in refusals {
        assert_eq!(message(&r), expected, "{:?}", r.body);
    }
    let gift = |doc: &'static str| {
        let input = json!({ "input": { "checkoutEntityId": cart, "data": { "giftCertificateCode": "GC-1" } } });
        shop.call(doc, input)
    };
    assert_eq!(
        message(&gift(APPLY_GIFT).await),
        "The gift certificate code GC-1 is not valid: this store does not sell gift certificates."
    );
    assert_eq!(
        message(&gift(UNAPPLY_GIFT).await),
        "Gift certificate GC-1 is not applied to this checkout."
    );
    // A huge code is not repeated back whole: the refusal quotes its first 100 characters.
    let huge = "Z".repeat(90_000);
    let r = shop.apply(&cart, &huge).await;
    assert_eq!(
        message(&r),
        format!("The coupon code {}… is not valid.", "Z".repeat(100))
    );
    assert_eq!(shop.totals(&cart).await, before, "nothing changed");

    // Removing one coupon makes room for another; 49.50 less 5.00.
    assert!(shop.unapply(&cart, "welcome10").await.body["errors"].is_null());
    assert_eq!(shop.totals(&cart).await["coupons"], json!([]));
    assert!(shop.apply(&cart, "Five").await.body["errors"].is_null());
    assert_eq!(shop.totals(&cart).await["grandTotal"]["value"], 44.5);
}

#[tokio::test]
async fn a_used_up_coupon_is_refused_and_a_coupon_may_not_make_an_order_free() {
    let app = TestApp::spawn().await;
    let shop = Shop {
        app: &app,
        token: app.private_token(&["Unauthenticated"]).await,
    };
    let add = |code: &str, kind: &str, value: &str, uses: &str| {
        shop.cli(&[
            "coupons",
            "add",
            "--store",
            "demo",
            "--code",
            code,
            "--kind",
            kind,
            "--value",
            value,
            "--max-uses",
            uses,
        ])
    };
    assert!(add("ONCE", "percent", "50", "1").0);
    assert!(add("ALL", "amount", "10000", "0").0);
    for (args, expected) in [
        (("X", "weight", "1", "0"), "is not a kind of coupon"),
        (
            ("X", "percent", "101", "0"),
            "A percentage is above 0 and at most 100.",
        ),
        (
            ("X", "amount", "0", "0"),
            "An amount is above 0.00 and at most 10000.00.",
        ),
        (
            ("two words", "amount", "1", "0"),
            "A coupon code is 1 to 50 letters",
        ),
        (
            ("once", "amount", "1", "0"),
            "The store already has a coupon with code once.",
        ),
    ] {
        let (ok, out) = add(args.0, args.1, args.2, args.3);
        assert!(!ok && out.contains(expected), "{args:?}: {out}");
    }
    let line = json!([{ "productEntityId": 4, "quantity": 1 }]);
    let (first, second) = (
        app.create_cart(&shop.token, None, line.clone()).await,
        app.create_cart(&shop.token, None, line.clone()).await,
    );
    // Both checkouts apply the one-use coupon; the first order uses it up.
    assert!(shop.apply(&first, "ONCE").await.body["errors"].is_null());
    assert!(shop.apply(&second, "ONCE").await.body["errors"].is_null());
    assert!(shop.complete(&first).await.is_ok());
    assert_eq!(
        shop.complete(&second).await,
        Err("Coupon ONCE has been used up.".into())
    );
    let third = app.create_cart(&shop.token, None, line.clone()).await;
    assert_eq!(
        message(&shop.apply(&third, "once").await),
        "Coupon ONCE has been used up."
    );
    let (_, list) = shop.cli(&["coupons", "list", "--store", "demo"]);
    assert!(
        list.contains("ONCE (50.00% off; used 1, at most 1)"),
        "{list}"
    );

    // A coupon worth more than the goods takes them all, and such an order is not placed.
    assert!(shop.unapply(&second, "ONCE").await.body["errors"].is_null());
    assert!(shop.apply(&second, "ALL").await.body["errors"].is_null());
    assert_eq!(shop.totals(&second).await["grandTotal"]["value"], 0.0);
    assert_eq!(
        shop.complete(&second).await,
        Err("An order must cost something: the coupon covers the whole order.".into())
    );
    // Removed, it is gone from the checkout.
    let id = list
        .lines()
        .find(|l| l.contains("ALL"))
        .and_then(|l| l.split('\t').next())
        .unwrap_or_else(|| panic!("{list}"))
        .to_string();
    assert!(
        shop.cli(&["coupons", "remove", "--store", "demo", "--id", &id])
            .0
    );
    assert_eq!(shop.totals(&second).await["coupons"], json!([]));
}
