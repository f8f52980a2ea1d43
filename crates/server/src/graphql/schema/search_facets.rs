//! The facets of a product search (`searchProducts.filters`): categories, brands, the
//! products' options, price, and in stock / featured, each counting the matching products.

use async_graphql::{Interface, Object, Result};
use storefront_auth_store::Product;

use super::product::ProductNode;
use super::search_facet_items::*;
use super::search_filters::SearchProductsFiltersInput;
use crate::service::catalog::Catalog;

/// A facet over items of type `$item`, listed under `$list`.
macro_rules! list_facet {
    ($ty:ident, $list:ident, $item:ty, $conn:ident, $($extra:tt)*) => {
        #[derive(Clone, Debug)]
        pub struct $ty {
            pub display_name: String,
            pub items: Vec<$item>,
        }

        #[Object]
        impl $ty {
            $($extra)*
            async fn name(&self) -> &str { &self.display_name }
            async fn display_name(&self) -> &str { &self.display_name }
            async fn is_collapsed_by_default(&self) -> bool { false }
            async fn $list(&self, before: Option<String>, after: Option<String>, first: Option<i32>, last: Option<i32>) -> Result<$conn> {
                let (items, info) = paged(&self.items, before, after, first, last)?;
                Ok($conn::new(items, info, None))
            }
        }
    };
}

list_facet! { CategorySearchFilter, categories, CategorySearchFilterItem, CategorySearchFilterItemConnection,
    async fn display_product_count(&self) -> bool { true }
    async fn display_items_count(&self) -> i32 { self.items.len() as i32 }
}
list_facet! { BrandSearchFilter, brands, BrandSearchFilterItem, BrandSearchFilterItemConnection,
    async fn display_product_count(&self) -> bool { true }
    async fn display_items_count(&self) -> i32 { self.items.len() as i32 }
}
list_facet! { ProductAttributeSearchFilter, attributes, ProductAttributeSearchFilterItem, ProductAttributeSearchFilterItemConnection,
    async fn display_product_count(&self) -> bool { true }
    async fn display_items_count(&self) -> i32 { self.items.len() as i32 }
    async fn filter_name(&self) -> &str { &self.display_name }
    async fn filter_key(&self) -> &str { &self.display_name }
}
list_facet! { RatingSearchFilter, ratings, RatingSearchFilterItem, RatingSearchFilterItemConnection, }

#[derive(Clone, Debug)]
pub struct PriceSearchFilter {
    pub selected: Option<PriceSearchFilterItem>,
}

#[Object]
impl PriceSearchFilter {
    async fn selected(&self) -> Option<&PriceSearchFilterItem> {
        self.selected.as_ref()
    }
    async fn name(&self) -> &str {
        "Price"
    }
    async fn display_name(&self) -> &str {
        "Price"
    }
    async fn is_collapsed_by_default(&self) -> bool {
        false
    }
}

#[derive(Clone, Debug)]
pub struct OtherSearchFilter {
    pub is_featured: OtherSearchFilterItem,
    pub is_in_stock: OtherSearchFilterItem,
}

#[Object]
impl OtherSearchFilter {
    async fn display_product_count(&self) -> bool {
        true
    }
    /// No product ships free here.
    async fn free_shipping(&self) -> Option<OtherSearchFilterItem> {
        None
    }
    async fn is_featured(&self) -> Option<&OtherSearchFilterItem> {
        Some(&self.is_featured)
    }
    async fn is_in_stock(&self) -> Option<&OtherSearchFilterItem> {
        Some(&self.is_in_stock)
    }
    async fn name(&self) -> &str {
        "Other"
    }
    async fn display_name(&self) -> &str {
        "Other"
    }
    async fn is_collapsed_by_default(&self) -> bool {
        false
    }
}

#[allow(clippy::duplicated_attributes)]
#[derive(Interface, Clone, Debug)]
#[graphql(
    field(name = "name", ty = "&str"),
    field(name = "display_name", ty = "&str"),
    field(name = "is_collapsed_by_default", ty = "bool")
)]
pub enum SearchProductFilter {
    CategorySearchFilter(CategorySearchFilter),
    BrandSearchFilter(BrandSearchFilter),
    ProductAttributeSearchFilter(ProductAttributeSearchFilter),
    RatingSearchFilter(RatingSearchFilter),
    PriceSearchFilter(PriceSearchFilter),
    OtherSearchFilter(OtherSearchFilter),
}

fn count(found: &[Product], keep: impl Fn(&Product) -> bool) -> i32 {
    found.iter().filter(|p| keep(p)).count() as i32
}

