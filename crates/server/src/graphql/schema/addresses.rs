//! The customer's address book in BigCommerce's shape: `customer.addresses` and the
//! `addCustomerAddress` / `updateCustomerAddress` / `deleteCustomerAddress` mutations with
//! their typed error unions. The rules are `service::addresses`.

use async_graphql::{InputObject, Result, SimpleObject, Union};
use storefront_auth_store::Address;

use super::errors::{
    AddressDoesNotExistError, CustomerAddressCreationError, CustomerAddressDeletionError,
    CustomerAddressUpdateError, CustomerNotLoggedInError, ValidationError,
};
use super::scalars::DateTime;
use super::GqlContext;
use crate::service::addresses::{self, AddressError};

#[derive(SimpleObject, Clone, Debug)]
pub struct CustomerAddress {
    pub entity_id: i32,
    pub first_name: String,
    pub last_name: String,
    pub address1: String,
    pub address2: Option<String>,
    pub city: String,
    pub country_code: String,
    pub state_or_province: Option<String>,
    pub postal_code: Option<String>,
    pub phone: Option<String>,
    pub company: Option<String>,
    /// Values of the merchant's own address fields (the stand-in has none).
    pub form_fields: Vec<super::form_fields::CustomerFormFieldValue>,
}

#[derive(InputObject, Clone, Debug)]
pub struct CheckboxesFormFieldInput {
    pub field_entity_id: i32,
    pub field_value_entity_ids: Vec<i32>,
}

#[derive(InputObject, Clone, Debug)]
pub struct MultipleChoiceFormFieldInput {
    pub field_entity_id: i32,
    pub field_value_entity_id: i32,
}

#[derive(InputObject, Clone, Debug)]
pub struct NumberFormFieldInput {
    pub field_entity_id: i32,
    pub number: f64,
}

#[derive(InputObject, Clone, Debug)]
pub struct DateFormFieldInput {
    pub field_entity_id: i32,
    pub date: DateTime,
}

#[derive(InputObject, Clone, Debug)]
pub struct TextFormFieldInput {
    pub field_entity_id: i32,
    pub text: String,
}

#[derive(InputObject, Clone, Debug)]
pub struct MultilineTextFormFieldInput {
    pub field_entity_id: i32,
    pub multiline_text: String,
}

// `Debug` would print passwords: none is kept, and the struct is not printed.
#[derive(InputObject, Clone)]
pub struct PasswordFormFieldInput {
    pub field_entity_id: i32,
    pub password: String,
}

/// Values of the merchant's own form fields. The stand-in defines none, so any value names a
/// field that does not exist and is refused.
#[derive(InputObject, Clone)]
pub struct CustomerFormFieldsInput {
    pub checkboxes: Option<Vec<CheckboxesFormFieldInput>>,
    pub multiple_choices: Option<Vec<MultipleChoiceFormFieldInput>>,
    pub numbers: Option<Vec<NumberFormFieldInput>>,
    pub dates: Option<Vec<DateFormFieldInput>>,
    pub texts: Option<Vec<TextFormFieldInput>>,
    pub multiline_texts: Option<Vec<MultilineTextFormFieldInput>>,
    pub passwords: Option<Vec<PasswordFormFieldInput>>,
}

impl CustomerFormFieldsInput {
    /// The first field id given, if any.
    pub fn first_field(&self) -> Option<i32> {
        fn first<T>(v: &Option<Vec<T>>, id: fn(&T) -> i32) -> Option<i32> {
            v.as_ref().and_then(|v| v.first().map(id))
        }
        first(&self.checkboxes, |c| c.field_entity_id)
            .or_else(|| first(&self.multiple_choices, |c| c.field_entity_id))
            .or_else(|| first(&self.numbers, |c| c.field_entity_id))
            .or_else(|| first(&self.dates, |c| c.field_entity_id))
            .or_else(|| first(&self.texts, |c| c.field_entity_id))
            .or_else(|| first(&self.multiline_texts, |c| c.field_entity_id))
            .or_else(|| first(&self.passwords, |c| c.field_entity_id))
    }
}

