//! Storage for Storefront Auth: one `Store` over sqlx that runs the same SQL on embedded SQLite
//! (the default, a WAL file in the data directory) and on PostgreSQL (shared by many instances).
//! Flags and timestamps are `BIGINT`; secrets are stored as digests, never raw.

mod accounts;
mod addresses;
mod apps;
mod carriers;
mod carts;
mod catalog;
mod checkout_billing;
mod checkout_links;
mod companies;
mod content;
mod coupons;
mod customers;
mod events;
mod images;
mod keys;
mod migrate;
mod newsletter;
mod options;
mod order_details;
mod orders;
mod password_resets;
mod payments;
mod sessions;
mod shipping;
mod store_clocks;
mod store_removal;
mod store_state;
mod store_state_check;
mod store_state_rows;
mod stores;
mod tax_providers;
mod token_usage;
mod tokens;
mod wishlists;

use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{AnyPool, Executor};

pub use accounts::{Account, AccountKind, NewAccount};
pub use addresses::Address;
pub use apps::{App, ClaimedCode, Install};
pub use carriers::{CarrierConnection, CarrierRecord};
pub use carts::{Cart, CartItem, NewCart, NewItem};
pub use catalog::{NewProduct, Product, ProductDetails};
pub use checkout_links::{ClaimedLink, NewCheckoutLink, LINKS_PER_CART};
pub use companies::{CompanyMembership, CompanyRecord, NewCompany};
pub use content::{Brand, Category, NewCategory, NewWebPage, StoreContent, WebPage};
pub use coupons::{CouponRecord, PlacedCoupon};
pub use customers::{Customer, CustomerGroup, NewCustomer};
pub use events::{Event, Listener};
pub use images::StoredImage;
pub use keys::{KeyRingKind, StoredKey};
pub use options::{CustomField, NewOption, OptionValue, ProductOption};
pub use order_details::{OrderAddress, OrderAddresses, PaymentRecord};
pub use orders::{NewOrder, Order, OrderLine, PlacedLine};
pub use password_resets::{Mail, NewMail, OUTBOX_KEEP};
pub use payments::{NewPayment, PaymentAccessToken, PaymentRefused};
pub use sessions::{NewSession, Reservation, Session, SessionKind};
pub use shipping::{Consignment, ConsignmentAddress, ConsignmentChange, ShippingMethodRecord};
pub use store_clocks::{ClockChange, CLOCK_CHANGES_KEPT};
pub use store_removal::OWNED_TABLES;
pub use store_state::{StateError, StoreState, TableRows, STATE_FORMAT};
pub use stores::{Channel, StoreRecord};
pub use tax_providers::{TaxConnection, TaxProviderRecord};
pub use token_usage::{TokenUsage, UseDetail, UseEvidence, MAX_VALUES_PER_DIMENSION, OTHER};
pub use tokens::IssuedToken;
pub use wishlists::{NewWishlist, Wishlist, WishlistItem};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    #[error("already exists: {0}")]
    Conflict(String),
    /// The detail is for logs; the message shown to clients stays generic.
    #[error("the database is unavailable")]
    Unavailable(String),
    #[error("stored data is invalid")]
    Corrupt(String),
    #[error("configuration: {0}")]
    Config(String),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        if let Some(db) = e.as_database_error() {
            let code = db.code().map(|c| c.to_string()).unwrap_or_default();
            if db.is_unique_violation() || code == "23505" || code == "2067" || code == "1555" {
                return StoreError::Conflict(db.message().to_string());
            }
        }
        match e {
            sqlx::Error::RowNotFound => StoreError::NotFound,
            sqlx::Error::ColumnDecode { .. }
            | sqlx::Error::Decode(_)
            | sqlx::Error::ColumnNotFound(_) => StoreError::Corrupt(e.to_string()),
            other => {
                tracing::warn!(error = %other, "database error");
                StoreError::Unavailable(other.to_string())
            }
        }
    }
}

pub type Result<T> = std::result::Result<T, StoreError>;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The database. Cheap to clone (a pool handle).
#[derive(Clone, Debug)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    url: String,
}

impl Store {
    /// Opens (creating and migrating if needed) the database at `url`: `sqlite://PATH` or
    /// `postgres://…`.
    pub async fn open(url: &str) -> Result<Store> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            return Err(StoreError::Config(format!(
                "unsupported database url scheme in {:?}",
                redact(url)
            )));
        };
        let pool = match backend {
            Backend::Sqlite => {
                // Create the file and switch it to WAL once, before the pool opens it.
                let opts = sqlx::sqlite::SqliteConnectOptions::from_str(url)
                    .map_err(|e| StoreError::Config(e.to_string()))?
                    .create_if_missing(true)
                    .journal_mode(sqlx::sqlite::SqliteJournalMode::Wal);
                let conn = sqlx::ConnectOptions::connect(&opts).await?;
                sqlx::Connection::close(conn).await?;
                AnyPoolOptions::new()
                    .max_connections(8)
                    .acquire_timeout(Duration::from_secs(5))
                    .after_connect(|conn, _| {
                        Box::pin(async move {
                            // NORMAL in WAL mode: a committed write survives a process crash
                            // (kill -9); only an OS crash could lose the last transactions.
                            conn.execute("PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;")
                                .await?;
                            Ok(())
                        })
                    })
                    .connect(url)
                    .await?
            }
            Backend::Postgres => {
                AnyPoolOptions::new()
                    .max_connections(16)
                    .acquire_timeout(Duration::from_secs(3))
                    .connect(url)
                    .await?
            }
        };
        let store = Store {
            pool,
            backend,
            url: url.to_string(),
        };
        migrate::run(&store).await?;
        store.fill_product_paths().await?;
        Ok(store)
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The connection URL (for components that need their own connection, such as a listener).
    pub fn url(&self) -> &str {
        &self.url
    }

    pub(crate) fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// A cheap round trip, for readiness.
    pub async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    pub async fn close(&self) {
        self.pool.close().await
    }
}

/// The URL without its password, for messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => format!("{}://***@{}", &url[..s], &url[at + 1..]),
        _ => url.to_string(),
    }
}

pub(crate) fn get<'r, T>(row: &'r AnyRow, col: &str) -> Result<T>
where
    T: sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any>,
{
    use sqlx::Row;
    row.try_get(col).map_err(StoreError::from)
}

pub(crate) fn json_vec<T: serde::de::DeserializeOwned>(s: &str) -> Result<T> {
    serde_json::from_str(s).map_err(|e| StoreError::Corrupt(e.to_string()))
}
