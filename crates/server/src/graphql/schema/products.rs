//! `site.products`, `site.product` and the product at a path: which products a request names,
//! from the held catalog or the database's indexes.

use async_graphql::{Result, ID};
use storefront_auth_store::Product;

use super::catalog::{parse_global_id, ProductConnection, ProductNode};
use super::connection::PageRequest;
use super::GqlContext;
use crate::service::catalog;

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
    Ok(found.map(ProductNode::new))
}

/// The product at a storefront path (`site.route`): from the held catalog's index, or one
/// indexed database look-up.
pub async fn product_at(gql: &GqlContext, path: &str) -> Result<Option<ProductNode>> {
    let found = catalog::product_at(&gql.domain, gql.store.id, path).await?;
    Ok(found.map(ProductNode::new))
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
    let (items, info) = page.finish(rows.into_iter().map(ProductNode::new).collect(), |p| p.0.id);
    Ok(ProductConnection::new(items, info, Some(total)))
}
