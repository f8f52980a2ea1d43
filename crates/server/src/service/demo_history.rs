//! The demo customers' history, so the account pages have something to show: each has a saved
//! address, and the VIP customer (10% group discount) has a paid past order, placed and paid
//! through the same checkout and payment code a shopper's order goes through.

use storefront_auth_store::{Address, Customer, StoreRecord};

use super::carts::{self, Line, Shopper};
use super::payments::{self, CardPayment, CARD_APPROVED};
use super::{addresses, checkout, Domain};

#[derive(Debug, thiserror::Error)]
#[error("seeding the demo customers' history failed: {0}")]
pub struct HistoryError(String);

/// The demo customers' addresses (by email): a street, city, state, postal code and country.
const DEMO_ADDRESSES: [(&str, &str, &str, &str, &str, &str); 2] = [
    (
        "jane@example.com",
        "12 Harbour Street",
        "Sydney",
        "NSW",
        "2000",
        "AU",
    ),
    (
        "vip@example.com",
        "500 Market Street",
        "San Francisco",
        "CA",
        "94105",
        "US",
    ),
];
/// What the VIP's past order holds: (index among the demo's products, quantity).
const PAST_ORDER: [(usize, i64); 2] = [(1, 1), (2, 2)];

pub async fn seed(
    domain: &Domain,
    store: &StoreRecord,
    customers: &[Customer],
    product_ids: &[i64],
    vip_discount_bp: i64,
) -> Result<(), HistoryError> {
    for customer in customers {
        let Some((_, street, city, state, postal, country)) =
            DEMO_ADDRESSES.iter().find(|a| a.0 == customer.email)
        else {
            continue;
        };
        let address = Address {
            first_name: customer.first_name.clone(),
            last_name: customer.last_name.clone(),
            address1: street.to_string(),
            city: city.to_string(),
            state_or_province: Some(state.to_string()),
            postal_code: Some(postal.to_string()),
            country_code: country.to_string(),
            ..Address::default()
        };
        addresses::add(domain, store.id, customer, address)
            .await
            .map_err(|e| HistoryError(format!("address: {e}")))?;
    }
    if let Some(vip) = customers.iter().find(|c| c.group_id.is_some()) {
        past_order(domain, store, vip, product_ids, vip_discount_bp).await?;
    }
    Ok(())
}

async fn past_order(
    domain: &Domain,
    store: &StoreRecord,
    customer: &Customer,
    product_ids: &[i64],
    discount_bp: i64,
) -> Result<(), HistoryError> {
    let failed = |e: carts::CartError| HistoryError(format!("past order: {e}"));
    let lines: Vec<Line> = PAST_ORDER
        .iter()
        .filter_map(|(at, quantity)| {
            Some(Line {
                product_id: *product_ids.get(*at)?,
                variant_id: None,
                quantity: *quantity,
                options: Vec::new(),
            })
        })
        .collect();
    let who = Shopper {
        store_id: store.id,
        channel_id: 1,
        customer_id: Some(customer.id),
        session_digest: None,
        discount_bp,
    };
    let cart = carts::create(domain, &who, &lines).await.map_err(failed)?;
    let order = checkout::complete_checkout(domain, &who, &store.hash, &cart.id)
        .await
        .map_err(failed)?;
    let pat = payments::issue(domain, store, &order)
        .await
        .map_err(|e| HistoryError(format!("payment token: {e}")))?;
    let card = CardPayment {
        method_id: "testgateway.card",
        number: CARD_APPROVED,
    };
    payments::pay(domain, store, &pat, &card)
        .await
        .map_err(|e| HistoryError(format!("payment: {e}")))?;
    Ok(())
}
