//! `updateCustomer` and `changePassword`: the account settings page of a signed-in customer,
//! with BigCommerce's typed error unions. The rules are `service::account`.

use async_graphql::{InputObject, Result, SimpleObject, Union};

use super::addresses::CustomerFormFieldsInput;
use super::customer::CustomerNode;
use super::errors::{
    described, CustomerDoesNotExistError, CustomerNotLoggedInError, CustomerPasswordError,
    EmailAlreadyInUseError, UnexpectedUpdateCustomerError, ValidationError,
};
use super::GqlContext;
use crate::service::account::{self, AccountError, ProfileChange};

#[derive(InputObject, Clone)]
pub struct UpdateCustomerInput {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// No company is kept for storefront customers: accepted and ignored.
    pub company: Option<String>,
    pub form_fields: Option<CustomerFormFieldsInput>,
}

// `Debug` is not derived: it would print passwords.
#[derive(InputObject, Clone)]
pub struct ChangePasswordInput {
    pub current_password: String,
    pub new_password: String,
}

#[derive(Union, Clone, Debug)]
pub enum UpdateCustomerError {
    UnexpectedUpdateCustomerError(UnexpectedUpdateCustomerError),
    EmailAlreadyInUseError(EmailAlreadyInUseError),
    ValidationError(ValidationError),
    CustomerDoesNotExistError(CustomerDoesNotExistError),
    CustomerNotLoggedInError(CustomerNotLoggedInError),
}

#[derive(Union, Clone, Debug)]
pub enum ChangePasswordError {
    ValidationError(ValidationError),
    CustomerDoesNotExistError(CustomerDoesNotExistError),
    CustomerPasswordError(CustomerPasswordError),
    CustomerNotLoggedInError(CustomerNotLoggedInError),
}

#[derive(SimpleObject, Clone, Debug)]
pub struct UpdateCustomerResult {
    pub customer: Option<CustomerNode>,
    pub errors: Vec<UpdateCustomerError>,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct ChangePasswordResult {
    pub errors: Vec<ChangePasswordError>,
}

fn not_logged_in() -> CustomerNotLoggedInError {
    CustomerNotLoggedInError {
        message: "Sign in to change your account.".into(),
    }
}

fn validation(field: &str, message: String) -> ValidationError {
    ValidationError {
        path: vec!["input".into(), field.into()],
        message,
    }
}

pub async fn update(gql: &GqlContext, input: UpdateCustomerInput) -> Result<UpdateCustomerResult> {
    let fail = |e| UpdateCustomerResult {
        customer: None,
        errors: vec![e],
    };
    let Some(customer) = gql.customer.as_ref() else {
        return Ok(fail(UpdateCustomerError::CustomerNotLoggedInError(
            not_logged_in(),
        )));
    };
    if let Some(id) = input.form_fields.as_ref().and_then(|f| f.first_field()) {
        return Ok(fail(UpdateCustomerError::ValidationError(validation(
            "formFields",
            format!("Form field {id} does not exist."),
        ))));
    }
    let change = ProfileChange {
        first_name: input.first_name,
        last_name: input.last_name,
        email: input.email,
        phone: input.phone,
    };
    Ok(
        match account::update_profile(&gql.domain, customer, change).await {
            Ok(c) => UpdateCustomerResult {
                customer: Some(CustomerNode(c)),
                errors: Vec::new(),
            },
            Err(AccountError::Invalid(problems)) => UpdateCustomerResult {
                customer: None,
                errors: problems
                    .iter()
                    .map(|p| match described(p) {
                        Some((field, message)) => {
                            UpdateCustomerError::ValidationError(validation(field, message))
                        }
                        None => {
                            UpdateCustomerError::EmailAlreadyInUseError(EmailAlreadyInUseError {
                                message: "The email address is already in use.".into(),
                            })
                        }
                    })
                    .collect(),
            },
            Err(AccountError::Store(e)) => return Err(e.into()),
            Err(e @ AccountError::NoSuchCustomer) => fail(
                UpdateCustomerError::CustomerDoesNotExistError(CustomerDoesNotExistError {
                    message: e.to_string(),
                }),
            ),
            Err(e) => fail(UpdateCustomerError::UnexpectedUpdateCustomerError(
                UnexpectedUpdateCustomerError {
                    message: e.to_string(),
                },
            )),
        },
    )
}

pub async fn change_password(
    gql: &GqlContext,
    input: ChangePasswordInput,
) -> Result<ChangePasswordResult> {
    let fail = |e| ChangePasswordResult { errors: vec![e] };
    let Some(customer) = gql.customer.as_ref() else {
        return Ok(fail(ChangePasswordError::CustomerNotLoggedInError(
            not_logged_in(),
        )));
    };
    let outcome = account::change_password(
        &gql.domain,
        customer,
        &input.current_password,
        &input.new_password,
    )
    .await;
    Ok(match outcome {
        Ok(()) => ChangePasswordResult { errors: Vec::new() },
        Err(AccountError::Invalid(problems)) => {
            let message = problems
                .iter()
                .find_map(|p| described(p).map(|(_, m)| m))
                .unwrap_or_else(|| "This value is invalid.".into());
            fail(ChangePasswordError::ValidationError(validation(
                "newPassword",
                message,
            )))
        }
        Err(AccountError::Store(e)) => return Err(e.into()),
        Err(e @ AccountError::NoSuchCustomer) => fail(
            ChangePasswordError::CustomerDoesNotExistError(CustomerDoesNotExistError {
                message: e.to_string(),
            }),
        ),
        Err(e) => fail(ChangePasswordError::CustomerPasswordError(
            CustomerPasswordError {
                message: e.to_string(),
            },
        )),
    })
}
