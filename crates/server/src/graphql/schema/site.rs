//! The query root, `site` and `channel` (SPEC §5.6).

use async_graphql::{Context, Interface, Object, Result, SimpleObject, Union, ID};
use storefront_auth_core::validate::origin_of;
use storefront_auth_store::Customer;

use super::cart::{CartNode, CheckoutNode};
use super::catalog::{self, parse_global_id, ProductConnection, ProductNode, ProductsQuery};
use super::company::CompanyQueries;
use super::connection::{connection, PageRequest};
use super::customer::CustomerNode;
use super::scalars::{CurrencyCode, Long, RouteRedirectBehavior, StorefrontStatusType};
use super::GqlContext;

#[derive(Interface)]
#[graphql(field(name = "id", ty = "ID"))]
pub enum Node {
    Product(ProductNode),
    Cart(CartNode),
    Checkout(CheckoutNode),
}

pub struct Query;

#[Object]
impl Query {
    async fn site(&self) -> Site {
        Site
    }

    async fn channel(&self, ctx: &Context<'_>) -> Result<Channel> {
        Ok(Channel::of(ctx.data::<GqlContext>()?))
    }

    /// The currently signed-in customer; null for guests.
    async fn customer(&self, ctx: &Context<'_>) -> Result<Option<CustomerNode>> {
        Ok(signed_in_customer(ctx.data::<GqlContext>()?)?
            .cloned()
            .map(CustomerNode))
    }

    async fn node(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Node>> {
        let gql = ctx.data::<GqlContext>()?;
        let Some((kind, key)) = parse_global_id(&id) else {
            return Ok(None);
        };
        Ok(match kind.as_str() {
            "Product" => match key.parse::<i64>() {
                Ok(pid) => crate::service::catalog::product(&gql.domain, gql.store.id, pid)
                    .await?
                    .map(|p| Node::Product(ProductNode(p))),
                Err(_) => None,
            },
            "Cart" => super::cart::find_cart(gql, Some(key))
                .await?
                .map(Node::Cart),
            "Checkout" => super::cart::find_cart(gql, Some(key))
                .await?
                .map(|c| Node::Checkout(CheckoutNode(c))),
            _ => None,
        })
    }

    /// B2B data of the signed-in customer's company; null without one.
    async fn company(&self) -> Option<CompanyQueries> {
        None
    }
}

pub struct Site;

#[Object]
impl Site {
    async fn settings(&self, ctx: &Context<'_>) -> Result<Option<Settings>> {
        let gql = ctx.data::<GqlContext>()?;
        let site = gql.channel.site_url.trim_end_matches('/').to_string();
        let origin = origin_of(&site).unwrap_or(&site).to_string();
        Ok(Some(Settings {
            store_name: gql.store.name.clone(),
            store_hash: gql.store.hash.clone(),
            channel_id: Long(gql.channel.channel_id),
            status: StorefrontStatusType::Launched,
            url: UrlField {
                vanity_url: site.clone(),
                cdn_url: origin,
                checkout_url: Some(format!("{site}/checkout")),
            },
            locales: vec![Locale {
                code: "en".into(),
                is_default: true,
                full_path: "/".into(),
                path: "/".into(),
            }],
            currency: CurrencySettings {
                default_currency: CurrencyCode::Usd,
            },
            customers: Some(CustomersSettings {
                password_complexity_settings: Some(PasswordComplexitySettings {
                    minimum_password_length: 7,
                    minimum_numbers: 0,
                    minimum_special_characters: 0,
                    require_lower_case: false,
                    require_numbers: false,
                    require_special_characters: false,
                    require_upper_case: false,
                }),
            }),
            logo_v2: StoreLogo::StoreTextLogo(StoreTextLogo {
                text: gql.store.name.clone(),
            }),
        }))
    }

    #[allow(clippy::too_many_arguments)]
    async fn products(
        &self,
        ctx: &Context<'_>,
        before: Option<String>,
        after: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
        #[graphql(default)] ids: Vec<ID>,
        #[graphql(default)] entity_ids: Vec<i32>,
        hide_out_of_stock: Option<bool>,
    ) -> Result<ProductConnection> {
        let _ = hide_out_of_stock;
        let query = ProductsQuery::new(before, after, first, last, ids, entity_ids)?;
        catalog::products(ctx.data::<GqlContext>()?, &query).await
    }

    async fn product(
        &self,
        ctx: &Context<'_>,
        id: Option<ID>,
        entity_id: Option<i32>,
        sku: Option<String>,
    ) -> Result<Option<ProductNode>> {
        catalog::product(
            ctx.data::<GqlContext>()?,
            id.as_ref().map(|id| id.as_str()),
            entity_id,
            sku.as_deref(),
        )
        .await
    }

    /// The store has no categories yet: the tree is empty.
    async fn category_tree(&self, root_entity_id: Option<i32>) -> Vec<CategoryTreeItem> {
        let _ = root_entity_id;
        Vec::new()
    }

