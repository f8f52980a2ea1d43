//! Catalyst's recorded documents (`../shared/catalyst/recorded-operations.json`, never copied
//! into this repository) replayed against a running server as a shopper's journey would send
//! them: a private token, the signed-in customer's CAT, the demo store's data. Each document
//! that our schema carries must validate, answer without errors, and hold the values Catalyst
//! dereferences. The documents our schema does not carry yet are listed, and must still be
//! refused, so the list only shrinks (issue 17).

use serde_json::{json, Value};

use crate::helpers::{TestApp, JANE, PASSWORD};

/// Every recorded document: `(operationName, query)`.
pub fn recorded_all() -> Vec<(String, String)> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/catalyst/recorded-operations.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (Catalyst's recorded documents)", path.display()));
    let all: Value = serde_json::from_str(&text).expect("recorded operations");
    all["operations"]
        .as_array()
        .expect("operations")
        .iter()
        .map(|o| {
            (
                o["operationName"].as_str().expect("name").to_string(),
                o["query"].as_str().expect("query").to_string(),
            )
        })
        .collect()
}

/// One recorded document by its operation name.
pub fn recorded(operation: &str) -> String {
    recorded_all()
        .into_iter()
        .find(|(name, _)| name == operation)
        .map(|(_, query)| query)
        .unwrap_or_else(|| panic!("no recorded {operation}"))
}

/// The documents whose fields the schema does not carry yet (issue 17's remaining work).
const NOT_YET: &[&str] = &[];

/// What the journey has made so far, for the variables of later documents.
pub struct Journey {
    pub token: String,
    pub cat: String,
    pub cart: String,
    pub coffee: i64,
    /// The brewer's required finish: (option, its "Black" value).
    pub finish: (i64, i64),
}

impl Journey {
    /// A visit's start on the demo store for `token`: a guest cart with two terrariums, the
    /// brewer's finish, the coffee category. Not signed in yet.
    pub async fn start(app: &TestApp, token: String) -> Journey {
        let guest_cart = app
            .create_cart(
                &token,
                None,
                json!([{ "productEntityId": 1, "quantity": 2 }]),
            )
            .await;
        let mut j = Journey {
            cat: String::new(),
            token,
            cart: guest_cart,
            coffee: 0,
            finish: (0, 0),
        };
        j.finish = finish(app, &j.token).await;
        let route = app
            .gql_body(
                Some(&j.token),
                json!({ "query": "{ site { route(path: \"/kitchen/coffee/\") { node { ... on Category { entityId } } } } }" }),
                &[],
            )
            .await;
        j.coffee = route.body["data"]["site"]["route"]["node"]["entityId"]
            .as_i64()
            .unwrap_or_else(|| panic!("the demo's Coffee category: {:?}", route.body));
        j
    }
}

/// The variables Catalyst would send with each document, from the demo store's data.
pub fn variables(operation: &str, j: &Journey) -> Value {
    let analytics = json!({ "initiator": { "visitId": "visit-1", "visitorId": "visitor-1" },
        "request": { "url": "https://shop.example/", "userAgent": "Catalyst" } });
    match operation {
        "VisitStarted" => json!({ "input": { "commonInput": analytics } }),
        "GetRouteQuery" => json!({ "path": "/able-brewing-system/" }),
        "HomePageQuery" | "GetLinksAndSectionsQuery" => json!({ "currencyCode": "USD" }),
        "CategoryPageQuery" => json!({ "entityId": j.coffee }),
        "LoginMutation" => json!({ "email": JANE, "password": PASSWORD, "cartEntityId": j.cart }),
        "ValidateCartQuery" | "GetCartCountQuery" => json!({ "cartId": j.cart }),
        "CreateCartMutation" => json!({ "createCartInput": {
            "lineItems": [{ "productEntityId": 2, "quantity": 1, "selectedOptions": {
                "multipleChoices": [{ "optionEntityId": j.finish.0, "optionValueEntityId": j.finish.1 }],
                "textFields": [{ "optionEntityId": j.finish.0 + 1, "text": "For J." }] } }],
            "currencyCode": "USD" } }),
        "CartPageQuery" => json!({ "cartId": j.cart, "currencyCode": "USD" }),
        "CustomerAllOrders" => json!({ "first": 5, "after": "" }),
        // The coffee category's page, the brewer's finish chosen, cheapest first.
        "GetProductSearchResultsQuery" => json!({ "first": 9, "filters": {
            "categoryEntityIds": [j.coffee], "productAttributes": [{ "attribute": "Finish", "values": ["Black"] }] },
            "sort": "LOWEST_PRICE", "currencyCode": "USD" }),
        "GetCustomerAddressesQuery" => json!({ "first": 10, "after": "" }),
        "AccountSettingsQuery" => {
            json!({ "customerSortBy": "SORT_ORDER", "addressSortBy": "SORT_ORDER" })
        }
        "LogoutMutation" => json!({ "cartEntityId": j.cart }),
        // The brewer: options, custom fields, a brand; the Chemex shares its category.
        "ProductQuery" | "ProductPageMetadataQuery" => json!({ "entityId": 2 }),
        "StreamableProductQuery" => {
            json!({ "entityId": 2, "optionValueIds": [], "useDefaultOptionSelections": true })
        }
        "ProductPricingAndRelatedProductsQuery" => json!({ "entityId": 3, "optionValueIds": [],
            "useDefaultOptionSelections": true, "currencyCode": "USD" }),
        "ProductViewed" => json!({ "input": { "commonInput": analytics,
            "productInput": { "productEntityId": 2 } } }),
        "WishlistButtonQuery" => json!({ "first": 10, "productId": 2 }),
        "WishlistsPageQuery" => json!({ "first": 5, "currencyCode": "USD" }),
        "CheckoutRedirectMutation" => json!({ "cartId": j.cart, "visitId": "visit-1",
            "visitorId": "visitor-1", "referer": "https://shop.example/cart", "userAgent": "Catalyst",
            "analyticsConsent": true, "functionalConsent": true, "targetingConsent": false }),
        _ => json!({}),
    }
}

