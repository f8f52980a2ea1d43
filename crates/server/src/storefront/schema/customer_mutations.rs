//! `customer.registerCustomer` with the typed error union (SPEC §5.6; reference §B.5).

use async_graphql::{Context, InputObject, Object, Result, SimpleObject, Union};
use storefront_auth_store::{NewCustomer, StoreError};

use super::customer::CustomerNode;
use super::GqlContext;

#[derive(InputObject, Clone, Debug)]
pub struct RegisterCustomerInput {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub password: String,
    pub phone: Option<String>,
    pub company: Option<String>,
}

#[derive(InputObject, Clone, Debug)]
#[graphql(name = "ReCaptchaV2Input")]
pub struct ReCaptchaV2Input {
    pub token: String,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct EmailAlreadyInUseError {
    pub message: String,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct AccountCreationDisabledError {
    pub message: String,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct CustomerRegistrationError {
    pub message: String,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct ValidationError {
    pub path: Vec<String>,
    pub message: String,
}

#[derive(Union, Clone, Debug)]
pub enum RegisterCustomerError {
    EmailAlreadyInUseError(EmailAlreadyInUseError),
    AccountCreationDisabledError(AccountCreationDisabledError),
    CustomerRegistrationError(CustomerRegistrationError),
    ValidationError(ValidationError),
}

#[derive(SimpleObject, Clone, Debug)]
pub struct RegisterCustomerResult {
    pub customer: Option<CustomerNode>,
    pub errors: Vec<RegisterCustomerError>,
}

pub struct CustomerMutations;

fn invalid(field: &str, message: &str) -> RegisterCustomerError {
    RegisterCustomerError::ValidationError(ValidationError {
        path: vec!["input".into(), field.into()],
        message: message.into(),
    })
}

#[Object]
impl CustomerMutations {
    /// Creates a customer account. It does not sign the customer in.
    async fn register_customer(
        &self,
        ctx: &Context<'_>,
        re_captcha_v2: Option<ReCaptchaV2Input>,
        input: RegisterCustomerInput,
    ) -> Result<RegisterCustomerResult> {
        let _ = re_captcha_v2;
        let gql = ctx.data::<GqlContext>()?;
        let email = input.email.trim();
        let mut errors = Vec::new();
        if !email.contains('@') || email.starts_with('@') || email.ends_with('@') {
            errors.push(invalid("email", "Enter a valid email address."));
        }
        if input.first_name.trim().is_empty() {
            errors.push(invalid("firstName", "First name is required."));
        }
        if input.last_name.trim().is_empty() {
            errors.push(invalid("lastName", "Last name is required."));
        }
        if input.password.chars().count() < 7 {
            errors.push(invalid(
                "password",
                "Passwords must be at least 7 characters.",
            ));
        }
        if !errors.is_empty() {
            return Ok(RegisterCustomerResult {
                customer: None,
                errors,
            });
        }
        let in_use = || RegisterCustomerResult {
            customer: None,
            errors: vec![RegisterCustomerError::EmailAlreadyInUseError(
                EmailAlreadyInUseError {
                    message: "The email address is already in use.".into(),
                },
            )],
        };
        if gql
            .state
            .store
            .customer_by_email(gql.store.id, email)
            .await?
            .is_some()
        {
            return Ok(in_use());
        }
        let hash = gql
            .state
            .passwords
            .hash(input.password)
            .await
            .ok_or_else(|| async_graphql::Error::new("Registration failed; try again."))?;
        let new = NewCustomer {
            store_id: gql.store.id,
            email,
            first_name: input.first_name.trim(),
            last_name: input.last_name.trim(),
            phone: input.phone.as_deref().unwrap_or(""),
            group_id: None,
            password_hash: &hash,
        };
        match gql.state.store.create_customer(new, gql.state.now()).await {
            Ok(c) => Ok(RegisterCustomerResult {
                customer: Some(CustomerNode(c)),
                errors: Vec::new(),
            }),
            Err(StoreError::Conflict(_)) => Ok(in_use()),
            Err(e) => Err(e.into()),
        }
    }
}
