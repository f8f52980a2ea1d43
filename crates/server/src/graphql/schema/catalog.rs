//! Products and prices. Prices show customer context: a signed-in customer's group discount
//! lowers `price` and `salePrice` while `basePrice` stays the catalog price.

use async_graphql::{Context, Object, Result, SimpleObject, ID};
use storefront_auth_store::Product;

pub use super::brand::Brand;
use super::connection::{connection, PageRequest};
pub use super::ids::{global_id, parse_global_id};
pub use super::image::Image;
pub use super::inventory::{
    AggregatedInventory, ProductInventory, Reviews, Variant, VariantInventory,
};
use super::scalars::{BigDecimal, CurrencyCode};
use super::GqlContext;
use crate::service::catalog::{self, Catalog};

pub use storefront_auth_core::money::{discounted, CURRENCY};

/// An amount in the store's currency, kept in cents; its fields are computed only when a
/// document selects them (prices are on the hot path of every product listing).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Money {
    pub cents: i64,
}

impl Money {
    pub fn cents(cents: i64) -> Money {
        Money { cents }
    }

    pub fn decimal(&self) -> BigDecimal {
        BigDecimal(storefront_auth_core::money::decimal(self.cents))
    }

    pub fn formatted(&self) -> String {
        storefront_auth_core::money::format(self.cents)
    }
}

#[Object(name = "Money")]
impl Money {
    async fn currency_code(&self) -> &'static str {
        CURRENCY
    }
    async fn value(&self) -> BigDecimal {
        self.decimal()
    }
    #[graphql(name = "formattedV2")]
    async fn formatted_v2(&self) -> Option<String> {
        Some(self.formatted())
    }
}

#[derive(SimpleObject, Clone, Debug)]
pub struct MoneyRange {
    pub min: Money,
    pub max: Money,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct Prices {
    pub price: Money,
    pub sale_price: Option<Money>,
    pub base_price: Option<Money>,
    pub retail_price: Option<Money>,
    pub price_range: MoneyRange,
}

connection!(VariantConnection, VariantEdge, Variant);
connection!(ProductConnection, ProductEdge, ProductNode);

/// Prices may be asked for in the store's currency only.
pub fn sold_in(currency_code: Option<CurrencyCode>) -> Result<()> {
    match currency_code {
        Some(c) if c != CurrencyCode::Usd => {
            Err(async_graphql::Error::new("This store only sells in USD."))
        }
        _ => Ok(()),
    }
}

/// A product's path on the storefront, from its name.
pub fn path(name: &str) -> String {
    storefront_auth_core::catalog::product_path(name)
}

#[derive(Clone, Debug)]
pub struct ProductNode(pub Product);

/// What `Product`'s fields compute, beside its resolvers so that compiled plans
/// (`storefront/plan`) compute the same.
impl ProductNode {
    /// `Product.id`: the global id.
    pub fn global_id(&self) -> ID {
        global_id("Product", self.0.id)
    }

    /// `Product.entityId`.
    pub fn entity_id(&self) -> i32 {
        self.0.id as i32
    }

    /// `Product.path`: the storefront path its name gives.
    pub fn storefront_path(&self) -> String {
        path(&self.0.name)
    }

    /// Its image, served by this server on the storefront host the request addressed.
    pub fn image(&self, gql: &GqlContext) -> Option<Image> {
        let file = &self.0.details.image;
        (!file.is_empty()).then(|| Image {
            url_template: format!("{}/product_images/{{:size}}/{}", gql.origin(), file),
            alt_text: self.0.name.clone(),
        })
    }

    /// Its brand, from the held catalog (`None` for a catalog too large to hold).
    pub fn brand_of(&self, held: Option<&Catalog>) -> Option<Brand> {
        let id = self.0.details.brand_id?;
        held?.brand(id).map(Brand::of)
    }

    /// In stock: untracked stock is always available; tracked, while units are on hand.
    pub fn in_stock(p: &Product) -> bool {
        p.details.stock.is_none_or(|n| n > 0)
    }