/// The values Catalyst dereferences in each answer (JSON pointers into `data`), beyond "no
/// errors": a null there is a broken page.
fn dereferenced(operation: &str) -> &'static [&'static str] {
    match operation {
        "SettingsQuery" => &["/site/settings/url/cdnUrl", "/site/settings/locales/0/code"],
        "getStoreStatus" => &["/site/settings/status"],
        "GetRouteQuery" => &["/site/route/node/entityId"],
        "RootLayoutMetadataQuery" => &[
            "/site/settings/storeName",
            "/site/settings/seo/pageTitle",
            "/site/content/scripts/edges",
            "/channel/entityId",
        ],
        "LayoutQuery" => &[
            "/site/settings/logoV2/image/url",
            "/site/currencies/edges/0/node/code",
            "/site/settings/socialMediaLinks",
        ],
        "HomePageQuery" => &[
            "/site/featuredProducts/edges/0/node/brand/name",
            "/site/featuredProducts/edges/0/node/prices/price/value",
            "/site/newestProducts/edges/0/node/reviewSummary/numberOfReviews",
            "/site/newestProducts/edges/0/node/inventory/isInStock",
            "/site/settings/inventory/defaultOutOfStockMessage",
            "/site/settings/newsletter/showNewsletterSignup",
        ],
        "GetFaviconQuery" => &["/site/settings/faviconUrl"],
        "SearchPageQuery" => &[
            "/site/settings/display/showProductRating",
            "/site/settings/reviews/enabled",
        ],
        "CategoryPageQuery" => &[
            "/site/category/name",
            "/site/category/breadcrumbs/edges/1/node/path",
            "/site/category/seo/pageTitle",
        ],
        "LoginMutation" => &["/login/customerAccessToken/value", "/login/cart/entityId"],
        "GetLinksAndSectionsQuery" => &[
            "/site/categoryTree/0/children/0/path",
            "/site/content/pages/edges/0/node/path",
            "/site/brands/edges/0/node/path",
            "/site/settings/giftCertificates/isEnabled",
        ],
        "InventorySettingsQuery" => &["/site/settings/inventory/stockLevelDisplay"],
        "ValidateCartQuery" => &["/site/cart/entityId"],
        "CreateCartMutation" => &["/cart/createCart/cart/entityId"],
        "GetCartCountQuery" => &["/site/cart/lineItems/totalQuantity"],
        "LogoutMutation" => &["/logout/result"],
        "SupportedShippingDestinations" => &[
            "/site/settings/shipping/supportedShippingDestinations/countries/0/statesOrProvinces/0/abbreviation",
        ],
        "CheckoutRedirectMutation" => {
            &["/cart/createCartRedirectUrls/redirectUrls/redirectedCheckoutUrl"]
        }
        "RobotsTxtQuery" => &["/site/settings/robotsTxt"],
        "CartPageQuery" => &[
            "/site/cart/lineItems/physicalItems/0/url",
            "/site/cart/lineItems/physicalItems/0/brand",
            "/site/cart/lineItems/digitalItems",
            "/site/checkout/grandTotal/value",
            "/site/checkout/handlingCostTotal/value",
            "/geography/countries/0/code",
            "/site/settings/url/checkoutUrl",
        ],
        "ProductQuery" => &[
            "/site/product/description",
            "/site/product/brand/name",
            "/site/product/productOptions/edges/0/node/values/edges/1/node/hexColors/0",
            "/site/product/productOptions/edges/1/node/displayName",
        ],
        "ProductPageMetadataQuery" => &[
            "/site/product/seo/pageTitle",
            "/site/product/plainTextDescription",
        ],
        "StreamableProductQuery" => &[
            "/site/product/customFields/edges/1/node/value",
            "/site/product/weight/unit",
            "/site/product/condition",
            "/site/product/gtin",
            "/site/product/warranty",
            "/site/product/images/edges",
            "/site/product/variants/edges/0/node/inventory/byLocation/edges",
        ],
        "ProductPricingAndRelatedProductsQuery" => &[
            "/site/product/prices/price/value",
            "/site/product/relatedProducts/edges/0/node/brand/name",
        ],
        "ProductViewed" => &["/analytics/productViewedEvent/executed"],
        "GetProductSearchResultsQuery" => &[
            "/site/search/searchProducts/products/edges/0/node/prices/price/value",
            "/site/search/searchProducts/filters/edges/0/node/categories/edges/0/node/subCategories/edges/0/node/name",
            "/site/settings/storefront/catalog/productComparisonsEnabled",
        ],
        "CustomerAllOrders" => &[
            "/customer/orders/edges/0/node/orderedAt/utc",
            "/customer/orders/edges/0/node/consignments/shipping/edges/0/node/lineItems/edges/0/node/baseCatalogProduct/path",
            "/customer/orders/edges/0/node/consignments/shipping/edges/0/node/lineItems/edges/0/node/subTotalListPrice/value",
            "/customer/orders/edges/0/node/consignments/email/giftCertificates/edges",
        ],
        "GetCustomerAddressesQuery" => &[
            "/customer/addresses/edges",
            "/site/settings/formFields/shippingAddress/0/label",
            "/geography/countries/0/name",
        ],
        "AccountSettingsQuery" => &[
            "/customer/isSubscribedToNewsletter",
            "/site/settings/formFields/shippingAddress/7/__typename",
        ],
        "WishlistButtonQuery" => &[
            "/customer/wishlistsContainingProduct/edges/0/node/items/edges/0/node/product/sku",
            "/customer/wishlists/edges/0/node/name",
        ],
        "WishlistsPageQuery" => &[
            "/customer/wishlists/edges/0/node/items/edges/0/node/product/name",
        ],
        _ => &[],
    }
}

