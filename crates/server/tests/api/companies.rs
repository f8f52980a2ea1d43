//! B2B company registration over HTTP (SPEC §5.6, issue 18): a signed-in customer registers a
//! company and then sees it as `activeCompany` and `company`; guests, missing scopes, bad input
//! and a second (or concurrent) registration are refused and store nothing.

use serde_json::{json, Value};

use crate::helpers::{TestApp, JANE, VIP};

const REGISTER: &str = "mutation($input: RegisterCompanyInput!) { company { registerCompany(input: $input) { entityId status errors { __typename ... on ValidationError { message path } } } } }";
const ACTIVE: &str = "query { customer { activeCompany { companyUser { firstName lastName company email phoneNumber companyRoleName formFields { entityId } extraFields { __typename name fieldEntityId ... on TextExtraFieldValue { text } ... on NumberExtraFieldValue { number } } } addresses(first: 5, includesExtraFields: true) { pageInfo { hasNextPage } edges { cursor node { entityId firstName city country countryCode stateOrProvince stateOrProvinceCode isBilling isDefaultShipping extraFields { name ... on MultipleChoiceExtraFieldValue { value } } } } } } } }";
const COMPANY: &str = "query($q: String, $billing: Boolean) { company { companyUser { company } addresses(filters: { searchQuery: $q, isBilling: $billing }) { edges { node { city } } } } }";

fn input() -> Value {
    json!({
        "name": "Acme Wholesale",
        "email": "buyers@acme.example",
        "phone": "+1 512 555 0100",
        "fileList": [{ "fileId": "f-1", "fileName": "license.pdf", "contentType": "application/pdf", "fileSize": 1024 }],
        "extraFields": { "texts": [{ "name": "Tax id", "text": "12-3456789" }] },
        "companyUser": { "extraFields": { "numbers": [{ "name": "Seats", "number": 4 }], "texts": [{ "name": "Title", "text": "Buyer" }] } },
        "address": {
            "firstName": "Jane", "lastName": "Doe", "address1": "1 Main St", "city": "Austin",
            "countryCode": "US", "stateOrProvince": "TX", "postalCode": "78701",
            "extraFields": { "multipleChoices": [{ "name": "Dock", "fieldValue": "Rear" }] }
        }
    })
}

fn result(r: &crate::helpers::Resp) -> Value {
    r.body["data"]["company"]["registerCompany"].clone()
}

async fn active(app: &TestApp, token: &str, cat: &str) -> Value {
    let r = app.cart_op(token, Some(cat), ACTIVE, json!({})).await;
    assert!(r.body["errors"].is_null(), "{:?}", r.body);
    r.body["data"]["customer"]["activeCompany"].clone()
}

