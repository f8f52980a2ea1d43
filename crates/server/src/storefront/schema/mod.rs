//! The GraphQL Storefront API schema (SPEC §5.6; `../shared/reference/storefront-schema.md` §B).
//! Names, types and nullability follow BigCommerce's schema; the exported SDL is committed as
//! `crates/server/schema.graphql` and snapshot-tested.

pub mod cart;
pub mod catalog;
pub mod company;
pub mod connection;
pub mod customer;
pub mod mutation;
pub mod scalars;
pub mod site;

use async_graphql::{EmptySubscription, Schema};
use storefront_auth_store::{Channel, Customer, StoreRecord};

use crate::state::SharedState;

pub type StorefrontSchema = Schema<site::Query, mutation::Mutation, EmptySubscription>;

/// What resolvers know about the request: the storefront it addressed and the customer
/// context, if any.
pub struct GqlContext {
    pub state: SharedState,
    pub store: StoreRecord,
    pub channel: Channel,
    pub customer: Option<Customer>,
    /// The customer's group discount in basis points (0 for guests).
    pub discount_bp: i64,
}

pub fn build() -> StorefrontSchema {
    Schema::build(site::Query, mutation::Mutation, EmptySubscription)
        .extension(super::scope_extension::ScopeEnforcement)
        .finish()
}

/// The schema's SDL, as committed and as the document analysis reads it.
pub fn sdl() -> String {
    build().sdl()
}
