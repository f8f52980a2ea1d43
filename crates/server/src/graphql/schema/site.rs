//! The query root, `site` and `channel` (SPEC §5.6).

use async_graphql::{Context, Object, Result, SimpleObject, ID};
use storefront_auth_store::Customer;

use super::brand::{self, BrandConnection};
use super::cart::{CartNode, CheckoutNode};
use super::catalog::{Brand, ProductConnection, ProductNode};
use super::category::{self, CategoryNode, CategoryTreeItem};
use super::company::{CompanyQueries, CompanyView};
use super::connection::{connection, PageRequest};
use super::content::Content;
use super::customer::CustomerNode;
use super::geography::Geography;
use super::gift_certificates::GiftCertificate;
use super::listing::{self, Listing};
use super::node::{self, Node};
use super::order::OrderNode;
use super::order_payments::OrderWithPayments;
use super::product_page;
use super::products::{self, ProductsQuery};
use super::route::{self, Route};
use super::scalars::{CurrencyCode, Long, RouteRedirectBehavior};
use super::settings::Settings;
use super::GqlContext;

pub struct Query;

#[Object]
impl Query {
    async fn site(&self) -> Site {
        Site
    }

    async fn channel(&self, ctx: &Context<'_>) -> Result<Channel> {
        Ok(Channel::of(ctx.data::<GqlContext>()?))
    }

    /// The currently signed-in customer; null for guests.
    async fn customer(&self, ctx: &Context<'_>) -> Result<Option<CustomerNode>> {
        Ok(signed_in_customer(ctx.data::<GqlContext>()?)?
            .cloned()
            .map(CustomerNode))
    }

    async fn node(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Node>> {
        node::find(ctx.data::<GqlContext>()?, &id).await
    }

    /// Countries and their states, for address forms.
    async fn geography(&self) -> Geography {
        Geography
    }

    /// B2B data of the signed-in customer's company; null without one.
    async fn company(&self, ctx: &Context<'_>) -> Result<Option<CompanyQueries>> {
        let gql = ctx.data::<GqlContext>()?;
        let Some(customer) = signed_in_customer(gql)? else {
            return Ok(None);
        };
        Ok(CompanyView::of(gql, customer).await?.map(CompanyQueries))
    }
}

pub use super::ids::OptionValueId;

pub struct Site;

#[Object]
impl Site {
    async fn settings(&self, ctx: &Context<'_>) -> Result<Option<Settings>> {
        Ok(Some(Settings::of(ctx.data::<GqlContext>()?)))
    }

    #[allow(clippy::too_many_arguments)]
    async fn products(
        &self,
        ctx: &Context<'_>,
        before: Option<String>,
        after: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
        #[graphql(default)] ids: Vec<ID>,
        #[graphql(default)] entity_ids: Vec<i32>,
        hide_out_of_stock: Option<bool>,
    ) -> Result<ProductConnection> {
        let _ = hide_out_of_stock;
        let query = ProductsQuery::new(before, after, first, last, ids, entity_ids)?;
        products::products(ctx.data::<GqlContext>()?, &query).await
    }

    /// A product by global id, entity id or SKU, showing the option values
    /// `optionValueIds` chose (and each other option's default with
    /// `useDefaultOptionSelections`).
    #[allow(clippy::too_many_arguments)]
    async fn product(
        &self,
        ctx: &Context<'_>,
        id: Option<ID>,
        entity_id: Option<i32>,
        variant_entity_id: Option<i32>,
        #[graphql(default)] option_value_ids: Vec<OptionValueId>,
        sku: Option<String>,
        use_default_option_selections: Option<bool>,
    ) -> Result<Option<ProductNode>> {
        let gql = ctx.data::<GqlContext>()?;
        // Each product has one variant, whose id is the product's.
        let entity_id = entity_id.or(variant_entity_id);
        let found = products::product(
            gql,
            id.as_ref().map(|id| id.as_str()),
            entity_id,
            sku.as_deref(),
        )
        .await?;
        let Some(mut node) = found else {
            return Ok(None);
        };
        if !option_value_ids.is_empty() || use_default_option_selections == Some(true) {
            let chosen: Vec<(i64, i64)> = option_value_ids
                .iter()
                .map(|v| (v.option_entity_id as i64, v.value_entity_id as i64))
                .collect();
            let held = gql.held().await?;
            node.1 = product_page::selection(
                &held,
                node.0.id,
                &chosen,
                use_default_option_selections == Some(true),
            );
        }
        Ok(Some(node))
    }

