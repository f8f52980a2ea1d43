//! The GraphQL API's own state: the executable schema (with and without the field-rules
//! extension), its index for document analysis, and the document cache; over the domain.

use std::sync::Arc;

use storefront_auth_core::analysis::SchemaIndex;

use super::documents::DocumentCache;
use super::gateway::Gateway;
use super::schema::{self, StorefrontSchema};
use crate::config::GatewayConfig;
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
    /// The schema documents are analysed against: the built-in one, or in gateway mode the
    /// upstream's with its scope map.
    pub index: SchemaIndex,
    pub documents: DocumentCache,
    /// Gateway mode (`[gateway]`): `/graphql` is answered by the operator's upstream.
    pub gateway: Option<Gateway>,
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
    /// Builds the schema and its index once per process; in gateway mode, the gateway and
    /// the upstream's index.
    pub fn new(
        domain: Domain,
        cookies: CookieJar,
        gateway: &GatewayConfig,
    ) -> Result<Self, String> {
        let schema = schema::build();
        let (gateway, index) = match gateway.enabled() {
            true => {
                let (gw, index) = Gateway::new(gateway)?;
                (Some(gw), index)
            }
            false => (None, SchemaIndex::from_sdl(&schema.sdl())?),
        };
        let graphql = Graphql(Arc::new(GraphqlState {
            domain,
            cookies,
            schema,
            unguarded: schema::variant(false),
            index,
            documents: DocumentCache::default(),
            gateway,
        }));
        // Weak: the metrics live in the domain, which this state holds; a strong reference
        // back would keep both alive for ever.
        let state = Arc::downgrade(&graphql.0);
        graphql.domain.metrics().add_cache("documents", move || {
            state.upgrade().map_or((0, 0), |g| g.documents.usage())
        });
        if graphql.gateway.is_some() {
            let state = Arc::downgrade(&graphql.0);
            graphql.domain.metrics().set_breaker(move || {
                let g = state.upgrade();
                let gw = g.as_ref().and_then(|g| g.gateway.as_ref());
                gw.map_or("closed", |gw| gw.breaker.state())
            });
        }
        Ok(graphql)
    }
}
