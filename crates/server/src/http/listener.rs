//! Accepting connections, plain or TLS (SPEC §11): every connection is bounded in time and
//! number, whatever its peer sends or withholds.
//!
//! - a TLS handshake must finish within `tls_handshake`;
//! - between requests (waiting for headers, half a request line, or idle keep-alive) a
//!   connection may stay silent for `header_read`;
//! - a request, its body included, must be answered within `request` of its headers (a body
//!   trickled in a byte at a time included);
//! - one client address holds at most `per_client` connections, and the server at most
//!   `total`: past them a new connection is closed at once, so stalled connections from one
//!   place cannot lock everyone else out.
//!
//! A watchdog per connection closes it past either bound. No timer is armed per request: the
//! watchdog ticks once a second and reads the two stamps each request leaves.
//!
//! Connections are accepted here and each is then served, from its first byte (the TLS
//! handshake included) to its close, on one of the serving threads of `serving`.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::ConnectInfo;
use axum::Router;
use tokio::net::TcpListener;
use tokio::sync::watch;

/// The bounds of `serve` (configuration: `[http]`).
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub header_read: Duration,
    pub request: Duration,
    pub tls_handshake: Duration,
    pub per_client: usize,
    pub total: usize,
    /// Serving threads (0: one per core); see `serving`.
    pub threads: usize,
}

impl Limits {
    pub fn of(http: &crate::config::HttpConfig) -> Self {
        Limits {
            header_read: Duration::from_secs(http.header_read_timeout_secs),
            request: Duration::from_secs(http.request_timeout_secs),
            tls_handshake: Duration::from_secs(http.tls_handshake_timeout_secs),
            per_client: http.max_connections_per_client,
            total: http.max_connections,
            threads: http.threads,
        }
    }
}

/// Open connections, per client address and in all.
#[derive(Debug, Default)]
struct Connections {
    by_ip: Mutex<HashMap<IpAddr, usize>>,
}

/// One counted connection; uncounted when dropped.
struct Counted {
    connections: Arc<Connections>,
    ip: IpAddr,
}

impl Connections {
    fn admit(self: &Arc<Self>, ip: IpAddr, limits: &Limits) -> Option<Counted> {
        let mut by_ip = self.by_ip.lock().unwrap_or_else(|p| p.into_inner());
        let total: usize = by_ip.values().sum();
        let mine = by_ip.entry(ip).or_default();
        if *mine >= limits.per_client || total >= limits.total {
            return None;
        }
        *mine += 1;
        Some(Counted {
            connections: self.clone(),
            ip,
        })
    }
}

impl Drop for Counted {
    fn drop(&mut self) {
        let mut by_ip = self
            .connections
            .by_ip
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        if let Some(n) = by_ip.get_mut(&self.ip) {
            *n -= 1;
            if *n == 0 {
                by_ip.remove(&self.ip);
            }
        }
    }
}

/// What a connection's requests tell its watchdog: whether one is being answered, and since
/// when the connection has been busy or idle.
#[derive(Debug)]
struct Activity {
    opened: Instant,
    busy: AtomicBool,
    /// Milliseconds after `opened` when the connection last became busy or idle.
    since_ms: AtomicU64,
}

impl Activity {
    fn new() -> Self {
        Activity {
            opened: Instant::now(),
            busy: AtomicBool::new(false),
            since_ms: AtomicU64::new(0),
        }
    }

    fn now_ms(&self) -> u64 {
        self.opened.elapsed().as_millis() as u64
    }

    /// A request's headers arrived (`true`), or its response is ready (`false`).
    fn started(&self, busy: bool) {
        self.since_ms.store(self.now_ms(), Ordering::Release);
        self.busy.store(busy, Ordering::Release);
    }

    /// Silent longer than `idle` between requests, or answering one (reading its body
    /// included) longer than `request`.
    fn stalled(&self, idle: Duration, request: Duration) -> bool {
        let limit = if self.busy.load(Ordering::Acquire) {
            request
        } else {
            idle
        };
        self.now_ms()
            .saturating_sub(self.since_ms.load(Ordering::Acquire))
            > limit.as_millis() as u64
    }
}

/// Serves `app` on `listener` (over TLS with `tls`) until `stop` turns true, then lets open
/// connections finish their requests.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    tls: Option<Arc<rustls::ServerConfig>>,
    limits: Limits,
    mut stop: watch::Receiver<bool>,
) -> std::io::Result<()> {
    let acceptor = tls.map(tokio_rustls::TlsAcceptor::from);
    let connections = Arc::new(Connections::default());
    let threads = super::serving::start(limits.threads);
    let mut tasks = tokio::task::JoinSet::new();
    loop {
        let (tcp, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Out of file descriptors, say: wait a little instead of spinning.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = stopped(&mut stop) => break,
        };
        // Reap finished connection tasks as we go, so the set does not grow.
        while tasks.try_join_next().is_some() {}
        let Some(counted) = connections.admit(peer.ip(), &limits) else {
            tracing::debug!(%peer, "connection refused: too many open from this client");
            continue;
        };
        let accepted = Accepted {
            counted,
            peer,
            acceptor: acceptor.clone(),
            app: app.clone(),
            limits,
            stop: stop.clone(),
        };
        // The stream moves to its serving thread's runtime as a plain socket, registered there.
        match (threads, tcp.into_std()) {
            (Some(threads), Ok(std)) => {
                tasks.spawn_on(accepted.serve(std), super::serving::next(threads));
            }
            (None, Ok(std)) => {
                tasks.spawn(accepted.serve(std));
            }
            (_, Err(e)) => tracing::debug!(error = %e, %peer, "accepted socket unusable"),
        }
    }
    while tasks.join_next().await.is_some() {}
    Ok(())
}

