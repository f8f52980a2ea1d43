//! Reading placed orders: which order a shopper may see, and what its details page shows.

use storefront_auth_store::{Order, OrderAddresses, PaymentRecord, StoreError};

use super::Domain;

/// How a status reads to a shopper: `AWAITING_FULFILLMENT` is "Awaiting Fulfillment".
pub fn status_label(status: &str) -> String {
    let words: Vec<String> = status
        .split('_')
        .map(|w| {
            let lower = w.to_lowercase();
            let mut c = lower.chars();
            c.next()
                .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                .unwrap_or_default()
        })
        .collect();
    words.join(" ")
}

/// The order `site.order` answers: a customer's own order to that customer, and a guest order
/// to whoever names its cart (BigCommerce: "Only guest orders can be fetched by cart id").
/// Anything else, including another customer's order, is no order at all.
pub async fn visible_order(
    domain: &Domain,
    store_id: i64,
    order_id: i64,
    cart_id: Option<&str>,
    customer_id: Option<i64>,
) -> Result<Option<Order>, StoreError> {
    let Some(order) = domain.store().order(store_id, order_id).await? else {
        return Ok(None);
    };
    let own = customer_id.is_some() && order.customer_id == customer_id;
    let guest_by_cart = order.customer_id.is_none() && cart_id == Some(order.cart_id.as_str());
    Ok((own || guest_by_cart).then_some(order))
}

/// The store's order `order_id`, whoever placed it: for a surface that then checks who may see
/// it another way (the REST Storefront API: the session holds the order's cart).
pub async fn order_in_store(
    domain: &Domain,
    store_id: i64,
    order_id: i64,
) -> Result<Option<Order>, StoreError> {
    domain.store().order(store_id, order_id).await
}

/// The addresses kept with the order when it was placed.
pub async fn addresses(domain: &Domain, order_id: i64) -> Result<OrderAddresses, StoreError> {
    domain.store().order_addresses(order_id).await
}

/// The payments made for the order, oldest first.
pub async fn payments(domain: &Domain, order_id: i64) -> Result<Vec<PaymentRecord>, StoreError> {
    domain.store().order_payments(order_id).await
}
