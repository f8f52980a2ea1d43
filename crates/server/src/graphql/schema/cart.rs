//! Carts and checkouts as `site.cart` and `site.checkout` read them. The checkout of a cart
//! shares its id. The mutations are in `cart_mutations` and `checkout`.

use std::sync::Arc;

use async_graphql::{Context, Object, Result, SimpleObject, ID};
use tokio::sync::OnceCell;

use super::cart_items::{physical_item, CartDigitalItem, CartGiftCertificate, CartPhysicalItem};
use super::catalog::{global_id, Money};
use super::consignments::{
    CheckoutBillingAddress, CheckoutGiftCertificate, CheckoutShippingConsignment,
};
use super::customer::OrderNode;
use super::scalars::{DateTime, DateTimeExtended};
use super::GqlContext;
use crate::service::carts::{self, CartError, PricedCart, Shopper};
use crate::service::checkout_shipping::{self, QuotedConsignment};
use crate::service::checkout_view::grand_total_cents;
use crate::service::coupons::{self, AppliedCoupon};
use crate::service::tax::{self, TaxEstimate, TaxedCheckout};

#[derive(SimpleObject, Clone, Debug)]
pub struct CartLineItems {
    pub physical_items: Vec<CartPhysicalItem>,
    pub digital_items: Vec<CartDigitalItem>,
    pub gift_certificates: Vec<CartGiftCertificate>,
    pub total_quantity: i32,
}

#[derive(Clone, Debug)]
pub struct CartNode(pub PricedCart);

#[Object(name = "Cart")]
impl CartNode {
    pub async fn id(&self) -> ID {
        global_id("Cart", &self.0.cart.id)
    }
    async fn entity_id(&self) -> &str {
        &self.0.cart.id
    }
    async fn currency_code(&self) -> &str {
        super::catalog::CURRENCY
    }
    async fn is_tax_included(&self) -> bool {
        false
    }
    async fn base_amount(&self) -> Money {
        Money::cents(self.0.base_cents)
    }
    async fn discounted_amount(&self) -> Money {
        Money::cents(self.0.base_cents - self.0.total_cents)
    }
    async fn amount(&self) -> Money {
        Money::cents(self.0.total_cents)
    }
    async fn line_items(&self, ctx: &Context<'_>) -> Result<CartLineItems> {
        let gql = ctx.data::<GqlContext>()?;
        let held = gql.held().await?;
        let physical_items = self
            .0
            .lines
            .iter()
            .map(|l| physical_item(gql, &held, l))
            .collect();
        Ok(CartLineItems {
            physical_items,
            digital_items: Vec::new(),
            gift_certificates: Vec::new(),
            total_quantity: self.0.total_quantity() as i32,
        })
    }
    async fn created_at(&self) -> DateTimeExtended {
        DateTimeExtended {
            utc: DateTime::from_unix(self.0.cart.created_at),
        }
    }
    async fn updated_at(&self) -> DateTimeExtended {
        DateTimeExtended {
            utc: DateTime::from_unix(self.0.cart.updated_at),
        }
    }
    async fn locale(&self) -> &str {
        "en"
    }
    async fn version(&self) -> Option<i32> {
        Some(self.0.cart.version as i32)
    }
}

/// A checkout: its cart, and what is read once per request when a field asks: its
/// consignments, quoted, and the coupon applied.
#[derive(Clone, Debug)]
pub struct CheckoutNode(
    pub CartNode,
    Arc<OnceCell<CheckoutExtras>>,
    Arc<OnceCell<Option<TaxEstimate>>>,
);

#[derive(Debug)]
struct CheckoutExtras {
    quoted: Vec<QuotedConsignment>,
    coupon: Option<AppliedCoupon>,
}

impl CheckoutNode {
    pub fn new(cart: CartNode) -> Self {
        CheckoutNode(cart, Arc::default(), Arc::default())
    }

