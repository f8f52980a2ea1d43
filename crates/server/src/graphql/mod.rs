//! The GraphQL Storefront API on storefront hosts (SPEC §2, §5): `POST /graphql`, its CORS
//! preflight, and `POST /graphql/explain` (which scopes does a document need?). The schema
//! and its resolvers, the scope enforcement, the document cache and the compiled plans live
//! here; the rules they apply are the domain's (`service`).

pub mod admission;
pub mod answer;
pub mod cors;
pub mod customer_headers;
pub mod documents;
pub mod execute;
pub mod explain;
pub mod gateway;
pub mod inspect;
pub mod plan;
pub mod responses;
pub mod schema;
pub mod scope_extension;
mod state;

use axum::extract::FromRef;
use axum::routing::{get, post};
use axum::Router;

pub use state::{Graphql, GraphqlState};

use crate::service::Domain;

pub fn router<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    Graphql: FromRef<S>,
    Domain: FromRef<S>,
{
    Router::new()
        .route("/graphql", post(execute::execute).options(cors::preflight))
        .route("/graphql/explain", post(explain::explain))
        .route(
            "/.well-known/storefront-auth-assertion-jwks.json",
            get(gateway::jwks),
        )
}
