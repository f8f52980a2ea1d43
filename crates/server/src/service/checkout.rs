//! Checking out (SPEC §7): a cart becomes an order at the prices of that moment, once; the
//! order is then paid with a payment access token (`payments`).

use storefront_auth_store::{
    Address, Cart, ConsignmentAddress, NewOrder, Order, OrderAddress, OrderLine, PlacedCoupon,
    StoreError,
};

use super::carts::{find_open, priced, CartError, PricedCart, Shopper};
use super::{checkout_shipping, coupons, Domain};

/// Places the order for the checkout (the cart), exactly once, at the cart's prices, less the
/// coupon applied, plus the shipping chosen. The order keeps a copy of the customer's first saved address as its
/// billing address (the stand-in's checkout asks for none; a guest order has none) and ships
/// to the first consignment's address, or else to the billing address.
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
    let quoted = checkout_shipping::quoted(domain, &priced.cart).await?;
    let shipping_cents = checkout_shipping::shipping_cents(&quoted).unwrap_or(0);
    let coupon = coupons::applied(domain, &priced.cart, priced.total_cents).await?;
    let coupon_cents = coupon.as_ref().map_or(0, |c| c.cents);
    let total_cents = (priced.total_cents - coupon_cents)
        .checked_add(shipping_cents)
        .ok_or(CartError::TotalOutOfRange)?;
    if total_cents <= 0 {
        return Err(CartError::CoveredByCoupon);
    }
    let billing = customer_address(domain, who).await?;
    // Where the first consignment ships, when the checkout has one; else the billing address.
    let shipping = quoted
        .first()
        .map(|q| shipped_to(&q.consignment.address, billing.as_ref()))
        .or_else(|| billing.clone());
    let lines = order_lines(&priced);
    let new = NewOrder {
        cart_version: priced.cart.version,
        lines: &lines,
        base_cents: priced.base_cents,
        shipping_cents,
        coupon: coupon.as_ref().map(|c| PlacedCoupon {
            id: c.coupon.id,
            code: &c.coupon.code,
            cents: c.cents,
        }),
        total_cents,
        billing: billing.as_ref(),
        shipping: shipping.as_ref(),
    };
    place(domain, &priced.cart, new).await
}

/// Places the order; a refusal says why: ordered by a concurrent request, the coupon used up
/// meanwhile, or the cart changed since it was priced.
async fn place(domain: &Domain, cart: &Cart, new: NewOrder<'_>) -> Result<Order, CartError> {
    let coupon = new.coupon.as_ref().map(|c| c.code.to_string());
    match domain.store().place_order(cart, new, domain.now()).await {
        Ok(order) => Ok(order),
        Err(StoreError::Conflict(_)) => {
            if domain.store().order_for_cart(&cart.id).await?.is_some() {
                return Err(CartError::Ordered);
            }
            let applied = domain.store().checkout_coupon(&cart.id).await?;
            match (coupon, applied) {
                (Some(code), Some(c)) if c.max_uses > 0 && c.uses >= c.max_uses => {
                    Err(CartError::CouponUsedUp(code))
                }
                _ => Err(CartError::VersionConflict),
            }
        }
        Err(e) => Err(e.into()),
    }
}

/// The cart's lines as the order keeps them.
fn order_lines(priced: &PricedCart) -> Vec<OrderLine<'_>> {
    priced
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
        .collect()
}

/// A consignment's address as an order keeps it; names and email the consignment leaves out
/// come from the billing address.
fn shipped_to(a: &ConsignmentAddress, billing: Option<&OrderAddress>) -> OrderAddress {
    let from_billing = |f: fn(&OrderAddress) -> String| billing.map(f).unwrap_or_default();
    OrderAddress {
        address: Address {
            id: 0,
            first_name: a
                .first_name
                .clone()
                .unwrap_or_else(|| from_billing(|b| b.address.first_name.clone())),
            last_name: a
                .last_name
                .clone()
                .unwrap_or_else(|| from_billing(|b| b.address.last_name.clone())),
            company: a.company.clone(),
            address1: a.address1.clone().unwrap_or_default(),
            address2: a.address2.clone(),
            city: a.city.clone().unwrap_or_default(),
            state_or_province: a.state_or_province.clone(),
            postal_code: a.postal_code.clone(),
            country_code: a.country_code.clone(),
            phone: a.phone.clone(),
        },
        email: a
            .email
            .clone()
            .or_else(|| billing.and_then(|b| b.email.clone())),
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