    pub fn stock(&self) -> ProductInventory {
        let tracked = self.0.details.stock;
        ProductInventory {
            is_in_stock: Self::in_stock(&self.0),
            is_stock_tracked: tracked.is_some(),
            has_variant_inventory: false,
            aggregated: tracked.map(|n| AggregatedInventory {
                available_to_sell: n.clamp(0, i32::MAX as i64) as i32,
                warning_level: 0,
                available_on_hand: super::scalars::Long(n.max(0)),
                unlimited_backorder: false,
                available_for_backorder: Some(super::scalars::Long(0)),
            }),
        }
    }

    /// The stand-in takes no reviews: none, rated 0.
    pub fn review_summary(&self) -> Reviews {
        Reviews {
            average_rating: 0.0,
            number_of_reviews: 0,
            summation_of_ratings: 0,
        }
    }

    /// `Product.prices` for a customer with this group discount (0 for guests), in the
    /// store's currency (`sold_in` checks the one asked for).
    pub fn prices_for(&self, discount_bp: i64) -> Prices {
        let base = self.0.price_cents;
        let price = discounted(base, discount_bp);
        Prices {
            price: Money::cents(price),
            sale_price: (price != base).then(|| Money::cents(price)),
            base_price: Some(Money::cents(base)),
            retail_price: None,
            price_range: MoneyRange {
                min: Money::cents(price),
                max: Money::cents(price),
            },
        }
    }
}

#[Object(name = "Product")]
impl ProductNode {
    pub async fn id(&self) -> ID {
        self.global_id()
    }
    #[graphql(name = "entityId")]
    async fn entity_id_field(&self) -> i32 {
        self.entity_id()
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn sku(&self) -> &str {
        &self.0.sku
    }
    async fn path(&self) -> String {
        self.storefront_path()
    }
    /// Prices for the current customer context (group discounts applied).
    async fn prices(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = false)] include_tax: bool,
        currency_code: Option<CurrencyCode>,
    ) -> Result<Option<Prices>> {
        let _ = include_tax;
        sold_in(currency_code)?;
        Ok(Some(self.prices_for(ctx.data::<GqlContext>()?.discount_bp)))
    }
    async fn default_image(&self, ctx: &Context<'_>) -> Result<Option<Image>> {
        Ok(self.image(ctx.data::<GqlContext>()?))
    }
    async fn brand(&self, ctx: &Context<'_>) -> Result<Option<Brand>> {
        let gql = ctx.data::<GqlContext>()?;
        if self.0.details.brand_id.is_none() {
            return Ok(None);
        }
        let held = gql.held().await?;
        Ok(self.brand_of(Some(&held)))
    }
    async fn inventory(&self) -> ProductInventory {
        self.stock()
    }
    #[graphql(name = "reviewSummary")]
    async fn review_summary_field(&self) -> Reviews {
        self.review_summary()
    }
    /// HTML, as the merchant wrote it.
    async fn description(&self) -> &str {
        &self.0.details.description
    }
    async fn plain_text_description(
        &self,
        #[graphql(default = 120)] character_limit: i32,
    ) -> String {
        super::seo::plain_text_summary(&self.0.details.description, character_limit.max(0) as usize)
    }
    /// Every product has one default variant carrying its SKU.
    async fn variants(
        &self,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<VariantConnection> {
        let page = PageRequest::new(first, after, last, before)?;
        let rows: Vec<Variant> = vec![Variant {
            id: global_id("Variant", self.0.id),
            entity_id: self.0.id as i32,
            sku: self.0.sku.clone(),
            inventory: Some(VariantInventory {
                is_in_stock: Self::in_stock(&self.0),
            }),
            is_purchasable: Self::in_stock(&self.0),
        }]
        .into_iter()
        .filter(|v| (v.entity_id as i64) > page.after && (v.entity_id as i64) < page.before)
        .collect();
        let (items, info) = page.finish(rows, |v| v.entity_id as i64);
        Ok(VariantConnection::new(items, info, Some(1)))
    }
}

/// What `site.products` asks for: a page, and which products when `ids` or `entityIds` name
/// some (an empty list names none: every product).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProductsQuery {
    pub page: PageRequest,
    pub entity_ids: Vec<i32>,
}

