//! An order's consignments as the account's order list shows them: one shipping consignment
//! holding every line (the stand-in ships each order whole), each line with its product, image,
//! options and price; and no email consignments (gift certificates are not sold here).

use async_graphql::{Context, InputObject, Object, Result, SimpleObject};
use storefront_auth_store::{Order, PlacedLine};

use super::connection::{connection, PageRequest};
use super::image::Image;
use super::money::Money;
use super::order_details::OrderShippingAddress;
use super::order_shipments::OrderShipmentConnection;
use super::product::ProductNode;
use super::scalars::{DateTime, OrderStatusValue};
use super::GqlContext;
use crate::service::cart_options;
use crate::service::catalog::Catalog;

#[derive(InputObject, Clone, Debug)]
pub struct OrderDateRangeFilterInput {
    pub from: DateTime,
    pub to: Option<DateTime>,
}

#[derive(InputObject, Clone, Debug, Default)]
pub struct OrdersFiltersInput {
    pub status: Option<OrderStatusValue>,
    pub date_range: Option<OrderDateRangeFilterInput>,
}

impl OrdersFiltersInput {
    /// Whether the order has the status and was placed within the dates asked for (`to`
    /// included); a date that is no RFC 3339 time is an error.
    pub fn admits(&self, order: &Order, status: Option<OrderStatusValue>) -> Result<bool> {
        if self.status.is_some_and(|s| Some(s) != status) {
            return Ok(false);
        }
        let Some(range) = &self.date_range else {
            return Ok(true);
        };
        let at = |d: &DateTime| {
            storefront_auth_core::clock::parse_rfc3339(&d.0).ok_or_else(|| {
                async_graphql::Error::new(format!("{:?} is not an RFC 3339 date-time.", d.0))
            })
        };
        let from = at(&range.from)?;
        let to = range.to.as_ref().map(at).transpose()?.unwrap_or(i64::MAX);
        Ok((from..=to).contains(&order.created_at))
    }
}

#[derive(SimpleObject, Clone, Debug)]
pub struct OrderLineItemProductOption {
    pub name: String,
    pub value: String,
    pub product_attribute_entity_id: Option<i32>,
    pub product_attribute_value_entity_id: Option<i32>,
}

#[derive(Clone, Debug)]
pub struct OrderPhysicalLineItem {
    pub line: PlacedLine,
    pub product: Option<ProductNode>,
    pub options: Vec<OrderLineItemProductOption>,
    pub image: Option<Image>,
    pub brand: Option<String>,
}

#[Object]
impl OrderPhysicalLineItem {
    async fn entity_id(&self) -> i32 {
        self.line.id as i32
    }
    async fn product_entity_id(&self) -> i32 {
        self.line.product_id as i32
    }
    async fn name(&self) -> &str {
        &self.line.name
    }
    async fn sku(&self) -> String {
        self.product
            .as_ref()
            .map(|p| p.0.sku.clone())
            .unwrap_or_default()
    }
    async fn quantity(&self) -> i32 {
        self.line.quantity as i32
    }
    /// The list price per unit times the quantity.
    async fn sub_total_list_price(&self) -> Money {
        Money::cents(self.line.list_cents.saturating_mul(self.line.quantity))
    }
    /// The price paid per unit (after the shopper's discount) times the quantity.
    async fn sub_total_sale_price(&self) -> Money {
        Money::cents(self.line.unit_cents.saturating_mul(self.line.quantity))
    }
    async fn brand(&self) -> Option<&str> {
        self.brand.as_deref()
    }
    async fn image(&self) -> Option<&Image> {
        self.image.as_ref()
    }
    async fn product_options(&self) -> &[OrderLineItemProductOption] {
        &self.options
    }
    /// The product as the catalog has it now (null once it is gone).
    async fn base_catalog_product(&self) -> Option<&ProductNode> {
        self.product.as_ref()
    }
    async fn catalog_product_with_option_selections(&self) -> Option<&ProductNode> {
        self.product.as_ref()
    }
}

connection!(
    OrderPhysicalLineItemConnection,
    OrderPhysicalLineItemEdge,
    OrderPhysicalLineItem
);

#[derive(Clone, Debug)]
pub struct OrderShippingConsignment {
    pub order_id: i64,
    pub shipping_cents: i64,
    pub lines: Vec<OrderPhysicalLineItem>,
}