fn unknown_form_field(f: &Option<CustomerFormFieldsInput>) -> Option<ValidationError> {
    let id = f.as_ref()?.first_field()?;
    Some(ValidationError {
        path: vec!["formFields".into()],
        message: format!("Form field {id} does not exist."),
    })
}

#[derive(InputObject, Clone)]
pub struct AddCustomerAddressInput {
    pub first_name: String,
    pub last_name: String,
    pub address1: String,
    pub address2: Option<String>,
    pub city: String,
    pub company: Option<String>,
    pub country_code: String,
    pub state_or_province: Option<String>,
    pub phone: Option<String>,
    pub postal_code: Option<String>,
    pub form_fields: Option<CustomerFormFieldsInput>,
}

#[derive(InputObject, Clone)]
pub struct UpdateCustomerAddressDataInput {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub address1: Option<String>,
    pub address2: Option<String>,
    pub city: Option<String>,
    pub company: Option<String>,
    pub country_code: Option<String>,
    pub state_or_province: Option<String>,
    pub phone: Option<String>,
    pub postal_code: Option<String>,
    pub form_fields: Option<CustomerFormFieldsInput>,
}

#[derive(InputObject, Clone)]
pub struct UpdateCustomerAddressInput {
    pub address_entity_id: i32,
    pub data: UpdateCustomerAddressDataInput,
}

#[derive(InputObject, Clone, Debug)]
pub struct DeleteCustomerAddressInput {
    pub address_entity_id: i32,
}

#[derive(Union, Clone, Debug)]
pub enum AddCustomerAddressError {
    CustomerNotLoggedInError(CustomerNotLoggedInError),
    CustomerAddressCreationError(CustomerAddressCreationError),
    ValidationError(ValidationError),
}

#[derive(Union, Clone, Debug)]
pub enum UpdateCustomerAddressError {
    CustomerNotLoggedInError(CustomerNotLoggedInError),
    AddressDoesNotExistError(AddressDoesNotExistError),
    CustomerAddressUpdateError(CustomerAddressUpdateError),
    ValidationError(ValidationError),
}

#[derive(Union, Clone, Debug)]
pub enum DeleteCustomerAddressError {
    CustomerNotLoggedInError(CustomerNotLoggedInError),
    CustomerAddressDeletionError(CustomerAddressDeletionError),
}

