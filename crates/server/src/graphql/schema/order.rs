//! A placed order as the account pages show it (SPEC §5.4): `Order`, its status, totals,
//! discounts and the addresses kept with it.

use async_graphql::{Context, Object, Result, SimpleObject, ID};
use storefront_auth_store::Order;

use super::catalog::{global_id, Money};
use super::order_details::{OrderBillingAddress, OrderDiscounts};
use super::orders::OrderConsignments;
use super::scalars::{DateTimeExtended, OrderStatusValue};
use super::GqlContext;
use crate::service::orders;

#[derive(SimpleObject, Clone, Debug)]
pub struct OrderStatus {
    pub value: Option<OrderStatusValue>,
    pub label: String,
}

#[derive(Clone, Debug)]
pub struct OrderNode(pub Order);

impl OrderNode {
    /// What the goods cost the shopper before the coupon: the total less shipping, plus
    /// what the coupon took off.
    fn goods_cents(&self) -> i64 {
        self.0
            .total_cents
            .saturating_sub(self.0.shipping_cents)
            .saturating_sub(self.0.tax_cents)
            .saturating_add(self.0.coupon_cents)
    }

    pub(super) fn status_value(&self) -> Option<OrderStatusValue> {
        Some(match self.0.status.as_str() {
            "INCOMPLETE" => OrderStatusValue::Incomplete,
            "AWAITING_FULFILLMENT" => OrderStatusValue::AwaitingFulfillment,
            "AWAITING_PAYMENT" => OrderStatusValue::AwaitingPayment,
            "CANCELLED" => OrderStatusValue::Cancelled,
            "COMPLETED" => OrderStatusValue::Completed,
            "DECLINED" => OrderStatusValue::Declined,
            "PENDING" => OrderStatusValue::Pending,
            "REFUNDED" => OrderStatusValue::Refunded,
            "SHIPPED" => OrderStatusValue::Shipped,
            _ => return None,
        })
    }
}

#[Object(name = "Order")]
impl OrderNode {
    async fn id(&self) -> ID {
        global_id("Order", self.0.id)
    }
    async fn entity_id(&self) -> i32 {
        self.0.id as i32
    }
    async fn ordered_at(&self) -> DateTimeExtended {
        DateTimeExtended {
            utc: super::scalars::DateTime::from_unix(self.0.created_at),
        }
    }
    async fn updated_at(&self) -> DateTimeExtended {
        DateTimeExtended {
            utc: super::scalars::DateTime::from_unix(self.0.updated_at),
        }
    }
    async fn status(&self) -> OrderStatus {
        OrderStatus {
            value: self.status_value(),
            label: crate::service::orders::status_label(&self.0.status),
        }
    }
    /// How the order ships: one consignment of every line.
    async fn consignments(&self, ctx: &Context<'_>) -> Result<Option<OrderConsignments>> {
        let gql = ctx.data::<GqlContext>()?;
        Ok(Some(super::orders::consignments(gql, &self.0).await?))
    }
    /// The order's total, shipping and tax included: the stand-in charges no handling or
    /// wrapping.
    async fn total_inc_tax(&self) -> Money {
        Money::cents(self.0.total_cents)
    }
    /// At list prices, before the shopper's discount (`discounts`).
    async fn sub_total(&self) -> Money {
        Money::cents(self.0.base_cents)
    }
    async fn discounted_sub_total(&self) -> Option<Money> {
        Some(Money::cents(self.goods_cents()))
    }
    async fn discounts(&self) -> OrderDiscounts {
        let coupon = self
            .0
            .coupon_code
            .as_deref()
            .map(|c| (c, self.0.coupon_cents));
        OrderDiscounts::of(self.0.base_cents, self.goods_cents(), coupon)
    }
    async fn is_tax_included(&self) -> bool {
        false
    }
    /// What the store's tax provider quoted when the order was placed (none without one).
    async fn tax_total(&self) -> Money {
        Money::cents(self.0.tax_cents)
    }
    async fn shipping_cost_total(&self) -> Money {
        Money::cents(self.0.shipping_cents)
    }
    async fn handling_cost_total(&self) -> Money {
        Money::cents(0)
    }
    async fn wrapping_cost_total(&self) -> Money {
        Money::cents(0)
    }
    async fn total_product_quantity(&self, ctx: &Context<'_>) -> Result<i32> {
        let gql = ctx.data::<GqlContext>()?;
        let lines = crate::service::customers::order_lines(&gql.domain, self.0.id).await?;
        let quantity: i64 = lines.iter().map(|l| l.quantity).sum();
        Ok(i32::try_from(quantity).unwrap_or(i32::MAX))
    }
    /// The billing address as it was when the order was placed.
    async fn billing_address(&self, ctx: &Context<'_>) -> Result<OrderBillingAddress> {
        let gql = ctx.data::<GqlContext>()?;
        let kept = orders::addresses(&gql.domain, self.0.id).await?;
        Ok(OrderBillingAddress::of(kept.billing))
    }
}