#[Object]
impl OrderShippingConsignment {
    async fn entity_id(&self) -> i32 {
        self.order_id as i32
    }
    async fn line_items(
        &self,
        before: Option<String>,
        after: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
    ) -> Result<OrderPhysicalLineItemConnection> {
        let page = PageRequest::new(first, after, last, before)?;
        let (items, info) = page.of(self.lines.clone(), |l| l.line.id);
        Ok(OrderPhysicalLineItemConnection::new(items, info, None))
    }
    /// The shipping address as it was when the order was placed.
    async fn shipping_address(&self, ctx: &Context<'_>) -> Result<OrderShippingAddress> {
        let gql = ctx.data::<GqlContext>()?;
        let kept = crate::service::orders::addresses(&gql.domain, self.order_id).await?;
        Ok(OrderShippingAddress::of(kept.shipping))
    }
    /// The order's shipping (it ships as one consignment); no handling is charged.
    async fn shipping_cost(&self) -> Money {
        Money::cents(self.shipping_cents)
    }
    async fn handling_cost(&self) -> Money {
        Money::cents(0)
    }
    /// None: the stand-in fulfils nothing (`order_shipments`).
    async fn shipments(
        &self,
        before: Option<String>,
        after: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
    ) -> Result<OrderShipmentConnection> {
        PageRequest::new(first, after, last, before)?;
        Ok(OrderShipmentConnection::empty())
    }
}

connection!(
    OrderShippingConsignmentConnection,
    OrderShippingConsignmentEdge,
    OrderShippingConsignment
);

#[derive(SimpleObject, Clone, Debug)]
pub struct OrderGiftCertificateLineItem {
    pub entity_id: i32,
    pub name: String,
    pub sale_price: Money,
}

connection!(
    OrderGiftCertificateLineItemConnection,
    OrderGiftCertificateLineItemEdge,
    OrderGiftCertificateLineItem
);

#[derive(Clone, Debug)]
pub struct OrderGiftCertificateConsignment {
    pub recipient_email: String,
}

#[Object]
impl OrderGiftCertificateConsignment {
    async fn recipient_email(&self) -> &str {
        &self.recipient_email
    }
    async fn line_items(
        &self,
        before: Option<String>,
        after: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
    ) -> Result<OrderGiftCertificateLineItemConnection> {
        PageRequest::new(first, after, last, before)?;
        Ok(OrderGiftCertificateLineItemConnection::empty())
    }
}

connection!(
    OrderGiftCertificateConsignmentConnection,
    OrderGiftCertificateConsignmentEdge,
    OrderGiftCertificateConsignment
);

pub struct OrderEmailConsignments;

#[Object]
impl OrderEmailConsignments {
    async fn gift_certificates(
        &self,
        before: Option<String>,
        after: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
    ) -> Result<OrderGiftCertificateConsignmentConnection> {
        PageRequest::new(first, after, last, before)?;
        Ok(OrderGiftCertificateConsignmentConnection::empty())
    }
}

pub struct OrderConsignments {
    pub shipping: OrderShippingConsignment,
}

#[Object]
impl OrderConsignments {
    async fn shipping(
        &self,
        before: Option<String>,
        after: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
    ) -> Result<OrderShippingConsignmentConnection> {
        let page = PageRequest::new(first, after, last, before)?;
        let (items, info) = page.of(vec![self.shipping.clone()], |c| c.order_id);
        Ok(OrderShippingConsignmentConnection::new(items, info, None))
    }
    async fn email(&self) -> OrderEmailConsignments {
        OrderEmailConsignments
    }
}

/// An order's consignments, its lines read once and shown with the held catalog.
pub async fn consignments(gql: &GqlContext, order: &Order) -> Result<OrderConsignments> {
    let held = gql.held().await?;
    let lines = crate::service::customers::order_lines(&gql.domain, order.id).await?;
    let lines = lines
        .into_iter()
        .map(|l| line_item(gql, &held, l))
        .collect();
    Ok(OrderConsignments {
        shipping: OrderShippingConsignment {
            order_id: order.id,
            shipping_cents: order.shipping_cents,
            lines,
        },
    })
}

fn line_item(gql: &GqlContext, held: &Catalog, line: PlacedLine) -> OrderPhysicalLineItem {
    let product = held.by_id(line.product_id).cloned().map(ProductNode::new);
    let options = cart_options::decode(&line.selected_options)
        .iter()
        .filter_map(|c| {
            let option = held.content.options.iter().find(|o| o.id == c.option)?;
            let value = match (c.value, &c.text, c.number, &c.date) {
                (Some(v), ..) if option.kind == "checkbox" => {
                    if v > 0 { "Yes" } else { "No" }.to_string()
                }
                (Some(v), ..) => option.values.iter().find(|x| x.id == v)?.label.clone(),
                (None, Some(t), ..) => t.clone(),
                (None, None, Some(n), _) => n.to_string(),
                (None, None, None, d) => d.clone()?,
            };
            Some(OrderLineItemProductOption {
                name: option.display_name.clone(),
                value,
                product_attribute_entity_id: Some(option.id as i32),
                product_attribute_value_entity_id: c.value.map(|v| v as i32),
            })
        })
        .collect();
    OrderPhysicalLineItem {
        image: product.as_ref().and_then(|p| p.image(gql)),
        brand: product
            .as_ref()
            .and_then(|p| p.brand_of(Some(held)))
            .map(|b| b.name),
        product,
        options,
        line,
    }
}
