//! What a checkout holds besides its cart: shipping consignments, quoted the store's shipping
//! methods and its carriers (`service::checkout_shipping`), and gift certificates (the
//! stand-in sells none).

use async_graphql::SimpleObject;
use storefront_auth_core::shipping::Quote;
use storefront_auth_store::ConsignmentAddress;

use super::money::Money;
use super::scalars::DateTimeExtended;
use crate::service::checkout_shipping::QuotedConsignment;
use crate::service::geography;

#[derive(SimpleObject, Clone, Debug)]
pub struct CheckoutConsignmentAddress {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub email: Option<String>,
    pub company: Option<String>,
    pub address1: Option<String>,
    pub address2: Option<String>,
    pub city: Option<String>,
    pub state_or_province: Option<String>,
    pub state_or_province_code: Option<String>,
    pub country_code: String,
    pub postal_code: Option<String>,
    pub phone: Option<String>,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct CheckoutAvailableShippingOption {
    pub entity_id: String,
    pub description: String,
    #[graphql(name = "type")]
    pub kind: String,
    pub cost: Money,
    pub is_recommended: bool,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct CheckoutSelectedShippingOption {
    pub entity_id: String,
    pub description: String,
    #[graphql(name = "type")]
    pub kind: String,
    pub cost: Money,
}

#[derive(SimpleObject, Clone, Debug)]
#[graphql(complex)]
pub struct CheckoutShippingConsignment {
    pub entity_id: String,
    pub address: CheckoutConsignmentAddress,
    #[graphql(skip)]
    pub options: Vec<CheckoutAvailableShippingOption>,
    /// Why a carrier could not quote this consignment.
    #[graphql(skip)]
    pub unavailable: Option<String>,
    pub selected_shipping_option: Option<CheckoutSelectedShippingOption>,
    pub line_item_ids: Vec<String>,
    /// The chosen option's cost (null until one is chosen); no handling is charged.
    pub shipping_cost: Option<Money>,
    pub handling_cost: Option<Money>,
}

impl CheckoutShippingConsignment {
    pub fn of(q: &QuotedConsignment) -> Self {
        let a = &q.consignment.address;
        let state = a
            .state_or_province
            .as_deref()
            .and_then(|s| geography::state(&a.country_code, s));
        let selected = q.selected.as_ref();
        CheckoutShippingConsignment {
            entity_id: q.consignment.id.clone(),
            address: CheckoutConsignmentAddress {
                first_name: a.first_name.clone(),
                last_name: a.last_name.clone(),
                email: a.email.clone(),
                company: a.company.clone(),
                address1: a.address1.clone(),
                address2: a.address2.clone(),
                city: a.city.clone(),
                state_or_province: state
                    .map(|(name, _)| name.to_string())
                    .or_else(|| a.state_or_province.clone()),
                state_or_province_code: state.map(|(_, code)| code.to_string()),
                country_code: a.country_code.clone(),
                postal_code: a.postal_code.clone(),
                phone: a.phone.clone(),
            },
            options: q.options.iter().map(available).collect(),
            unavailable: q.unavailable.clone(),
            selected_shipping_option: selected.map(|s| CheckoutSelectedShippingOption {
                entity_id: s.option_id.clone(),
                description: s.description.clone(),
                kind: s.option_type.to_string(),
                cost: Money::cents(s.cost_cents),
            }),
            line_item_ids: q.line_item_ids.clone(),
            shipping_cost: selected.map(|s| Money::cents(s.cost_cents)),
            handling_cost: Some(Money::cents(0)),
        }
    }
}

#[async_graphql::ComplexObject]
impl CheckoutShippingConsignment {
    /// The store's shipping methods for the destination and the connected carriers' rates;
    /// an error when a carrier failed to quote (the choice made so far is kept).
    async fn available_shipping_options(
        &self,
    ) -> async_graphql::Result<Option<Vec<CheckoutAvailableShippingOption>>> {
        match &self.unavailable {
            Some(why) => Err(async_graphql::Error::new(why.clone())),
            None => Ok(Some(self.options.clone())),
        }
    }
}

fn available(q: &Quote) -> CheckoutAvailableShippingOption {
    CheckoutAvailableShippingOption {
        entity_id: q.option_id.clone(),
        description: q.description.clone(),
        kind: q.option_type.to_string(),
        cost: Money::cents(q.cost_cents),
        is_recommended: q.recommended,
    }
}

#[derive(SimpleObject, Clone, Debug)]
pub struct CheckoutGiftCertificate {
    pub entity_id: i32,
    pub code: String,
    pub balance: Money,
    pub remaining: Money,
    pub used: Money,
    pub purchase_date: DateTimeExtended,
}

/// The billing address of a checkout; its `entityId` is the checkout's (it has one).
#[derive(SimpleObject, Clone, Debug)]
pub struct CheckoutBillingAddress {
    pub entity_id: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub email: Option<String>,
    pub company: Option<String>,
    pub address1: Option<String>,
    pub address2: Option<String>,
    pub city: Option<String>,
    pub state_or_province: Option<String>,
    pub state_or_province_code: Option<String>,
    pub country_code: String,
    pub postal_code: Option<String>,
    pub phone: Option<String>,
}

impl CheckoutBillingAddress {
    pub fn of(checkout_id: &str, a: ConsignmentAddress) -> Self {
        let state = a
            .state_or_province
            .as_deref()
            .and_then(|s| geography::state(&a.country_code, s));
        CheckoutBillingAddress {
            entity_id: checkout_id.to_string(),
            state_or_province_code: state.map(|(_, code)| code.to_string()),
            first_name: a.first_name,
            last_name: a.last_name,
            email: a.email,
            company: a.company,
            address1: a.address1,
            address2: a.address2,
            city: a.city,
            state_or_province: a.state_or_province,
            country_code: a.country_code,
            postal_code: a.postal_code,
            phone: a.phone,
        }
    }
}
