//! What a checkout holds besides its cart: shipping consignments and gift certificates. The
//! stand-in quotes no shipping (no address is set on a checkout, so there are no consignments
//! and no shipping cost yet) and sells no gift certificates.

use async_graphql::SimpleObject;

use super::money::Money;
use super::scalars::DateTimeExtended;

#[derive(SimpleObject, Clone, Debug)]
pub struct CheckoutConsignmentAddress {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub city: Option<String>,
    pub state_or_province: Option<String>,
    pub country_code: String,
    pub postal_code: Option<String>,
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
pub struct CheckoutShippingConsignment {
    pub entity_id: String,
    pub address: CheckoutConsignmentAddress,
    pub available_shipping_options: Option<Vec<CheckoutAvailableShippingOption>>,
    pub selected_shipping_option: Option<CheckoutSelectedShippingOption>,
    pub line_item_ids: Vec<String>,
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
