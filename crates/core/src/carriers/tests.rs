use super::*;

#[test]
fn the_rate_request_has_the_platforms_shape() {
    let r = RateRequest {
        store_id: 1_000_000_001,
        customer_id: 0,
        customer_group_id: 0,
        origin: RateAddress {
            country_iso2: "US".into(),
            ..RateAddress::default()
        },
        destination: RateAddress {
            zip: "94105".into(),
            state_iso2: "CA".into(),
            country_iso2: "US".into(),
            ..RateAddress::default()
        },
        items: vec![RateItem {
            sku: "KET".into(),
            product_id: 1,
            variant_id: None,
            name: "Kettle".into(),
            quantity: 2,
            cents: 21_800,
        }],
    };
    let mut options = Map::new();
    options.insert("api_key".into(), json!("k-1"));
    let b = rate_body(&r, &options);
    assert_eq!(b["base_options"]["destination"]["zip"], "94105");
    assert_eq!(
        b["base_options"]["items"][0]["discounted_price"],
        json!({ "currency": "USD", "amount": 218.0 })
    );
    assert_eq!(b["base_options"]["items"][0]["product_id"], "1");
    assert_eq!(b["base_options"]["store_id"], "1000000001");
    assert_eq!(b["connection_options"], json!({ "api_key": "k-1" }));
    assert_eq!(
        check_body(&options),
        json!({ "connection_options": { "api_key": "k-1" } })
    );
}

fn rates(quotes: Value) -> Vec<u8> {
    json!({ "quote_id": "q", "messages": [], "carrier_quotes": [{ "carrier_info": { "code": "acme", "display_name": "Acme" }, "quotes": quotes }] })
        .to_string()
        .into_bytes()
}

#[test]
fn rates_are_read_and_bad_ones_refused() {
    let good = rates(json!([
        { "code": "GND", "display_name": "Ground", "cost": { "currency": "USD", "amount": 7.5 } },
        { "code": "AIR", "display_name": "Air", "cost": { "currency": "USD", "amount": 19.99 } },
        { "code": "GND", "display_name": "Ground again", "cost": { "currency": "USD", "amount": 1 } },
    ]));
    assert_eq!(
        read_rates(&good).expect("read"),
        vec![
            CarrierQuote {
                code: "GND".into(),
                display_name: "Ground".into(),
                cost_cents: 750
            },
            CarrierQuote {
                code: "AIR".into(),
                display_name: "Air".into(),
                cost_cents: 1_999
            },
        ]
    );
    assert_eq!(
        read_rates(br#"{"carrier_quotes":[]}"#).expect("none"),
        vec![]
    );
    let bad = [
        b"not json".to_vec(),
        b"{}".to_vec(),
        rates(json!([{ "display_name": "x", "cost": { "currency": "USD", "amount": 1 } }])),
        rates(
            json!([{ "code": "X", "display_name": "x".repeat(101), "cost": { "currency": "USD", "amount": 1 } }]),
        ),
        rates(
            json!([{ "code": "X", "display_name": "x", "cost": { "currency": "EUR", "amount": 1 } }]),
        ),
        rates(
            json!([{ "code": "X", "display_name": "x", "cost": { "currency": "USD", "amount": -1 } }]),
        ),
        rates(
            json!([{ "code": "X", "display_name": "x", "cost": { "currency": "USD", "amount": 1e9 } }]),
        ),
    ];
    for b in bad {
        assert!(read_rates(&b).is_err(), "{}", String::from_utf8_lossy(&b));
    }
    let many: Vec<Value> = (0..100).map(|n| json!({ "code": format!("C{n}"), "display_name": "x", "cost": { "currency": "USD", "amount": 1 } })).collect();
    assert_eq!(
        read_rates(&rates(json!(many))).expect("read").len(),
        MAX_QUOTES
    );
}

#[test]
fn connection_checks_are_read() {
    assert_eq!(read_check(br#"{"valid":true,"messages":[]}"#), Ok(Ok(())));
    assert_eq!(
        read_check(br#"{"valid":false,"messages":[{"text":"Bad API key.","type":"ERROR"}]}"#),
        Ok(Err("Bad API key.".into()))
    );
    assert!(read_check(b"{}").is_err());
}
