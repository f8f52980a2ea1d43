//! Assembles the surfaces into one router over one `AppState`, and runs the server with the
//! domain's background sync. `AppState` only holds the pieces: each surface extracts its own
//! state from it (`FromRef`), and the domain is reached through the `Domain` handle.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::FromRef;
use axum::Router;
use storefront_auth_core::secret::Secret;
use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::config::Config;
use crate::dev::Dev;
use crate::graphql::Graphql;
use crate::http::cookies::CookieJar;
use crate::http::error::ApiError;
use crate::http::faults;
use crate::http::listener::Limits;
use crate::http::request_log::RequestLogLayer;
use crate::management::Management;
use crate::service::caches::faults::Surface;
use crate::service::{sync, Domain};
use crate::storefront::Storefronts;
use crate::{dev, graphql, management, ops, payments, storefront};

/// Every surface's state, assembled once at start-up. One reference to count: axum clones the
/// state for every request, and a clone of the pieces would be one atomic increment (and one
/// decrement) per piece, on cache lines every core shares.
#[derive(Clone, Debug)]
pub struct AppState(Arc<Surfaces>);

#[derive(Debug)]
pub struct Surfaces {
    pub domain: Domain,
    pub management: Management,
    pub graphql: Graphql,
    pub storefronts: Storefronts,
    /// The development control API, under `serve --dev` only, and its credential.
    pub dev: Option<(Dev, Secret)>,
    pub config: Arc<Config>,
}

impl AppState {
    /// Builds each surface's state over an opened domain.
    pub fn new(domain: Domain, config: Config) -> Result<AppState, String> {
        let graphql = Graphql::new(domain.clone(), CookieJar::of(&config), &config.gateway)?;
        let dev = config.dev.enabled.then(|| {
            let token = match &config.dev.token {
                Some(t) => Secret::new(t.clone()),
                None => Secret::new(storefront_auth_core::secret::random_hex(24)),
            };
            (Dev::new(domain.clone(), &config.dev, &token), token)
        });
        Ok(AppState(Arc::new(Surfaces {
            dev,
            management: Management::new(domain.clone(), &config.rate_limit),
            storefronts: Storefronts::new(domain.clone(), &config),
            graphql,
            domain,
            config: Arc::new(config),
        })))
    }
}

impl std::ops::Deref for AppState {
    type Target = Surfaces;

    fn deref(&self) -> &Surfaces {
        &self.0
    }
}

impl FromRef<AppState> for Domain {
    fn from_ref(s: &AppState) -> Domain {
        s.domain.clone()
    }
}

impl FromRef<AppState> for Management {
    fn from_ref(s: &AppState) -> Management {
        s.management.clone()
    }
}

impl FromRef<AppState> for Graphql {
    fn from_ref(s: &AppState) -> Graphql {
        s.graphql.clone()
    }
}

impl FromRef<AppState> for Storefronts {
    fn from_ref(s: &AppState) -> Storefronts {
        s.storefronts.clone()
    }
}

pub fn router(state: AppState) -> Router {
    let log = RequestLogLayer::new(state.domain.clone(), crate::http::tls::hsts(&state.config));
    // Without --dev the control API is not routed: its paths are 404 like any unknown one.
    let dev = match &state.dev {
        Some((d, _)) => dev::router(d.clone()),
        None => Router::new(),
    };
    // Under --dev, each surface's development faults are applied in front of it.
    let faulted = |router: Router<AppState>, surface: Surface| match &state.dev {
        Some(_) => faults::wrap(router, &state.domain, surface, &state.config.rate_limit),
        None => router,
    };
    Router::new()
        .merge(dev)
        .merge(ops::router())
        .merge(faulted(
            management::router(state.management.clone()),
            Surface::Management,
        ))
        .merge(faulted(graphql::router(), Surface::Graphql))
        .merge(faulted(storefront::router(), Surface::Storefront))
        .merge(faulted(payments::router(), Surface::Payments))
        .fallback(|| async { ApiError::NotFound })
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
        .layer(log)
        .with_state(state)
}

/// A running server: its address, its state and a handle to stop it.
pub struct RunningServer {
    pub addr: SocketAddr,
    pub state: AppState,
    stop: watch::Sender<bool>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl RunningServer {
    /// Stops accepting, lets in-flight requests finish, and stops the background sync.
    pub async fn shutdown(self) -> std::io::Result<()> {
        let _ = self.stop.send(true);
        self.wait().await
    }

    pub async fn wait(self) -> std::io::Result<()> {
        let result = self.task.await.unwrap_or(Ok(()));
        self.state.domain.close().await;
        result
    }

    pub fn stopper(&self) -> watch::Sender<bool> {
        self.stop.clone()
    }
}

pub async fn start(state: AppState, listener: TcpListener) -> std::io::Result<RunningServer> {
    start_with(state, listener, None).await
}

/// Starts serving plain HTTP, or HTTPS with `tls`.
pub async fn start_with(
    state: AppState,
    listener: TcpListener,
    tls: Option<Arc<rustls::ServerConfig>>,
) -> std::io::Result<RunningServer> {
    let addr = listener.local_addr()?;
    if state.graphql.gateway.is_some() {
        // The assertion ring's first key, made before any request could make one too.
        state
            .domain
            .ensure_assertion_signer()
            .await
            .map_err(std::io::Error::other)?;
    }
    let (stop, _) = watch::channel(false);
    sync::spawn(&state.domain, &stop);
    let limits = Limits::of(&state.config.http);
    let task = tokio::spawn(crate::http::listener::serve(
        listener,
        router(state.clone()),
        tls,
        limits,
        stop.subscribe(),
    ));
    Ok(RunningServer {
        addr,
        state,
        stop,
        task,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The metrics hold gauges of caches that live in the states holding the metrics: a strong
    /// reference back would keep every server's state alive after it stopped.
    #[tokio::test]
    async fn dropping_the_state_leaves_nothing_holding_the_domain() {
        let dir = tempfile::tempdir().expect("dir");
        let config = Config {
            data_dir: dir.path().to_path_buf(),
            ..Config::default()
        };
        let domain = Domain::open(&config, None, Arc::default())
            .await
            .expect("open");
        let probe = domain.clone();
        let state = AppState::new(domain, config).expect("state");
        assert!(probe.metrics().render().contains("cache=\"documents\""));
        assert!(probe.handles() > 1);
        drop(state);
        assert_eq!(probe.handles(), 1);
        assert!(probe
            .metrics()
            .render()
            .contains("storefront_auth_cache_entries{cache=\"documents\"} 0"));
    }
}
