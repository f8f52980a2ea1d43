//! Shipping on a checkout (Catalyst's cart page estimates it): consignments say where lines
//! ship, each is quoted the store's shipping methods that serve its country, and the option
//! chosen is charged when the order is placed. Every change is one change of the cart at the
//! version read, so a change racing another (or a line edit) is refused rather than lost.

use storefront_auth_core::shipping::{self, Method, Quote};
use storefront_auth_store::{
    Cart, CartItem, Consignment, ConsignmentAddress, ConsignmentChange, StoreError,
};

use super::carts::Shopper;
use super::checkout_change::{after_change, open_at, shown, CheckoutChangeError};
use super::shipping_methods::methods;
use super::{geography, Domain};

/// The longest address field a consignment keeps.
const MAX_FIELD_LEN: usize = 255;

/// A consignment as asked for: where, and which lines with what quantity.
pub struct ConsignmentRequest {
    pub address: ConsignmentAddress,
    pub lines: Vec<(String, i64)>,
}

/// A consignment with its quotes: the lines it ships that are still in the cart, the options
/// for them, and the chosen one while it is still offered.
#[derive(Clone, Debug)]
pub struct QuotedConsignment {
    pub consignment: Consignment,
    pub line_item_ids: Vec<String>,
    pub options: Vec<Quote>,
    pub selected: Option<Quote>,
}

/// The checkout's consignments, quoted.
pub async fn quoted(domain: &Domain, cart: &Cart) -> Result<Vec<QuotedConsignment>, StoreError> {
    let consignments = domain.store().consignments(&cart.id).await?;
    if consignments.is_empty() {
        return Ok(Vec::new());
    }
    let items = domain.store().cart_items(&cart.id).await?;
    let methods = methods(domain, cart.store_id).await?;
    Ok(consignments
        .into_iter()
        .map(|c| quote(&methods, &items, c))
        .collect())
}

fn quote(methods: &[Method], items: &[CartItem], consignment: Consignment) -> QuotedConsignment {
    let shipped: Vec<&CartItem> = items
        .iter()
        .filter(|i| consignment.line_item_ids.contains(&i.id))
        .collect();
    let units = shipped.iter().map(|i| i.quantity).sum();
    let options = shipping::quotes(methods, &consignment.address.country_code, units);
    let selected = consignment.selected_method_id.and_then(|m| {
        options
            .iter()
            .find(|q| q.option_id == m.to_string())
            .cloned()
    });
    QuotedConsignment {
        line_item_ids: shipped.iter().map(|i| i.id.clone()).collect(),
        consignment,
        options,
        selected,
    }
}

/// What the chosen options cost together; `None` while none is chosen.
pub fn shipping_cents(quoted: &[QuotedConsignment]) -> Option<i64> {
    let chosen: Vec<i64> = quoted
        .iter()
        .filter_map(|q| q.selected.as_ref().map(|s| s.cost_cents))
        .collect();
    (!chosen.is_empty()).then(|| chosen.iter().fold(0i64, |a, c| a.saturating_add(*c)))
}

/// Adds consignments to the checkout.
pub async fn add(
    domain: &Domain,
    who: &Shopper,
    cart_id: &str,
    version: Option<i64>,
    requests: Vec<ConsignmentRequest>,
) -> Result<Cart, CheckoutChangeError> {
    let cart = open_at(domain, who, cart_id, version).await?;
    let existing = domain.store().consignments(&cart.id).await?;
    let items = domain.store().cart_items(&cart.id).await?;
    let mut taken: Vec<String> = existing.into_iter().flat_map(|c| c.line_item_ids).collect();
    let mut added = Vec::new();
    for request in requests {
        added.push(checked(
            request,
            &items,
            &mut taken,
            uuid::Uuid::new_v4().to_string(),
        )?);
    }
    if added.is_empty() {
        return Err(CheckoutChangeError::NoLines);
    }
    write(domain, &cart, ConsignmentChange::Add(&added)).await
}

/// Replaces a consignment's address and lines; its chosen option is cleared.
pub async fn update(
    domain: &Domain,
    who: &Shopper,
    cart_id: &str,
    consignment_id: &str,
    version: Option<i64>,
    request: ConsignmentRequest,
) -> Result<Cart, CheckoutChangeError> {
    let cart = open_at(domain, who, cart_id, version).await?;
    let existing = domain.store().consignments(&cart.id).await?;
    if !existing.iter().any(|c| c.id == consignment_id) {
        return Err(CheckoutChangeError::UnknownConsignment(shown(
            consignment_id,
        )));
    }
    let items = domain.store().cart_items(&cart.id).await?;
    let mut taken: Vec<String> = existing
        .into_iter()
        .filter(|c| c.id != consignment_id)
        .flat_map(|c| c.line_item_ids)
        .collect();
    let replaced = checked(request, &items, &mut taken, consignment_id.to_string())?;
    write(domain, &cart, ConsignmentChange::Replace(&replaced)).await
}

