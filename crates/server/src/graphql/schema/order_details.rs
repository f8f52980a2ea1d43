//! What an order's details page shows besides its lines (Catalyst's account order page):
//! the billing and shipping addresses kept with the order, and its discounts.

use std::marker::PhantomData;

use async_graphql::SimpleObject;
use storefront_auth_store::OrderAddress;

use super::money::Money;
use crate::service::geography;

/// Which of an order's addresses a type is (BigCommerce has one type for each, alike).
pub trait AddressKind: Default + Send + Sync + 'static {}
#[derive(Clone, Debug, Default)]
pub struct Billing;
#[derive(Clone, Debug, Default)]
pub struct Shipping;
impl AddressKind for Billing {}
impl AddressKind for Shipping {}

/// An address as the order kept it. BigCommerce's country, country code and postal code are
/// non-null: an order kept without an address (a guest's) answers them as empty strings.
#[derive(SimpleObject, Clone, Debug, Default)]
#[graphql(
    concrete(name = "OrderBillingAddress", params(Billing)),
    concrete(name = "OrderShippingAddress", params(Shipping))
)]
pub struct OrderAddressFields<K: AddressKind> {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub company: Option<String>,
    pub address1: Option<String>,
    pub address2: Option<String>,
    pub city: Option<String>,
    pub state_or_province: Option<String>,
    pub state_or_province_code: Option<String>,
    pub country: String,
    pub country_code: String,
    pub postal_code: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    #[graphql(skip)]
    pub kind: PhantomData<K>,
}

impl<K: AddressKind> OrderAddressFields<K> {
    pub fn of(kept: Option<OrderAddress>) -> Self {
        // No address kept: every field empty, the non-null ones as empty strings.
        let Some(OrderAddress { address: a, email }) = kept else {
            return Self::default();
        };
        let state = a
            .state_or_province
            .as_deref()
            .map(|s| geography::state(&a.country_code, s).unwrap_or((s, s)));
        OrderAddressFields {
            first_name: Some(a.first_name),
            last_name: Some(a.last_name),
            company: a.company,
            address1: Some(a.address1),
            address2: a.address2,
            city: Some(a.city),
            state_or_province: state.map(|(name, _)| name.to_string()),
            state_or_province_code: state.map(|(_, code)| code.to_string()),
            country: geography::country_name(&a.country_code)
                .unwrap_or(&a.country_code)
                .to_string(),
            country_code: a.country_code,
            postal_code: a.postal_code.unwrap_or_default(),
            phone: a.phone,
            email,
            kind: PhantomData,
        }
    }
}

pub type OrderBillingAddress = OrderAddressFields<Billing>;
pub type OrderShippingAddress = OrderAddressFields<Shipping>;

#[derive(SimpleObject, Clone, Debug)]
pub struct OrderCouponDiscount {
    pub coupon_code: String,
    pub discounted_amount: Money,
}

/// The order's discounts: the shopper's group discount (taken off each line's price) is its
/// non-coupon discount, and the coupon applied at checkout its coupon discount; the stand-in
/// has no manual discounts.
#[derive(SimpleObject, Clone, Debug)]
pub struct OrderDiscounts {
    pub non_coupon_discount_total: Money,
    pub coupon_discounts: Vec<OrderCouponDiscount>,
    pub total_discount: Option<Money>,
    pub order_based_auto_discount_total: Option<Money>,
    pub manual_discount_total: Option<Money>,
}

impl OrderDiscounts {
    /// `base_cents` at list prices, `goods_cents` after the group discount, and the coupon
    /// taken off those.
    pub fn of(base_cents: i64, goods_cents: i64, coupon: Option<(&str, i64)>) -> Self {
        let group = base_cents.saturating_sub(goods_cents).max(0);
        let coupon_cents = coupon.map_or(0, |(_, cents)| cents);
        OrderDiscounts {
            non_coupon_discount_total: Money::cents(group),
            coupon_discounts: coupon
                .map(|(code, cents)| OrderCouponDiscount {
                    coupon_code: code.to_string(),
                    discounted_amount: Money::cents(cents),
                })
                .into_iter()
                .collect(),
            total_discount: Some(Money::cents(group.saturating_add(coupon_cents))),
            order_based_auto_discount_total: Some(Money::cents(0)),
            manual_discount_total: Some(Money::cents(0)),
        }
    }
}