    async fn route(
        &self,
        ctx: &Context<'_>,
        path: String,
        #[graphql(default_with = "RouteRedirectBehavior::Ignore")]
        redirect_behavior: RouteRedirectBehavior,
    ) -> Result<Route> {
        let _ = redirect_behavior;
        let gql = ctx.data::<GqlContext>()?;
        let wanted = format!("/{}/", path.trim_matches('/'));
        let node = catalog::product_at(gql, &wanted).await?.map(Node::Product);
        Ok(Route {
            node,
            redirect: None,
        })
    }

    async fn currencies(
        &self,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<CurrencyConnection> {
        let page = PageRequest::new(first, after, last, before)?;
        let usd = Currency {
            entity_id: 1,
            code: CurrencyCode::Usd,
            name: "US Dollar".into(),
            is_active: true,
            is_transactional: true,
            is_default: true,
            exchange_rate: 1.0,
            flag_image: None,
        };
        let rows: Vec<Currency> = vec![usd]
            .into_iter()
            .filter(|c| (c.entity_id as i64) > page.after && (c.entity_id as i64) < page.before)
            .collect();
        let (items, info) = page.finish(rows, |c| c.entity_id as i64);
        Ok(CurrencyConnection::new(items, info, Some(1)))
    }

    /// The cart of the current customer (or the guest cart named by `entityId`).
    async fn cart(&self, ctx: &Context<'_>, entity_id: Option<String>) -> Result<Option<CartNode>> {
        super::cart::find_cart(ctx.data::<GqlContext>()?, entity_id).await
    }

    async fn checkout(
        &self,
        ctx: &Context<'_>,
        entity_id: Option<String>,
    ) -> Result<Option<CheckoutNode>> {
        Ok(super::cart::find_cart(ctx.data::<GqlContext>()?, entity_id)
            .await?
            .map(CheckoutNode))
    }
}

#[derive(SimpleObject, Clone, Debug)]
pub struct Channel {
    pub entity_id: Long,
}

impl Channel {
    /// The channel the request addressed.
    pub fn of(gql: &GqlContext) -> Channel {
        Channel {
            entity_id: Long(gql.channel.channel_id),
        }
    }
}

/// `Query.customer`: the customer of the request's context, `None` for guests, and an error
/// when an impersonation request named a customer id the store does not have.
pub fn signed_in_customer(gql: &GqlContext) -> Result<Option<&Customer>> {
    if let Some(id) = gql.unknown_customer_id {
        return Err(async_graphql::Error::new(format!(
            "No customer with id {id} exists in this store."
        )));
    }
    Ok(gql.customer.as_ref())
}

#[derive(SimpleObject, Clone, Debug)]
pub struct UrlField {
    pub vanity_url: String,
    pub cdn_url: String,
    pub checkout_url: Option<String>,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct Locale {
    pub code: String,
    pub is_default: bool,
    pub full_path: String,
    pub path: String,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct CurrencySettings {
    pub default_currency: CurrencyCode,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct PasswordComplexitySettings {
    pub minimum_password_length: i32,
    pub minimum_numbers: i32,
    pub minimum_special_characters: i32,
    pub require_lower_case: bool,
    pub require_numbers: bool,
    pub require_special_characters: bool,
    pub require_upper_case: bool,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct CustomersSettings {
    pub password_complexity_settings: Option<PasswordComplexitySettings>,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct StoreTextLogo {
    pub text: String,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct StoreImageLogo {
    pub image: super::catalog::Image,
}

#[derive(Union, Clone, Debug)]
pub enum StoreLogo {
    StoreTextLogo(StoreTextLogo),
    StoreImageLogo(StoreImageLogo),
}

#[derive(SimpleObject, Clone, Debug)]
pub struct Settings {
    pub store_name: String,
    pub store_hash: String,
    pub channel_id: Long,
    pub status: StorefrontStatusType,
    pub url: UrlField,
    pub locales: Vec<Locale>,
    pub currency: CurrencySettings,
    pub customers: Option<CustomersSettings>,
    #[graphql(name = "logoV2")]
    pub logo_v2: StoreLogo,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct CategoryTreeItem {
    pub entity_id: i32,
    pub name: String,
    pub path: String,
    pub children: Vec<CategoryTreeItem>,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct Redirect {
    pub id: ID,
    pub from_path: String,
    pub to_url: String,
}

#[derive(SimpleObject)]
pub struct Route {
    pub node: Option<Node>,
    pub redirect: Option<Redirect>,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct Currency {
    pub entity_id: i32,
    pub code: CurrencyCode,
    pub name: String,
    pub is_active: bool,
    pub is_transactional: bool,
    pub is_default: bool,
    pub exchange_rate: f64,
    pub flag_image: Option<String>,
}

connection!(CurrencyConnection, CurrencyEdge, Currency);
