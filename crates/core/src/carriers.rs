//! The Shipping Provider API's messages (issue 18, SPEC §12): what the platform sends a
//! carrier to check a store's connection options and to rate a consignment, and reading its
//! answers. Pure: the server fills a `RateRequest` from a checkout and sends `rate_body`.

use serde_json::{json, Map, Value};

/// The longest quote code and display name a carrier may answer, and how many quotes of one
/// answer are kept.
pub const MAX_CODE_LEN: usize = 50;
pub const MAX_NAME_LEN: usize = 100;
pub const MAX_QUOTES: usize = 20;
/// The highest cost a quote may have (100,000.00).
pub const MAX_COST_CENTS: i64 = 10_000_000;

/// An address as a rate request carries it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RateAddress {
    pub street_1: String,
    pub street_2: String,
    pub zip: String,
    pub city: String,
    pub state_iso2: String,
    pub country_iso2: String,
}

/// A line shipped: ids, name, quantity and the price of all its units.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RateItem {
    pub sku: String,
    pub product_id: i64,
    pub variant_id: Option<i64>,
    pub name: String,
    pub quantity: i64,
    pub cents: i64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RateRequest {
    pub store_id: i64,
    pub customer_id: i64,
    pub customer_group_id: i64,
    pub origin: RateAddress,
    pub destination: RateAddress,
    pub items: Vec<RateItem>,
}

fn address(a: &RateAddress) -> Value {
    json!({ "street_1": a.street_1, "street_2": a.street_2, "zip": a.zip, "city": a.city,
        "state_iso2": a.state_iso2, "country_iso2": a.country_iso2, "address_type": "RESIDENTIAL" })
}

fn money(cents: i64) -> Value {
    json!({ "currency": "USD", "amount": cents as f64 / 100.0 })
}

/// The body of `POST {carrier}/rate` (the platform's `RateRequestPayload`).
pub fn rate_body(r: &RateRequest, connection_options: &Map<String, Value>) -> Value {
    let items: Vec<Value> = r
        .items
        .iter()
        .map(|i| {
            json!({ "sku": i.sku, "product_id": i.product_id.to_string(),
                "variant_id": i.variant_id.map(|v| v.to_string()).unwrap_or_default(),
                "name": i.name, "quantity": i.quantity,
                "discounted_price": money(i.cents), "declared_value": money(i.cents), "attributes": [] })
        })
        .collect();
    json!({
        "base_options": {
            "origin": address(&r.origin),
            "destination": address(&r.destination),
            "items": items,
            "customer": {
                "customer_id": r.customer_id,
                "customer_groups": [{ "customer_group_id": r.customer_group_id, "customer_group_name": "" }],
            },
            "store_id": r.store_id.to_string(),
            "request_context": { "reference_values": [] },
        },
        "connection_options": connection_options,
        "zone_options": {},
    })
}

/// The body of `POST {carrier}/check_connection_options`.
pub fn check_body(connection_options: &Map<String, Value>) -> Value {
    json!({ "connection_options": connection_options })
}

/// A carrier's quote for a consignment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CarrierQuote {
    pub code: String,
    pub display_name: String,
    pub cost_cents: i64,
}

fn text(v: &Value, max: usize) -> Option<String> {
    v.as_str()
        .map(str::trim)
        .filter(|s| !s.is_empty() && s.chars().count() <= max)
        .map(str::to_string)
}

/// The id of a carrier's quote as a checkout option: `carrier:{carrier}:{code}`.
pub fn option_id(carrier_id: &str, code: &str) -> String {
    format!("{OPTION_PREFIX}{carrier_id}:{code}")
}

/// What every carrier option's id starts with (a shipping method's id is a number).
pub const OPTION_PREFIX: &str = "carrier:";

/// A carrier's quote as a checkout option.
pub fn as_option(carrier_id: &str, q: &CarrierQuote) -> crate::shipping::Quote {
    crate::shipping::Quote {
        option_id: option_id(carrier_id, &q.code),
        description: q.display_name.clone(),
        option_type: "shipping_carrier",
        cost_cents: q.cost_cents,
        recommended: false,
    }
}

/// Reads a rate answer: every quote of every `carrier_quotes` entry, each with a code, a
/// display name and a cost in US dollars (the store's currency). An answer with none is no
/// quote (the carrier does not serve the destination).
pub fn read_rates(answer: &[u8]) -> Result<Vec<CarrierQuote>, String> {
    let v: Value =
        serde_json::from_slice(answer).map_err(|_| "the answer is not JSON".to_string())?;
    let groups = v["carrier_quotes"]
        .as_array()
        .ok_or("the answer has no carrier_quotes array")?;
    let mut quotes = Vec::new();
    for q in groups
        .iter()
        .flat_map(|g| g["quotes"].as_array().into_iter().flatten())
    {
        let code = text(&q["code"], MAX_CODE_LEN)
            .ok_or("a quote has no code (or one over 50 characters)")?;
        let display_name = text(&q["display_name"], MAX_NAME_LEN)
            .ok_or("a quote has no display_name (or one over 100 characters)")?;
        if q["cost"]["currency"].as_str() != Some("USD") {
            return Err(format!("quote {code} is not in USD, the store's currency"));
        }
        let cost_cents = q["cost"]["amount"]
            .as_f64()
            .filter(|a| a.is_finite() && *a >= 0.0)
            .map(|a| (a * 100.0).round() as i64)
            .filter(|c| *c <= MAX_COST_CENTS)
            .ok_or_else(|| format!("quote {code} has no cost from 0 to 100000"))?;
        if quotes.len() < MAX_QUOTES && !quotes.iter().any(|k: &CarrierQuote| k.code == code) {
            quotes.push(CarrierQuote {
                code,
                display_name,
                cost_cents,
            });
        }
    }
    Ok(quotes)
}

/// Reads a connection check: `Ok(())` when valid, else the carrier's messages.
pub fn read_check(answer: &[u8]) -> Result<Result<(), String>, String> {
    let v: Value =
        serde_json::from_slice(answer).map_err(|_| "the answer is not JSON".to_string())?;
    let valid = v["valid"].as_bool().ok_or("the answer has no valid flag")?;
    if valid {
        return Ok(Ok(()));
    }
    let messages: Vec<String> = v["messages"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|m| text(&m["text"], 500))
        .take(5)
        .collect();
    Ok(Err(if messages.is_empty() {
        "The carrier refused the connection options.".to_string()
    } else {
        messages.join(" ")
    }))
}

#[cfg(test)]
mod tests;
