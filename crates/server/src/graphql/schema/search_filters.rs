//! What a product search asks for (`SearchProductsFiltersInput`, the sort) and which held
//! products match it.

use async_graphql::{Enum, InputObject};
use storefront_auth_store::Product;

use super::money::discounted;
use super::product::ProductNode;
use super::seo::plain_text_summary;
use crate::service::catalog::Catalog;

#[derive(InputObject, Clone, Debug, Default)]
pub struct PriceSearchFilterInput {
    pub min_price: Option<f64>,
    pub max_price: Option<f64>,
}

#[derive(InputObject, Clone, Debug, Default)]
pub struct RatingSearchFilterInput {
    pub min_rating: Option<f64>,
    pub max_rating: Option<f64>,
}

#[derive(InputObject, Clone, Debug)]
pub struct ProductAttributeSearchFilterInput {
    pub attribute: String,
    pub values: Vec<String>,
}

#[derive(InputObject, Clone, Debug, Default)]
pub struct SearchProductsFiltersInput {
    pub search_term: Option<String>,
    pub price: Option<PriceSearchFilterInput>,
    pub rating: Option<RatingSearchFilterInput>,
    pub category_entity_id: Option<i32>,
    pub category_entity_ids: Option<Vec<i32>>,
    pub search_sub_categories: Option<bool>,
    pub brand_entity_ids: Option<Vec<i32>>,
    pub product_attributes: Option<Vec<ProductAttributeSearchFilterInput>>,
    pub is_free_shipping: Option<bool>,
    pub is_featured: Option<bool>,
    pub hide_out_of_stock: Option<bool>,
}

#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[graphql(rename_items = "SCREAMING_SNAKE_CASE")]
pub enum SearchProductsSortInput {
    AToZ,
    BestReviewed,
    BestSelling,
    Featured,
    HighestPrice,
    LowestPrice,
    Newest,
    #[default]
    Relevance,
    ZToA,
}

/// Every held product matching every filter, sorted. Reviews, sales and shipping are not kept
/// by the stand-in: a minimum rating above 0 or free shipping match nothing, and best-selling
/// and best-reviewed keep the catalog's order.
pub fn search(
    held: &Catalog,
    f: &SearchProductsFiltersInput,
    sort: SearchProductsSortInput,
    discount_bp: i64,
) -> Vec<Product> {
    let term = f
        .search_term
        .as_deref()
        .map(str::to_lowercase)
        .filter(|t| !t.trim().is_empty());
    let mut categories: Vec<i64> = f
        .category_entity_ids
        .clone()
        .unwrap_or_default()
        .into_iter()
        .map(i64::from)
        .collect();
    categories.extend(f.category_entity_id.map(i64::from));
    if f.search_sub_categories != Some(false) {
        categories = categories.iter().flat_map(|c| held.subtree(*c)).collect();
    }
    let mut found: Vec<Product> = held
        .products
        .iter()
        .filter(|p| term.as_ref().is_none_or(|t| matches_term(held, p, t)))
        .filter(|p| {
            categories.is_empty() || held.categories_of(p.id).any(|c| categories.contains(&c))
        })
        .filter(|p| matches_the_rest(held, f, p, discount_bp))
        .cloned()
        .collect();
    sort_found(&mut found, sort);
    found
}

/// The filters besides the term and the categories.
fn matches_the_rest(
    held: &Catalog,
    f: &SearchProductsFiltersInput,
    p: &Product,
    discount_bp: i64,
) -> bool {
    let price = discounted(p.price_cents, discount_bp) as f64 / 100.0;
    let brand_ok = f.brand_entity_ids.as_ref().is_none_or(|b| {
        b.is_empty()
            || p.details
                .brand_id
                .is_some_and(|id| b.contains(&(id as i32)))
    });
    let price_ok = f.price.as_ref().is_none_or(|r| {
        r.min_price.is_none_or(|m| price >= m) && r.max_price.is_none_or(|m| price <= m)
    });
    let rating_ok = f
        .rating
        .as_ref()
        .is_none_or(|r| r.min_rating.is_none_or(|m| m <= 0.0));
    let attributes_ok = f
        .product_attributes
        .as_ref()
        .is_none_or(|attrs| attrs.iter().all(|a| has_attribute(held, p, a)));
    brand_ok
        && price_ok
        && rating_ok
        && attributes_ok
        && f.is_free_shipping != Some(true)
        && (f.is_featured != Some(true) || p.details.is_featured)
        && (f.hide_out_of_stock != Some(true) || ProductNode::in_stock(p))
}

fn sort_found(found: &mut [Product], sort: SearchProductsSortInput) {
    match sort {
        SearchProductsSortInput::AToZ => found.sort_by_key(|p| p.name.to_lowercase()),
        SearchProductsSortInput::ZToA => {
            found.sort_by_key(|p| std::cmp::Reverse(p.name.to_lowercase()))
        }
        SearchProductsSortInput::LowestPrice => found.sort_by_key(|p| (p.price_cents, p.id)),
        SearchProductsSortInput::HighestPrice => {
            found.sort_by_key(|p| (std::cmp::Reverse(p.price_cents), p.id))
        }
        SearchProductsSortInput::Newest => found.sort_by_key(|p| std::cmp::Reverse(p.id)),
        SearchProductsSortInput::Featured => found.sort_by_key(|p| (!p.details.is_featured, p.id)),
        _ => {}
    }
}

/// The term in the product's name, SKU, description text or brand name, ignoring case.
fn matches_term(held: &Catalog, p: &Product, term: &str) -> bool {
    let brand = p
        .details
        .brand_id
        .and_then(|b| held.brand(b))
        .map(|b| b.name.to_lowercase());
    p.name.to_lowercase().contains(term)
        || p.sku.to_lowercase().contains(term)
        || plain_text_summary(&p.details.description, usize::MAX)
            .to_lowercase()
            .contains(term)
        || brand.is_some_and(|b| b.contains(term))
}

/// Whether one of the product's options is named `attribute` and has a value among `values`.
fn has_attribute(held: &Catalog, p: &Product, a: &ProductAttributeSearchFilterInput) -> bool {
    held.content.options.iter().any(|o| {
        o.product_id == p.id
            && o.display_name == a.attribute
            && o.values.iter().any(|v| a.values.contains(&v.label))
    })
}
