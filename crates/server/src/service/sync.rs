//! Keeping each instance in step with the database (SPEC §9): every `SYNC_INTERVAL` the usage
//! counts are written and key rotations and revocations made elsewhere (the CLI, another
//! instance) are caught up; on PostgreSQL, other instances' events also arrive as they happen.

use std::time::Duration;

use storefront_auth_store::Event;
use tokio::sync::watch;

use super::{revocation, Domain};

/// How often every instance catches up with the database: half of SPEC §9's one second, so a
/// revocation, logout or key retirement made elsewhere (another process on SQLite, or while
/// the PostgreSQL listener is down) is seen within it, request time included.
pub const SYNC_INTERVAL: Duration = Duration::from_millis(500);

/// How long the event listener may be down before `/readyz` says not ready.
pub const LISTENER_GRACE: Duration = Duration::from_secs(1);

/// Runs the catch-up and the listener until `stop` changes.
pub fn spawn(domain: &Domain, stop: &watch::Sender<bool>) {
    tokio::spawn(catch_up(domain.clone(), stop.subscribe()));
    tokio::spawn(listen(domain.clone(), stop.subscribe()));
}

async fn catch_up(domain: Domain, mut stop: watch::Receiver<bool>) {
    let mut watermark = domain.now();
    loop {
        tokio::select! {
            _ = tokio::time::sleep(SYNC_INTERVAL) => {}
            _ = stop.changed() => {
                // Shutting down: keep the counts gathered since the last tick.
                let _ = domain.0.usage.flush(domain.store()).await;
                return;
            }
        }
        if let Err(e) = domain.0.usage.flush(domain.store()).await {
            tracing::warn!(error = %e, "usage flush failed; counts kept for the next try");
        }
        let generation = domain.0.clocks.generation();
        match domain.store().store_clock_offsets().await {
            Ok(offsets) => domain.0.clocks.replace(generation, offsets),
            Err(e) => tracing::warn!(error = %e, "store clocks reload failed"),
        }
        if let Err(e) = domain.reload_keys().await {
            tracing::warn!(error = %e, "key ring reload failed");
        }
        // Two seconds of overlap tolerate clock differences between instances.
        match domain.store().revoked_since(watermark - 2).await {
            Ok(rows) => {
                for (jti, at) in rows {
                    revocation::revoked(&domain, &jti);
                    watermark = watermark.max(at);
                }
            }
            Err(e) => tracing::warn!(error = %e, "revocation catch-up failed"),
        }
    }
}

/// On PostgreSQL: applies other instances' events as they happen, reconnecting as needed.
async fn listen(domain: Domain, mut stop: watch::Receiver<bool>) {
    domain.listener_starting();
    loop {
        match domain.store().listen().await {
            Ok(None) => return,
            Ok(Some(mut listener)) => {
                domain.set_listener_up(true);
                loop {
                    tokio::select! {
                        event = listener.recv() => match event {
                            Ok(Some(event)) => apply(&domain, event).await,
                            Ok(None) => {}
                            Err(e) => {
                                tracing::warn!(error = ?e, "event listener disconnected; the catch-up covers the gap");
                                break;
                            }
                        },
                        _ = stop.changed() => return,
                    }
                }
                domain.set_listener_up(false);
            }
            Err(e) => {
                domain.set_listener_up(false);
                tracing::warn!(error = ?e, "event listener cannot connect");
            }
        }
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_millis(250)) => {}
            _ = stop.changed() => return,
        }
    }
}

/// Another instance's change, applied here.
async fn apply(domain: &Domain, event: Event) {
    match event {
        Event::TokenRevoked(jti) => revocation::revoked(domain, &jti),
        Event::SignInsEnded {
            store_id,
            customer_id,
        } => domain.0.sign_ins.forget_customer(store_id, customer_id),
        Event::KeysChanged => {
            if let Err(e) = domain.reload_keys().await {
                tracing::warn!(error = %e, "key ring reload failed");
            }
        }
    }
}
