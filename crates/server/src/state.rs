//! The state every request handler shares, built once at start-up.

use std::sync::{Arc, RwLock};

use storefront_auth_core::clock::{Clock, OffsetClock};
use storefront_auth_core::keys::MasterKey;
use storefront_auth_core::{DeprecationSchedule, KeyRing};
use storefront_auth_store::Store;

use crate::cache::TokenCache;
use crate::config::Config;
use crate::metrics::Metrics;
use crate::ratelimit::RateLimiter;
use crate::service::keys::{self, KeysError};
use crate::service::passwords::Passwords;
use crate::storefront::host::Directory;
use crate::storefront::schema::{self, StorefrontSchema};
use crate::storefront::usage::UsageCounters;

pub type SharedState = Arc<AppState>;

/// What the verified-token cache may hold (about 100,000 tokens).
const TOKEN_CACHE_BYTES: usize = 64 * 1024 * 1024;

#[derive(Debug)]
pub struct AppState {
    pub config: Config,
    pub store: Store,
    pub clock: Arc<dyn Clock>,
    pub schedule: DeprecationSchedule,
    pub master_key: Option<MasterKey>,
    pub rate_limiter: RateLimiter,
    pub metrics: Metrics,
    pub passwords: Passwords,
    pub token_cache: TokenCache,
    pub sessions: crate::session_cache::SessionCache,
    pub directory: Directory,
    pub usage: UsageCounters,
    pub graphql: Graphql,
    pub documents: crate::storefront::documents::DocumentCache,
    pub catalog: crate::storefront::catalog_cache::CatalogCache,
    /// How calls to other servers (app callbacks) are made.
    pub outbound: crate::service::outbound::Outbound,
    /// The HS256 key of payment access tokens, read from the database on first use.
    pub payments_key: std::sync::OnceLock<Vec<u8>>,
    /// When the PostgreSQL event listener went down (`None` while it is up, or on SQLite).
    listener_down_since: std::sync::Mutex<Option<std::time::Instant>>,
    keys: RwLock<Arc<KeyRing>>,
}

/// The executable schema and its index for document analysis, built once per process.
pub struct Graphql {
    /// With the field-rules extension (private-token scopes, GraphQL null semantics).
    pub schema: StorefrontSchema,
    /// Without it: for queries that analysis shows need no scope the token lacks. The
    /// extension only acts on errors and denials, so an error-free result is the same either
    /// way; a result with errors is recomputed with it.
    pub unguarded: StorefrontSchema,
    pub index: storefront_auth_core::analysis::SchemaIndex,
}

impl std::fmt::Debug for Graphql {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Graphql(..)")
    }
}