impl ProductsQuery {
    /// The arguments of `site.products`, checked.
    pub fn new(
        before: Option<String>,
        after: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
        ids: Vec<ID>,
        entity_ids: Vec<i32>,
    ) -> Result<ProductsQuery> {
        let page = PageRequest::new(first, after, last, before)?;
        let mut wanted = entity_ids;
        for id in ids {
            match parse_global_id(&id) {
                Some((kind, n)) if kind == "Product" => wanted.push(
                    n.parse()
                        .map_err(|_| async_graphql::Error::new("Invalid product id"))?,
                ),
                _ => {
                    return Err(async_graphql::Error::new(format!(
                        "Invalid product id {:?}",
                        id.0
                    )))
                }
            }
        }
        Ok(ProductsQuery {
            page,
            entity_ids: wanted,
        })
    }
}

/// `site.product`: by global id or entity id, else by SKU; `None` when nothing matches.
pub async fn product(
    gql: &GqlContext,
    id: Option<&str>,
    entity_id: Option<i32>,
    sku: Option<&str>,
) -> Result<Option<ProductNode>> {
    let from_id = id
        .and_then(parse_global_id)
        .filter(|(k, _)| k == "Product")
        .and_then(|(_, n)| n.parse::<i64>().ok());
    let (domain, store_id) = (&gql.domain, gql.store.id);
    let found = match (from_id.or(entity_id.map(i64::from)), sku) {
        (Some(pid), _) => catalog::product(domain, store_id, pid).await?,
        (None, Some(sku)) => catalog::product_by_sku(domain, store_id, sku).await?,
        (None, None) => None,
    };
    Ok(found.map(ProductNode))
}

/// The product at a storefront path (`site.route`): from the held catalog's index, or one
/// indexed database look-up.
pub async fn product_at(gql: &GqlContext, path: &str) -> Result<Option<ProductNode>> {
    let found = catalog::product_at(&gql.domain, gql.store.id, path).await?;
    Ok(found.map(ProductNode))
}

/// `site.products`: the store's catalog, paginated by id.
pub async fn products(gql: &GqlContext, query: &ProductsQuery) -> Result<ProductConnection> {
    let ProductsQuery { page, entity_ids } = query;
    let wanted = |p: &Product| entity_ids.is_empty() || entity_ids.contains(&(p.id as i32));
    let (domain, store_id) = (&gql.domain, gql.store.id);
    let (rows, total) = match catalog::held(domain, store_id).await? {
        Some(all) => {
            let total = all.products.iter().filter(|p| wanted(p)).count() as i64;
            let in_range: Vec<&Product> = all
                .products
                .iter()
                .filter(|p| wanted(p) && p.id > page.after && p.id < page.before)
                .collect();
            // Only the page (and one more) is copied out of the shared catalog.
            let rows = page.window(in_range).into_iter().cloned().collect();
            (rows, total)
        }
        // Too large to hold in memory: page in the database.
        None if entity_ids.is_empty() => {
            let rows = catalog::page(
                domain,
                store_id,
                page.after,
                page.before,
                page.limit + 1,
                page.from_end,
            )
            .await?;
            (rows, catalog::count(domain, store_id).await?)
        }
        None => {
            let mut found = Vec::new();
            for id in entity_ids {
                if let Some(p) = catalog::product(domain, store_id, *id as i64)
                    .await?
                    .filter(|p| p.id > page.after && p.id < page.before)
                {
                    found.push(p);
                }
            }
            found.sort_by_key(|p| p.id);
            let total = found.len() as i64;
            (page.window(found), total)
        }
    };
    let (items, info) = page.finish(rows.into_iter().map(ProductNode).collect(), |p| p.0.id);
    Ok(ProductConnection::new(items, info, Some(total)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_slugs() {
        assert_eq!(global_id("Product", 77).0, "UHJvZHVjdDo3Nw==");
        assert_eq!(
            parse_global_id("UHJvZHVjdDo3Nw=="),
            Some(("Product".into(), "77".into()))
        );
        assert_eq!(path("Sample Dustpan & Brush"), "/sample-dustpan-brush/");
        assert_eq!(Money::cents(1_234).formatted(), "$12.34");
    }
}
