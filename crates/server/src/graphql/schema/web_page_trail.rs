//! A web page's breadcrumbs: its parents from the top-level page down to it.

use async_graphql::{Context, Result};
use storefront_auth_store::WebPage as StoredPage;

use super::category::{Breadcrumb, BreadcrumbConnection};
use super::connection::PageRequest;
use super::GqlContext;

/// The trail to page `id`, at most `depth` deep (the deepest kept). Link pages have no path.
pub fn trail(pages: &[StoredPage], id: i64, depth: usize) -> Vec<Breadcrumb> {
    let mut trail = Vec::new();
    let mut at = pages.iter().find(|p| p.id == id);
    // Parents written by hand may loop; no trail is longer than the list of pages.
    while let Some(p) = at.filter(|_| trail.len() < pages.len()) {
        trail.push(Breadcrumb {
            entity_id: p.id as i32,
            name: p.name.clone(),
            path: (p.kind != "link").then(|| p.path.clone()),
        });
        at = (p.parent_id != 0)
            .then(|| pages.iter().find(|q| q.id == p.parent_id))
            .flatten();
    }
    trail.truncate(depth);
    trail.reverse();
    trail
}

pub async fn breadcrumbs(
    ctx: &Context<'_>,
    id: i64,
    depth: i32,
    page: PageRequest,
) -> Result<BreadcrumbConnection> {
    let gql = ctx.data::<GqlContext>()?;
    let held = gql.held().await?;
    let positioned: Vec<(i64, Breadcrumb)> =
        trail(&held.content.web_pages, id, depth.max(0) as usize)
            .into_iter()
            .enumerate()
            .map(|(i, b)| (i as i64 + 1, b))
            .collect();
    let (items, info) = page.of(positioned, |(i, _)| *i);
    Ok(BreadcrumbConnection::new(
        items.into_iter().map(|(i, (_, b))| (i, b)).collect(),
        info,
        None,
    ))
}