/// Values Catalyst acts on: what it shows must be what the demo store holds.
fn expected(operation: &str) -> Vec<(&'static str, Value)> {
    match operation {
        // In stock and for sale: "Add to cart" is enabled.
        "StreamableProductQuery" => vec![
            ("/site/product/availabilityV2/status", json!("Available")),
            ("/site/product/inventory/isInStock", json!(true)),
            ("/site/product/weight/value", json!(1.2)),
        ],
        // The finish's default value is selected when the defaults are asked for... and
        // only then (ProductQuery asks for none).
        "ProductQuery" => vec![
            (
                "/site/product/productOptions/edges/0/node/values/edges/0/node/isDefault",
                json!(true),
            ),
            (
                "/site/product/productOptions/edges/0/node/values/edges/0/node/isSelected",
                Value::Null,
            ),
            (
                "/site/product/productOptions/edges/0/node/displayStyle",
                json!("Swatch"),
            ),
            (
                "/site/product/productOptions/edges/1/node/__typename",
                json!("TextFieldOption"),
            ),
        ],
        "ProductPricingAndRelatedProductsQuery" => vec![(
            "/site/product/relatedProducts/edges/0/node/name",
            json!("Able Brewing System"),
        )],
        "HomePageQuery" => vec![(
            "/site/featuredProducts/edges/0/node/name",
            json!("Orbit Terrarium - Large"),
        )],
        "SettingsQuery" => vec![("/site/settings/locales/0/code", json!("en"))],
        // Only the brewer is in coffee with a black finish; the facets count what matched.
        "GetProductSearchResultsQuery" => vec![
            ("/site/search/searchProducts/products/collectionInfo/totalItems", json!(1)),
            ("/site/search/searchProducts/products/edges/0/node/name", json!("Able Brewing System")),
            ("/site/search/searchProducts/filters/edges/0/node/__typename", json!("CategorySearchFilter")),
            ("/site/search/searchProducts/filters/edges/0/node/categories/edges/0/node/productCount", json!(1)),
            ("/site/search/searchProducts/filters/edges/1/node/brands/edges/0/node/name", json!("Able")),
            ("/site/search/searchProducts/filters/edges/2/node/attributes/edges/1/node/isSelected", json!(true)),
        ],
        // The order placed at the start of the visit: the brewer in black.
        "CustomerAllOrders" => vec![
            (
                "/customer/orders/edges/0/node/consignments/shipping/edges/0/node/lineItems/edges/0/node/productOptions/0",
                json!({ "__typename": "OrderLineItemProductOption", "name": "Finish", "value": "Black" }),
            ),
            (
                "/customer/orders/edges/0/node/consignments/shipping/edges/0/node/lineItems/edges/0/node/brand",
                json!("Able"),
            ),
        ],
        // BigCommerce's built-in field ids, which Catalyst lays its forms out by.
        "AccountSettingsQuery" => vec![
            ("/site/settings/formFields/customer/0/entityId", json!(1)),
            ("/site/settings/formFields/customer/0/label", json!("Email Address")),
            ("/site/settings/formFields/shippingAddress/7/__typename", json!("PicklistFormField")),
        ],
        // The terrarium (two, as a guest) merged into the customer's cart at login.
        "CartPageQuery" => vec![
            (
                "/site/cart/lineItems/physicalItems/0/name",
                json!("Orbit Terrarium - Large"),
            ),
            ("/site/cart/lineItems/physicalItems/0/quantity", json!(2)),
            (
                "/site/cart/lineItems/physicalItems/0/selectedOptions",
                json!([]),
            ),
        ],
        _ => Vec::new(),
    }
}