    async fn extras(&self, ctx: &Context<'_>) -> Result<&CheckoutExtras> {
        let gql = ctx.data::<GqlContext>()?;
        let priced = &self.0 .0;
        let extras = self
            .1
            .get_or_try_init(|| async {
                let quoted = checkout_shipping::quoted(&gql.domain, priced).await?;
                let coupon =
                    coupons::applied(&gql.domain, &priced.cart, priced.total_cents).await?;
                Ok::<_, storefront_auth_store::StoreError>(CheckoutExtras { quoted, coupon })
            })
            .await?;
        Ok(extras)
    }

    async fn quoted(&self, ctx: &Context<'_>) -> Result<&[QuotedConsignment]> {
        Ok(&self.extras(ctx).await?.quoted)
    }

    async fn shipping_cents(&self, ctx: &Context<'_>) -> Result<Option<i64>> {
        checkout_shipping::shipping_cents(self.quoted(ctx).await?)
            .map_err(async_graphql::Error::new)
    }

    /// The store's tax provider's estimate (none without a provider or a shipping address);
    /// a provider that fails is an error on the fields that show tax.
    async fn tax(&self, ctx: &Context<'_>) -> Result<&Option<TaxEstimate>> {
        let gql = ctx.data::<GqlContext>()?;
        let extras = self.extras(ctx).await?;
        let estimate = self
            .2
            .get_or_try_init(|| async {
                let checkout = TaxedCheckout {
                    store_hash: &gql.store.hash,
                    priced: &self.0 .0,
                    quoted: &extras.quoted,
                    coupon_cents: extras.coupon.as_ref().map_or(0, |c| c.cents),
                    customer_group_id: gql.customer.as_ref().and_then(|c| c.group_id),
                };
                tax::estimate(&gql.domain, &checkout).await
            })
            .await
            .map_err(|e| async_graphql::Error::new(e.to_string()))?;
        Ok(estimate)
    }
}

/// A tax by name and what it comes to.
#[derive(SimpleObject, Clone, Debug)]
pub struct CheckoutTax {
    pub name: String,
    pub amount: Money,
}

