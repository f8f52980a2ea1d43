//! Categories (a tree, with breadcrumbs and their products) and brands, as the store's
//! navigation, category pages and footer read them.

use async_graphql::{Context, Enum, Object, Result, SimpleObject, ID};
use storefront_auth_store::Category as StoredCategory;

use super::connection::{connection, PageRequest};
use super::ids::global_id;
use super::image::Image;
use super::product::{ProductConnection, ProductNode};
use super::seo::SeoDetails;
use super::GqlContext;
use crate::service::catalog::Catalog;

#[derive(SimpleObject, Clone, Debug)]
pub struct Breadcrumb {
    pub entity_id: i32,
    pub name: String,
    pub path: Option<String>,
}

connection!(BreadcrumbConnection, BreadcrumbEdge, Breadcrumb);
connection!(CategoryConnection, CategoryEdge, CategoryNode);

#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(rename_items = "SCREAMING_SNAKE_CASE")]
pub enum ProductCategorySort {
    ProductAssignedDate,
}

/// A category's trail from the top of the tree down to it, at most `depth` deep (the deepest
/// kept).
pub fn trail(held: &Catalog, category_id: i64, depth: usize) -> Vec<Breadcrumb> {
    let mut trail = Vec::new();
    let mut at = held.category(category_id);
    // A tree written by hand may loop; no trail is deeper than the tree.
    while let Some(c) = at.filter(|_| trail.len() < held.content.categories.len()) {
        trail.push(Breadcrumb {
            entity_id: c.id as i32,
            name: c.name.clone(),
            path: Some(c.path.clone()),
        });
        at = held.category(c.parent_id);
    }
    trail.truncate(depth);
    trail.reverse();
    trail
}

#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(rename_items = "SCREAMING_SNAKE_CASE")]
pub enum CategoryProductSort {
    AToZ,
    BestReviewed,
    BestSelling,
    Default,
    Featured,
    HighestPrice,
    LowestPrice,
    Newest,
    ZToA,
}

#[derive(Clone, Debug)]
pub struct CategoryNode(pub StoredCategory);

#[Object(name = "Category")]
impl CategoryNode {
    pub async fn id(&self) -> ID {
        global_id("Category", self.0.id)
    }
    async fn entity_id(&self) -> i32 {
        self.0.id as i32
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn path(&self) -> &str {
        &self.0.path
    }
    async fn description(&self) -> &str {
        &self.0.description
    }
    async fn default_image(&self) -> Option<Image> {
        None
    }
    async fn seo(&self) -> SeoDetails {
        SeoDetails::titled(&self.0.name)
    }
    async fn default_product_sort(&self) -> Option<CategoryProductSort> {
        Some(CategoryProductSort::Default)
    }
    /// From the top of the tree down to this category.
    async fn breadcrumbs(
        &self,
        ctx: &Context<'_>,
        depth: i32,
        before: Option<String>,
        after: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
    ) -> Result<BreadcrumbConnection> {
        let page = PageRequest::new(first, after, last, before)?;
        let gql = ctx.data::<GqlContext>()?;
        let held = gql.held().await?;
        let crumbs = trail(&held, self.0.id, depth.max(0) as usize);
        let positioned: Vec<(i64, Breadcrumb)> = crumbs
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
    /// The products in this category or any under it, by id.
    #[allow(clippy::too_many_arguments)]
    async fn products(
        &self,
        ctx: &Context<'_>,
        before: Option<String>,
        after: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
        hide_out_of_stock: Option<bool>,
        sort_by: Option<CategoryProductSort>,
    ) -> Result<ProductConnection> {
        let _ = sort_by;
        let page = PageRequest::new(first, after, last, before)?;
        let gql = ctx.data::<GqlContext>()?;
        let held = gql.held().await?;
        let under = held.subtree(self.0.id);
        let rows: Vec<ProductNode> = held
            .products
            .iter()
            .filter(|p| held.categories_of(p.id).any(|c| under.contains(&c)))
            .filter(|p| !hide_out_of_stock.unwrap_or(false) || ProductNode::in_stock(p))
            .map(|p| ProductNode::new(p.clone()))
            .collect();
        let total = rows.len() as i64;
        let (items, info) = page.of(rows, |p| p.0.id);
        Ok(ProductConnection::new(items, info, Some(total)))
    }
}

#[derive(SimpleObject, Clone, Debug)]
pub struct CategoryTreeItem {
    pub entity_id: i32,
    pub name: String,
    pub path: String,
    pub description: String,
    pub product_count: i32,
    pub image: Option<Image>,
    pub has_children: bool,
    pub children: Vec<CategoryTreeItem>,
}

/// The category tree under `root` (0: the whole tree), in sort order; each item counts the
/// products in it and under it.
pub fn tree(held: &Catalog, root: i64) -> Vec<CategoryTreeItem> {
    fn level(held: &Catalog, parent: i64, depth: usize) -> Vec<CategoryTreeItem> {
        if depth > 32 {
            return Vec::new();
        }
        held.content
            .categories
            .iter()
            .filter(|c| c.parent_id == parent)
            .map(|c| {
                let children = level(held, c.id, depth + 1);
                let under = held.subtree(c.id);
                let product_count = held
                    .products
                    .iter()
                    .filter(|p| held.categories_of(p.id).any(|x| under.contains(&x)))
                    .count() as i32;
                CategoryTreeItem {
                    entity_id: c.id as i32,
                    name: c.name.clone(),
                    path: c.path.clone(),
                    description: c.description.clone(),
                    product_count,
                    image: None,
                    has_children: !children.is_empty(),
                    children,
                }
            })
            .collect()
    }
    level(held, root, 0)
}
