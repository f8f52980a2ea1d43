//! Catalyst core's pages beyond the recorded journey, over HTTP with the documents they send:
//! web pages (children, breadcrumbs, the contact form with `ValidationError`s read through
//! `... on Error`), a store without a blog or gift certificates, variants by SKU with stock,
//! a product's categories.

use serde_json::{json, Value};

use crate::helpers::{message, TestApp};

/// Catalyst's `WebPageChildrenQuery` and breadcrumbs fragment, in one document.
const PAGE: &str = "query($id: ID!, $depth: Int!) { node(id: $id) { ... on WebPage { name breadcrumbs(depth: $depth) { edges { node { name path } } } children(first: 20) { edges { node { name ... on NormalPage { path } ... on ExternalLinkPage { link } } } } } ... on ContactPage { contactFields } } }";
const SUBMIT: &str = "mutation SubmitContactUsMutation($input: SubmitContactUsInput!) { submitContactUs(input: $input) { __typename errors { __typename ... on Error { message } ... on ValidationError { path } } } }";

async fn pages(app: &TestApp, token: &str) -> Vec<Value> {
    let q = "{ site { content { pages(first: 50) { edges { node { __typename entityId name ... on NormalPage { id } ... on ContactPage { id } } } } } } }";
    let r = app.cart_op(token, None, q, json!({})).await;
    r.body["data"]["site"]["content"]["pages"]["edges"]
        .as_array()
        .expect("pages")
        .iter()
        .map(|e| e["node"].clone())
        .collect()
}

fn named<'a>(pages: &'a [Value], name: &str) -> &'a Value {
    pages.iter().find(|p| p["name"] == name).expect(name)
}

