use super::*;

fn request() -> QuoteRequest {
    QuoteRequest {
        id: "cart-1".into(),
        currency_code: "USD".into(),
        customer_id: 7,
        customer_group_id: 0,
        transaction_date: "2026-12-02T00:00:00+00:00".into(),
        documents: vec![TaxDocument {
            id: "c-1".into(),
            billing: TaxAddress {
                kind: "RESIDENTIAL",
                ..TaxAddress::default()
            },
            destination: TaxAddress {
                city: "Austin".into(),
                region_code: "TX".into(),
                country_code: "US".into(),
                kind: "RESIDENTIAL",
                ..TaxAddress::default()
            },
            origin: TaxAddress {
                kind: "COMMERCIAL",
                ..TaxAddress::default()
            },
            items: vec![TaxItem {
                id: "line-1".into(),
                item_code: "KET-1".into(),
                name: "Kettle".into(),
                cents: 4_500,
                quantity: 2,
            }],
            shipping_name: "Standard".into(),
            shipping_cents: 1_000,
        }],
    }
}

#[test]
fn the_request_has_the_platforms_shape() {
    let b = body(&request());
    assert_eq!(b["id"], "cart-1");
    assert_eq!(
        b["customer"],
        json!({ "customer_id": "7", "customer_group_id": "0", "taxability_code": "" })
    );
    let d = &b["documents"][0];
    assert_eq!(d["destination_address"]["region_code"], "TX");
    assert_eq!(d["destination_address"]["type"], "RESIDENTIAL");
    assert_eq!(
        d["items"][0]["price"],
        json!({ "amount": 45.0, "tax_inclusive": false })
    );
    assert_eq!(d["items"][0]["quantity"], 2);
    assert_eq!(d["items"][0]["type"], "item");
    assert_eq!(d["shipping"]["price"]["amount"], 10.0);
    assert_eq!(d["shipping"]["type"], "shipping");
    assert_eq!(d["handling"]["price"]["amount"], 0.0);
}

fn answer(item_tax: Value, shipping_tax: Value) -> Vec<u8> {
    json!({ "id": "cart-1", "documents": [{ "id": "c-1",
        "items": [{ "id": "line-1", "type": "item", "price": { "amount_exclusive": 45, "amount_inclusive": 48.71, "total_tax": item_tax, "tax_rate": 0.0825,
            "sales_tax_summary": [{ "name": "State", "rate": 0.0625, "amount": 2.81 }, { "name": "City", "rate": 0.02, "amount": 0.9 }] },
            "wrapping": { "id": "w", "price": { "total_tax": 0.1, "sales_tax_summary": [{ "name": "State", "amount": 0.1 }] } } }],
        "shipping": { "id": "c-1", "type": "shipping", "price": { "total_tax": shipping_tax, "sales_tax_summary": [{ "name": "State", "amount": shipping_tax }] } },
        "handling": { "id": "c-1", "type": "handling", "price": { "total_tax": 0 } } }] })
    .to_string()
    .into_bytes()
}

#[test]
fn answers_are_summed_by_line_and_by_name() {
    let quote = read_answer(&request(), &answer(json!(3.71), json!(0.83))).expect("read");
    assert_eq!(quote.tax_cents, 371 + 10 + 83);
    assert_eq!(
        quote.lines,
        vec![
            TaxLine {
                name: "State".into(),
                cents: 281 + 10 + 83
            },
            TaxLine {
                name: "City".into(),
                cents: 90
            },
        ]
    );
}

#[test]
fn unreadable_answers_are_refused() {
    let req = request();
    let cases: Vec<(Vec<u8>, QuoteError)> = vec![
        (b"<html>".to_vec(), QuoteError::NotJson),
        (b"{}".to_vec(), QuoteError::NoDocuments),
        (
            br#"{"documents":[{"id":"other"}]}"#.to_vec(),
            QuoteError::MissingDocument("c-1".into()),
        ),
        (answer(json!(-1), json!(0)), QuoteError::BadAmount),
        (answer(json!("3.71"), json!(0)), QuoteError::BadAmount),
        (answer(json!(1e300), json!(0)), QuoteError::BadAmount),
        (answer(Value::Null, json!(0)), QuoteError::BadAmount),
    ];
    for (bytes, want) in cases {
        assert_eq!(read_answer(&req, &bytes), Err(want.clone()), "{want}");
    }
}

#[test]
fn an_answer_names_at_most_twenty_taxes() {
    let parts: Vec<Value> = (0..100)
        .map(|n| json!({ "name": format!("T{n}"), "amount": 0.01 }))
        .collect();
    let bytes = json!({ "documents": [{ "id": "c-1", "items": [{ "price": { "total_tax": 1, "sales_tax_summary": parts } }] }] })
        .to_string()
        .into_bytes();
    let quote = read_answer(&request(), &bytes).expect("read");
    assert_eq!((quote.tax_cents, quote.lines.len()), (100, 20));
}
