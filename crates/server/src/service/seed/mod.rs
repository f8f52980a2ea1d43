//! Seeds (issue 20): a store described as a file, TOML or JSON, loaded by `serve --seed FILE`
//! on an empty database and by `POST /_dev/stores` (the demo seed, or one in the body). The
//! demo store is itself a seed, `demo/demo.toml`, shipped in the repository and built in.
//!
//! A seed is read whole and checked before anything is written: unknown fields, names that
//! point nowhere (a product's brand, a customer's group, an order's SKU), duplicates and
//! values out of range are refused with the seed's own words, so a typo never half-seeds.

pub mod apply;
mod assets;
mod catalog;
mod check;
mod history;
#[cfg(test)]
mod tests;

use serde::Deserialize;

pub use apply::{apply, Seeded, SeededAccount, SeededApp};
pub use assets::Assets;
pub use catalog::prepare;
pub use check::check;

/// The demo seed, built in.
pub const DEMO_SEED: &str = include_str!("../../../demo/demo.toml");

/// A store as data.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Seed {
    pub store: SeedStore,
    /// The store's channels, channel 1 first; one on `http://localhost:4000` when none.
    #[serde(default)]
    pub channels: Vec<SeedChannel>,
    #[serde(default)]
    pub api_accounts: Vec<SeedAccount>,
    #[serde(default)]
    pub customer_groups: Vec<SeedGroup>,
    #[serde(default)]
    pub customers: Vec<SeedCustomer>,
    #[serde(default)]
    pub brands: Vec<String>,
    #[serde(default)]
    pub categories: Vec<SeedCategory>,
    #[serde(default)]
    pub products: Vec<SeedProduct>,
    #[serde(default)]
    pub web_pages: Vec<SeedPage>,
    #[serde(default)]
    pub shipping_methods: Vec<SeedShipping>,
    #[serde(default)]
    pub coupons: Vec<SeedCoupon>,
    /// Past orders, placed and paid through the real checkout and payment code.
    #[serde(default)]
    pub orders: Vec<SeedOrder>,
    /// Apps the store registered for itself (installed through the usual flow).
    #[serde(default)]
    pub apps: Vec<SeedApp>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedApp {
    pub name: String,
    pub auth_callback: String,
    pub load_callback: String,
    pub uninstall_callback: Option<String>,
    /// OAuth scope names, such as `store_v2_products`.
    pub scopes: Vec<String>,
    /// Fixed credentials, made when absent.
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedStore {
    pub name: String,
    /// The store hash under `serve --seed` (default `demo`); isolated stores get a fresh one.
    pub hash: Option<String>,
    /// Image files (or `data:` URLs) of the store's logo and favicon.
    pub logo: Option<String>,
    pub favicon: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedChannel {
    /// Channels after the first; the first is named by the platform.
    pub name: Option<String>,
    pub site_url: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedAccount {
    pub name: String,
    /// Every scope when not given.
    pub scopes: Option<Vec<String>>,
    /// Fixed credentials, so a test knows them before the server starts; made when absent.
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
    pub access_token: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedGroup {
    pub name: String,
    /// A discount on every price for the group's customers, in percent.
    #[serde(default)]
    pub discount_percent: f64,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedCustomer {
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    #[serde(default)]
    pub phone: String,
    /// A customer group's name.
    pub group: Option<String>,
    pub password: String,
    #[serde(default)]
    pub addresses: Vec<SeedAddress>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedAddress {
    pub address1: String,
    pub city: String,
    pub state_or_province: Option<String>,
    pub postal_code: Option<String>,
    pub country_code: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedCategory {
    pub name: String,
    /// The parent category's name (listed before this one); top level when absent.
    pub parent: Option<String>,
    #[serde(default)]
    pub description: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedProduct {
    pub name: String,
    pub sku: String,
    /// In the store's currency, e.g. `109.00`.
    pub price: f64,
    #[serde(default)]
    pub description: String,
    pub brand: Option<String>,
    #[serde(default)]
    pub categories: Vec<String>,
    #[serde(default)]
    pub featured: bool,
    /// Units on hand; not tracked when absent.
    pub stock: Option<i64>,
    /// An image file (relative to the seed file) or a `data:` URL.
    pub image: Option<String>,
    pub weight_grams: Option<i64>,
    #[serde(default)]
    pub gtin: String,
    #[serde(default)]
    pub mpn: String,
    #[serde(default)]
    pub warranty: String,
    #[serde(default)]
    pub custom_fields: Vec<SeedCustomField>,
    #[serde(default)]
    pub options: Vec<SeedOption>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedCustomField {
    pub name: String,
    pub value: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedOption {
    /// `multiple_choice`, `text`, `checkbox`, … (the platform's option types).
    pub kind: String,
    pub display_name: String,
    #[serde(default)]
    pub display_style: String,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub values: Vec<SeedOptionValue>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedOptionValue {
    pub label: String,
    #[serde(default)]
    pub default: bool,
    /// Swatch colours, `#rrggbb`.
    #[serde(default)]
    pub colors: Vec<String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedPage {
    /// `normal`, `contact` or `link`.
    #[serde(default = "normal")]
    pub kind: String,
    pub name: String,
    #[serde(default)]
    pub body: String,
    /// The address of a `link` page.
    #[serde(default)]
    pub link: String,
    #[serde(default = "yes")]
    pub in_navigation: bool,
    /// Pages below this one (one level).
    #[serde(default)]
    pub children: Vec<SeedPage>,
}

fn normal() -> String {
    "normal".into()
}

fn yes() -> bool {
    true
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedShipping {
    pub name: String,
    /// `flat` (per order) or `per_item`.
    pub kind: String,
    pub rate: f64,
    /// ISO country codes it ships to.
    pub countries: Vec<String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedCoupon {
    pub code: String,
    /// A percentage off the goods, or
    pub percent: Option<f64>,
    /// an amount off the goods.
    pub amount: Option<f64>,
    /// 0: unlimited.
    #[serde(default)]
    pub max_uses: i64,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedOrder {
    /// The customer's email.
    pub customer: String,
    pub lines: Vec<SeedLine>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedLine {
    pub sku: String,
    pub quantity: i64,
}

/// A file seeding several stores.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SeedFile {
    stores: Vec<Seed>,
}

/// Why a seed was refused: where, in the seed's own terms.
#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error("{0}")]
    Invalid(String),
    #[error("seeding failed: {0}")]
    Failed(String),
}

/// A step of seeding failed: which, and why.
fn failed(what: &str, e: impl std::fmt::Display) -> SeedError {
    SeedError::Failed(format!("{what}: {e}"))
}

/// Money in the store's currency as cents.
fn cents(amount: f64) -> i64 {
    (amount * 100.0).round() as i64
}

impl Seed {
    /// Reads a seed written as TOML (or JSON when `json`); the error names the line.
    pub fn parse(text: &str, json: bool) -> Result<Seed, SeedError> {
        let seed: Seed = if json {
            serde_json::from_str(text).map_err(|e| SeedError::Invalid(e.to_string()))?
        } else {
            toml::from_str(text).map_err(|e| SeedError::Invalid(e.to_string()))?
        };
        Ok(seed)
    }

    /// Reads a seed file: one store, or several as `[[stores]]`, each then naming its `hash`
    /// (unique). The error names the line.
    pub fn parse_file(text: &str, json: bool) -> Result<Vec<Seed>, SeedError> {
        let several = match json {
            true => serde_json::from_str::<serde_json::Value>(text)
                .is_ok_and(|v| v.get("stores").is_some()),
            false => text
                .parse::<toml::Table>()
                .is_ok_and(|t| t.contains_key("stores")),
        };
        if !several {
            return Ok(vec![Seed::parse(text, json)?]);
        }
        let file: SeedFile = match json {
            true => serde_json::from_str(text).map_err(|e| SeedError::Invalid(e.to_string()))?,
            false => toml::from_str(text).map_err(|e| SeedError::Invalid(e.to_string()))?,
        };
        check::check_several(&file.stores)?;
        Ok(file.stores)
    }

    /// A seed already read as JSON (a request's body).
    pub fn from_json(value: serde_json::Value) -> Result<Seed, SeedError> {
        serde_json::from_value(value).map_err(|e| SeedError::Invalid(e.to_string()))
    }

    /// The demo seed with its built-in images (a unit test holds it valid).
    pub fn demo() -> Result<(Seed, Assets), SeedError> {
        Ok((Seed::parse(DEMO_SEED, false)?, Assets::Demo))
    }
}
