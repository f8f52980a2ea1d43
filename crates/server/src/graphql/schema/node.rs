//! The `Node` interface: everything with a global id, and `node(id:)`.

use async_graphql::{Interface, Result, ID};

use super::brand::Brand;
use super::cart::{CartNode, CheckoutNode};
use super::catalog::{parse_global_id, ProductNode};
use super::category::CategoryNode;
use super::content::{BlogIndexPage, BlogPost, ContactPage, NormalPage, RawHtmlPage, WebPage};
use super::GqlContext;

#[derive(Interface)]
#[graphql(field(name = "id", ty = "ID"))]
pub enum Node {
    Product(ProductNode),
    Cart(CartNode),
    Checkout(CheckoutNode),
    Category(CategoryNode),
    Brand(Brand),
    NormalPage(NormalPage),
    ContactPage(ContactPage),
    RawHtmlPage(RawHtmlPage),
    BlogIndexPage(BlogIndexPage),
    BlogPost(BlogPost),
}

/// `node(id:)`: what a global id names in the request's store, if anything.
pub async fn find(gql: &GqlContext, id: &ID) -> Result<Option<Node>> {
    let Some((kind, key)) = parse_global_id(id) else {
        return Ok(None);
    };
    Ok(match kind.as_str() {
        "Product" => match key.parse::<i64>() {
            Ok(pid) => crate::service::catalog::product(&gql.domain, gql.store.id, pid)
                .await?
                .map(|p| Node::Product(ProductNode::new(p))),
            Err(_) => None,
        },
        "Cart" => super::cart::find_cart(gql, Some(key))
            .await?
            .map(Node::Cart),
        "Checkout" => super::cart::find_cart(gql, Some(key))
            .await?
            .map(|c| Node::Checkout(CheckoutNode::new(c))),
        "Category" | "Brand" | "NormalPage" | "ContactPage" | "RawHtmlPage" => {
            content_node(gql, &kind, &key).await?
        }
        _ => None,
    })
}

/// A category, brand or web page by its global id's kind and key.
async fn content_node(gql: &GqlContext, kind: &str, key: &str) -> Result<Option<Node>> {
    let Ok(id) = key.parse::<i64>() else {
        return Ok(None);
    };
    let held = gql.held().await?;
    Ok(match kind {
        "Category" => held
            .category(id)
            .map(|c| Node::Category(CategoryNode(c.clone()))),
        "Brand" => held.brand(id).map(|b| Node::Brand(Brand::of(b))),
        _ => held
            .content
            .web_pages
            .iter()
            .find(|p| p.id == id)
            .map(super::content::WebPage::of)
            .filter(|p| p.kind() == kind)
            .and_then(page_node),
    })
}

/// The node of a web page that has a path of its own (a link page has none).
pub fn page_node(page: WebPage) -> Option<Node> {
    match page {
        WebPage::ContactPage(p) => Some(Node::ContactPage(p)),
        WebPage::RawHtmlPage(p) => Some(Node::RawHtmlPage(p)),
        WebPage::NormalPage(p) => Some(Node::NormalPage(p)),
        WebPage::BlogIndexPage(p) => Some(Node::BlogIndexPage(p)),
        WebPage::ExternalLinkPage(_) => None,
    }
}