    /// The category tree, or the part under `rootEntityId`.
    async fn category_tree(
        &self,
        ctx: &Context<'_>,
        root_entity_id: Option<i32>,
    ) -> Result<Vec<CategoryTreeItem>> {
        let gql = ctx.data::<GqlContext>()?;
        let held = gql.held().await?;
        Ok(category::tree(&held, root_entity_id.unwrap_or(0) as i64))
    }

    async fn category(&self, ctx: &Context<'_>, entity_id: i32) -> Result<Option<CategoryNode>> {
        let gql = ctx.data::<GqlContext>()?;
        let held = gql.held().await?;
        Ok(held
            .category(entity_id as i64)
            .map(|c| CategoryNode(c.clone())))
    }

    #[allow(clippy::too_many_arguments)]
    async fn brands(
        &self,
        ctx: &Context<'_>,
        before: Option<String>,
        after: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
        #[graphql(default)] product_entity_ids: Vec<i32>,
        #[graphql(default)] entity_ids: Vec<i32>,
    ) -> Result<BrandConnection> {
        let page = PageRequest::new(first, after, last, before)?;
        brand::brands(
            ctx.data::<GqlContext>()?,
            page,
            &entity_ids,
            &product_entity_ids,
        )
        .await
    }

    async fn brand(&self, ctx: &Context<'_>, entity_id: i32) -> Result<Option<Brand>> {
        let gql = ctx.data::<GqlContext>()?;
        let held = gql.held().await?;
        Ok(held.brand(entity_id as i64).map(Brand::of))
    }

    /// The products the merchant features, by id.
    async fn featured_products(
        &self,
        ctx: &Context<'_>,
        before: Option<String>,
        after: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
        hide_out_of_stock: Option<bool>,
    ) -> Result<ProductConnection> {
        let page = PageRequest::new(first, after, last, before)?;
        let listing = Listing::Featured {
            hide_out_of_stock: hide_out_of_stock.unwrap_or(false),
        };
        listing::listed(ctx.data::<GqlContext>()?, page, listing).await
    }

    /// The products added last first.
    async fn newest_products(
        &self,
        ctx: &Context<'_>,
        before: Option<String>,
        after: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
        hide_out_of_stock: Option<bool>,
    ) -> Result<ProductConnection> {
        let page = PageRequest::new(first, after, last, before)?;
        let listing = Listing::Newest {
            hide_out_of_stock: hide_out_of_stock.unwrap_or(false),
        };
        listing::listed(ctx.data::<GqlContext>()?, page, listing).await
    }

    async fn search(&self) -> super::search::SearchQueries {
        super::search::SearchQueries
    }

    async fn content(&self) -> Content {
        Content
    }

    async fn route(
        &self,
        ctx: &Context<'_>,
        path: String,
        #[graphql(default_with = "RouteRedirectBehavior::Ignore")]
        redirect_behavior: RouteRedirectBehavior,
    ) -> Result<Route> {
        let _ = redirect_behavior;
        route::resolve(ctx.data::<GqlContext>()?, &path).await
    }

