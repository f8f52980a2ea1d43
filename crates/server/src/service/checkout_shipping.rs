//! Shipping on a checkout (Catalyst's cart page estimates it): consignments say where lines
//! ship, each is quoted the store's shipping methods that serve its country and the rates of
//! the carriers the store connected (SPEC §12), and the option chosen is charged when the
//! order is placed. Every change is one change of the cart at the
//! version read, so a change racing another (or a line edit) is refused rather than lost.

use storefront_auth_core::carriers::{self, RateAddress, RateItem, RateRequest};
use storefront_auth_core::shipping::{self, Method, Quote};
use storefront_auth_store::{
    Cart, CartItem, Consignment, ConsignmentAddress, ConsignmentChange, StoreError,
};

use super::carriers as carrier_service;
use super::carts::{priced, PricedCart, PricedLine, Shopper};
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
/// for them (the store's shipping methods and its carriers' quotes), the chosen one while it is
/// still offered, and why a carrier could not quote it.
#[derive(Clone, Debug)]
pub struct QuotedConsignment {
    pub consignment: Consignment,
    pub line_item_ids: Vec<String>,
    pub options: Vec<Quote>,
    pub selected: Option<Quote>,
    pub unavailable: Option<String>,
}

impl QuotedConsignment {
    /// The chosen option cannot be priced because the carrier that quoted it failed.
    fn choice_unpriced(&self) -> bool {
        self.selected.is_none()
            && self.unavailable.is_some()
            && self
                .consignment
                .selected_option
                .as_deref()
                .is_some_and(|o| o.starts_with(carriers::OPTION_PREFIX))
    }
}

/// The checkout's consignments, quoted.
pub async fn quoted(
    domain: &Domain,
    priced: &PricedCart,
) -> Result<Vec<QuotedConsignment>, StoreError> {
    let consignments = domain.store().consignments(&priced.cart.id).await?;
    if consignments.is_empty() {
        return Ok(Vec::new());
    }
    let methods = methods(domain, priced.cart.store_id).await?;
    // Every carrier call of this checkout shares one timeout: a checkout of many consignments
    // and carriers holds its request no longer than one slow call would.
    let deadline = tokio::time::Instant::now() + domain.0.outbound.timeout();
    let mut quoted = Vec::new();
    for c in consignments {
        quoted.push(quote(domain, &methods, priced, c, deadline).await?);
    }
    Ok(quoted)
}

async fn quote(
    domain: &Domain,
    methods: &[Method],
    priced: &PricedCart,
    consignment: Consignment,
    deadline: tokio::time::Instant,
) -> Result<QuotedConsignment, StoreError> {
    let shipped: Vec<&PricedLine> = priced
        .lines
        .iter()
        .filter(|l| consignment.line_item_ids.contains(&l.item.id))
        .collect();
    let units = shipped.iter().map(|l| l.item.quantity).sum();
    let mut options = shipping::quotes(methods, &consignment.address.country_code, units);
    let mut unavailable = None;
    let request = rate_request(priced, &shipped, &consignment.address);
    for answer in carrier_service::rates(domain, &request, deadline).await? {
        match answer.quotes {
            Ok(quotes) => options.extend(
                quotes
                    .iter()
                    .map(|q| carriers::as_option(&answer.carrier.id, q)),
            ),
            Err(why) => {
                let name = &answer.carrier.name;
                unavailable = Some(format!(
                    "The carrier {name} could not quote this consignment: {why}. Try again."
                ))
            }
        }
    }
    shipping::recommend(&mut options);
    let selected = consignment
        .selected_option
        .as_ref()
        .and_then(|id| options.iter().find(|q| &q.option_id == id).cloned());
    Ok(QuotedConsignment {
        line_item_ids: shipped.iter().map(|l| l.item.id.clone()).collect(),
        consignment,
        options,
        selected,
        unavailable,
    })
}

/// What carriers are asked to rate: the lines shipped, at the shopper's prices, to the
/// consignment's address (the stand-in keeps no store address: the origin is the country).
fn rate_request(
    priced: &PricedCart,
    shipped: &[&PricedLine],
    to: &ConsignmentAddress,
) -> RateRequest {
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let state = to
        .state_or_province
        .as_deref()
        .and_then(|s| geography::state(&to.country_code, s));
    RateRequest {
        store_id: priced.cart.store_id,
        customer_id: priced.cart.customer_id.unwrap_or(0),
        customer_group_id: 0,
        origin: RateAddress {
            country_iso2: "US".into(),
            ..RateAddress::default()
        },
        destination: RateAddress {
            street_1: text(&to.address1),
            street_2: text(&to.address2),
            zip: text(&to.postal_code),
            city: text(&to.city),
            state_iso2: state.map(|(_, code)| code.to_string()).unwrap_or_default(),
            country_iso2: to.country_code.clone(),
        },
        items: shipped
            .iter()
            .map(|l| RateItem {
                sku: l.sku.clone(),
                product_id: l.item.product_id,
                variant_id: l.item.variant_id,
                name: l.name.clone(),
                quantity: l.item.quantity,
                cents: l.extended_sale_cents(),
            })
            .collect(),
    }
}

/// What the chosen options cost together: `None` while none is chosen; an error when a chosen
/// carrier option cannot be priced because its carrier failed.
pub fn shipping_cents(quoted: &[QuotedConsignment]) -> Result<Option<i64>, String> {
    if let Some(q) = quoted.iter().find(|q| q.choice_unpriced()) {
        return Err(q.unavailable.clone().unwrap_or_default());
    }
    let chosen: Vec<i64> = quoted
        .iter()
        .filter_map(|q| q.selected.as_ref().map(|s| s.cost_cents))
        .collect();
    Ok((!chosen.is_empty()).then(|| chosen.iter().fold(0i64, |a, c| a.saturating_add(*c))))
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
    let priced = priced(domain, cart, who.discount_bp).await?;
    let quoted = quoted(domain, &priced).await?;
    let consignment = quoted
        .iter()
        .find(|q| q.consignment.id == consignment_id)
        .ok_or_else(|| CheckoutChangeError::UnknownConsignment(shown(consignment_id)))?;
    if !consignment.options.iter().any(|o| o.option_id == option_id) {
        return Err(match &consignment.unavailable {
            Some(why) if option_id.starts_with(carriers::OPTION_PREFIX) => {
                CheckoutChangeError::CarrierFailed(why.clone())
            }
            _ => CheckoutChangeError::UnavailableOption(shown(option_id)),
        });
    }
    let change = ConsignmentChange::Select {
        id: consignment_id,
        option_id,
    };
    write(domain, &priced.cart, change).await
}

async fn write(
    domain: &Domain,
    cart: &Cart,
    change: ConsignmentChange<'_>,
) -> Result<Cart, CheckoutChangeError> {
    let changed = domain
        .store()
        .change_consignments(
            &cart.id,
            cart.version,
            change,
            domain.now_for(cart.store_id),
        )
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
        selected_option: None,
    })
}

/// A country the stand-in knows, a state of it when it lists states, and no field longer
/// than `MAX_FIELD_LEN`. Blank fields are absent.
pub(super) fn checked_address(
    mut a: ConsignmentAddress,
) -> Result<ConsignmentAddress, CheckoutChangeError> {
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
