//! The GraphQL API's own state: the executable schema (with and without the field-rules
//! extension), its index for document analysis, and the document cache; over the domain.

use std::sync::Arc;

use storefront_auth_core::analysis::SchemaIndex;

use super::documents::DocumentCache;
use super::schema::{self, StorefrontSchema};
use crate::http::cookies::CookieJar;
use crate::service::Domain;

/// Cheap to clone: one `Arc`.
#[derive(Clone)]
pub struct Graphql(Arc<GraphqlState>);

pub struct GraphqlState {
    pub domain: Domain,
    /// How session cookies are set (`Secure` under TLS).
    pub cookies: CookieJar,
    /// With the field-rules extension (private-token scopes, GraphQL null semantics).
    pub schema: StorefrontSchema,
    /// Without it: for queries that analysis shows need no scope the token lacks. The
    /// extension only acts on errors and denials, so an error-free result is the same either
    /// way; a result with errors is recomputed with it.
    pub unguarded: StorefrontSchema,
    pub index: SchemaIndex,
    pub documents: DocumentCache,
}

impl std::fmt::Debug for Graphql {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Graphql(..)")
    }
}

impl std::ops::Deref for Graphql {
    type Target = GraphqlState;

    fn deref(&self) -> &GraphqlState {
        &self.0
    }
}

impl Graphql {
    /// Builds the schema and its index once per process.
    pub fn new(domain: Domain, cookies: CookieJar) -> Result<Self, String> {
        let schema = schema::build();
        let index = SchemaIndex::from_sdl(&schema.sdl())?;
        let graphql = Graphql(Arc::new(GraphqlState {
            domain,
            cookies,
            schema,
            unguarded: schema::variant(false),
            index,
            documents: DocumentCache::default(),
        }));
        // Weak: the metrics live in the domain, which this state holds; a strong reference
        // back would keep both alive for ever.
        let state = Arc::downgrade(&graphql.0);
        graphql.domain.metrics().add_cache("documents", move || {
            state.upgrade().map_or((0, 0), |g| g.documents.usage())
        });
        Ok(graphql)
    }
}
