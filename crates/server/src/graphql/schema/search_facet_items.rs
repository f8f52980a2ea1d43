//! The items a search facet lists, with the products counted for each.

use async_graphql::{Object, Result, SimpleObject};

use super::connection::{connection, PageInfo, PageRequest};

#[derive(SimpleObject, Clone, Debug)]
pub struct BrandSearchFilterItem {
    pub entity_id: i32,
    pub name: String,
    pub is_selected: bool,
    pub product_count: i32,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct SubCategorySearchFilterItem {
    pub entity_id: i32,
    pub name: String,
    pub is_selected: bool,
    pub product_count: i32,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct ProductAttributeSearchFilterItem {
    pub value: String,
    pub is_selected: bool,
    pub product_count: i32,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct RatingSearchFilterItem {
    pub value: String,
    pub is_selected: bool,
    pub product_count: i32,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct PriceSearchFilterItem {
    pub min_price: Option<f64>,
    pub max_price: Option<f64>,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct OtherSearchFilterItem {
    pub display_name: String,
    pub is_selected: bool,
    pub product_count: i32,
}

connection!(
    BrandSearchFilterItemConnection,
    BrandSearchFilterItemEdge,
    BrandSearchFilterItem
);
connection!(
    SubCategorySearchFilterItemConnection,
    SubCategorySearchFilterItemEdge,
    SubCategorySearchFilterItem
);
connection!(
    ProductAttributeSearchFilterItemConnection,
    ProductAttributeSearchFilterItemEdge,
    ProductAttributeSearchFilterItem
);
connection!(
    RatingSearchFilterItemConnection,
    RatingSearchFilterItemEdge,
    RatingSearchFilterItem
);
connection!(
    CategorySearchFilterItemConnection,
    CategorySearchFilterItemEdge,
    CategorySearchFilterItem
);

/// A page of items held in memory, numbered by position.
pub fn paged<T: Clone>(
    items: &[T],
    before: Option<String>,
    after: Option<String>,
    first: Option<i32>,
    last: Option<i32>,
) -> Result<(Vec<(i64, T)>, PageInfo)> {
    let page = PageRequest::new(first, after, last, before)?;
    let rows: Vec<(i64, T)> = items
        .iter()
        .cloned()
        .enumerate()
        .map(|(i, x)| (i as i64 + 1, x))
        .collect();
    let (items, info) = page.of(rows, |(i, _)| *i);
    Ok((items.into_iter().map(|(i, (_, x))| (i, x)).collect(), info))
}

#[derive(Clone, Debug)]
pub struct CategorySearchFilterItem {
    pub entity_id: i32,
    pub name: String,
    pub is_selected: bool,
    pub product_count: i32,
    pub sub_categories: Vec<SubCategorySearchFilterItem>,
}

#[Object]
impl CategorySearchFilterItem {
    async fn entity_id(&self) -> i32 {
        self.entity_id
    }
    async fn name(&self) -> &str {
        &self.name
    }
    async fn is_selected(&self) -> bool {
        self.is_selected
    }
    async fn product_count(&self) -> i32 {
        self.product_count
    }
    async fn sub_categories(
        &self,
        before: Option<String>,
        after: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
    ) -> Result<SubCategorySearchFilterItemConnection> {
        let (items, info) = paged(&self.sub_categories, before, after, first, last)?;
        Ok(SubCategorySearchFilterItemConnection::new(
            items, info, None,
        ))
    }
}