fn names(list: &Value) -> Vec<String> {
    list["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| e["node"]["name"].as_str().expect("name").to_string())
        .collect()
}

#[tokio::test]
async fn a_page_has_children_and_breadcrumbs_and_a_contact_page_its_fields() {
    let app = TestApp::spawn().await;
    let token = app.private_token(&["Unauthenticated"]).await;
    let all = pages(&app, &token).await;
    let shipping = named(&all, "Shipping & Returns");
    let policy = named(&all, "Returns Policy");

    let r = app
        .cart_op(
            &token,
            None,
            PAGE,
            json!({ "id": shipping["id"], "depth": 8 }),
        )
        .await;
    assert!(r.body["errors"].is_null(), "{:?}", r.body);
    let node = &r.body["data"]["node"];
    assert_eq!(names(&node["children"]), ["Returns Policy"]);
    assert_eq!(
        node["children"]["edges"][0]["node"]["path"],
        "/returns-policy/"
    );
    assert_eq!(names(&node["breadcrumbs"]), ["Shipping & Returns"]);

    let r = app
        .cart_op(
            &token,
            None,
            PAGE,
            json!({ "id": policy["id"], "depth": 8 }),
        )
        .await;
    let node = &r.body["data"]["node"];
    assert_eq!(
        names(&node["breadcrumbs"]),
        ["Shipping & Returns", "Returns Policy"]
    );
    assert_eq!(names(&node["children"]), Vec::<String>::new());
    // A shallower trail keeps the deepest crumbs.
    let r = app
        .cart_op(
            &token,
            None,
            PAGE,
            json!({ "id": policy["id"], "depth": 1 }),
        )
        .await;
    assert_eq!(
        names(&r.body["data"]["node"]["breadcrumbs"]),
        ["Returns Policy"]
    );

    let contact = named(&all, "Contact Us");
    let r = app
        .cart_op(
            &token,
            None,
            PAGE,
            json!({ "id": contact["id"], "depth": 8 }),
        )
        .await;
    assert_eq!(
        r.body["data"]["node"]["contactFields"],
        json!(["fullname", "phone", "companyname", "orderno", "rma"])
    );
}

#[tokio::test]
async fn a_contact_message_is_acknowledged_and_every_bad_one_is_a_validation_error() {
    let app = TestApp::spawn().await;
    let token = app.private_token(&["Unauthenticated"]).await;
    let all = pages(&app, &token).await;
    let contact = named(&all, "Contact Us")["entityId"].as_i64().unwrap();
    let about = named(&all, "About Us")["entityId"].as_i64().unwrap();
    let input = |page: i64, email: &str, comments: &str| {
        json!({ "input": { "pageEntityId": page, "data": { "email": email, "comments": comments,
            "fullName": "Jane Doe", "companyName": null } } })
    };

    let r = app
        .cart_op(
            &token,
            None,
            SUBMIT,
            input(contact, "jane@example.com", "Hello"),
        )
        .await;
    assert_eq!(
        r.body["data"]["submitContactUs"],
        json!({ "__typename": "SubmitContactUsResult", "errors": [] }),
        "{:?}",
        r.body
    );

    let long = "x".repeat(5001);
    let refusals = [
        (
            input(contact, "not-an-email", "Hello"),
            "Enter a valid email address.",
            json!(["input", "data", "email"]),
        ),
        (
            input(contact, "jane@example.com", "   "),
            "Comments are required.",
            json!(["input", "data", "comments"]),
        ),
        (
            input(contact, "jane@example.com", &long),
            "Comments are too long.",
            json!(["input", "data", "comments"]),
        ),
        (
            input(about, "jane@example.com", "Hello"),
            &format!("Page {about} is not a contact page."),
            json!(["input", "pageEntityId"]),
        ),
    ];
    for (vars, text, path) in refusals {
        let r = app.cart_op(&token, None, SUBMIT, vars).await;
        let error = &r.body["data"]["submitContactUs"]["errors"][0];
        assert_eq!(error["__typename"], "ValidationError", "{:?}", r.body);
        assert_eq!(error["message"], text);
        assert_eq!(error["path"], path);
    }

    // The email and comments are required by the schema itself.
    let r = app
        .cart_op(
            &token,
            None,
            SUBMIT,
            json!({ "input": { "pageEntityId": contact, "data": { "comments": "x" } } }),
        )
        .await;
    assert!(message(&r).contains("email"), "{:?}", r.body);
}

/// Catalyst's blog and gift certificate documents: a store with neither answers them with
/// data (`null` blog, gift certificates off with the platform's amount bounds, no certificate
/// for any code), so those pages say "not found" instead of failing.
#[tokio::test]
async fn a_store_without_a_blog_or_gift_certificates_answers_their_pages() {
    let app = TestApp::spawn().await;
    let token = app.private_token(&["Unauthenticated"]).await;
    let blog = "query BlogQuery($entityId: Int!) { site { content { blog { name description path posts(first: 5, filters: { tags: [\"x\"] }) { edges { node { author entityId name path plainTextSummary publishedDate { utc } thumbnailImage { url: urlTemplate(lossy: true) altText } } } } post(entityId: $entityId) { htmlBody tags seo { pageTitle } } } } } }";
    let r = app
        .cart_op(&token, None, blog, json!({ "entityId": 1 }))
        .await;
    assert!(r.body["errors"].is_null(), "{:?}", r.body);
    assert_eq!(r.body["data"]["site"]["content"]["blog"], Value::Null);

    let gift = "query { site { settings { giftCertificates { __typename isEnabled currencyCode expiry { unit value } ... on FixedAmountGiftCertificateSettings { amounts { value } } ... on CustomAmountGiftCertificateSettings { minimumAmount { value formattedV2 } maximumAmount { value } } } } giftCertificate(code: \"ABC-123\") { code balance { value } status } } }";
    let r = app.cart_op(&token, None, gift, json!({})).await;
    assert!(r.body["errors"].is_null(), "{:?}", r.body);
    let site = &r.body["data"]["site"];
    assert_eq!(
        site["settings"]["giftCertificates"],
        json!({ "__typename": "CustomAmountGiftCertificateSettings", "isEnabled": false,
            "currencyCode": "USD", "expiry": null,
            "minimumAmount": { "value": 1.0, "formattedV2": "$1.00" },
            "maximumAmount": { "value": 1000.0 } })
    );
    assert_eq!(site["giftCertificate"], Value::Null);
}

/// Catalyst's product page asks for a variant by SKU with its stock, and its search results
/// for each product's categories; its maintenance page for the status message.
#[tokio::test]
async fn variants_by_sku_carry_stock_and_products_name_their_categories() {
    let app = TestApp::spawn().await;
    let token = app.private_token(&["Unauthenticated"]).await;
    let q = "query($id: Int!, $sku: String!) { site { settings { statusMessage } product(entityId: $id) { variants(skus: [$sku]) { edges { node { entityId sku inventory { isInStock aggregated { availableToSell warningLevel availableOnHand availableForBackorder unlimitedBackorder } } } } } categories { edges { node { name path } } } } } }";
    let run = |id: i64, sku: &'static str| {
        let (app, token) = (&app, &token);
        async move {
            let r = app
                .cart_op(token, None, q, json!({ "id": id, "sku": sku }))
                .await;
            assert!(r.body["errors"].is_null(), "{:?}", r.body);
            r.body["data"]["site"].clone()
        }
    };
    // The terrarium: 8 on hand, in Garden.
    let site = run(1, "OTL").await;
    assert_eq!(site["settings"]["statusMessage"], Value::Null);
    let product = &site["product"];
    assert_eq!(
        product["variants"]["edges"][0]["node"],
        json!({ "entityId": 1, "sku": "OTL", "inventory": { "isInStock": true, "aggregated": {
            "availableToSell": 8, "warningLevel": 0, "availableOnHand": 8,
            "availableForBackorder": 0, "unlimitedBackorder": false } } })
    );
    assert_eq!(
        product["categories"]["edges"],
        json!([{ "node": { "name": "Garden", "path": "/garden/" } }])
    );
    // Another SKU matches no variant; untracked stock has no aggregate; none on hand is out.
    let other = run(1, "ABS").await;
    assert_eq!(other["product"]["variants"]["edges"], json!([]));
    let untracked = run(2, "ABS").await;
    assert_eq!(
        untracked["product"]["variants"]["edges"][0]["node"]["inventory"],
        json!({ "isInStock": true, "aggregated": null })
    );
    let sold_out = run(4, "DPB").await;
    assert_eq!(
        sold_out["product"]["variants"]["edges"][0]["node"]["inventory"]["aggregated"]
            ["availableToSell"],
        0
    );
}

