//! The domain layer: everything an operator, a shopper or an app can ask the product to do,
//! with storage and policy wired together, called by every surface (management REST, the
//! storefront GraphQL API, pages, REST Storefront, login, the CLI). No HTTP here.
//!
//! Its handle is [`Domain`]: the store, the clock, the key ring and the caches, and nothing
//! of any surface. The store is reachable only from inside this module, so a rule that reads
//! or writes data lives here, once.

pub mod account;
pub mod accounts;
pub mod addresses;
mod app_payloads;
pub mod apps;
pub mod assertion_keys;
pub mod audit;
pub mod authorize;
pub mod auto_token;
pub mod caches;
pub mod carriers;
pub mod cart_lines;
pub mod cart_options;
pub mod carts;
pub mod catalog;
pub mod checkout;
pub mod checkout_billing;
pub mod checkout_change;
pub mod checkout_links;
pub mod checkout_shipping;
pub mod checkout_view;
pub mod companies;
pub mod coupons;
pub mod credentials;
pub mod current_customer;
pub mod customer_context;
pub mod customer_login;
pub mod customers;
pub mod demo;
pub mod dev_state;
pub mod dev_stores;
pub mod directory;
pub mod faults;
pub mod fields;
pub mod geography;
pub mod hosted_checkout;
pub mod images;
pub mod keys;
pub mod mail;
pub mod newsletter;
mod open;
pub mod orders;
pub mod outbound;
pub mod password_reset;
pub mod passwords;
pub mod payments;
mod provider_calls;
pub mod registration;
pub mod rehearsal;
pub mod revocation;
mod secrets;
pub mod seed;
pub mod shipping_methods;
pub mod sitemap;
pub mod store_clock;
pub mod stores;
pub mod sync;
pub mod tax;
pub mod tax_providers;
pub mod token_inspect;
pub mod token_request;
pub mod tokens;
pub mod wishlists;

use std::sync::{Arc, Mutex, OnceLock, RwLock};
use std::time::{Duration, Instant};

use storefront_auth_core::clock::Clock;
use storefront_auth_core::keys::MasterKey;
use storefront_auth_core::token::Claims;
use storefront_auth_core::{DeprecationSchedule, KeyRing};
use storefront_auth_store::Store;

use crate::config::CustomersConfig;
use crate::metrics::Metrics;
use caches::{
    CatalogCache, Directory, FaultBook, ProviderAnswers, SessionCache, StoreClocks, TokenCache,
    UsageCounters,
};

pub use open::StartError;

/// The handle every domain operation takes: cheap to clone, shared by every surface.
#[derive(Clone, Debug)]
pub struct Domain(Arc<Inner>);

/// What the domain reads of the configuration.
#[derive(Clone, Debug)]
pub struct Settings {
    /// Storefront hosts are `store-{hash}[-{channel}].{domain}` (SPEC §2).
    pub domain: String,
    /// The store served on hosts that name no store.
    pub default_store: String,
    pub customers: CustomersConfig,
}

#[derive(Debug)]
struct Inner {
    store: Store,
    clock: Arc<dyn Clock>,
    /// Stores' own clocks, as offsets from `clock` (issue 19).
    clocks: StoreClocks,
    settings: Settings,
    schedule: DeprecationSchedule,
    master_key: Option<MasterKey>,
    keys: RwLock<Arc<KeyRing>>,
    passwords: passwords::Passwords,
    /// Where customers' passwords are checked (`gateway.login`).
    credentials: credentials::Credentials,
    tokens: TokenCache,
    sign_ins: SessionCache,
    directory: Directory,
    usage: UsageCounters,
    /// The decision inspector's rings (issue 19).
    decisions: caches::decisions::DecisionLog,
    catalog: CatalogCache,
    /// Faults tests asked for (development mode).
    faults: FaultBook,
    outbound: outbound::Outbound,
    /// Answers of tax and shipping providers, by request.
    provider_answers: ProviderAnswers,
    /// The HS256 key of payment access tokens, read from the database on first use.
    payments_key: OnceLock<Vec<u8>>,
    /// When the PostgreSQL event listener went down (`None` while it is up, or on SQLite).
    listener_down_since: Mutex<Option<Instant>>,
    metrics: Arc<Metrics>,
}

