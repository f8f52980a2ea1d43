//! The GraphQL Storefront API on storefront hosts (SPEC §2, §5): `POST /graphql`, its CORS
//! preflight, and `POST /graphql/explain` (which scopes does a document need?).

pub mod auth;
pub mod catalog_cache;
pub mod cors;
pub mod customer_context;
pub mod documents;
pub mod explain;
pub mod graphql;
pub mod host;
pub mod pages;
pub mod plan;
pub mod request;
pub mod rest;
pub mod schema;
pub mod scope_extension;
pub mod usage;

use axum::routing::post;
use axum::Router;

use crate::state::SharedState;

pub fn router() -> Router<SharedState> {
    Router::new()
        .route(
            "/graphql",
            post(graphql::execute).options(graphql::preflight),
        )
        .route("/graphql/explain", post(explain::explain))
        .merge(pages::router())
        .merge(rest::router())
}
