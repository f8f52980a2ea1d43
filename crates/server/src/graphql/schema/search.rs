//! `site.search.searchProducts`: the search page and the category and brand pages' listings,
//! with their facets. Products match every filter given; facets count the matching products
//! (a facet's own selection is applied, as BigCommerce does).

use async_graphql::{Context, Object, Result};
use storefront_auth_store::Product;

use super::catalog::{ProductConnection, ProductNode};
use super::connection::{connection, PageRequest};
use super::search_filters::{search, SearchProductsFiltersInput, SearchProductsSortInput};
use super::GqlContext;
use crate::service::catalog::Catalog;

pub struct SearchQueries;

#[Object]
impl SearchQueries {
    async fn search_products(
        &self,
        ctx: &Context<'_>,
        filters: SearchProductsFiltersInput,
        sort: Option<SearchProductsSortInput>,
    ) -> Result<SearchProducts> {
        let gql = ctx.data::<GqlContext>()?;
        let held = gql.held().await?;
        let found = search(&held, &filters, sort.unwrap_or_default(), gql.discount_bp);
        Ok(SearchProducts {
            filters,
            found,
            held,
        })
    }
}

/// The products that match, in order, with what the facets are counted from.
pub struct SearchProducts {
    filters: SearchProductsFiltersInput,
    found: Vec<Product>,
    held: std::sync::Arc<Catalog>,
}

#[Object]
impl SearchProducts {
    /// Cursors are positions in the sorted results.
    async fn products(
        &self,
        after: Option<String>,
        first: Option<i32>,
        before: Option<String>,
        last: Option<i32>,
    ) -> Result<ProductConnection> {
        let page = PageRequest::new(first, after, last, before)?;
        let rows: Vec<(i64, ProductNode)> = self
            .found
            .iter()
            .enumerate()
            .map(|(i, p)| (i as i64 + 1, ProductNode::new(p.clone())))
            .collect();
        let total = rows.len() as i64;
        let (items, info) = page.of(rows, |(i, _)| *i);
        let items = items.into_iter().map(|(i, (_, p))| (i, p)).collect();
        Ok(ProductConnection::new(items, info, Some(total)))
    }
    async fn filters(
        &self,
        before: Option<String>,
        after: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
    ) -> Result<SearchProductFilterConnection> {
        let page = PageRequest::new(first, after, last, before)?;
        let facets: Vec<(i64, SearchProductFilter)> =
            super::search_facets::facets(&self.held, &self.found, &self.filters)
                .into_iter()
                .enumerate()
                .map(|(i, f)| (i as i64 + 1, f))
                .collect();
        let (items, info) = page.of(facets, |(i, _)| *i);
        let items = items.into_iter().map(|(i, (_, f))| (i, f)).collect();
        Ok(SearchProductFilterConnection::new(items, info, None))
    }
}

pub use super::search_facets::SearchProductFilter;

connection!(
    SearchProductFilterConnection,
    SearchProductFilterEdge,
    SearchProductFilter
);