/// Reviews, as a store with reviews disabled answers them (Catalyst's product page and its
/// review form): none listed, and a review is checked, then refused.
#[tokio::test]
async fn products_have_no_reviews_and_a_review_is_checked_then_refused() {
    let app = TestApp::spawn().await;
    let token = app.private_token(&["Unauthenticated"]).await;
    let list = "{ site { product(entityId: 2) { reviews(first: 5, after: \"\") { pageInfo { hasNextPage } edges { node { entityId title author { name } } } } } } }";
    let r = app.gql(Some(&token), list, &[]).await;
    assert!(r.body["errors"].is_null(), "{:?}", r.body);
    assert_eq!(
        r.body["data"]["site"]["product"]["reviews"]["edges"],
        serde_json::json!([])
    );
    let bad_cursor = list.replace("after: \"\"", "after: \"nonsense\"");
    let r = app.gql(Some(&token), &bad_cursor, &[]).await;
    assert!(r.body["errors"].is_array(), "{:?}", r.body);

    let add = |product: i64, rating: i32, title: &str, email: &str| {
        format!("mutation {{ catalog {{ addProductReview(input: {{ productEntityId: {product}, review: {{ author: \"Ann\", title: \"{title}\", text: \"Good\", rating: {rating}, email: \"{email}\" }} }}) {{ errors {{ __typename ... on Error {{ message }} ... on InvalidInputFieldsError {{ fields }} }} }} }} }}")
    };
    let cases = [
        (
            add(999, 5, "T", ""),
            "ProductIdNotFoundError",
            "Product 999 not found.",
        ),
        (
            add(2, 6, " ", "x"),
            "InvalidInputFieldsError",
            "Invalid review fields: title, rating, email.",
        ),
        (
            add(2, 5, "Great", "ann@example.com"),
            "NotAuthorizedToAddProductReviewError",
            "Reviews are disabled for this store.",
        ),
    ];
    for (doc, kind, message) in cases {
        let r = app.gql(Some(&token), &doc, &[]).await;
        let error = &r.body["data"]["catalog"]["addProductReview"]["errors"][0];
        assert_eq!(
            (error["__typename"].as_str(), error["message"].as_str()),
            (Some(kind), Some(message)),
            "{:?}",
            r.body
        );
    }
}