/// An admitted connection, on its way to the thread that serves it.
struct Accepted {
    counted: Counted,
    peer: SocketAddr,
    acceptor: Option<tokio_rustls::TlsAcceptor>,
    app: Router,
    limits: Limits,
    stop: watch::Receiver<bool>,
}

impl Accepted {
    async fn serve(self, std: std::net::TcpStream) {
        let Accepted {
            counted: _counted,
            peer,
            acceptor,
            app,
            limits,
            stop,
        } = self;
        let tcp = match tokio::net::TcpStream::from_std(std) {
            Ok(tcp) => tcp,
            Err(e) => return tracing::debug!(error = %e, %peer, "cannot register the socket"),
        };
        let _ = tcp.set_nodelay(true);
        match acceptor {
            None => connection(tcp, peer, app, limits, stop).await,
            Some(acceptor) => {
                match tokio::time::timeout(limits.tls_handshake, acceptor.accept(tcp)).await {
                    Ok(Ok(tls)) => connection(tls, peer, app, limits, stop).await,
                    Ok(Err(e)) => tracing::debug!(error = %e, %peer, "TLS handshake failed"),
                    Err(_) => tracing::debug!(%peer, "TLS handshake timed out"),
                }
            }
        }
    }
}

/// Serves one connection's requests (HTTP/1.1 with keep-alive) under its watchdog.
async fn connection<Io>(
    io: Io,
    peer: SocketAddr,
    app: Router,
    limits: Limits,
    stop: watch::Receiver<bool>,
) where
    Io: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let activity = Arc::new(Activity::new());
    let requests = activity.clone();
    let service =
        hyper::service::service_fn(move |mut req: hyper::Request<hyper::body::Incoming>| {
            let activity = requests.clone();
            activity.started(true);
            req.extensions_mut().insert(ConnectInfo::<SocketAddr>(peer));
            let mut app = app.clone();
            async move {
                let response = tower::Service::call(&mut app, req).await;
                activity.started(false);
                response
            }
        });
    let conn = hyper::server::conn::http1::Builder::new()
        .serve_connection(hyper_util::rt::TokioIo::new(io), service)
        .with_upgrades();
    tokio::pin!(conn);
    // The watchdog's tick is the only timer of a connection; stopping is looked at on it too,
    // so a request costs no timer and no waker registration beyond hyper's own.
    let tick = (limits.header_read / 4).clamp(Duration::from_millis(50), Duration::from_secs(1));
    let watchdog = tokio::time::sleep(tick);
    tokio::pin!(watchdog);
    loop {
        tokio::select! {
            biased;
            _ = conn.as_mut() => return,
            _ = watchdog.as_mut() => {}
        }
        if *stop.borrow() {
            conn.as_mut().graceful_shutdown();
            let _ = conn.await;
            return;
        }
        // Silent too long between requests, or a request (its body) too slow: the connection
        // is dropped, which closes it.
        if activity.stalled(limits.header_read, limits.request) {
            return;
        }
        watchdog.as_mut().reset(tokio::time::Instant::now() + tick);
    }
}

/// Resolves once `stop` turns true (the value's guard is not held across the await).
async fn stopped(stop: &mut watch::Receiver<bool>) {
    let _ = stop.wait_for(|s| *s).await;
}

/// Raises the soft limit of open files to the hard limit, so that the connection bounds
/// above, not the operating system's default of 1,024, decide how many clients are served.
pub fn raise_open_files_limit() -> std::io::Result<u64> {
    #[cfg(unix)]
    {
        let mut limit = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: getrlimit and setrlimit only read and write the struct passed to them.
        if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } != 0 {
            return Err(std::io::Error::last_os_error());
        }
        if limit.rlim_cur < limit.rlim_max {
            limit.rlim_cur = limit.rlim_max;
            // SAFETY: as above.
            if unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &limit) } != 0 {
                return Err(std::io::Error::last_os_error());
            }
        }
        Ok(limit.rlim_cur)
    }
    #[cfg(not(unix))]
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connections_are_counted_per_client_and_in_all() {
        let limits = Limits {
            header_read: Duration::from_secs(1),
            request: Duration::from_secs(1),
            tls_handshake: Duration::from_secs(1),
            per_client: 2,
            total: 3,
            threads: 1,
        };
        let c = Arc::new(Connections::default());
        let a: IpAddr = [10, 0, 0, 1].into();
        let b: IpAddr = [10, 0, 0, 2].into();
        let first = c.admit(a, &limits).expect("1");
        let _second = c.admit(a, &limits).expect("2");
        assert!(c.admit(a, &limits).is_none(), "per client");
        let _third = c.admit(b, &limits).expect("other client");
        assert!(c.admit(b, &limits).is_none(), "in all");
        drop(first);
        assert!(
            c.admit(a, &limits).is_some(),
            "a closed connection makes room"
        );
    }

    #[test]
    fn a_connection_stalls_when_silent_or_slow_too_long() {
        let a = Activity::new();
        let (idle, request) = (Duration::from_millis(20), Duration::from_millis(60));
        assert!(!a.stalled(idle, request));
        std::thread::sleep(Duration::from_millis(30));
        assert!(a.stalled(idle, request), "silent since it opened");
        a.started(true);
        std::thread::sleep(Duration::from_millis(30));
        assert!(
            !a.stalled(idle, request),
            "answering a request, within its time"
        );
        std::thread::sleep(Duration::from_millis(40));
        assert!(a.stalled(idle, request), "a request too slow");
        a.started(false);
        assert!(!a.stalled(idle, request), "just answered");
    }
}
