//! The Tax Provider API's messages (issue 18, SPEC §12): the quote request the platform sends a
//! tax provider for an estimate or a commit, and reading the provider's answer into cents.
//! Pure: the server builds a `QuoteRequest` from a checkout and sends what `body` gives.

use serde_json::{json, Value};

/// An address as a quote carries it (every field may be empty: estimates come before the
/// shopper has given everything).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TaxAddress {
    pub line1: String,
    pub line2: String,
    pub city: String,
    pub region_name: String,
    pub region_code: String,
    pub country_name: String,
    pub country_code: String,
    pub postal_code: String,
    pub company_name: String,
    /// `RESIDENTIAL` or `COMMERCIAL`.
    pub kind: &'static str,
}

/// A line to be taxed: its id (to read the answer back), code, name, the price of all its
/// units after discounts, and the quantity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaxItem {
    pub id: String,
    pub item_code: String,
    pub name: String,
    pub cents: i64,
    pub quantity: i64,
}

/// One document: what ships to one destination, with its shipping and handling.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaxDocument {
    pub id: String,
    pub billing: TaxAddress,
    pub destination: TaxAddress,
    pub origin: TaxAddress,
    pub items: Vec<TaxItem>,
    pub shipping_name: String,
    pub shipping_cents: i64,
}

/// A quote request: `id` is the checkout's (estimate) or the order's (commit).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuoteRequest {
    pub id: String,
    pub currency_code: String,
    pub customer_id: i64,
    pub customer_group_id: i64,
    /// RFC 3339.
    pub transaction_date: String,
    pub documents: Vec<TaxDocument>,
}

fn dollars(cents: i64) -> f64 {
    cents as f64 / 100.0
}

fn address(a: &TaxAddress) -> Value {
    json!({
        "line1": a.line1, "line2": a.line2, "city": a.city, "region_name": a.region_name,
        "region_code": a.region_code, "country_name": a.country_name,
        "country_code": a.country_code, "postal_code": a.postal_code,
        "company_name": a.company_name, "type": a.kind,
    })
}

fn line(
    id: &str,
    code: &str,
    name: &str,
    cents: i64,
    quantity: i64,
    class: (&str, &str),
    kind: &str,
) -> Value {
    json!({
        "id": id, "item_code": code, "name": name,
        "price": { "amount": dollars(cents), "tax_inclusive": false },
        "quantity": quantity,
        "tax_class": { "code": "", "class_id": class.0, "name": class.1 },
        "tax_exempt": false, "type": kind,
    })
}

/// The request body (the platform's `request-quote`).
pub fn body(q: &QuoteRequest) -> Value {
    let documents: Vec<Value> = q
        .documents
        .iter()
        .map(|d| {
            let items: Vec<Value> = d
                .items
                .iter()
                .map(|i| line(&i.id, &i.item_code, &i.name, i.cents, i.quantity, ("0", "Default Tax Class"), "item"))
                .collect();
            json!({
                "id": d.id,
                "billing_address": address(&d.billing),
                "destination_address": address(&d.destination),
                "origin_address": address(&d.origin),
                "shipping": line(&d.id, &d.shipping_name, &d.shipping_name, d.shipping_cents, 1, ("6", "Shipping"), "shipping"),
                "handling": line(&d.id, "", "Handling", 0, 1, ("6", "Handling"), "handling"),
                "items": items,
            })
        })
        .collect();
    json!({
        "id": q.id,
        "currency_code": q.currency_code,
        "customer": {
            "customer_id": q.customer_id.to_string(),
            "customer_group_id": q.customer_group_id.to_string(),
            "taxability_code": "",
        },
        "transaction_date": q.transaction_date,
        "documents": documents,
    })
}

/// A tax by name (the provider's `sales_tax_summary`), summed over every line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaxLine {
    pub name: String,
    pub cents: i64,
}

/// The provider's answer: the whole tax and its parts by name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaxQuote {
    pub tax_cents: i64,
    pub lines: Vec<TaxLine>,
}

/// Why an answer could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum QuoteError {
    #[error("the answer is not JSON")]
    NotJson,
    #[error("the answer has no documents array")]
    NoDocuments,
    #[error("the answer has no document {0}")]
    MissingDocument(String),
    #[error("a tax amount is missing, negative or not a number")]
    BadAmount,
}

/// How many taxes by name a quote keeps (a hostile answer could name thousands).
const MAX_TAX_NAMES: usize = 20;

/// The most tax a single amount may be (in dollars): larger is an unreadable answer.
const MAX_AMOUNT: f64 = 1e10;

fn cents_of(v: &Value) -> Result<i64, QuoteError> {
    match v.as_f64() {
        Some(x) if x.is_finite() && (0.0..=MAX_AMOUNT).contains(&x) => {
            Ok((x * 100.0).round() as i64)
        }
        _ => Err(QuoteError::BadAmount),
    }
}

/// Reads the provider's answer to `request`: every document of the request must be answered;
/// each priced line (items, their wrapping, shipping, handling) adds its `total_tax`.
pub fn read_answer(request: &QuoteRequest, answer: &[u8]) -> Result<TaxQuote, QuoteError> {
    let v: Value = serde_json::from_slice(answer).map_err(|_| QuoteError::NotJson)?;
    let docs = v["documents"].as_array().ok_or(QuoteError::NoDocuments)?;
    let mut quote = TaxQuote {
        tax_cents: 0,
        lines: Vec::new(),
    };
    for wanted in &request.documents {
        let doc = docs
            .iter()
            .find(|d| d["id"].as_str() == Some(wanted.id.as_str()))
            .ok_or_else(|| QuoteError::MissingDocument(wanted.id.clone()))?;
        let mut priced: Vec<&Value> = Vec::new();
        for item in doc["items"].as_array().into_iter().flatten() {
            priced.push(item);
            if item["wrapping"].is_object() {
                priced.push(&item["wrapping"]);
            }
        }
        priced.extend(
            [&doc["shipping"], &doc["handling"]]
                .into_iter()
                .filter(|l| l.is_object()),
        );
        for l in priced {
            add_line(&mut quote, &l["price"])?;
        }
    }
    Ok(quote)
}

fn add_line(quote: &mut TaxQuote, price: &Value) -> Result<(), QuoteError> {
    let total = cents_of(&price["total_tax"])?;
    quote.tax_cents = quote
        .tax_cents
        .checked_add(total)
        .ok_or(QuoteError::BadAmount)?;
    for part in price["sales_tax_summary"].as_array().into_iter().flatten() {
        let name = part["name"]
            .as_str()
            .unwrap_or("Tax")
            .chars()
            .take(100)
            .collect::<String>();
        let cents = cents_of(&part["amount"])?;
        if let Some(l) = quote.lines.iter_mut().find(|l| l.name == name) {
            l.cents = l.cents.saturating_add(cents);
        } else if quote.lines.len() < MAX_TAX_NAMES {
            quote.lines.push(TaxLine { name, cents });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