#[Object(name = "Checkout")]
impl CheckoutNode {
    pub async fn id(&self) -> ID {
        global_id("Checkout", &self.0 .0.cart.id)
    }
    async fn entity_id(&self) -> &str {
        &self.0 .0.cart.id
    }
    async fn currency_code(&self) -> &str {
        super::catalog::CURRENCY
    }
    async fn cart(&self) -> Option<CartNode> {
        Some(self.0.clone())
    }
    async fn subtotal(&self) -> Option<Money> {
        Some(Money::cents(self.0 .0.total_cents))
    }
    /// The cart's total, less the coupon applied, plus the shipping chosen and the tax.
    async fn grand_total(&self, ctx: &Context<'_>) -> Result<Option<Money>> {
        let shipping = self.shipping_cents(ctx).await?.unwrap_or(0);
        let coupon = self
            .extras(ctx)
            .await?
            .coupon
            .as_ref()
            .map_or(0, |c| c.cents);
        let tax = self.tax(ctx).await?.as_ref().map_or(0, |t| t.cents);
        let total = grand_total_cents(self.0 .0.total_cents, coupon, shipping, tax)
            .ok_or_else(|| async_graphql::Error::new(CartError::TotalOutOfRange.to_string()))?;
        Ok(Some(Money::cents(total)))
    }
    /// What the store's tax provider estimates (nothing without a provider or an address).
    async fn tax_total(&self, ctx: &Context<'_>) -> Result<Option<Money>> {
        let tax = self.tax(ctx).await?;
        Ok(Some(Money::cents(tax.as_ref().map_or(0, |t| t.cents))))
    }
    /// The estimate's taxes by name.
    async fn taxes(&self, ctx: &Context<'_>) -> Result<Option<Vec<CheckoutTax>>> {
        let tax = self.tax(ctx).await?;
        let lines = tax.as_ref().map(|t| t.lines.as_slice()).unwrap_or_default();
        Ok(Some(
            lines
                .iter()
                .map(|l| CheckoutTax {
                    name: l.name.clone(),
                    amount: Money::cents(l.cents),
                })
                .collect(),
        ))
    }
    /// The billing address the shopper gave (null until one is given).
    async fn billing_address(&self, ctx: &Context<'_>) -> Result<Option<CheckoutBillingAddress>> {
        let gql = ctx.data::<GqlContext>()?;
        let id = &self.0 .0.cart.id;
        let given = crate::service::checkout_billing::of(&gql.domain, id).await?;
        Ok(given.map(|a| CheckoutBillingAddress::of(id, a)))
    }
    /// Null until a consignment is added.
    async fn shipping_consignments(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Option<Vec<CheckoutShippingConsignment>>> {
        let quoted = self.quoted(ctx).await?;
        Ok((!quoted.is_empty())
            .then(|| quoted.iter().map(CheckoutShippingConsignment::of).collect()))
    }
    /// Null until a consignment has a shipping option chosen.
    async fn shipping_cost_total(&self, ctx: &Context<'_>) -> Result<Option<Money>> {
        Ok(self.shipping_cents(ctx).await?.map(Money::cents))
    }
    async fn handling_cost_total(&self) -> Option<Money> {
        Some(Money::cents(0))
    }
    async fn gift_certificates(&self) -> Vec<CheckoutGiftCertificate> {
        Vec::new()
    }
    /// The coupon applied (one at most) and what it takes off.
    async fn coupons(&self, ctx: &Context<'_>) -> Result<Vec<CheckoutCoupon>> {
        let coupon = &self.extras(ctx).await?.coupon;
        Ok(coupon
            .iter()
            .map(|c| CheckoutCoupon {
                code: c.coupon.code.clone(),
                discounted_amount: Money::cents(c.cents),
            })
            .collect())
    }
    async fn version(&self) -> Option<i32> {
        Some(self.0 .0.cart.version as i32)
    }
    /// The order placed from this checkout (needs the Customer scope with private tokens):
    /// shown to the customer who placed it, or for a guest order to whoever holds the id.
    async fn order(&self, ctx: &Context<'_>) -> Result<Option<OrderNode>> {
        let gql = ctx.data::<GqlContext>()?;
        let customer_id = gql.customer.as_ref().map(|c| c.id);
        let order =
            crate::service::checkout::order_of(&gql.domain, &self.0 .0.cart.id, customer_id)
                .await?;
        Ok(order.map(OrderNode))
    }
}

#[derive(SimpleObject, Clone, Debug)]
pub struct CheckoutCoupon {
    pub code: String,
    pub discounted_amount: Money,
}

impl GqlContext {
    /// The request's shopper: the signed-in customer or a guest, on this channel.
    pub fn shopper(&self) -> Shopper {
        Shopper {
            store_id: self.store.id,
            channel_id: self.channel.channel_id,
            customer_id: self.customer.as_ref().map(|c| c.id),
            session_digest: None,
            discount_bp: self.discount_bp,
        }
    }
}

pub async fn node(gql: &GqlContext, cart: storefront_auth_store::Cart) -> Result<CartNode> {
    Ok(CartNode(
        carts::priced(&gql.domain, cart, gql.discount_bp).await?,
    ))
}

/// `site.cart(entityId)`: the named cart if the shopper may see it, else the customer's
/// current cart; `null` when there is none.
pub async fn find_cart(gql: &GqlContext, entity_id: Option<String>) -> Result<Option<CartNode>> {
    let who = gql.shopper();
    let cart = match (entity_id, who.customer_id) {
        (Some(id), _) => match carts::find(&gql.domain, &who, &id).await {
            Ok(cart) => Some(cart),
            Err(CartError::NotFound) => None,
            Err(e) => return Err(e.into()),
        },
        (None, Some(_)) => carts::current(&gql.domain, &who).await?,
        (None, None) => None,
    };
    match cart {
        Some(c) => Ok(Some(node(gql, c).await?)),
        None => Ok(None),
    }
}
