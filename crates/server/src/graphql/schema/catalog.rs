//! Products and prices. Prices show customer context: a signed-in customer's group discount
//! lowers `price` and `salePrice` while `basePrice` stays the catalog price.

use async_graphql::{Context, Object, Result, ID};

pub use super::brand::Brand;
use super::connection::{connection, PageRequest};
pub use super::ids::{global_id, parse_global_id};
pub use super::image::Image;
pub use super::inventory::{
    Aggregated, AggregatedInventory, ProductInventory, Reviews, Variant, VariantInventory,
};
pub use super::money::{discounted, sold_in, Money, MoneyRange, Prices, CURRENCY};
use super::options::ProductOptionConnection;
pub use super::product::{path, ProductConnection, ProductEdge, ProductNode};
use super::product_page::{
    self, CustomFieldConnection, ImageConnection, Measurement, ProductAvailability,
    ProductConditionType, RelatedProductsConnection,
};
use super::scalars::CurrencyCode;
use super::seo::{plain_text_summary, SeoDetails};
use super::GqlContext;

connection!(VariantConnection, VariantEdge, Variant);

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
    async fn product_options(
        &self,
        ctx: &Context<'_>,
        before: Option<String>,
        after: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
    ) -> Result<ProductOptionConnection> {
        let page = PageRequest::new(first, after, last, before)?;
        let held = ctx.data::<GqlContext>()?.held().await?;
        Ok(product_page::options(&held, self, page))
    }
    #[allow(clippy::too_many_arguments)]
    async fn custom_fields(
        &self,
        ctx: &Context<'_>,
        #[graphql(default)] names: Vec<String>,
        before: Option<String>,
        after: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
    ) -> Result<CustomFieldConnection> {
        let page = PageRequest::new(first, after, last, before)?;
        let held = ctx.data::<GqlContext>()?.held().await?;
        Ok(product_page::custom_fields(&held, &self.0, &names, page))
    }
    async fn images(
        &self,
        ctx: &Context<'_>,
        before: Option<String>,
        after: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
    ) -> Result<ImageConnection> {
        let page = PageRequest::new(first, after, last, before)?;
        let images: Vec<Image> = self.image(ctx.data::<GqlContext>()?).into_iter().collect();
        let (items, info) = page.of(images, |_| 1);
        Ok(ImageConnection::new(items, info, None))
    }
    #[allow(clippy::too_many_arguments)]
    async fn related_products(
        &self,
        ctx: &Context<'_>,
        before: Option<String>,
        after: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
        hide_out_of_stock: Option<bool>,
    ) -> Result<RelatedProductsConnection> {
        let page = PageRequest::new(first, after, last, before)?;
        let held = ctx.data::<GqlContext>()?.held().await?;
        Ok(product_page::related(
            &held,
            &self.0,
            hide_out_of_stock.unwrap_or(false),
            page,
        ))
    }
    /// The merchant's SEO details; without them, the product's name and the start of its
    /// description.
    async fn seo(&self) -> SeoDetails {
        SeoDetails {
            page_title: self.0.name.clone(),
            meta_description: plain_text_summary(&self.0.details.description, 160),
            meta_keywords: String::new(),
        }
    }
    async fn weight(&self) -> Option<Measurement> {
        product_page::weight(&self.0)
    }
    async fn condition(&self) -> Option<ProductConditionType> {
        product_page::condition(&self.0)
    }
    async fn warranty(&self) -> &str {
        &self.0.details.warranty
    }
    async fn gtin(&self) -> Option<&str> {
        Some(self.0.details.gtin.as_str()).filter(|s| !s.is_empty())
    }
    async fn mpn(&self) -> Option<&str> {
        Some(self.0.details.mpn.as_str()).filter(|s| !s.is_empty())
    }
    async fn min_purchase_quantity(&self) -> Option<i32> {
        self.0
            .details
            .min_purchase
            .map(|n| n.clamp(0, i32::MAX as i64) as i32)
    }
    async fn max_purchase_quantity(&self) -> Option<i32> {
        self.0
            .details
            .max_purchase
            .map(|n| n.clamp(0, i32::MAX as i64) as i32)
    }
    #[graphql(name = "availabilityV2")]
    async fn availability_v2(&self) -> ProductAvailability {
        product_page::availability(&self.0)
    }
    async fn show_cart_action(&self) -> bool {
        product_page::show_cart_action(&self.0)
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
    /// Every product has one default variant carrying its SKU and the product's stock. The
    /// stand-in's options are modifiers, which pick no variant: a selection of option values
    /// lands on that one variant.
    #[allow(clippy::too_many_arguments)]
    async fn variants(
        &self,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        is_purchasable: Option<bool>,
        #[graphql(default)] entity_ids: Vec<i32>,
        #[graphql(default)] option_value_ids: Vec<super::ids::OptionValueId>,
        #[graphql(default)] skus: Vec<String>,
    ) -> Result<VariantConnection> {
        let page = PageRequest::new(first, after, last, before)?;
        let _ = option_value_ids;
        let in_stock = Self::in_stock(&self.0);
        let variant = Variant {
            id: global_id("Variant", self.0.id),
            entity_id: self.0.id as i32,
            sku: self.0.sku.clone(),
            inventory: Some(VariantInventory {
                is_in_stock: in_stock,
                aggregated: self.0.details.stock.map(Aggregated::of_stock),
            }),
            is_purchasable: in_stock,
        };
        let wanted = (entity_ids.is_empty() || entity_ids.contains(&variant.entity_id))
            && (skus.is_empty() || skus.contains(&variant.sku))
            && is_purchasable.is_none_or(|p| p == variant.is_purchasable);
        let rows: Vec<Variant> = Some(variant)
            .filter(|v| {
                wanted && (v.entity_id as i64) > page.after && (v.entity_id as i64) < page.before
            })
            .into_iter()
            .collect();
        let total = rows.len() as i64;
        let (items, info) = page.finish(rows, |v| v.entity_id as i64);
        Ok(VariantConnection::new(items, info, Some(total)))
    }
    /// Its reviews: none, as a store with reviews disabled answers.
    #[allow(clippy::too_many_arguments)]
    async fn reviews(
        &self,
        sort: Option<super::reviews::ProductReviewsSortInput>,
        filters: Option<super::reviews::ProductReviewsFiltersInput>,
        before: Option<String>,
        after: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
    ) -> Result<super::reviews::ReviewConnection> {
        let _ = (sort, filters);
        super::reviews::product_reviews(before, after, first, last)
    }
    /// The categories the product is in, by category id.
    async fn categories(
        &self,
        ctx: &Context<'_>,
        sort_by: Option<super::category::ProductCategorySort>,
        before: Option<String>,
        after: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
    ) -> Result<super::category::CategoryConnection> {
        let _ = sort_by;
        let page = PageRequest::new(first, after, last, before)?;
        let held = ctx.data::<GqlContext>()?.held().await?;
        let rows: Vec<super::category::CategoryNode> = held
            .categories_of(self.0.id)
            .filter(|id| *id > page.after && *id < page.before)
            .filter_map(|id| {
                held.category(id)
                    .cloned()
                    .map(super::category::CategoryNode)
            })
            .collect();
        let (items, info) = page.finish(rows, |c| c.0.id);
        Ok(super::category::CategoryConnection::new(items, info, None))
    }
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