    async fn currencies(
        &self,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<CurrencyConnection> {
        let page = PageRequest::new(first, after, last, before)?;
        let usd = Currency {
            entity_id: 1,
            code: CurrencyCode::Usd,
            name: "US Dollar".into(),
            is_active: true,
            is_transactional: true,
            is_default: true,
            exchange_rate: 1.0,
            flag_image: None,
        };
        let rows: Vec<Currency> = vec![usd]
            .into_iter()
            .filter(|c| (c.entity_id as i64) > page.after && (c.entity_id as i64) < page.before)
            .collect();
        let (items, info) = page.finish(rows, |c| c.entity_id as i64);
        Ok(CurrencyConnection::new(items, info, Some(1)))
    }

    /// The cart of the current customer (or the guest cart named by `entityId`).
    /// A gift certificate by its code: the stand-in issues none, so never one.
    async fn gift_certificate(&self, code: String) -> Option<GiftCertificate> {
        let _ = code;
        None
    }

    /// A wishlist its owner shared, by its share token.
    async fn public_wishlist(
        &self,
        ctx: &Context<'_>,
        token: String,
    ) -> Result<Option<super::public_wishlist::PublicWishlist>> {
        let gql = ctx.data::<GqlContext>()?;
        let found = crate::service::wishlists::public(&gql.domain, gql.store.id, &token).await?;
        Ok(found.map(|w| super::public_wishlist::PublicWishlist(super::customer::Wishlist(w))))
    }

    async fn cart(&self, ctx: &Context<'_>, entity_id: Option<String>) -> Result<Option<CartNode>> {
        super::cart::find_cart(ctx.data::<GqlContext>()?, entity_id).await
    }

    async fn checkout(
        &self,
        ctx: &Context<'_>,
        entity_id: Option<String>,
    ) -> Result<Option<CheckoutNode>> {
        Ok(super::cart::find_cart(ctx.data::<GqlContext>()?, entity_id)
            .await?
            .map(CheckoutNode::new))
    }

    /// One order (needs the Customer scope with private tokens): the signed-in customer's own,
    /// or a guest order named with its cart's id; otherwise null.
    async fn order(
        &self,
        ctx: &Context<'_>,
        filter: Option<OrderFilterInput>,
    ) -> Result<Option<OrderWithPayments>> {
        let gql = ctx.data::<GqlContext>()?;
        let Some(filter) = filter else {
            return Ok(None);
        };
        let order = crate::service::orders::visible_order(
            &gql.domain,
            gql.store.id,
            i64::from(filter.entity_id),
            filter.cart_entity_id.as_deref(),
            gql.customer.as_ref().map(|c| c.id),
        )
        .await?;
        Ok(order.map(|o| OrderWithPayments::new(OrderNode(o))))
    }
}

#[derive(async_graphql::InputObject, Clone, Debug)]
pub struct OrderFilterInput {
    pub entity_id: i32,
    /// Only guest orders can be fetched by cart id.
    pub cart_entity_id: Option<String>,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct Channel {
    pub entity_id: Long,
}

impl Channel {
    /// The channel the request addressed.
    pub fn of(gql: &GqlContext) -> Channel {
        Channel {
            entity_id: Long(gql.channel.channel_id),
        }
    }
}

/// `Query.customer`: the customer of the request's context, `None` for guests, and an error
/// when an impersonation request named a customer id the store does not have.
pub fn signed_in_customer(gql: &GqlContext) -> Result<Option<&Customer>> {
    if let Some(id) = gql.unknown_customer_id {
        return Err(async_graphql::Error::new(format!(
            "No customer with id {id} exists in this store."
        )));
    }
    Ok(gql.customer.as_ref())
}

#[derive(SimpleObject, Clone, Debug)]
pub struct Currency {
    pub entity_id: i32,
    pub code: CurrencyCode,
    pub name: String,
    pub is_active: bool,
    pub is_transactional: bool,
    pub is_default: bool,
    pub exchange_rate: f64,
    pub flag_image: Option<String>,
}

connection!(CurrencyConnection, CurrencyEdge, Currency);
