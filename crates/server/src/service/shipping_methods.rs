//! A store's shipping methods: what operators define (`storefront-auth shipping`) and what
//! the checkout quotes (`checkout_shipping`).

use storefront_auth_core::shipping::{self, Method, RateKind};
use storefront_auth_store::{ShippingMethodRecord, StoreError};

use super::Domain;

/// The store's shipping methods as the policy reads them (a method of an unknown kind, which
/// only a newer version could have written, is not offered).
pub async fn methods(domain: &Domain, store_id: i64) -> Result<Vec<Method>, StoreError> {
    Ok(domain
        .store()
        .shipping_methods(store_id)
        .await?
        .into_iter()
        .filter_map(|m| {
            Some(Method {
                id: m.id,
                name: m.name,
                kind: RateKind::parse(&m.kind)?,
                rate_cents: m.rate_cents,
                countries: m
                    .countries
                    .split(',')
                    .filter(|c| !c.is_empty())
                    .map(String::from)
                    .collect(),
            })
        })
        .collect())
}

/// How many shipping methods a store may have.
pub const MAX_METHODS: i64 = 50;

#[derive(Debug, thiserror::Error)]
pub enum MethodError {
    #[error("No store {0}.")]
    NoSuchStore(String),
    #[error("{0}")]
    Invalid(String),
    #[error("A store has at most {MAX_METHODS} shipping methods.")]
    TooMany,
    #[error("No shipping method {0} in this store.")]
    NoSuchMethod(i64),
    #[error(transparent)]
    Store(#[from] StoreError),
}

async fn store_id(domain: &Domain, hash: &str) -> Result<i64, MethodError> {
    let store = super::stores::find(domain, hash).await?;
    Ok(store
        .ok_or_else(|| MethodError::NoSuchStore(hash.to_string()))?
        .id)
}

/// Adds a shipping method to the store `hash`; it is offered from the next quote on.
pub async fn add_method(
    domain: &Domain,
    hash: &str,
    name: &str,
    kind: &str,
    rate_cents: i64,
    countries: &[String],
) -> Result<ShippingMethodRecord, MethodError> {
    let kind = RateKind::parse(kind).ok_or_else(|| {
        MethodError::Invalid(format!(
            "{kind:?} is not a kind of rate (flat, per_item or free)."
        ))
    })?;
    let countries =
        shipping::check_method(name, kind, rate_cents, countries).map_err(MethodError::Invalid)?;
    let record = ShippingMethodRecord {
        id: 0,
        store_id: store_id(domain, hash).await?,
        name: name.trim().to_string(),
        kind: kind.as_str().to_string(),
        rate_cents,
        countries: countries.join(","),
    };
    domain
        .store()
        .create_shipping_method(&record, MAX_METHODS, domain.now_for(record.store_id))
        .await?
        .ok_or(MethodError::TooMany)
}

pub async fn list_methods(
    domain: &Domain,
    hash: &str,
) -> Result<Vec<ShippingMethodRecord>, MethodError> {
    Ok(domain
        .store()
        .shipping_methods(store_id(domain, hash).await?)
        .await?)
}

/// Removes a method: it is no longer offered, and a consignment that chose it has no option.
pub async fn remove_method(domain: &Domain, hash: &str, id: i64) -> Result<(), MethodError> {
    let store_id = store_id(domain, hash).await?;
    if !domain.store().delete_shipping_method(store_id, id).await? {
        return Err(MethodError::NoSuchMethod(id));
    }
    Ok(())
}
