//! The hosted checkout with a tax provider (issue 18 §2 with §1): the checkout shows the
//! provider's estimate, paying commits it, and a provider that fails when the order is placed
//! is a clear refusal that places nothing; paying again once it answers works.

use reqwest::Method;
use serde_json::{json, Value};

use crate::tax_providers::{connected_app, Mode};

#[tokio::test]
async fn the_hosted_checkout_quotes_tax_commits_it_and_survives_a_failing_provider() {
    let (app, provider, token) = connected_app().await;
    let guest = app
        .create_cart(
            &token,
            None,
            json!([{ "productEntityId": 1, "quantity": 1 }]),
        )
        .await;
    let link = app.checkout_link(&token, None, &guest).await;
    assert_eq!(app.open_link(&link).await.status, 303);
    let checkout = app.ship_and_bill(None, &guest, "1").await;
    // 10 % of $109 and of the $10 shipping.
    assert_eq!(
        (checkout["taxTotal"].clone(), checkout["grandTotal"].clone()),
        (json!(11.9), json!(130.9)),
        "{checkout:?}"
    );

    // The provider fails once the checkout changes (the quote above is kept for its body).
    provider.set(Mode::Fail);
    let consignment = checkout["consignments"][0]["id"].as_str().unwrap();
    let r = app
        .rest(
            Method::PUT,
            &format!("/api/storefront/checkouts/{guest}/consignments/{consignment}"),
            None,
            Some(&app.base),
            Some(json!({ "shippingOptionId": "2" })),
        )
        .await;
    assert_eq!((r.status, r.body["taxTotal"].clone()), (200, Value::Null));
    let r = app.hosted_pay(None, &guest, "4111111111111111").await;
    assert_eq!(r.status, 422, "{:?}", r.body);
    let title = r.body["title"].as_str().unwrap_or_default();
    assert!(title.contains("tax"), "{title}");
    assert!(provider.calls("/tax/commit").is_empty());
    let (status, _, _) = app
        .page(&format!("/checkout/order-confirmation?id={guest}"), None)
        .await;
    assert_eq!(status, 404, "no order was placed");

    provider.set(Mode::Ten);
    let r = app.hosted_pay(None, &guest, "4111111111111111").await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    assert_eq!(provider.calls("/tax/commit").len(), 1);
    let (status, _, html) = app
        .page(&format!("/checkout/order-confirmation?id={guest}"), None)
        .await;
    assert_eq!(status, 200, "{html}");
    assert!(
        html.contains(r#"<dd id="order-tax">$13.40</dd>"#)
            && html.contains(r#"<dd id="order-total">$147.40</dd>"#),
        "{html}"
    );
}
