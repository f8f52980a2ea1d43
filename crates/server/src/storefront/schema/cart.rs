//! Carts and checkouts (`site.cart`, `site.checkout`). The checkout of a cart shares its id.

use async_graphql::{Context, Object, Result, SimpleObject, ID};

use super::catalog::{global_id, Money};
use super::customer::OrderNode;
use super::scalars::DateTime;
use super::GqlContext;

/// A cart as the schema shows it.
#[derive(Clone, Debug)]
pub struct CartData {
    pub id: String,
    pub customer_id: Option<i64>,
    pub items: Vec<CartPhysicalItem>,
    pub created_at: i64,
    pub updated_at: i64,
    pub version: i32,
    pub order_id: Option<i64>,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct CartPhysicalItem {
    pub entity_id: String,
    pub product_entity_id: i32,
    pub variant_entity_id: Option<i32>,
    pub sku: Option<String>,
    pub name: String,
    pub quantity: i32,
    pub list_price: Money,
    pub sale_price: Money,
    pub extended_sale_price: Money,
    pub path: String,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct CartLineItems {
    pub physical_items: Vec<CartPhysicalItem>,
    pub total_quantity: i32,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct DateTimeExtended {
    pub utc: DateTime,
}

#[derive(Clone, Debug)]
pub struct CartNode(pub CartData);

impl CartNode {
    fn total_cents(&self) -> i64 {
        self.0
            .items
            .iter()
            .map(|i| (i.extended_sale_price.value.0 * 100.0).round() as i64)
            .sum()
    }
}

#[Object(name = "Cart")]
impl CartNode {
    pub async fn id(&self) -> ID {
        global_id("Cart", &self.0.id)
    }
    async fn entity_id(&self) -> &str {
        &self.0.id
    }
    async fn currency_code(&self) -> &str {
        super::catalog::CURRENCY
    }
    async fn is_tax_included(&self) -> bool {
        false
    }
    async fn base_amount(&self) -> Money {
        Money::cents(self.total_cents())
    }
    async fn discounted_amount(&self) -> Money {
        Money::cents(0)
    }
    async fn amount(&self) -> Money {
        Money::cents(self.total_cents())
    }
    async fn line_items(&self) -> CartLineItems {
        CartLineItems {
            physical_items: self.0.items.clone(),
            total_quantity: self.0.items.iter().map(|i| i.quantity).sum(),
        }
    }
    async fn created_at(&self) -> DateTimeExtended {
        DateTimeExtended {
            utc: DateTime::from_unix(self.0.created_at),
        }
    }
    async fn updated_at(&self) -> DateTimeExtended {
        DateTimeExtended {
            utc: DateTime::from_unix(self.0.updated_at),
        }
    }
    async fn locale(&self) -> &str {
        "en"
    }
    async fn version(&self) -> Option<i32> {
        Some(self.0.version)
    }
}

#[derive(Clone, Debug)]
pub struct CheckoutNode(pub CartNode);

#[Object(name = "Checkout")]
impl CheckoutNode {
    pub async fn id(&self) -> ID {
        global_id("Checkout", &self.0 .0.id)
    }
    async fn entity_id(&self) -> &str {
        &self.0 .0.id
    }
    async fn currency_code(&self) -> &str {
        super::catalog::CURRENCY
    }
    async fn cart(&self) -> Option<CartNode> {
        Some(self.0.clone())
    }
    async fn subtotal(&self) -> Option<Money> {
        Some(Money::cents(self.0.total_cents()))
    }
    async fn grand_total(&self) -> Option<Money> {
        Some(Money::cents(self.0.total_cents()))
    }
    async fn tax_total(&self) -> Option<Money> {
        Some(Money::cents(0))
    }
    async fn coupons(&self) -> Vec<CheckoutCoupon> {
        Vec::new()
    }
    async fn version(&self) -> Option<i32> {
        Some(self.0 .0.version)
    }
    /// The order placed from this checkout (needs the Customer scope with private tokens).
    async fn order(&self, ctx: &Context<'_>) -> Result<Option<OrderNode>> {
        let _ = ctx.data::<GqlContext>()?;
        Ok(None)
    }
}

#[derive(SimpleObject, Clone, Debug)]
pub struct CheckoutCoupon {
    pub code: String,
    pub discounted_amount: Money,
}

/// Looks a cart up for the request's customer context. Carts are created by the cart
/// mutations, which this server does not offer yet, so no cart exists.
pub async fn find_cart(gql: &GqlContext, entity_id: Option<String>) -> Result<Option<CartNode>> {
    let _ = (gql, entity_id);
    Ok(None)
}