/// The facets of `found`: categories (top level, with the level under each), brands and the
/// products' options with the products counted in each, the price asked for, featured and in
/// stock. Facets with nothing to offer are left out.
pub fn facets(
    held: &Catalog,
    found: &[Product],
    f: &SearchProductsFiltersInput,
) -> Vec<SearchProductFilter> {
    let mut out = Vec::new();
    out.extend(category_facet(held, found, f));
    out.extend(brand_facet(held, found, f));
    out.extend(attribute_facets(held, found, f));
    out.push(SearchProductFilter::PriceSearchFilter(PriceSearchFilter {
        selected: f.price.as_ref().map(|p| PriceSearchFilterItem {
            min_price: p.min_price,
            max_price: p.max_price,
        }),
    }));
    let item = |name: &str, selected: Option<bool>, n: i32| OtherSearchFilterItem {
        display_name: name.into(),
        is_selected: selected == Some(true),
        product_count: n,
    };
    out.push(SearchProductFilter::OtherSearchFilter(OtherSearchFilter {
        is_featured: item(
            "Featured",
            f.is_featured,
            count(found, |p| p.details.is_featured),
        ),
        is_in_stock: item(
            "In stock",
            f.hide_out_of_stock,
            count(found, ProductNode::in_stock),
        ),
    }));
    out
}

/// The top-level categories holding found products, each with the level under it.
fn category_facet(
    held: &Catalog,
    found: &[Product],
    f: &SearchProductsFiltersInput,
) -> Option<SearchProductFilter> {
    let chosen: Vec<i64> = f
        .category_entity_ids
        .iter()
        .flatten()
        .map(|c| *c as i64)
        .chain(f.category_entity_id.map(i64::from))
        .collect();
    let in_category = |c: i64| {
        let under = held.subtree(c);
        count(found, |p| {
            held.categories_of(p.id).any(|x| under.contains(&x))
        })
    };
    let level = |parent: i64| {
        held.content
            .categories
            .iter()
            .filter(move |c| c.parent_id == parent)
    };
    let items: Vec<CategorySearchFilterItem> = level(0)
        .map(|c| CategorySearchFilterItem {
            entity_id: c.id as i32,
            name: c.name.clone(),
            is_selected: chosen.contains(&c.id),
            product_count: in_category(c.id),
            sub_categories: level(c.id)
                .map(|s| SubCategorySearchFilterItem {
                    entity_id: s.id as i32,
                    name: s.name.clone(),
                    is_selected: chosen.contains(&s.id),
                    product_count: in_category(s.id),
                })
                .filter(|s| s.product_count > 0)
                .collect(),
        })
        .filter(|c| c.product_count > 0)
        .collect();
    (!items.is_empty()).then(|| {
        SearchProductFilter::CategorySearchFilter(CategorySearchFilter {
            display_name: "Category".into(),
            items,
        })
    })
}

/// The brands of found products.
fn brand_facet(
    held: &Catalog,
    found: &[Product],
    f: &SearchProductsFiltersInput,
) -> Option<SearchProductFilter> {
    let chosen = f.brand_entity_ids.clone().unwrap_or_default();
    let items: Vec<BrandSearchFilterItem> = held
        .content
        .brands
        .iter()
        .map(|b| BrandSearchFilterItem {
            entity_id: b.id as i32,
            name: b.name.clone(),
            is_selected: chosen.contains(&(b.id as i32)),
            product_count: count(found, |p| p.details.brand_id == Some(b.id)),
        })
        .filter(|b| b.product_count > 0)
        .collect();
    (!items.is_empty()).then(|| {
        SearchProductFilter::BrandSearchFilter(BrandSearchFilter {
            display_name: "Brand".into(),
            items,
        })
    })
}

/// One facet per multiple-choice option name among the found products, its values counted.
fn attribute_facets(
    held: &Catalog,
    found: &[Product],
    f: &SearchProductsFiltersInput,
) -> Vec<SearchProductFilter> {
    let mut names: Vec<&str> = Vec::new();
    for o in held
        .content
        .options
        .iter()
        .filter(|o| o.kind == "multiple_choice" && found.iter().any(|p| p.id == o.product_id))
    {
        if !names.contains(&o.display_name.as_str()) {
            names.push(&o.display_name);
        }
    }
    names
        .into_iter()
        .map(|name| {
            let chosen: Vec<String> = f
                .product_attributes
                .iter()
                .flatten()
                .filter(|a| a.attribute == name)
                .flat_map(|a| a.values.clone())
                .collect();
            let mut values: Vec<ProductAttributeSearchFilterItem> = Vec::new();
            for o in held
                .content
                .options
                .iter()
                .filter(|o| o.display_name == name)
            {
                for v in &o.values {
                    let n = count(found, |p| p.id == o.product_id);
                    match values.iter_mut().find(|x| x.value == v.label) {
                        Some(x) => x.product_count += n,
                        None => values.push(ProductAttributeSearchFilterItem {
                            value: v.label.clone(),
                            is_selected: chosen.contains(&v.label),
                            product_count: n,
                        }),
                    }
                }
            }
            values.retain(|v| v.product_count > 0);
            SearchProductFilter::ProductAttributeSearchFilter(ProductAttributeSearchFilter {
                display_name: name.to_string(),
                items: values,
            })
        })
        .collect()
}