fn is_validation_refusal(body: &Value) -> bool {
    body["data"].is_null()
        && body["errors"].as_array().is_some_and(|errors| {
            errors.iter().any(|e| {
                e["message"].as_str().is_some_and(|m| {
                    m.starts_with("Unknown field")
                        || m.starts_with("Unknown type")
                        || m.starts_with("Unknown argument")
                        || m.contains("is not defined by type")
                })
            })
        })
}

async fn send(app: &TestApp, j: &Journey, operation: &str, query: &str, cat: bool) -> Value {
    let headers: Vec<(&str, &str)> = if cat {
        vec![("X-Bc-Customer-Access-Token", j.cat.as_str())]
    } else {
        Vec::new()
    };
    let url = format!("/graphql?operation={operation}");
    let r = app
        .client
        .post(app.url(&url))
        .bearer_auth(&j.token)
        .json(&json!({ "query": query, "variables": variables(operation, j) }));
    let r = headers.iter().fold(r, |r, (k, v)| r.header(*k, *v));
    let r = crate::helpers::Resp::from(r.send().await.expect("send")).await;
    assert_eq!(r.status, 200, "{operation}: {:?}", r.body);
    r.body
}

/// The brewer's finish option and its "Black" value, as its product page lists them.
pub async fn finish(app: &TestApp, token: &str) -> (i64, i64) {
    let q = "{ site { product(entityId: 2) { productOptions { edges { node { entityId displayName ... on MultipleChoiceOption { values { edges { node { entityId label } } } } } } } } } }";
    let r = app.gql(Some(token), q, &[]).await;
    let option = &r.body["data"]["site"]["product"]["productOptions"]["edges"][0]["node"];
    assert_eq!(option["displayName"], "Finish", "{:?}", r.body);
    let black = &option["values"]["edges"][1]["node"];
    assert_eq!(black["label"], "Black", "{:?}", r.body);
    (
        option["entityId"].as_i64().expect("option id"),
        black["entityId"].as_i64().expect("value id"),
    )
}

