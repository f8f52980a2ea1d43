//! `site.featuredProducts` and `site.newestProducts`: the merchandised lists of a home page.

use async_graphql::Result;
use storefront_auth_store::Product;

use super::catalog::{ProductConnection, ProductNode};
use super::connection::PageRequest;
use super::GqlContext;
use crate::service::catalog;

/// The merchandised lists of `site`: featured products (by id) and the newest (last added
/// first).
#[derive(Clone, Copy, Debug)]
pub enum Listing {
    Featured { hide_out_of_stock: bool },
    Newest { hide_out_of_stock: bool },
}

/// One page of a merchandised list. Cursors are product ids for featured products and count
/// down from the newest for the newest, so either pages stably while products are added.
pub async fn listed(
    gql: &GqlContext,
    page: PageRequest,
    listing: Listing,
) -> Result<ProductConnection> {
    let (domain, store_id) = (&gql.domain, gql.store.id);
    let rows: Vec<Product> = match catalog::held(domain, store_id).await? {
        Some(all) => all.products.clone(),
        // Too large to hold: the newest come from the end of the id index; featured products
        // are read by their flag.
        None => match listing {
            Listing::Newest { .. } => {
                catalog::page(domain, store_id, 0, i64::MAX, catalog::LISTING_SCAN, true).await?
            }
            Listing::Featured { .. } => catalog::featured(domain, store_id).await?,
        },
    };
    let (featured_only, hide, newest) = match listing {
        Listing::Featured { hide_out_of_stock } => (true, hide_out_of_stock, false),
        Listing::Newest { hide_out_of_stock } => (false, hide_out_of_stock, true),
    };
    let key = move |p: &ProductNode| if newest { i64::MAX - p.0.id } else { p.0.id };
    let mut nodes: Vec<ProductNode> = rows
        .into_iter()
        .filter(|p| !featured_only || p.details.is_featured)
        .filter(|p| !hide || ProductNode::in_stock(p))
        .map(ProductNode::new)
        .collect();
    nodes.sort_by_key(key);
    let total = nodes.len() as i64;
    let (items, info) = page.of(nodes, key);
    Ok(ProductConnection::new(items, info, Some(total)))
}