/// Chooses one of a consignment's options.
pub async fn select(
    domain: &Domain,
    who: &Shopper,
    cart_id: &str,
    consignment_id: &str,
    version: Option<i64>,
    option_id: &str,
) -> Result<Cart, CheckoutChangeError> {
    let cart = open_at(domain, who, cart_id, version).await?;
    let quoted = quoted(domain, &cart).await?;
    let consignment = quoted
        .iter()
        .find(|q| q.consignment.id == consignment_id)
        .ok_or_else(|| CheckoutChangeError::UnknownConsignment(shown(consignment_id)))?;
    let method_id = consignment
        .options
        .iter()
        .find(|o| o.option_id == option_id)
        .and_then(|o| o.option_id.parse().ok())
        .ok_or_else(|| CheckoutChangeError::UnavailableOption(shown(option_id)))?;
    let change = ConsignmentChange::Select {
        id: consignment_id,
        method_id,
    };
    write(domain, &cart, change).await
}

async fn write(
    domain: &Domain,
    cart: &Cart,
    change: ConsignmentChange<'_>,
) -> Result<Cart, CheckoutChangeError> {
    let changed = domain
        .store()
        .change_consignments(&cart.id, cart.version, change, domain.now())
        .await?;
    after_change(domain, cart, changed).await
}

/// Checks a requested consignment against the cart's lines and those already shipped.
fn checked(
    request: ConsignmentRequest,
    items: &[CartItem],
    taken: &mut Vec<String>,
    id: String,
) -> Result<Consignment, CheckoutChangeError> {
    let address = checked_address(request.address)?;
    if request.lines.is_empty() {
        return Err(CheckoutChangeError::NoLines);
    }
    let mut line_item_ids = Vec::new();
    for (line_id, quantity) in request.lines {
        let item = items
            .iter()
            .find(|i| i.id == line_id)
            .ok_or_else(|| CheckoutChangeError::UnknownLine(shown(&line_id)))?;
        if taken.contains(&line_id) {
            return Err(CheckoutChangeError::LineTwice(line_id));
        }
        if quantity != item.quantity {
            return Err(CheckoutChangeError::PartialLine(line_id, item.quantity));
        }
        taken.push(line_id.clone());
        line_item_ids.push(line_id);
    }
    Ok(Consignment {
        id,
        address,
        line_item_ids,
        selected_method_id: None,
    })
}

/// A country the stand-in knows, a state of it when it lists states, and no field longer
/// than `MAX_FIELD_LEN`. Blank fields are absent.
fn checked_address(mut a: ConsignmentAddress) -> Result<ConsignmentAddress, CheckoutChangeError> {
    let invalid = CheckoutChangeError::InvalidAddress;
    a.country_code = a.country_code.trim().to_ascii_uppercase();
    if geography::country_name(&a.country_code).is_none() {
        return Err(invalid(format!(
            "Country code {} is not supported.",
            shown(&a.country_code)
        )));
    }
    for field in [
        &mut a.first_name,
        &mut a.last_name,
        &mut a.email,
        &mut a.company,
        &mut a.address1,
        &mut a.address2,
        &mut a.city,
        &mut a.state_or_province,
        &mut a.postal_code,
        &mut a.phone,
    ] {
        *field = field
            .take()
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty());
        if field
            .as_ref()
            .is_some_and(|v| v.chars().count() > MAX_FIELD_LEN)
        {
            return Err(invalid(format!(
                "An address field is longer than {MAX_FIELD_LEN} characters."
            )));
        }
    }
    // A state is kept by its name, however it was given (name, abbreviation or id).
    if let Some(given) = a.state_or_province.take() {
        match geography::state(&a.country_code, &given) {
            Some((name, _)) => a.state_or_province = Some(name.to_string()),
            None if geography::has_states(&a.country_code) => {
                return Err(invalid(format!(
                    "{given} is not a state or province of {}.",
                    a.country_code
                )));
            }
            None => a.state_or_province = Some(given),
        }
    }
    Ok(a)
}
