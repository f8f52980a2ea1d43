//! A checkout as a surface shows it (the REST Storefront API reads it whole; GraphQL field by
//! field): the priced cart, its consignments quoted, the coupon, the tax, and the totals; and
//! the one rule for the grand total, which placing the order charges too.

use storefront_auth_store::ConsignmentAddress;

use super::carts::{find, priced, CartError, PricedCart, Shopper};
use super::checkout_shipping::{self, QuotedConsignment};
use super::coupons::{self, AppliedCoupon};
use super::tax::{self, TaxError, TaxEstimate, TaxedCheckout};
use super::Domain;

/// What a checkout costs: goods at the shopper's prices, less the coupon, plus shipping and
/// tax; `None` when it does not fit.
pub fn grand_total_cents(goods: i64, coupon: i64, shipping: i64, tax: i64) -> Option<i64> {
    goods
        .checked_sub(coupon)?
        .checked_add(shipping)?
        .checked_add(tax)
}

pub struct CheckoutView {
    pub priced: PricedCart,
    pub quoted: Vec<QuotedConsignment>,
    pub coupon: Option<AppliedCoupon>,
    /// The chosen options' cost, or why a carrier's cannot be priced.
    pub shipping: Result<Option<i64>, String>,
    /// The tax provider's estimate, or why it gave none.
    pub tax: Result<Option<TaxEstimate>, String>,
    /// The order placed from it, if any.
    pub order_id: Option<i64>,
    /// The billing address the shopper gave, if any.
    pub billing: Option<ConsignmentAddress>,
}

impl CheckoutView {
    pub fn coupon_cents(&self) -> i64 {
        self.coupon.as_ref().map_or(0, |c| c.cents)
    }

    /// The grand total, or the provider failures that leave it unknown.
    pub fn grand_total(&self) -> Result<i64, Vec<String>> {
        let problems: Vec<String> = [self.shipping.as_ref().err(), self.tax.as_ref().err()]
            .into_iter()
            .flatten()
            .cloned()
            .collect();
        match (&self.shipping, &self.tax) {
            (Ok(shipping), Ok(tax)) => {
                let tax = tax.as_ref().map_or(0, |t| t.cents);
                grand_total_cents(
                    self.priced.total_cents,
                    self.coupon_cents(),
                    shipping.unwrap_or(0),
                    tax,
                )
                .ok_or_else(|| vec![CartError::TotalOutOfRange.to_string()])
            }
            _ => Err(problems),
        }
    }
}

/// The shopper's checkout `id` (an ordered one too: it shows its order).
pub async fn view(
    domain: &Domain,
    who: &Shopper,
    store_hash: &str,
    id: &str,
    customer_group_id: Option<i64>,
) -> Result<CheckoutView, CartError> {
    let cart = find(domain, who, id).await?;
    let order_id = domain.store().order_for_cart(&cart.id).await?.map(|o| o.id);
    let priced = priced(domain, cart, who.discount_bp).await?;
    let quoted = checkout_shipping::quoted(domain, &priced).await?;
    let coupon = coupons::applied(domain, &priced.cart, priced.total_cents).await?;
    let shipping = checkout_shipping::shipping_cents(&quoted);
    let taxed = TaxedCheckout {
        store_hash,
        priced: &priced,
        quoted: &quoted,
        coupon_cents: coupon.as_ref().map_or(0, |c| c.cents),
        customer_group_id,
    };
    let tax = match tax::estimate(domain, &taxed).await {
        Ok(t) => Ok(t),
        Err(TaxError::Store(e)) => return Err(e.into()),
        Err(other) => Err(other.to_string()),
    };
    let billing = super::checkout_billing::of(domain, &priced.cart.id).await?;
    Ok(CheckoutView {
        priced,
        quoted,
        coupon,
        shipping,
        tax,
        order_id,
        billing,
    })
}
