//! A seed's customer history: saved addresses, and past orders placed and paid through the
//! same checkout and payment code a shopper's order goes through (with the customer's group
//! discount), so account pages have something real to show.

use storefront_auth_store::{Address, Customer, StoreRecord};

use super::{failed, Seed, SeedError, SeedOrder};
use crate::service::carts::{self, Line, Shopper};
use crate::service::payments::{self, CardPayment, CARD_APPROVED};
use crate::service::{addresses, checkout, Domain};

/// Each customer's addresses, then the orders; `customers` in the seed's order, with their
/// group discount in basis points.
pub async fn seed(
    domain: &Domain,
    store: &StoreRecord,
    seed: &Seed,
    customers: &[(Customer, i64)],
    product_ids: &[(String, i64)],
) -> Result<(), SeedError> {
    for (given, (customer, _)) in seed.customers.iter().zip(customers) {
        for a in &given.addresses {
            let address = Address {
                first_name: customer.first_name.clone(),
                last_name: customer.last_name.clone(),
                address1: a.address1.clone(),
                city: a.city.clone(),
                state_or_province: a.state_or_province.clone(),
                postal_code: a.postal_code.clone(),
                country_code: a.country_code.clone(),
                ..Address::default()
            };
            addresses::add(domain, store.id, customer, address)
                .await
                .map_err(|e| failed(&format!("address of {}", customer.email), e))?;
        }
    }
    for order in &seed.orders {
        let Some((customer, discount_bp)) =
            customers.iter().find(|(c, _)| c.email == order.customer)
        else {
            continue;
        };
        past_order(domain, store, customer, *discount_bp, order, product_ids).await?;
    }
    Ok(())
}

async fn past_order(
    domain: &Domain,
    store: &StoreRecord,
    customer: &Customer,
    discount_bp: i64,
    order: &SeedOrder,
    product_ids: &[(String, i64)],
) -> Result<(), SeedError> {
    let what = format!("past order of {}", customer.email);
    let lines: Vec<Line> = order
        .lines
        .iter()
        .filter_map(|l| {
            Some(Line {
                product_id: product_ids.iter().find(|(sku, _)| *sku == l.sku)?.1,
                variant_id: None,
                quantity: l.quantity,
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
    let cart = carts::create(domain, &who, &lines)
        .await
        .map_err(|e| failed(&what, e))?;
    let placed = checkout::complete_checkout(domain, &who, &store.hash, &cart.id)
        .await
        .map_err(|e| failed(&what, e))?;
    let pat = payments::issue(domain, store, &placed)
        .await
        .map_err(|e| failed(&what, e))?;
    let card = CardPayment {
        method_id: "testgateway.card",
        number: CARD_APPROVED,
    };
    payments::pay(domain, store, &pat, &card)
        .await
        .map_err(|e| failed(&what, e))?;
    Ok(())
}