#[derive(SimpleObject, Clone, Debug)]
pub struct AddCustomerAddressResult {
    pub address: Option<CustomerAddress>,
    pub errors: Vec<AddCustomerAddressError>,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct UpdateCustomerAddressResult {
    pub address: Option<CustomerAddress>,
    pub errors: Vec<UpdateCustomerAddressError>,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct DeleteCustomerAddressResult {
    pub errors: Vec<DeleteCustomerAddressError>,
}

const NOT_LOGGED_IN: &str = "Sign in to change your addresses.";

fn not_logged_in() -> CustomerNotLoggedInError {
    CustomerNotLoggedInError {
        message: NOT_LOGGED_IN.into(),
    }
}

/// The API's view of a stored address.
pub fn node(a: Address) -> CustomerAddress {
    CustomerAddress {
        entity_id: a.id as i32,
        first_name: a.first_name,
        last_name: a.last_name,
        address1: a.address1,
        address2: a.address2,
        city: a.city,
        country_code: a.country_code,
        state_or_province: a.state_or_province,
        postal_code: a.postal_code,
        phone: a.phone,
        company: a.company,
        form_fields: Vec::new(),
    }
}

pub async fn add(
    gql: &GqlContext,
    input: AddCustomerAddressInput,
) -> Result<AddCustomerAddressResult> {
    let fail = |e| AddCustomerAddressResult {
        address: None,
        errors: vec![e],
    };
    let Some(customer) = gql.customer.as_ref() else {
        return Ok(fail(AddCustomerAddressError::CustomerNotLoggedInError(
            not_logged_in(),
        )));
    };
    if let Some(v) = unknown_form_field(&input.form_fields) {
        return Ok(fail(AddCustomerAddressError::ValidationError(v)));
    }
    let address = Address {
        id: 0,
        first_name: input.first_name,
        last_name: input.last_name,
        company: input.company,
        address1: input.address1,
        address2: input.address2,
        city: input.city,
        state_or_province: input.state_or_province,
        postal_code: input.postal_code,
        country_code: input.country_code,
        phone: input.phone,
    };
    Ok(
        match addresses::add(&gql.domain, gql.store.id, customer, address).await {
            Ok(a) => AddCustomerAddressResult {
                address: Some(node(a)),
                errors: Vec::new(),
            },
            Err(AddressError::Invalid { path, message }) => {
                fail(AddCustomerAddressError::ValidationError(ValidationError {
                    path: vec![path.into()],
                    message,
                }))
            }
            Err(AddressError::Store(e)) => return Err(e.into()),
            Err(e) => fail(AddCustomerAddressError::CustomerAddressCreationError(
                CustomerAddressCreationError {
                    message: e.to_string(),
                },
            )),
        },
    )
}

/// Sets the fields a change gives; the others stay as they were.
fn apply(d: UpdateCustomerAddressDataInput, a: &mut Address) {
    let set = |field: &mut String, v: Option<String>| {
        if let Some(v) = v {
            *field = v;
        }
    };
    let set_optional = |field: &mut Option<String>, v: Option<String>| {
        if v.is_some() {
            *field = v;
        }
    };
    set(&mut a.first_name, d.first_name);
    set(&mut a.last_name, d.last_name);
    set(&mut a.address1, d.address1);
    set(&mut a.city, d.city);
    set(&mut a.country_code, d.country_code);
    set_optional(&mut a.address2, d.address2);
    set_optional(&mut a.company, d.company);
    set_optional(&mut a.state_or_province, d.state_or_province);
    set_optional(&mut a.phone, d.phone);
    set_optional(&mut a.postal_code, d.postal_code);
}

pub async fn update(
    gql: &GqlContext,
    input: UpdateCustomerAddressInput,
) -> Result<UpdateCustomerAddressResult> {
    let fail = |e| UpdateCustomerAddressResult {
        address: None,
        errors: vec![e],
    };
    let Some(customer) = gql.customer.as_ref() else {
        return Ok(fail(UpdateCustomerAddressError::CustomerNotLoggedInError(
            not_logged_in(),
        )));
    };
    let d = input.data;
    if let Some(v) = unknown_form_field(&d.form_fields) {
        return Ok(fail(UpdateCustomerAddressError::ValidationError(v)));
    }
    let id = i64::from(input.address_entity_id);
    let change = |a: &mut Address| apply(d, a);
    Ok(
        match addresses::update(&gql.domain, gql.store.id, customer, id, change).await {
            Ok(a) => UpdateCustomerAddressResult {
                address: Some(node(a)),
                errors: Vec::new(),
            },
            Err(AddressError::Invalid { path, message }) => fail(
                UpdateCustomerAddressError::ValidationError(ValidationError {
                    path: vec![path.into()],
                    message,
                }),
            ),
            Err(e @ AddressError::NotFound(_)) => fail(
                UpdateCustomerAddressError::AddressDoesNotExistError(AddressDoesNotExistError {
                    message: e.to_string(),
                }),
            ),
            Err(AddressError::Store(e)) => return Err(e.into()),
            Err(e) => fail(UpdateCustomerAddressError::CustomerAddressUpdateError(
                CustomerAddressUpdateError {
                    message: e.to_string(),
                },
            )),
        },
    )
}

pub async fn delete(
    gql: &GqlContext,
    input: DeleteCustomerAddressInput,
) -> Result<DeleteCustomerAddressResult> {
    let Some(customer) = gql.customer.as_ref() else {
        return Ok(DeleteCustomerAddressResult {
            errors: vec![DeleteCustomerAddressError::CustomerNotLoggedInError(
                not_logged_in(),
            )],
        });
    };
    let id = i64::from(input.address_entity_id);
    Ok(
        match addresses::delete(&gql.domain, gql.store.id, customer, id).await {
            Ok(()) => DeleteCustomerAddressResult { errors: Vec::new() },
            Err(AddressError::Store(e)) => return Err(e.into()),
            Err(e) => DeleteCustomerAddressResult {
                errors: vec![DeleteCustomerAddressError::CustomerAddressDeletionError(
                    CustomerAddressDeletionError {
                        message: e.to_string(),
                    },
                )],
            },
        },
    )
}
