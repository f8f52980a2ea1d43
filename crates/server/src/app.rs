//! Assembles the surfaces into one router, runs the server, and keeps each instance in sync
//! with the database (key ring, revocations) in the background.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use tokio::net::TcpListener;
use tokio::sync::watch;

use storefront_auth_store::Event;

use crate::error::ApiError;
use crate::state::SharedState;
use crate::{login, management, oauth, ops, payments, request_log, storefront};

pub fn router(state: SharedState) -> Router {
    Router::new()
        .merge(ops::router())
        .merge(management::router(state.clone()))
        .merge(storefront::router())
        .merge(login::router())
        .merge(payments::router())
        .merge(oauth::router())
        .fallback(fallback)
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
        .layer(request_log::RequestLogLayer::new(state.clone()))
        .with_state(state)
}

async fn fallback() -> ApiError {
    ApiError::NotFound
}

/// A running server: its address, its state and a handle to stop it.
pub struct RunningServer {
    pub addr: SocketAddr,
    pub state: SharedState,
    stop: watch::Sender<bool>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl RunningServer {
    /// Stops accepting, lets in-flight requests finish, and stops the background sync.
    pub async fn shutdown(self) -> std::io::Result<()> {
        let _ = self.stop.send(true);
        let result = self.task.await.unwrap_or(Ok(()));
        self.state.store.close().await;
        result
    }

    pub async fn wait(self) -> std::io::Result<()> {
        let result = self.task.await.unwrap_or(Ok(()));
        self.state.store.close().await;
        result
    }

    pub fn stopper(&self) -> watch::Sender<bool> {
        self.stop.clone()
    }
}

pub async fn start(state: SharedState, listener: TcpListener) -> std::io::Result<RunningServer> {
    start_with(state, listener, None).await
}

/// Starts serving plain HTTP, or HTTPS with `tls`.
pub async fn start_with(
    state: SharedState,
    listener: TcpListener,
    tls: Option<Arc<rustls::ServerConfig>>,
) -> std::io::Result<RunningServer> {
    let addr = listener.local_addr()?;
    let (stop, _) = watch::channel(false);
    tokio::spawn(sync_loop(state.clone(), stop.subscribe()));
    tokio::spawn(listen_loop(state.clone(), stop.subscribe()));
    let limits = state.config.http.limits();
    let task = tokio::spawn(crate::listener::serve(
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

/// Once a second: pick up key rotations and revocations made by other processes (the CLI, or
/// other instances), so no instance keeps a revoked token alive for long.
async fn sync_loop(state: SharedState, mut stop: watch::Receiver<bool>) {
    let mut watermark = state.now();
    loop {
        tokio::select! {
            _ = tokio::time::sleep(SYNC_INTERVAL) => {}
            _ = stop.changed() => {
                // Shutting down: keep the counts gathered since the last tick.
                let _ = state.usage.flush(&state.store).await;
                return;
            }
        }
        if let Err(e) = state.usage.flush(&state.store).await {
            tracing::warn!(error = %e, "usage flush failed; counts kept for the next try");
        }
        if let Err(e) = state.reload_keys().await {
            tracing::warn!(error = %e, "key ring reload failed");
        }
        // Two seconds of overlap tolerate clock differences between instances.
        match state.store.revoked_since(watermark - 2).await {
            Ok(rows) => {
                for (jti, at) in rows {
                    state.on_revoked(&jti);
                    watermark = watermark.max(at);
                }
            }
            Err(e) => tracing::warn!(error = %e, "revocation catch-up failed"),
        }
    }
}

/// How often every instance catches up with the database: half of SPEC §9's one second, so a
/// revocation, logout or key retirement made elsewhere (another process on SQLite, or while
/// the PostgreSQL listener is down) is seen within it, request time included.
pub const SYNC_INTERVAL: Duration = Duration::from_millis(500);

/// How long the event listener may be down before `/readyz` says not ready.
pub const LISTENER_GRACE: Duration = Duration::from_secs(1);

/// On PostgreSQL: applies other instances' events as they happen, reconnecting as needed.
async fn listen_loop(state: SharedState, mut stop: watch::Receiver<bool>) {
    loop {
        match state.store.listen().await {
            Ok(None) => return,
            Ok(Some(mut listener)) => {
                state.set_listener_up(true);
                loop {
                    tokio::select! {
                        event = listener.recv() => match event {
                            Ok(Some(Event::TokenRevoked(jti))) => state.on_revoked(&jti),
                            Ok(Some(Event::SignInsEnded { store_id, customer_id })) => {
                                state.sessions.forget_customer(store_id, customer_id)
                            }
                            Ok(Some(Event::KeysChanged)) => {
                                if let Err(e) = state.reload_keys().await {
                                    tracing::warn!(error = %e, "key ring reload failed");
                                }
                            }
                            Ok(None) => {}
                            Err(e) => {
                                tracing::warn!(error = ?e, "event listener disconnected; the catch-up covers the gap");
                                break;
                            }
                        },
                        _ = stop.changed() => return,
                    }
                }
                state.set_listener_up(false);
            }
            Err(e) => {
                state.set_listener_up(false);
                tracing::warn!(error = ?e, "event listener cannot connect");
            }
        }
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_millis(250)) => {}
            _ = stop.changed() => return,
        }
    }
}