/// The journey: every carried document answers with data and no errors, with the values
/// Catalyst dereferences; every document not carried yet is still refused as invalid.
#[tokio::test]
async fn catalysts_recorded_documents_answer_with_data_on_the_demo_store() {
    let app = TestApp::spawn().await;
    let token = app.private_token(&["Unauthenticated", "Customer"]).await;
    let mut j = Journey::start(&app, token).await;
    let mut documents = recorded_all();
    // Signed in first, signed out last, as a shopper's visit goes.
    documents.sort_by_key(|(name, _)| match name.as_str() {
        "LoginMutation" => 0,
        "LogoutMutation" => 2,
        _ => 1,
    });
    let (mut failures, mut images_loaded) = (Vec::new(), 0);
    for (operation, query) in &documents {
        let body = send(&app, &j, operation, query, operation != "LoginMutation").await;
        if NOT_YET.contains(&operation.as_str()) {
            if !is_validation_refusal(&body) {
                failures.push(format!(
                    "{operation} now validates: take it off NOT_YET: {body}"
                ));
            }
            continue;
        }
        if !body["errors"].is_null() || body["data"].is_null() {
            failures.push(format!("{operation}: {body}"));
            continue;
        }
        for pointer in dereferenced(operation) {
            if body["data"].pointer(pointer).is_none_or(Value::is_null) {
                failures.push(format!("{operation}: nothing at {pointer}: {body}"));
            }
        }
        for (pointer, want) in expected(operation) {
            if body["data"].pointer(pointer) != Some(&want) {
                failures.push(format!("{operation}: {pointer} is not {want}: {body}"));
            }
        }
        // Every image Catalyst would show loads, at the size its loader asks for.
        let mut images = Vec::new();
        image_urls(&body["data"], &mut images);
        for url in images {
            let url = url.replace("{:size}", "640w");
            let r = app.client.get(&url).send().await.expect("image");
            let kind = r.headers().get("content-type").cloned();
            if r.status() != 200 || kind.is_none_or(|k| !k.to_str().unwrap().starts_with("image/"))
            {
                failures.push(format!("{operation}: {url} is {}", r.status()));
            }
            images_loaded += 1;
        }
        if operation == "LoginMutation" {
            j.cat = body["data"]["login"]["customerAccessToken"]["value"]
                .as_str()
                .expect("CAT")
                .to_string();
            // A past order: the brewer in black.
            let lines = json!([{ "productEntityId": 2, "quantity": 1, "selectedOptions": {
                "multipleChoices": [{ "optionEntityId": j.finish.0, "optionValueEntityId": j.finish.1 }] } }]);
            let ordered = app.create_cart(&j.token, Some(&j.cat), lines).await;
            let r = app
                .cart_op(
                    &j.token,
                    Some(&j.cat),
                    crate::commerce::COMPLETE,
                    json!({ "id": ordered }),
                )
                .await;
            assert!(
                r.body["data"]["checkout"]["completeCheckout"]["orderEntityId"].is_number(),
                "{:?}",
                r.body
            );
            // The shopper keeps a wishlist with the brewer in it.
            let create = "mutation { wishlist { createWishlist(input: { name: \"Kitchen\", isPublic: false, items: [{ productEntityId: 2 }] }) { result { entityId } } } }";
            let r = app
                .gql(
                    Some(&j.token),
                    create,
                    &[("X-Bc-Customer-Access-Token", &j.cat)],
                )
                .await;
            assert!(r.body["errors"].is_null(), "{:?}", r.body);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    // The header's logo, the product pages' and cards' images, the cart's and the orders'.
    assert!(images_loaded >= 16, "{images_loaded} images");
}

/// The image URLs (this server's CDN addresses) anywhere in an answer.
fn image_urls(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(s) if s.contains("/images/stencil/") => out.push(s.clone()),
        Value::Array(items) => items.iter().for_each(|v| image_urls(v, out)),
        Value::Object(fields) => fields.values().for_each(|v| image_urls(v, out)),
        _ => {}
    }
}

/// `settings.url.cdnUrl` is a bare host (Catalyst builds `https://{cdnUrl}/…` and its image
/// loader's allow-list from it), the one the request addressed.
#[tokio::test]
async fn the_cdn_url_is_the_bare_host_the_request_addressed() {
    let app = TestApp::spawn().await;
    let token = app.private_token(&["Unauthenticated"]).await;
    let r = app
        .gql(
            Some(&token),
            "{ site { settings { url { cdnUrl checkoutUrl } } } }",
            &[("Host", "store-demo-1.localhost:8443")],
        )
        .await;
    assert_eq!(
        r.body["data"]["site"]["settings"]["url"]["cdnUrl"], "store-demo-1.localhost:8443",
        "{:?}",
        r.body
    );
    let r = app
        .gql(
            Some(&token),
            "{ site { settings { url { cdnUrl } } } }",
            &[("Host", "store-demo-1.localhost:8443/x?y")],
        )
        .await;
    let cdn = r.body["data"]["site"]["settings"]["url"]["cdnUrl"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        !cdn.contains('/') && !cdn.contains('?') && cdn.starts_with("store-demo-1."),
        "a host that is no plain host is not echoed: {cdn}"
    );
}
