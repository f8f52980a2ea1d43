//! A signed-in customer's address book: add, change, delete, list. Every rule for what an
//! address may hold lives here, for every surface.

use storefront_auth_store::{Address, Customer, StoreError};

use super::{geography, Domain};

/// How many addresses one customer may keep (a bound on what one account can store).
pub const MAX_ADDRESSES: i64 = 100;
/// The longest text any address field may hold.
pub const MAX_FIELD: usize = 255;

#[derive(Debug, thiserror::Error)]
pub enum AddressError {
    /// Bad input, with the field's name in the API (`path`).
    #[error("{message}")]
    Invalid { path: &'static str, message: String },
    #[error("Address {0} does not exist.")]
    NotFound(i64),
    #[error("An address book holds at most {MAX_ADDRESSES} addresses.")]
    Full,
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn invalid(path: &'static str, message: impl Into<String>) -> AddressError {
    AddressError::Invalid {
        path,
        message: message.into(),
    }
}

/// Checks a whole address and returns it trimmed, with empty optional fields as none.
pub fn checked(mut a: Address) -> Result<Address, AddressError> {
    let required = [
        ("firstName", &mut a.first_name),
        ("lastName", &mut a.last_name),
        ("address1", &mut a.address1),
        ("city", &mut a.city),
        ("countryCode", &mut a.country_code),
    ];
    for (path, value) in required {
        *value = value.trim().to_string();
        if value.is_empty() {
            return Err(invalid(path, format!("{path} is required.")));
        }
        if value.chars().count() > MAX_FIELD {
            return Err(invalid(
                path,
                format!("{path} is longer than {MAX_FIELD} characters."),
            ));
        }
    }
    let optional = [
        ("company", &mut a.company),
        ("address2", &mut a.address2),
        ("stateOrProvince", &mut a.state_or_province),
        ("postalCode", &mut a.postal_code),
        ("phone", &mut a.phone),
    ];
    for (path, value) in optional {
        *value = value
            .take()
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty());
        if value
            .as_ref()
            .is_some_and(|v| v.chars().count() > MAX_FIELD)
        {
            return Err(invalid(
                path,
                format!("{path} is longer than {MAX_FIELD} characters."),
            ));
        }
    }
    a.country_code = a.country_code.to_ascii_uppercase();
    geography::check_region(&a.country_code, a.state_or_province.as_deref())
        .map_err(|m| invalid("stateOrProvince", m))?;
    Ok(a)
}

pub async fn list(
    domain: &Domain,
    store_id: i64,
    customer: &Customer,
) -> Result<Vec<Address>, AddressError> {
    Ok(domain
        .store()
        .customer_addresses(store_id, customer.id)
        .await?)
}

pub async fn add(
    domain: &Domain,
    store_id: i64,
    customer: &Customer,
    address: Address,
) -> Result<Address, AddressError> {
    let address = checked(address)?;
    domain
        .store()
        .add_customer_address(
            store_id,
            customer.id,
            &address,
            MAX_ADDRESSES,
            domain.now_for(store_id),
        )
        .await?
        .ok_or(AddressError::Full)
}

/// Changes the fields `change` sets on the customer's address `id`; the result is checked
/// as a whole.
pub async fn update(
    domain: &Domain,
    store_id: i64,
    customer: &Customer,
    id: i64,
    change: impl FnOnce(&mut Address),
) -> Result<Address, AddressError> {
    let mut address = list(domain, store_id, customer)
        .await?
        .into_iter()
        .find(|a| a.id == id)
        .ok_or(AddressError::NotFound(id))?;
    change(&mut address);
    let address = checked(address)?;
    if !domain
        .store()
        .update_customer_address(store_id, customer.id, &address)
        .await?
    {
        return Err(AddressError::NotFound(id));
    }
    Ok(address)
}

pub async fn delete(
    domain: &Domain,
    store_id: i64,
    customer: &Customer,
    id: i64,
) -> Result<(), AddressError> {
    if domain
        .store()
        .delete_customer_address(store_id, customer.id, id)
        .await?
    {
        Ok(())
    } else {
        Err(AddressError::NotFound(id))
    }
}
