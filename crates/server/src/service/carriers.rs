//! Shipping carriers (issue 18, SPEC §12): apps register a carrier with its base URL and the
//! connection fields it needs (the CLI offers it to every store, a store's API account to that
//! store alone); a merchant connects it with values for those fields, which the carrier checks
//! (`POST {base}/check_connection_options`); connected carriers are asked for rates during
//! checkout (`POST {base}/rate`, with the options in the body). The options are sealed at rest
//! and never shown or logged.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use storefront_auth_core::carriers::{self, CarrierQuote, RateRequest};
use storefront_auth_store::{CarrierConnection, CarrierRecord, StoreError, StoreRecord};

use super::provider_calls::{ask, checked_registration, valid_id, ProviderCall};
use super::Domain;

/// How many carriers the server keeps, and how many one store may connect.
pub const MAX_CARRIERS: i64 = 1_000;
pub const MAX_CONNECTED: i64 = 5;
/// How many connection fields a carrier may declare, and the longest value of one.
pub const MAX_FIELDS: usize = 20;
pub const MAX_VALUE: usize = 1_000;

/// A field a carrier's connection needs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConnectionField {
    pub code: String,
    pub label: String,
    pub required: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum CarrierError {
    /// Bad input: the field and what is wrong.
    #[error("{1}")]
    Invalid(String, String),
    #[error("Carrier {0} does not exist.")]
    Unknown(String),
    #[error("A carrier with id {0} is registered already.")]
    Exists(String),
    #[error("The server keeps at most {MAX_CARRIERS} carriers.")]
    TooMany,
    #[error("A store connects at most {MAX_CONNECTED} carriers.")]
    TooManyConnected,
    /// The carrier checked the options and refused them, saying why.
    #[error("The carrier refused the connection: {0}")]
    Refused(String),
    /// The carrier could not be asked.
    #[error("The carrier could not check the connection: {0}")]
    Failed(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn invalid(field: &str, why: impl Into<String>) -> CarrierError {
    CarrierError::Invalid(field.to_string(), why.into())
}

/// Registers a carrier: offered to `owner`'s store only, or to every store (`None`).
pub async fn register(
    domain: &Domain,
    id: &str,
    name: &str,
    base_url: &str,
    fields: Vec<ConnectionField>,
    owner: Option<&StoreRecord>,
) -> Result<CarrierRecord, CarrierError> {
    let (name, base_url) = checked_registration(domain, id, name, base_url)
        .map_err(|(field, why)| invalid(field, why))?;
    let bad_field = |f: &ConnectionField| {
        !valid_id(&f.code) || f.label.trim().is_empty() || f.label.chars().count() > 100
    };
    if fields.len() > MAX_FIELDS || fields.iter().any(bad_field) {
        let why = "connection_fields: at most 20, each a code of a-z, 0-9, - and _ with a label of at most 100 characters.";
        return Err(invalid("connection_fields", why));
    }
    let record = CarrierRecord {
        id: id.to_string(),
        owner_store_id: owner.map(|s| s.id),
        name,
        base_url,
        connection_fields: serde_json::to_string(&fields).unwrap_or_else(|_| "[]".into()),
    };
    match domain
        .store()
        .create_carrier(&record, MAX_CARRIERS, domain.now())
        .await
    {
        Ok(true) => Ok(record),
        Ok(false) => Err(CarrierError::TooMany),
        Err(StoreError::Conflict(_)) => Err(CarrierError::Exists(id.to_string())),
        Err(e) => Err(e.into()),
    }
}

/// The carriers `store` may connect (every carrier with `None`).
pub async fn list(
    domain: &Domain,
    store: Option<&StoreRecord>,
) -> Result<Vec<CarrierRecord>, StoreError> {
    domain.store().carriers(store.map(|s| s.id)).await
}

pub fn fields_of(c: &CarrierRecord) -> Vec<ConnectionField> {
    serde_json::from_str(&c.connection_fields).unwrap_or_default()
}

pub async fn remove(domain: &Domain, id: &str) -> Result<(), CarrierError> {
    match domain.store().delete_carrier(id).await? {
        true => Ok(()),
        false => Err(CarrierError::Unknown(crate::logs::escaped(id))),
    }
}

async fn visible(
    domain: &Domain,
    store: &StoreRecord,
    id: &str,
) -> Result<CarrierRecord, CarrierError> {
    list(domain, Some(store))
        .await?
        .into_iter()
        .find(|c| c.id == id)
        .ok_or_else(|| CarrierError::Unknown(id.chars().take(64).collect()))
}

fn seal_name(store_id: i64, carrier_id: &str) -> String {
    format!("carrier connection {store_id} {carrier_id}")
}

/// The options checked against the carrier's declared fields: only those, the required ones
/// present, each a string of at most `MAX_VALUE` characters.
fn checked_options(
    carrier: &CarrierRecord,
    options: &Map<String, Value>,
) -> Result<(), CarrierError> {
    let fields = fields_of(carrier);
    for (key, value) in options {
        if !fields.iter().any(|f| &f.code == key) {
            let shown: String = key.chars().take(64).collect();
            return Err(invalid(
                &format!("connection.{shown}"),
                format!("{shown} is not a connection field of {}.", carrier.id),
            ));
        }
        if value.as_str().is_none_or(|v| v.chars().count() > MAX_VALUE) {
            return Err(invalid(
                &format!("connection.{key}"),
                format!("{key} must be text of at most {MAX_VALUE} characters."),
            ));
        }
    }
    if let Some(missing) = fields
        .iter()
        .find(|f| f.required && !options.contains_key(&f.code))
    {
        return Err(invalid(
            &format!("connection.{}", missing.code),
            format!("{} ({}) is required.", missing.code, missing.label),
        ));
    }
    Ok(())
}

/// Checks the options with the carrier and, when it accepts them, keeps them for the store.
pub async fn connect(
    domain: &Domain,
    store: &StoreRecord,
    carrier_id: &str,
    options: &Map<String, Value>,
) -> Result<(), CarrierError> {
    let carrier = visible(domain, store, carrier_id).await?;
    checked_options(&carrier, options)?;
    let call = ProviderCall {
        provider: &carrier.id,
        url: format!("{}/check_connection_options", carrier.base_url),
        headers: Vec::new(),
        body: carriers::check_body(options).to_string().into_bytes(),
        deadline: None,
    };
    let verdict = ask(domain, call, false, carriers::read_check)
        .await
        .map_err(|f| CarrierError::Failed(f.0))?;
    verdict.map_err(CarrierError::Refused)?;
    let json = Value::Object(options.clone()).to_string();
    let connection = CarrierConnection {
        store_id: store.id,
        carrier_id: carrier.id.clone(),
        options: domain.seal(&seal_name(store.id, &carrier.id), &json),
    };
    match domain
        .store()
        .connect_carrier(&connection, MAX_CONNECTED, domain.now_for(store.id))
        .await?
    {
        true => Ok(()),
        false => Err(CarrierError::TooManyConnected),
    }
}

pub async fn disconnect(
    domain: &Domain,
    store: &StoreRecord,
    carrier_id: &str,
) -> Result<(), CarrierError> {
    let carrier = visible(domain, store, carrier_id).await?;
    match domain
        .store()
        .disconnect_carrier(store.id, &carrier.id)
        .await?
    {
        true => Ok(()),
        false => Err(CarrierError::Unknown(carrier.id)),
    }
}

/// The carriers the store is connected to.
pub async fn connected(domain: &Domain, store_id: i64) -> Result<Vec<CarrierRecord>, StoreError> {
    let all = domain.store().carrier_connections(store_id).await?;
    Ok(all.into_iter().map(|(_, c)| c).collect())
}

/// A carrier's quotes for a consignment, or why it gave none.
pub struct CarrierRates {
    pub carrier: CarrierRecord,
    pub quotes: Result<Vec<CarrierQuote>, String>,
}

/// Asks every carrier the store is connected to for rates (answers cached per request), all
/// within `deadline`.
pub(super) async fn rates(
    domain: &Domain,
    request: &RateRequest,
    deadline: tokio::time::Instant,
) -> Result<Vec<CarrierRates>, StoreError> {
    let mut all = Vec::new();
    for (connection, carrier) in domain.store().carrier_connections(request.store_id).await? {
        let options = domain
            .unseal(
                &seal_name(request.store_id, &carrier.id),
                &connection.options,
            )
            .map_err(|e| e.to_string())
            .and_then(|o| {
                serde_json::from_str::<Map<String, Value>>(&o).map_err(|e| e.to_string())
            });
        let quotes = match options {
            Ok(options) => {
                let call = ProviderCall {
                    provider: &carrier.id,
                    url: format!("{}/rate", carrier.base_url),
                    headers: Vec::new(),
                    body: carriers::rate_body(request, &options)
                        .to_string()
                        .into_bytes(),
                    deadline: Some(deadline),
                };
                ask(domain, call, true, carriers::read_rates)
                    .await
                    .map_err(|f| f.0)
            }
            Err(why) => Err(format!("its connection options cannot be opened ({why})")),
        };
        all.push(CarrierRates { carrier, quotes });
    }
    Ok(all)
}
