//! Checking out (SPEC §7): a cart becomes an order at the prices of that moment, once; the
//! order is then paid with a payment access token (`payments`).

use storefront_auth_store::{
    Address, Cart, ConsignmentAddress, NewOrder, Order, OrderAddress, OrderLine, PlacedCoupon,
    StoreError,
};

use super::carts::{find_open, priced, CartError, PricedCart, Shopper};
use super::checkout_view::grand_total_cents;
use super::tax::{self, TaxError, TaxedCheckout};
use super::{checkout_shipping, coupons, Domain};

/// Places the order for the checkout (the cart), exactly once, at the cart's prices, less the
/// coupon applied, plus the shipping chosen and the tax the store's provider quotes (SPEC §12). The order keeps a copy of the customer's first saved address as its
/// billing address (the stand-in's checkout asks for none; a guest order has none) and ships
/// to the first consignment's address, or else to the billing address.
pub async fn complete_checkout(
    domain: &Domain,
    who: &Shopper,
    store_hash: &str,
    id: &str,
) -> Result<Order, CartError> {
    let priced = orderable(domain, who, id).await?;
    let quoted = checkout_shipping::quoted(domain, &priced).await?;
    let shipping_cents = checkout_shipping::shipping_cents(&quoted)
        .map_err(CartError::Provider)?
        .unwrap_or(0);
    let coupon = coupons::applied(domain, &priced.cart, priced.total_cents).await?;
    let coupon_cents = coupon.as_ref().map_or(0, |c| c.cents);
    if priced.total_cents - coupon_cents <= 0 {
        return Err(CartError::CoveredByCoupon);
    }
    let (billing, group_id) = billed_to(domain, who, &priced.cart.id).await?;
    let taxed = TaxedCheckout {
        store_hash,
        priced: &priced,
        quoted: &quoted,
        coupon_cents,
        customer_group_id: group_id,
    };
    let estimate = fresh_estimate(domain, &taxed).await?;
    let tax_cents = estimate.as_ref().map_or(0, |e| e.cents);
    let total_cents =
        grand_total_cents(priced.total_cents, coupon_cents, shipping_cents, tax_cents)
            .ok_or(CartError::TotalOutOfRange)?;
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
        tax_cents,
        tax_provider_id: estimate.as_ref().map(|e| e.provider_id.as_str()),
        total_cents,
        billing: billing.as_ref(),
        shipping: shipping.as_ref(),
    };
    let order = place(domain, &priced.cart, new).await?;
    tax::commit(domain, &order, &taxed).await?;
    Ok(order)
}

/// The open cart `id`, priced, if an order can be placed from it: it has lines, and costs
/// something (a payment for nothing, or less, is never taken).
async fn orderable(domain: &Domain, who: &Shopper, id: &str) -> Result<PricedCart, CartError> {
    let cart = find_open(domain, who, id).await?;
    let priced = priced(domain, cart, who.discount_bp).await?;
    if priced.lines.is_empty() {
        return Err(CartError::Empty);
    }
    if priced.total_cents <= 0 {
        return Err(CartError::TotalOutOfRange);
    }
    Ok(priced)
}

/// The tax asked afresh (not a read's estimate): the order is charged what the provider says
/// now, and a provider that fails places nothing.
async fn fresh_estimate(
    domain: &Domain,
    taxed: &TaxedCheckout<'_>,
) -> Result<Option<tax::TaxEstimate>, CartError> {
    tax::estimate(domain, taxed).await.map_err(|e| match e {
        TaxError::Store(e) => CartError::Store(e),
        other => CartError::Provider(other.to_string()),
    })
}

/// Places the order; a refusal says why: ordered by a concurrent request, the coupon used up
/// meanwhile, or the cart changed since it was priced.
async fn place(domain: &Domain, cart: &Cart, new: NewOrder<'_>) -> Result<Order, CartError> {
    let coupon = new.coupon.as_ref().map(|c| c.code.to_string());
    match domain
        .store()
        .place_order(cart, new, domain.now_for(cart.store_id))
        .await
    {
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

/// A checkout's address (a consignment's or the billing one) as an order keeps it; names and
/// email it leaves out come from `billing`.
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

/// Where the order is billed: the checkout's billing address when the shopper gave one (names
/// and email it leaves out from the customer's), else the customer's first saved address; and
/// the customer's group.
async fn billed_to(
    domain: &Domain,
    who: &Shopper,
    cart_id: &str,
) -> Result<(Option<OrderAddress>, Option<i64>), StoreError> {
    let (saved, group_id) = customer_address(domain, who).await?;
    let billing = match super::checkout_billing::of(domain, cart_id).await? {
        Some(given) => Some(shipped_to(&given, saved.as_ref())),
        None => saved,
    };
    Ok((billing, group_id))
}

/// The signed-in customer's first saved address, with their email, as an order keeps it;
/// and their customer group.
async fn customer_address(
    domain: &Domain,
    who: &Shopper,
) -> Result<(Option<OrderAddress>, Option<i64>), StoreError> {
    let Some(customer_id) = who.customer_id else {
        return Ok((None, None));
    };
    let store = domain.store();
    let Some(customer) = store.customer(who.store_id, customer_id).await? else {
        return Ok((None, None));
    };
    let addresses = store.customer_addresses(who.store_id, customer_id).await?;
    let address = addresses.into_iter().next().map(|address| OrderAddress {
        address,
        email: Some(customer.email),
    });
    Ok((address, customer.group_id))
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
