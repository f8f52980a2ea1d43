//! The GraphQL Storefront API schema (SPEC §5.6; `../shared/reference/storefront-schema.md` §B).
//! Names, types and nullability follow BigCommerce's schema; the exported SDL is committed as
//! `crates/server/schema.graphql` and snapshot-tested.

pub mod account_mutations;
pub mod addresses;
pub mod analytics;
pub mod auth;
pub mod blog;
pub mod brand;
pub mod cart;
pub mod cart_inputs;
pub mod cart_items;
pub mod cart_mutations;
pub mod catalog;
pub mod category;
pub mod checkout;
pub mod checkout_billing;
pub mod checkout_coupons;
pub mod checkout_inputs;
pub mod company;
pub mod company_mutations;
pub mod connection;
pub mod consignments;
pub mod contact;
pub mod content;
pub mod customer;
pub mod customer_mutations;
pub mod errors;
pub mod form_fields;
pub mod geography;
pub mod gift_certificates;
pub mod ids;
pub mod image;
pub mod inventory;
pub mod listing;
pub mod money;
pub mod mutation;
pub mod newsletter;
pub mod node;
pub mod options;
pub mod order;
pub mod order_details;
pub mod order_payments;
pub mod order_shipments;
pub mod orders;
pub mod password_reset;
pub mod product;
pub mod product_page;
pub mod products;
pub mod public_wishlist;
pub mod request_host;
pub mod review_mutations;
pub mod reviews;
pub mod route;
pub mod scalars;
pub mod scripts;
pub mod search;
pub mod search_facet_items;
pub mod search_facets;
pub mod search_filters;
pub mod seo;
pub mod settings;
pub mod site;
pub mod web_page_trail;
pub mod wishlist;

use std::sync::{Arc, Mutex, OnceLock};

use async_graphql::{EmptySubscription, ErrorExtensions, Schema};
use request_host::RequestHost;
use storefront_auth_store::{Channel, Customer, StoreRecord};

use crate::http::cookies::CookieJar;
use crate::service::catalog::Catalog;
use crate::service::Domain;

pub type StorefrontSchema = Schema<site::Query, mutation::Mutation, EmptySubscription>;

/// What resolvers know about the request: the storefront it addressed and the customer
/// context, if any.
#[derive(Clone)]
pub struct GqlContext {
    pub domain: Domain,
    /// How session cookies are set (`Secure` under TLS).
    pub cookies: CookieJar,
    pub store: Arc<StoreRecord>,
    pub channel: Arc<Channel>,
    pub customer: Option<Customer>,
    /// The customer's group discount in basis points (0 for guests).
    pub discount_bp: i64,
    pub browser: bool,
    /// The request's `Host`, read through `host()`.
    pub host: RequestHost,
    pub client_ip: std::net::IpAddr,
    /// Digest of the session or CAT the request signed in with.
    pub sign_in: Option<String>,
    pub unknown_customer_id: Option<i64>,
    /// `X-Bc-Error-On-Invalid-Customer-Access-Token: true`: a missing customer is an error
    /// with `MISSING_CUSTOMER_ACCESS_TOKEN`.
    pub strict: bool,
    /// What the HTTP response must carry besides the body.
    pub effects: Arc<Mutex<Effects>>,
    /// The store's catalog and content as this request first read them: one snapshot for
    /// the whole request, which compiled plans read without waiting.
    pub held: Arc<OnceLock<Arc<Catalog>>>,
}

#[derive(Debug, Default)]
pub struct Effects {
    /// A `Set-Cookie` value for the session cookie.
    pub set_cookie: Option<String>,
}

impl GqlContext {
    /// The signed-in customer, or the error an operation that needs one answers with.
    pub fn require_customer(&self) -> async_graphql::Result<&Customer> {
        self.customer.as_ref().ok_or_else(|| {
            if self.strict {
                async_graphql::Error::new(
                    "Customer access token is missing: sign the customer in first.",
                )
                .extend_with(|_, e| e.set("code", "MISSING_CUSTOMER_ACCESS_TOKEN"))
            } else {
                async_graphql::Error::new("Please sign in to do this.")
            }
        })
    }

    /// The host (and port) the request addressed, as this server is reached: the host of the
    /// absolute URLs it answers (images, checkout, pages). A `Host` that is not a plain host
    /// name gets the channel's own storefront host.
    pub fn host(&self) -> &str {
        self.host.get(|| {
            format!(
                "store-{}-{}.{}",
                self.store.hash,
                self.channel.channel_id,
                self.domain.settings().domain
            )
        })
    }

    /// `https://{host}` (`http` when browsers reach this server without TLS).
    pub fn origin(&self) -> String {
        let scheme = if self.cookies.secure { "https" } else { "http" };
        format!("{scheme}://{}", self.host())
    }

    /// The store's brands, categories and web pages (and its products when the catalog is
    /// held), read once per request.
    pub async fn held(&self) -> async_graphql::Result<Arc<Catalog>> {
        if let Some(held) = self.held.get() {
            return Ok(held.clone());
        }
        let held = crate::service::catalog::content(&self.domain, self.store.id).await?;
        Ok(self.held.get_or_init(|| held).clone())
    }

    pub fn set_cookie(&self, value: String) {
        if let Ok(mut e) = self.effects.lock() {
            e.set_cookie = Some(value);
        }
    }
}

pub fn build() -> StorefrontSchema {
    variant(true)
}

/// The schema with or without the scope/null-semantics extension (see `state::Graphql` for
/// when each is used).
pub fn variant(field_rules: bool) -> StorefrontSchema {
    // `Error` is reached only through `... on Error` in documents: registered by hand.
    let mut builder = Schema::build(site::Query, mutation::Mutation, EmptySubscription)
        .register_output_type::<errors::Error>();
    if field_rules {
        builder = builder.extension(super::scope_extension::ScopeEnforcement);
    }
    builder.finish()
}

/// The schema's SDL, as committed and as the document analysis reads it.
pub fn sdl() -> String {
    build().sdl()
}