impl Graphql {
    pub fn new() -> Result<Self, StartError> {
        let schema = schema::build();
        let index = storefront_auth_core::analysis::SchemaIndex::from_sdl(&schema.sdl())
            .map_err(StartError::Schema)?;
        Ok(Graphql {
            schema,
            unguarded: schema::variant(false),
            index,
        })
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("GraphQL schema: {0}")]
    Schema(String),
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    #[error("database: {0}")]
    Store(#[from] storefront_auth_store::StoreError),
    #[error("signing keys: {0}")]
    Keys(#[from] KeysError),
    #[error("master_key: {0}")]
    MasterKey(#[from] storefront_auth_core::keys::KeyError),
    #[error("data directory {0}: {1}")]
    DataDir(String, std::io::Error),
}

impl AppState {
    /// Opens the database (creating and migrating it), loads the keys, and picks the clock.
    pub async fn open(
        config: Config,
        clock: Option<Arc<dyn Clock>>,
    ) -> Result<SharedState, StartError> {
        if config.database_url.is_none() {
            private_data_dir(&config.data_dir)
                .map_err(|e| StartError::DataDir(config.data_dir.display().to_string(), e))?;
        }
        let store = Store::open(&config.effective_database_url()).await?;
        let clock: Arc<dyn Clock> = match (clock, config.simulated_now()?) {
            (Some(c), _) => c,
            (None, Some(start)) => Arc::new(OffsetClock::starting_at(start)),
            (None, None) => Arc::new(OffsetClock::real()),
        };
        let master_key = config
            .master_key
            .as_deref()
            .map(MasterKey::from_base64)
            .transpose()?;
        keys::ensure_signer(&store, master_key.as_ref(), clock.now()).await?;
        let ring = keys::load_ring(&store, master_key.as_ref()).await?;
        Ok(Arc::new(AppState {
            schedule: config.schedule()?,
            rate_limiter: RateLimiter::new(config.rate_limit.quota, config.rate_limit.window_ms),
            metrics: Metrics::default(),
            passwords: Passwords::new(
                std::thread::available_parallelism()
                    .map(|n| n.get())
                    .unwrap_or(2),
            ),
            token_cache: TokenCache::new(TOKEN_CACHE_BYTES),
            sessions: crate::session_cache::SessionCache::default(),
            directory: Directory::default(),
            usage: UsageCounters::default(),
            graphql: Graphql::new()?,
            documents: crate::storefront::documents::DocumentCache::default(),
            catalog: crate::storefront::catalog_cache::CatalogCache::default(),
            outbound: config.outbound.outbound()?,
            payments_key: std::sync::OnceLock::new(),
            listener_down_since: std::sync::Mutex::new(match store.backend() {
                storefront_auth_store::Backend::Postgres => Some(std::time::Instant::now()),
                storefront_auth_store::Backend::Sqlite => None,
            }),
            keys: RwLock::new(Arc::new(ring)),
            config,
            store,
            clock,
            master_key,
        }))
    }

    pub fn now(&self) -> i64 {
        self.clock.now()
    }

    pub fn keys(&self) -> Arc<KeyRing> {
        match self.keys.read() {
            Ok(g) => g.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// A revocation this instance acknowledged: refuse the token from the next request on.
    pub fn on_revoked(&self, jti: &str) {
        self.token_cache.revoke(jti);
    }

    /// Records whether the event listener is connected.
    pub fn set_listener_up(&self, up: bool) {
        if let Ok(mut since) = self.listener_down_since.lock() {
            match (up, *since) {
                (true, _) => *since = None,
                (false, None) => *since = Some(std::time::Instant::now()),
                (false, Some(_)) => {}
            }
        }
    }

    /// How long the event listener has been down (zero while up, and always on SQLite).
    pub fn listener_down_for(&self) -> std::time::Duration {
        self.listener_down_since
            .lock()
            .ok()
            .and_then(|s| s.map(|t| t.elapsed()))
            .unwrap_or_default()
    }

    /// How this server's cookies are set: `Secure` when browsers reach it over TLS.
    pub fn cookies(&self) -> crate::cookies::CookieJar {
        crate::cookies::CookieJar {
            secure: self.serves_tls(),
        }
    }

    /// Browsers reach this server over TLS: it serves TLS itself, or a TLS proxy is in front.
    pub fn serves_tls(&self) -> bool {
        let c = &self.config;
        c.dev_tls || c.tls_cert.is_some() || c.behind_tls_proxy
    }

    /// The `Strict-Transport-Security` value when served over TLS: a year, or a day under
    /// `--dev-tls` (a development certificate should not pin `localhost` for long).
    pub fn hsts(&self) -> Option<&'static str> {
        match (self.serves_tls(), self.config.dev_tls) {
            (false, _) => None,
            (true, true) => Some("max-age=86400"),
            (true, false) => Some("max-age=31536000"),
        }
    }

    /// The storefront host of a store's channel (SPEC §2).
    pub fn storefront_host(&self, hash: &str, channel: i64) -> String {
        if channel == 1 {
            format!("store-{hash}.{}", self.config.domain)
        } else {
            format!("store-{hash}-{channel}.{}", self.config.domain)
        }
    }

    /// Re-reads the key ring (after a rotation or retirement by this or another process).
    /// Tokens cached under a key that no longer verifies are dropped: a cache hit never
    /// outlives its key.
    pub async fn reload_keys(&self) -> Result<(), KeysError> {
        let ring = Arc::new(keys::load_ring(&self.store, self.master_key.as_ref()).await?);
        let previous = match self.keys.write() {
            Ok(mut g) => std::mem::replace(&mut *g, ring.clone()),
            Err(poisoned) => std::mem::replace(&mut *poisoned.into_inner(), ring.clone()),
        };
        if previous.kids().any(|kid| ring.verifier(kid).is_none()) {
            self.token_cache
                .retain_keys(|kid| ring.verifier(kid).is_some());
        }
        Ok(())
    }
}

/// Creates the data directory readable by this user only (0700) and the SQLite database in it
/// (0600) before SQLite opens it: it holds signing keys, client secrets and the payment token
/// key. Existing ones are narrowed to those modes; SQLite gives its `-wal` and `-shm` files the
/// database's mode.
fn private_data_dir(dir: &std::path::Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
        let db = dir.join(crate::config::DATABASE_FILE);
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .mode(0o600)
            .open(&db)?;
        for suffix in ["", "-wal", "-shm"] {
            let path = dir.join(format!("{}{suffix}", crate::config::DATABASE_FILE));
            if path.exists() {
                std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
            }
        }
    }
    Ok(())
}

/// Tells other instances about a change. Their catch-up covers a failed notification, so a
/// failure is logged, not returned.
pub async fn notify(state: &AppState, event: storefront_auth_store::Event) {
    if let Err(e) = state.store.notify(&event).await {
        tracing::warn!(error = ?e, "notify failed; other instances catch up within a second");
    }
}
