//! Opening the domain at start-up: the database (created and migrated), the clock, the keys
//! and the caches.

use std::sync::{Arc, Mutex, OnceLock, RwLock};

use storefront_auth_core::clock::{Clock, OffsetClock};
use storefront_auth_core::keys::MasterKey;
use storefront_auth_store::{Backend, Store};

use super::caches::{
    CatalogCache, Directory, FaultBook, ProviderAnswers, SessionCache, StoreClocks, TokenCache,
    UsageCounters,
};
use super::credentials::Credentials;
use super::keys::{self, KeysError};
use super::outbound::Outbound;
use super::passwords::Passwords;
use super::{Domain, Inner, Settings};
use crate::config::{Config, ConfigError, DATABASE_FILE};
use crate::metrics::Metrics;

/// What the verified-token cache may hold (about 100,000 tokens).
const TOKEN_CACHE_BYTES: usize = 64 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error("database: {0}")]
    Store(#[from] storefront_auth_store::StoreError),
    #[error("signing keys: {0}")]
    Keys(#[from] KeysError),
    #[error("master_key: {0}")]
    MasterKey(#[from] storefront_auth_core::keys::KeyError),
    #[error("data directory {0}: {1}")]
    DataDir(String, std::io::Error),
    #[error("outbound calls: {0}")]
    Outbound(String),
}

fn settings_of(config: &Config) -> Settings {
    Settings {
        domain: config.domain.clone(),
        default_store: config.default_store.clone(),
        customers: config.customers.clone(),
    }
}

impl Domain {
    /// Opens the database (creating and migrating it), loads the keys, and picks the clock:
    /// `clock` when given (tests), else the configured simulated time, else the real one.
    pub async fn open(
        config: &Config,
        clock: Option<Arc<dyn Clock>>,
        metrics: Arc<Metrics>,
    ) -> Result<Domain, StartError> {
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
        let outbound = Outbound::new(&config.outbound.allow, config.outbound.timeout())
            .map_err(StartError::Outbound)?;
        let credentials = credentials_of(config)?;
        let listener_down_since = match store.backend() {
            Backend::Postgres => Some(std::time::Instant::now()),
            Backend::Sqlite => None,
        };
        let domain = Domain(Arc::new(Inner {
            settings: settings_of(config),
            schedule: config.schedule()?,
            clocks: StoreClocks::with(store.store_clock_offsets().await?),
            passwords: Passwords::new(
                std::thread::available_parallelism()
                    .map(|n| n.get())
                    .unwrap_or(2),
            ),
            credentials,
            tokens: TokenCache::new(TOKEN_CACHE_BYTES),
            sign_ins: SessionCache::default(),
            directory: Directory::default(),
            usage: UsageCounters::default(),
            decisions: Default::default(),
            catalog: CatalogCache::default(),
            faults: FaultBook::default(),
            outbound,
            provider_answers: ProviderAnswers::default(),
            payments_key: OnceLock::new(),
            listener_down_since: Mutex::new(listener_down_since),
            keys: RwLock::new(Arc::new(ring)),
            store,
            clock,
            master_key,
            metrics,
        }));
        domain.report_token_cache();
        Ok(domain)
    }
}

impl Domain {
    /// The token cache's size in every `/metrics` rendering. Weak: the metrics are the
    /// domain's own, and a strong reference back would never be dropped.
    fn report_token_cache(&self) {
        let inner = Arc::downgrade(&self.0);
        self.metrics().add_cache("tokens", move || {
            inner.upgrade().map_or((0, 0), |d| {
                let (entries, bytes) = d.tokens.usage();
                (entries as u64, bytes as u64)
            })
        });
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
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .mode(0o600)
            .open(dir.join(DATABASE_FILE))?;
        for suffix in ["", "-wal", "-shm"] {
            let path = dir.join(format!("{DATABASE_FILE}{suffix}"));
            if path.exists() {
                std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
            }
        }
    }
    Ok(())
}

/// Where passwords are checked: `gateway.login` in gateway mode, here otherwise.
fn credentials_of(config: &Config) -> Result<Credentials, StartError> {
    let login = match config.gateway.enabled() {
        true => config.gateway.login.as_str(),
        false => "local",
    };
    Credentials::of(login, config.outbound.timeout()).map_err(StartError::Outbound)
}