#[tokio::test]
async fn a_signed_in_customer_registers_a_company_and_sees_it() {
    let app = TestApp::spawn().await;
    let token = app.private_token(&["Customer", "B2B"]).await;
    let jane = app.login_cat(&token, JANE).await;
    assert_eq!(active(&app, &token, &jane).await, Value::Null);

    let r = app
        .cart_op(&token, Some(&jane), REGISTER, json!({ "input": input() }))
        .await;
    let done = result(&r);
    assert_eq!(done["errors"], json!([]), "{:?}", r.body);
    assert_eq!(done["status"], "PENDING");
    assert!(done["entityId"].as_i64().is_some_and(|id| id > 0));

    let company = active(&app, &token, &jane).await;
    let user = &company["companyUser"];
    assert_eq!(user["company"], "Acme Wholesale");
    assert_eq!(user["email"], JANE);
    assert_eq!(user["firstName"], "Jane");
    assert_eq!(user["companyRoleName"], "Admin");
    assert_eq!(user["formFields"], json!([]));
    assert_eq!(
        user["extraFields"],
        json!([
            { "__typename": "TextExtraFieldValue", "name": "Title", "fieldEntityId": null, "text": "Buyer" },
            { "__typename": "NumberExtraFieldValue", "name": "Seats", "fieldEntityId": null, "number": 4.0 }
        ])
    );
    let edges = company["addresses"]["edges"].as_array().expect("edges");
    assert_eq!(edges.len(), 1);
    let a = &edges[0]["node"];
    assert_eq!(
        (
            &a["city"],
            &a["country"],
            &a["stateOrProvince"],
            &a["stateOrProvinceCode"]
        ),
        (
            &json!("Austin"),
            &json!("United States"),
            &json!("Texas"),
            &json!("TX")
        )
    );
    assert_eq!(
        (&a["isBilling"], &a["isDefaultShipping"]),
        (&json!(true), &json!(true))
    );
    assert_eq!(
        a["extraFields"],
        json!([{ "name": "Dock", "value": "Rear" }])
    );
    assert_eq!(company["addresses"]["pageInfo"]["hasNextPage"], false);

    // Query.company answers the same company, and its address filters work.
    let find = |q: Value, billing: Value| {
        let (app, token, jane) = (&app, &token, &jane);
        async move {
            let vars = json!({ "q": q, "billing": billing });
            let r = app.cart_op(token, Some(jane), COMPANY, vars).await;
            assert!(r.body["errors"].is_null(), "{:?}", r.body);
            r.body["data"]["company"].clone()
        }
    };
    let all = find(Value::Null, Value::Null).await;
    assert_eq!(all["companyUser"]["company"], "Acme Wholesale");
    assert_eq!(all["addresses"]["edges"][0]["node"]["city"], "Austin");
    let count = |c: Value| c["addresses"]["edges"].as_array().map_or(0, Vec::len);
    assert_eq!(count(find(json!("AUSTIN"), Value::Null).await), 1);
    assert_eq!(count(find(json!("Berlin"), Value::Null).await), 0);
    assert_eq!(count(find(Value::Null, json!(false)).await), 0);

    // A second registration is refused and changes nothing.
    let mut again = input();
    again["name"] = json!("Second Co");
    let r = app
        .cart_op(&token, Some(&jane), REGISTER, json!({ "input": again }))
        .await;
    assert_eq!(
        result(&r),
        json!({ "entityId": null, "status": null, "errors": [{ "__typename": "ValidationError",
            "message": "You already belong to a company.", "path": ["input"] }] })
    );
    let company = active(&app, &token, &jane).await;
    assert_eq!(company["companyUser"]["company"], "Acme Wholesale");

    // Another customer has no company.
    let vip = app.login_cat(&token, VIP).await;
    assert_eq!(active(&app, &token, &vip).await, Value::Null);
}

#[tokio::test]
async fn guests_and_tokens_without_b2b_are_refused() {
    let app = TestApp::spawn().await;
    let b2b = app.private_token(&["B2B"]).await;
    // A guest: the platform's documented ValidationError, or MISSING_CUSTOMER_ACCESS_TOKEN
    // when the request asked for errors.
    let r = app
        .cart_op(&b2b, None, REGISTER, json!({ "input": input() }))
        .await;
    assert_eq!(
        result(&r),
        json!({ "entityId": null, "status": null, "errors": [{ "__typename": "ValidationError",
            "message": "Customer not authenticated", "path": ["input"] }] })
    );
    let strict = app
        .gql_body(
            Some(&b2b),
            json!({ "query": REGISTER, "variables": { "input": input() } }),
            &[("X-Bc-Error-On-Invalid-Customer-Access-Token", "true")],
        )
        .await;
    assert_eq!(strict.status, 200);
    assert_eq!(
        strict.body["errors"][0]["extensions"]["code"], "MISSING_CUSTOMER_ACCESS_TOKEN",
        "{:?}",
        strict.body
    );

    // Without B2B: the company namespace is refused with the scope it needs.
    let customer_only = app.private_token(&["Customer"]).await;
    let jane = app.login_cat(&customer_only, JANE).await;
    let r = app
        .cart_op(
            &customer_only,
            Some(&jane),
            REGISTER,
            json!({ "input": input() }),
        )
        .await;
    assert_eq!(r.body["data"], Value::Null, "{:?}", r.body);
    let e = &r.body["errors"][0];
    assert_eq!(e["extensions"]["code"], "INSUFFICIENT_ACCESS_SCOPE");
    assert_eq!(e["extensions"]["requiredScopes"], json!(["B2B"]));
    assert_eq!(e["path"], json!(["company", "registerCompany"]));
    let r = app
        .cart_op(&customer_only, Some(&jane), ACTIVE, json!({}))
        .await;
    assert_eq!(r.body["data"]["customer"]["activeCompany"], Value::Null);
    assert_eq!(
        r.body["errors"][0]["extensions"]["requiredScopes"],
        json!(["B2B"])
    );

    // B2B alone, with the customer's access token, registers (scopes are independent).
    let r = app
        .cart_op(&b2b, Some(&jane), REGISTER, json!({ "input": input() }))
        .await;
    assert_eq!(result(&r)["errors"], json!([]), "{:?}", r.body);
}

