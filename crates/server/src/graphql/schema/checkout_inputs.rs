//! The inputs and results of the checkout's shipping mutations, with BigCommerce's names.

use async_graphql::{InputObject, SimpleObject};
use storefront_auth_store::ConsignmentAddress;

use super::cart::CheckoutNode;
use crate::service::checkout_shipping::ConsignmentRequest;

#[derive(InputObject, Clone, Debug)]
pub struct CheckoutAddressInput {
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
    /// Saving a checkout address to the customer's address book is not done here.
    pub should_save_address: bool,
}

#[derive(InputObject, Clone, Debug)]
pub struct CheckoutConsignmentLineItemInput {
    pub line_item_entity_id: String,
    pub quantity: i32,
}

#[derive(InputObject, Clone, Debug)]
pub struct CheckoutShippingConsignmentInput {
    pub address: CheckoutAddressInput,
    pub line_items: Vec<CheckoutConsignmentLineItemInput>,
}

impl CheckoutAddressInput {
    pub fn address(self) -> ConsignmentAddress {
        ConsignmentAddress {
            first_name: self.first_name,
            last_name: self.last_name,
            email: self.email,
            company: self.company,
            address1: self.address1,
            address2: self.address2,
            city: self.city,
            // The code says the same as the name; either is kept.
            state_or_province: self.state_or_province.or(self.state_or_province_code),
            postal_code: self.postal_code,
            country_code: self.country_code,
            phone: self.phone,
        }
    }
}

impl CheckoutShippingConsignmentInput {
    pub fn request(self) -> ConsignmentRequest {
        ConsignmentRequest {
            address: self.address.address(),
            lines: self
                .line_items
                .into_iter()
                .map(|l| (l.line_item_entity_id, i64::from(l.quantity)))
                .collect(),
        }
    }
}

#[derive(InputObject, Clone, Debug)]
pub struct AddCheckoutShippingConsignmentsDataInput {
    pub consignments: Vec<CheckoutShippingConsignmentInput>,
}

#[derive(InputObject, Clone, Debug)]
pub struct AddCheckoutShippingConsignmentsInput {
    pub checkout_entity_id: String,
    pub data: AddCheckoutShippingConsignmentsDataInput,
    pub version: Option<i32>,
}

#[derive(InputObject, Clone, Debug)]
pub struct UpdateCheckoutShippingConsignmentDataInput {
    pub consignment: CheckoutShippingConsignmentInput,
}

#[derive(InputObject, Clone, Debug)]
pub struct UpdateCheckoutShippingConsignmentInput {
    pub checkout_entity_id: String,
    pub consignment_entity_id: String,
    pub data: UpdateCheckoutShippingConsignmentDataInput,
    pub version: Option<i32>,
}

#[derive(InputObject, Clone, Debug)]
pub struct SelectCheckoutShippingOptionDataInput {
    pub shipping_option_entity_id: String,
}

#[derive(InputObject, Clone, Debug)]
pub struct SelectCheckoutShippingOptionInput {
    pub checkout_entity_id: String,
    pub consignment_entity_id: String,
    pub data: SelectCheckoutShippingOptionDataInput,
    pub version: Option<i32>,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct AddCheckoutShippingConsignmentsResult {
    pub checkout: Option<CheckoutNode>,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct UpdateCheckoutShippingConsignmentResult {
    pub checkout: Option<CheckoutNode>,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct SelectCheckoutShippingOptionResult {
    pub checkout: Option<CheckoutNode>,
}
