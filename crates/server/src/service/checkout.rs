//! Checking out (SPEC §7): a cart becomes an order at the prices of that moment, once; the
//! order is then paid with a payment access token (`payments`).

use storefront_auth_store::{NewOrder, Order, OrderAddress, OrderLine, StoreError};

use super::carts::{find_open, priced, CartError, Shopper};
use super::Domain;

/// Places the order for the checkout (the cart), exactly once. The order keeps a copy of the
/// customer's first saved address as its billing and shipping address (the stand-in's checkout
/// asks for none); a guest order has none.
pub async fn complete_checkout(
    domain: &Domain,
    who: &Shopper,
    id: &str,
) -> Result<Order, CartError> {
    let cart = find_open(domain, who, id).await?;
    let priced = priced(domain, cart, who.discount_bp).await?;
    if priced.lines.is_empty() {
        return Err(CartError::Empty);
    }
    // An order must cost something: a payment for nothing (or less) is never taken.
    if priced.total_cents <= 0 {
        return Err(CartError::TotalOutOfRange);
    }
    let lines: Vec<OrderLine> = priced
        .lines
        .iter()
        .map(|l| OrderLine {
            product_id: l.item.product_id,
            name: &l.name,
            quantity: l.item.quantity,
            list_cents: l.list_cents,
            unit_cents: l.sale_cents,
            selected_options: &l.item.selected_options,
        })
        .collect();
    let address = customer_address(domain, who).await?;
    let placed = domain
        .store()
        .place_order(
            &priced.cart,
            NewOrder {
                lines: &lines,
                base_cents: priced.base_cents,
                total_cents: priced.total_cents,
                billing: address.as_ref(),
                shipping: address.as_ref(),
            },
            domain.now(),
        )
        .await;
    match placed {
        Ok(order) => Ok(order),
        Err(StoreError::Conflict(_)) => Err(CartError::Ordered),
        Err(e) => Err(e.into()),
    }
}

/// The signed-in customer's first saved address, with their email, as an order keeps it.
async fn customer_address(
    domain: &Domain,
    who: &Shopper,
) -> Result<Option<OrderAddress>, StoreError> {
    let Some(customer_id) = who.customer_id else {
        return Ok(None);
    };
    let store = domain.store();
    let Some(customer) = store.customer(who.store_id, customer_id).await? else {
        return Ok(None);
    };
    let addresses = store.customer_addresses(who.store_id, customer_id).await?;
    Ok(addresses.into_iter().next().map(|address| OrderAddress {
        address,
        email: Some(customer.email),
    }))
}

/// The order placed from a cart, when the shopper may see it: the customer who placed it, or
/// for a guest order whoever holds the cart's id.
pub async fn order_of(
    domain: &Domain,
    cart_id: &str,
    customer_id: Option<i64>,
) -> Result<Option<Order>, StoreError> {
    Ok(domain
        .store()
        .order_for_cart(cart_id)
        .await?
        .filter(|o| o.customer_id.is_none() || o.customer_id == customer_id))
}
