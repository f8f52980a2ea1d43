//! `site.route`: what a storefront path names (a product, category, brand or web page), and
//! the redirect types a route may carry.

use async_graphql::{SimpleObject, Union, ID};

use super::category::CategoryNode;
use super::content::WebPage;
use super::node::{page_node, Node};
use super::GqlContext;
use crate::service::catalog::ContentAt;

#[derive(SimpleObject, Clone, Debug)]
pub struct ManualRedirect {
    pub url: String,
}

/// A redirect to an entity of the store (`ProductRedirect`, `CategoryRedirect`, …).
macro_rules! entity_redirect {
    ($ty:ident) => {
        #[derive(SimpleObject, Clone, Debug)]
        pub struct $ty {
            pub id: ID,
            pub entity_id: i32,
            pub path: String,
        }
    };
}

entity_redirect!(ProductRedirect);
entity_redirect!(CategoryRedirect);
entity_redirect!(BrandRedirect);
entity_redirect!(PageRedirect);
entity_redirect!(BlogPostRedirect);

#[derive(Union, Clone, Debug)]
pub enum RedirectTo {
    ManualRedirect(ManualRedirect),
    ProductRedirect(ProductRedirect),
    BrandRedirect(BrandRedirect),
    BlogPostRedirect(BlogPostRedirect),
    CategoryRedirect(CategoryRedirect),
    PageRedirect(PageRedirect),
}

/// A merchant's 301 from an old path. The stand-in keeps no redirects, so a route never
/// carries one; the types are BigCommerce's, for the documents that select them.
#[derive(SimpleObject, Clone, Debug)]
pub struct Redirect {
    pub id: ID,
    pub from_path: String,
    pub to: RedirectTo,
    pub to_url: String,
}

#[derive(SimpleObject)]
pub struct Route {
    pub node: Option<Node>,
    pub redirect: Option<Redirect>,
}

/// What a path names: a product first (as BigCommerce resolves a path), then a category,
/// brand or web page. Paths are compared with one leading and one trailing slash.
pub async fn resolve(gql: &GqlContext, path: &str) -> async_graphql::Result<Route> {
    let wanted = format!("/{}/", path.trim_matches('/'));
    let wanted = if wanted == "//" {
        "/".to_string()
    } else {
        wanted
    };
    if let Some(p) = super::products::product_at(gql, &wanted).await? {
        return Ok(Route {
            node: Some(Node::Product(p)),
            redirect: None,
        });
    }
    let held = gql.held().await?;
    let node = held.content_at(&wanted).and_then(|at| match at {
        ContentAt::Category(c) => Some(Node::Category(CategoryNode(c.clone()))),
        ContentAt::Brand(b) => Some(Node::Brand(super::catalog::Brand::of(b))),
        ContentAt::WebPage(p) => page_node(WebPage::of(p)),
    });
    Ok(Route {
        node,
        redirect: None,
    })
}
