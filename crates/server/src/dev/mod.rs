//! The control API of development mode (issue 20, SPEC §13), under `/_dev/` on the same
//! listener. It is routed only when the server runs with `--dev` (otherwise those paths are
//! 404 like any unknown path), and it takes only its own credential, `X-Dev-Token`: a store's
//! API token opens nothing here. With `dev.open_on_loopback`, loopback clients need none.
//! Answers use the management API's JSON and error envelope.

mod faults;
mod minting;
mod state;
mod stores;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post, put};
use axum::Router;
use storefront_auth_core::secret::{digests_equal, Secret};

use crate::config::DevConfig;
use crate::http::error::ApiError;
use crate::service::Domain;

/// The control API's state: the domain and the credential.
#[derive(Clone, Debug)]
pub struct Dev(Arc<DevState>);

#[derive(Debug)]
pub struct DevState {
    pub domain: Domain,
    /// Digest of the credential.
    token_digest: String,
    open_on_loopback: bool,
    /// Imports running now (each holds a state of up to `state::MAX_IMPORT` in memory).
    imports: tokio::sync::Semaphore,
}

impl Dev {
    /// The control API over `domain` with `token` as its credential (the configured one, or
    /// one made at start).
    pub fn new(domain: Domain, config: &DevConfig, token: &Secret) -> Dev {
        Dev(Arc::new(DevState {
            domain,
            token_digest: token.digest(),
            open_on_loopback: config.open_on_loopback,
            imports: tokio::sync::Semaphore::new(2),
        }))
    }

    fn domain(&self) -> &Domain {
        &self.0.domain
    }
}

/// The control API's routes, with their own state (only the assembly holds a `Dev`).
pub fn router<S>(dev: Dev) -> Router<S>
where
    S: Clone + Send + Sync + 'static,
{
    Router::new()
        .route("/_dev/stores", post(stores::create))
        .route(
            "/_dev/stores/{hash}",
            delete(stores::remove).get(stores::show),
        )
        .route("/_dev/stores/import", post(state::import))
        .route("/_dev/stores/{hash}/export", get(state::export))
        .route("/_dev/stores/{hash}/reset", post(state::reset))
        .route("/_dev/stores/{hash}/seed-state", put(state::keep_seed))
        .route(
            "/_dev/stores/{hash}/faults",
            post(faults::add).get(faults::list).delete(faults::clear),
        )
        .route("/_dev/stores/{hash}/faults/{id}", delete(faults::remove))
        .route("/_dev/stores/{hash}/tokens", post(minting::mint_token))
        .route(
            "/_dev/stores/{hash}/customer-access-tokens",
            post(minting::mint_customer_access_token),
        )
        .route(
            "/_dev/stores/{hash}/login-jwts",
            post(minting::mint_login_jwt),
        )
        .route(
            "/_dev/stores/{hash}/payment-access-tokens",
            post(minting::mint_payment_access_token),
        )
        .route(
            "/_dev/{*rest}",
            axum::routing::any(|| async { ApiError::NotFound }),
        )
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
        .layer(axum::middleware::from_fn_with_state(
            dev.clone(),
            authenticate,
        ))
        .with_state(dev)
}

/// 401 unless the request carries the credential (or comes from loopback when that is
/// allowed). Checked before anything else, unknown paths included.
async fn authenticate(State(dev): State<Dev>, req: Request, next: Next) -> Response {
    let loopback = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .is_some_and(|ConnectInfo(peer)| peer.ip().is_loopback());
    let presented = req
        .headers()
        .get("x-dev-token")
        .and_then(|v| v.to_str().ok())
        .map(|t| Secret::new(t).digest());
    let allowed = match presented {
        Some(digest) => digests_equal(&digest, &dev.0.token_digest),
        None => dev.0.open_on_loopback && loopback,
    };
    if !allowed {
        return ApiError::Refused(
            axum::http::StatusCode::UNAUTHORIZED,
            "The development control API needs its credential: send X-Dev-Token (printed at start)."
                .into(),
        )
        .into_response();
    }
    next.run(req).await
}