#[tokio::test]
async fn bad_registrations_store_nothing() {
    let app = TestApp::spawn().await;
    let token = app.private_token(&["Customer", "B2B"]).await;
    let jane = app.login_cat(&token, JANE).await;
    let with = |pointer: &str, v: Value| {
        let mut i = input();
        *i.pointer_mut(pointer).expect(pointer) = v;
        json!({ "input": i })
    };
    let many_texts: Vec<Value> = (0..51)
        .map(|n| json!({ "name": format!("f{n}"), "text": "x" }))
        .collect();
    let files: Vec<Value> = (0..11)
        .map(|n| json!({ "fileId": format!("f{n}") }))
        .collect();
    let cases = [
        (with("/name", json!("   ")), vec!["input", "name"], "name is required."),
        (with("/email", json!("not-an-email")), vec!["input", "email"], "email is not an email address."),
        (with("/phone", json!("9".repeat(300))), vec!["input", "phone"], "phone is longer than 255 characters."),
        (
            with("/address/countryCode", json!("XX")),
            vec!["input", "address", "stateOrProvince"],
            "Country code XX is not supported.",
        ),
        (
            with("/address/city", json!("")),
            vec!["input", "address", "city"],
            "city is required.",
        ),
        (
            with("/extraFields", json!({ "texts": many_texts })),
            vec!["input", "extraFields"],
            "At most 50 extra fields may be given.",
        ),
        (
            with("/companyUser/extraFields", json!({ "multilineTexts": [{ "name": "Notes", "multilineText": "n".repeat(90_000) }] })),
            vec!["input", "companyUser", "extraFields"],
            "The value of Notes is longer than 5000 characters.",
        ),
        (with("/fileList", json!(files)), vec!["input", "fileList"], "At most 10 files may be attached."),
        (
            with("/fileList", json!([{ "fileId": " " }])),
            vec!["input", "fileList"],
            "Each file needs a fileId; names and types are at most 255 characters, URLs 2048, and sizes are not negative.",
        ),
    ];
    for (vars, path, message) in cases {
        let r = app.cart_op(&token, Some(&jane), REGISTER, vars).await;
        assert_eq!(
            result(&r),
            json!({ "entityId": null, "status": null,
                "errors": [{ "__typename": "ValidationError", "message": message, "path": path }] }),
            "{message}"
        );
    }
    assert_eq!(active(&app, &token, &jane).await, Value::Null);
}

#[tokio::test]
async fn concurrent_registrations_by_one_customer_make_one_company() {
    let app = TestApp::spawn().await;
    let token = app.private_token(&["Customer", "B2B"]).await;
    let vip = app.login_cat(&token, VIP).await;
    let mut attempts = tokio::task::JoinSet::new();
    for n in 0..8 {
        let mut i = input();
        i["name"] = json!(format!("Company {n}"));
        let (client, url) = (app.client.clone(), app.url("/graphql"));
        let (token, vip) = (token.clone(), vip.clone());
        attempts.spawn(async move {
            let r = client
                .post(url)
                .bearer_auth(token)
                .header("X-Bc-Customer-Access-Token", vip)
                .json(&json!({ "query": REGISTER, "variables": { "input": i } }))
                .send()
                .await
                .expect("send");
            let body: Value = r.json().await.expect("json");
            body["data"]["company"]["registerCompany"].clone()
        });
    }
    let results: Vec<Value> = attempts.join_all().await;
    let won: Vec<&Value> = results
        .iter()
        .filter(|r| r["errors"] == json!([]))
        .collect();
    assert_eq!(won.len(), 1, "{results:?}");
    for lost in results.iter().filter(|r| r["errors"] != json!([])) {
        assert_eq!(
            lost["errors"][0]["message"],
            "You already belong to a company."
        );
    }
    let company = active(&app, &token, &vip).await;
    let name = company["companyUser"]["company"].as_str().expect("name");
    assert!(name.starts_with("Company "));
}