impl Domain {
    /// The process clock: for what no store owns and for what instances tell each other
    /// (revocations, key rotations, the catch-up's watermark), which must share one time line.
    pub fn now(&self) -> i64 {
        self.0.clock.now()
    }

    /// The time of `store_id`'s rules: its own simulated clock (the system's real time plus
    /// an offset, the same in every process) if it has one (issue 19), else the process clock.
    /// Everything time decides for a store reads this: token expiry and the cut-offs,
    /// session, CAT and link lifetimes, the Customer Login `iat` window, throttling windows,
    /// and the times the store's records say things happened.
    pub fn now_for(&self, store_id: i64) -> i64 {
        match self.0.clocks.offset(store_id) {
            Some(offset) => storefront_auth_core::clock::system_now().saturating_add(offset),
            None => self.now(),
        }
    }

    pub fn settings(&self) -> &Settings {
        &self.0.settings
    }

    /// The dates after which storefront tokens are refused server-to-server (SPEC §5.3).
    pub fn schedule(&self) -> &DeprecationSchedule {
        &self.0.schedule
    }

    pub fn keys(&self) -> Arc<KeyRing> {
        match self.0.keys.read() {
            Ok(g) => g.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// The counters shared with the HTTP layer (request counts, token cache hits).
    pub fn metrics(&self) -> &Metrics {
        &self.0.metrics
    }

    /// The storefront host of a store's channel (SPEC §2).
    pub fn storefront_host(&self, hash: &str, channel: i64) -> String {
        let domain = &self.0.settings.domain;
        if channel == 1 {
            format!("store-{hash}.{domain}")
        } else {
            format!("store-{hash}-{channel}.{domain}")
        }
    }

    /// Does the database answer?
    pub async fn database_ok(&self) -> bool {
        self.0.store.ping().await.is_ok()
    }

    /// How long the event listener has been down (zero while up, and always on SQLite).
    pub fn event_listener_down_for(&self) -> Duration {
        self.0
            .listener_down_since
            .lock()
            .ok()
            .and_then(|s| s.map(|t| t.elapsed()))
            .unwrap_or_default()
    }

    /// Closes the database connections (at shutdown, or to simulate an outage in tests).
    pub async fn close(&self) {
        self.0.store.close().await;
    }

    /// The decision inspector's rings.
    pub fn faults(&self) -> &FaultBook {
        &self.0.faults
    }

    pub fn decisions(&self) -> &caches::decisions::DecisionLog {
        &self.0.decisions
    }

    /// Counts one use of a token for the registry's usage columns and the audit's evidence
    /// (SPEC §9, issue 19), batched.
    /// Times are the token's store's (its simulated clock, if any), as the audit reads them.
    pub fn record_token_use(&self, claims: &Claims, signal: &caches::usage::UseSignal<'_>) {
        self.0
            .usage
            .record(&claims.jti, signal, self.now_for(claims.sid));
    }

    /// How many handles to this domain exist (tests: nothing keeps it alive by a cycle).
    #[cfg(test)]
    pub(crate) fn handles(&self) -> usize {
        Arc::strong_count(&self.0)
    }

    fn store(&self) -> &Store {
        &self.0.store
    }

    /// The listener starts: `/readyz`'s grace runs from now, not from when the domain was
    /// opened (opening and seeding a large store before serving is not time without it).
    fn listener_starting(&self) {
        if let Ok(mut since) = self.0.listener_down_since.lock() {
            if since.is_some() {
                *since = Some(Instant::now());
            }
        }
    }

    fn set_listener_up(&self, up: bool) {
        if let Ok(mut since) = self.0.listener_down_since.lock() {
            match (up, *since) {
                (true, _) => *since = None,
                (false, None) => *since = Some(Instant::now()),
                (false, Some(_)) => {}
            }
        }
    }
}
