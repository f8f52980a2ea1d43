//! The signed-in customer and what belongs to them (SPEC §5.4): `Query.customer` and the
//! `Customer`, `Order` and wishlist types.

use async_graphql::{Context, Object, Result, SimpleObject};
use storefront_auth_store::Customer;

use super::catalog::ProductNode;
use super::company::{ActiveCompany, CompanyView};
use super::connection::connection;
use super::connection::PageRequest;
use super::orders::OrdersFiltersInput;
use super::GqlContext;
use crate::service::{catalog, newsletter, wishlists};

pub use super::addresses::CustomerAddress;
pub use super::order::OrderNode;

#[derive(SimpleObject, Clone, Debug)]
pub struct WishlistItem {
    pub entity_id: i32,
    pub product_entity_id: i32,
    pub variant_entity_id: Option<i32>,
    pub product: Option<ProductNode>,
}

connection!(WishlistItemConnection, WishlistItemEdge, WishlistItem);

/// A stored wishlist. Its items are read when (and as far as) a document pages through them.
#[derive(Clone, Debug)]
pub struct Wishlist(pub storefront_auth_store::Wishlist);

#[Object]
impl Wishlist {
    async fn entity_id(&self) -> i32 {
        self.0.id as i32
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn is_public(&self) -> bool {
        self.0.is_public
    }
    async fn token(&self) -> &str {
        &self.0.token
    }
    /// A page of the wishlist's items (10 unless `first` or `last` say otherwise), or of
    /// those `filters` name.
    #[allow(clippy::too_many_arguments)]
    pub async fn items(
        &self,
        ctx: &async_graphql::Context<'_>,
        filters: Option<WishlistItemsFiltersInput>,
        hide_out_of_stock: Option<bool>,
        before: Option<String>,
        after: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
    ) -> async_graphql::Result<WishlistItemConnection> {
        let page = super::connection::PageRequest::new(first, after, last, before)?;
        let wanted = ItemsWanted {
            filters: filters.unwrap_or_default(),
            hide_out_of_stock: hide_out_of_stock.unwrap_or(false),
        };
        items(ctx.data::<GqlContext>()?, &self.0, &page, &wanted).await
    }
}

/// Which wishlists `Customer.wishlists` lists (an absent or empty list filters nothing).
#[derive(async_graphql::InputObject, Clone, Debug, Default)]
pub struct WishlistFiltersInput {
    pub entity_ids: Option<Vec<i32>>,
    pub product_entity_ids: Option<Vec<i32>>,
    pub variant_entity_ids: Option<Vec<i32>>,
}

fn among(ids: &Option<Vec<i32>>, id: i64) -> bool {
    ids.as_ref()
        .is_none_or(|ids| ids.is_empty() || ids.iter().any(|x| *x as i64 == id))
}

impl WishlistFiltersInput {
    async fn admits(
        &self,
        gql: &GqlContext,
        w: &storefront_auth_store::Wishlist,
    ) -> async_graphql::Result<bool> {
        if !among(&self.entity_ids, w.id) {
            return Ok(false);
        }
        if self.product_entity_ids.is_none() && self.variant_entity_ids.is_none() {
            return Ok(true);
        }
        let items = WishlistItemsFiltersInput {
            product_entity_ids: self.product_entity_ids.clone(),
            variant_entity_ids: self.variant_entity_ids.clone(),
        };
        Ok(wishlists::items(&gql.domain, w)
            .await?
            .iter()
            .any(|i| items.admits(i)))
    }
}

/// Which items `Wishlist.items` lists (a variant is its product's one variant).
#[derive(async_graphql::InputObject, Clone, Debug, Default)]
pub struct WishlistItemsFiltersInput {
    pub product_entity_ids: Option<Vec<i32>>,
    pub variant_entity_ids: Option<Vec<i32>>,
}

impl WishlistItemsFiltersInput {
    fn admits(&self, item: &storefront_auth_store::WishlistItem) -> bool {
        among(&self.product_entity_ids, item.product_id)
            && among(
                &self.variant_entity_ids,
                item.variant_id.unwrap_or(item.product_id),
            )
    }
}

struct ItemsWanted {
    filters: WishlistItemsFiltersInput,
    hide_out_of_stock: bool,
}

connection!(AddressConnection, AddressEdge, CustomerAddress);
connection!(OrdersConnection, OrdersEdge, OrderNode);
connection!(WishlistConnection, WishlistEdge, Wishlist);

#[derive(Clone, Debug)]
pub struct CustomerNode(pub Customer);

/// The `Customer` fields computed from the stored record, read by the resolvers below and by
/// the compiled plans (`plan::root`) alike, so the two cannot answer differently.
pub trait CustomerFields {
    fn entity_id(&self) -> i32;
    /// No B2B company data is kept for storefront customers.
    fn company(&self) -> &str;
    /// 0 when the customer is in no group, as the platform answers.
    fn customer_group_id(&self) -> i32;
}

impl CustomerFields for Customer {
    fn entity_id(&self) -> i32 {
        self.id as i32
    }
    fn company(&self) -> &str {
        ""
    }
    fn customer_group_id(&self) -> i32 {
        self.group_id.unwrap_or(0) as i32
    }
}

#[Object(name = "Customer")]
impl CustomerNode {
    async fn entity_id(&self) -> i32 {
        CustomerFields::entity_id(&self.0)
    }
    async fn email(&self) -> &str {
        &self.0.email
    }
    async fn first_name(&self) -> &str {
        &self.0.first_name
    }
    async fn last_name(&self) -> &str {
        &self.0.last_name
    }
    async fn phone(&self) -> &str {
        &self.0.phone
    }
    /// Whether the customer's address is on the store's newsletter list.
    async fn is_subscribed_to_newsletter(&self, ctx: &Context<'_>) -> Result<bool> {
        let gql = ctx.data::<GqlContext>()?;
        let email = &self.0.email;
        Ok(newsletter::is_subscribed(&gql.domain, gql.store.id, email).await?)
    }
    async fn company(&self) -> &str {
        CustomerFields::company(&self.0)
    }
    async fn customer_group_id(&self) -> i32 {
        CustomerFields::customer_group_id(&self.0)
    }
    /// The customer's address book, oldest first.
    async fn addresses(
        &self,
        ctx: &async_graphql::Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<AddressConnection> {
        let page = super::connection::PageRequest::new(first, after, last, before)?;
        let gql = ctx.data::<super::GqlContext>()?;
        let all = crate::service::addresses::list(&gql.domain, gql.store.id, &self.0).await?;
        let kept: Vec<CustomerAddress> = all
            .into_iter()
            .filter(|a| a.id > page.after && a.id < page.before)
            .map(super::addresses::node)
            .collect();
        let total = kept.len() as i64;
        let (items, info) = page.finish(page.window(kept), |a| a.entity_id.into());
        Ok(AddressConnection::new(items, info, Some(total)))
    }
    /// The orders this customer placed, oldest first.
    async fn orders(
        &self,
        ctx: &async_graphql::Context<'_>,
        filters: Option<OrdersFiltersInput>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<Option<OrdersConnection>> {
        let page = super::connection::PageRequest::new(first, after, last, before)?;
        let gql = ctx.data::<super::GqlContext>()?;
        let f = filters.unwrap_or_default();
        let mut orders: Vec<OrderNode> = Vec::new();
        for o in crate::service::customers::orders(&gql.domain, gql.store.id, self.0.id).await? {
            let node = OrderNode(o);
            if node.0.id > page.after
                && node.0.id < page.before
                && f.admits(&node.0, node.status_value())?
            {
                orders.push(node);
            }
        }
        let total = orders.len() as i64;
        let (items, info) = page.finish(page.window(orders), |o| o.0.id);
        Ok(Some(OrdersConnection::new(items, info, Some(total))))
    }
    /// The customer's wishlists, or those `filters` name (by id, or holding a product or
    /// variant).
    async fn wishlists(
        &self,
        ctx: &async_graphql::Context<'_>,
        filters: Option<WishlistFiltersInput>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<WishlistConnection> {
        let page = super::connection::PageRequest::new(first, after, last, before)?;
        let gql = ctx.data::<super::GqlContext>()?;
        let all =
            crate::service::wishlists::of_customer(&gql.domain, gql.store.id, self.0.id).await?;
        let f = filters.unwrap_or_default();
        let mut kept = Vec::new();
        for w in all {
            if f.admits(gql, &w).await? {
                kept.push(w);
            }
        }
        let total = kept.len() as i64;
        let lists: Vec<Wishlist> = kept
            .into_iter()
            .filter(|w| w.id > page.after && w.id < page.before)
            .map(Wishlist)
            .collect();
        let (items, info) = page.finish(page.window(lists), |w| w.0.id);
        Ok(WishlistConnection::new(items, info, Some(total)))
    }
    /// The customer's B2B company (needs the B2B scope with private tokens).
    async fn active_company(
        &self,
        ctx: &async_graphql::Context<'_>,
    ) -> async_graphql::Result<Option<ActiveCompany>> {
        let gql = ctx.data::<super::GqlContext>()?;
        Ok(CompanyView::of(gql, &self.0).await?.map(ActiveCompany))
    }
}

/// A page of a wishlist's items, each with its product (from the held catalog when it is).
async fn items(
    gql: &GqlContext,
    w: &storefront_auth_store::Wishlist,
    page: &PageRequest,
    wanted: &ItemsWanted,
) -> async_graphql::Result<WishlistItemConnection> {
    // Products are read for the page only, unless hiding out-of-stock ones needs every one.
    let mut all = Vec::new();
    for item in wishlists::items(&gql.domain, w).await? {
        if !wanted.filters.admits(&item) {
            continue;
        }
        if wanted.hide_out_of_stock {
            let product = catalog::product(&gql.domain, gql.store.id, item.product_id).await?;
            if product.as_ref().is_some_and(ProductNode::in_stock) {
                all.push((item, Some(product)));
            }
        } else {
            all.push((item, None));
        }
    }
    let total = all.len() as i64;
    let in_range: Vec<_> = all
        .into_iter()
        .filter(|(i, _)| i.id > page.after && i.id < page.before)
        .collect();
    let mut items = Vec::new();
    for (item, read) in page.window(in_range) {
        let product = match read {
            Some(product) => product,
            None => catalog::product(&gql.domain, gql.store.id, item.product_id).await?,
        };
        items.push(WishlistItem {
            entity_id: item.id as i32,
            product_entity_id: item.product_id as i32,
            variant_entity_id: item.variant_id.map(|v| v as i32),
            product: product.map(ProductNode::new),
        });
    }
    let (items, info) = page.finish(items, |i| i.entity_id as i64);
    Ok(WishlistItemConnection::new(items, info, Some(total)))
}
