//! `customer.registerCustomer` with the typed error union (SPEC §5.6; reference §B.5).

use async_graphql::{Context, InputObject, Object, Result, SimpleObject, Union};

use crate::service::registration::{
    register_from_storefront, Problem, RegisterError, Registered, Registration,
};

use super::account_mutations as account;
use super::addresses;
use super::customer::CustomerNode;
use super::password_reset::{
    self, RequestResetPasswordInput, RequestResetPasswordResult, ResetPasswordInput,
    ResetPasswordResult,
};
use super::GqlContext;

// `Debug` leaves the password out.
#[derive(InputObject, Clone)]
pub struct RegisterCustomerInput {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub password: String,
    pub phone: Option<String>,
    pub company: Option<String>,
}

impl std::fmt::Debug for RegisterCustomerInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RegisterCustomerInput")
            .field("email", &self.email)
            .field("password", &"<redacted>")
            .finish_non_exhaustive()
    }
}

#[derive(InputObject, Clone, Debug)]
#[graphql(name = "ReCaptchaV2Input")]
pub struct ReCaptchaV2Input {
    pub token: String,
}

use super::errors::described;
pub use super::errors::{
    AccountCreationDisabledError, CustomerRegistrationError, EmailAlreadyInUseError,
    ValidationError,
};

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

fn in_use() -> RegisterCustomerError {
    RegisterCustomerError::EmailAlreadyInUseError(EmailAlreadyInUseError {
        message: "The email address is already in use.".into(),
    })
}

/// A registration problem as GraphQL's typed errors say it.
fn rendered(p: &Problem) -> RegisterCustomerError {
    match described(p) {
        Some((field, message)) => invalid(field, &message),
        None => in_use(),
    }
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
        let registration = Registration {
            email: input.email,
            first_name: input.first_name,
            last_name: input.last_name,
            password: input.password,
            phone: input.phone.unwrap_or_default(),
            group_id: None,
        };
        let outcome = register_from_storefront(
            &gql.domain,
            gql.store.id,
            &registration,
            &gql.client_ip.to_string(),
        )
        .await;
        let (customer, errors) = match outcome {
            Ok(Registered::Customer(c)) => (Some(CustomerNode(c)), Vec::new()),
            Ok(Registered::Concealed) => (None, Vec::new()),
            Err(RegisterError::Invalid(problems)) => {
                (None, problems.iter().map(rendered).collect())
            }
            Err(e @ RegisterError::Throttled { .. }) => {
                let error =
                    RegisterCustomerError::CustomerRegistrationError(CustomerRegistrationError {
                        message: e.to_string(),
                    });
                (None, vec![error])
            }
            Err(RegisterError::Hashing) => {
                return Err(async_graphql::Error::new("Registration failed; try again."))
            }
            Err(RegisterError::Store(e)) => return Err(e.into()),
        };
        Ok(RegisterCustomerResult { customer, errors })
    }

    /// Mails a reset link for the account with this email, if there is one (the answer is
    /// the same either way).
    async fn request_reset_password(
        &self,
        ctx: &Context<'_>,
        re_captcha_v2: Option<ReCaptchaV2Input>,
        input: RequestResetPasswordInput,
    ) -> Result<RequestResetPasswordResult> {
        let _ = re_captcha_v2;
        password_reset::request(ctx.data::<GqlContext>()?, input).await
    }

    /// Sets a new password with the customer id and token of a reset link.
    async fn reset_password(
        &self,
        ctx: &Context<'_>,
        input: ResetPasswordInput,
    ) -> Result<ResetPasswordResult> {
        password_reset::reset(ctx.data::<GqlContext>()?, input).await
    }

    /// Adds an address to the signed-in customer's address book.
    async fn add_customer_address(
        &self,
        ctx: &Context<'_>,
        input: addresses::AddCustomerAddressInput,
    ) -> Result<addresses::AddCustomerAddressResult> {
        addresses::add(ctx.data::<GqlContext>()?, input).await
    }

    /// Changes the fields given of one of the customer's addresses.
    async fn update_customer_address(
        &self,
        ctx: &Context<'_>,
        input: addresses::UpdateCustomerAddressInput,
    ) -> Result<addresses::UpdateCustomerAddressResult> {
        addresses::update(ctx.data::<GqlContext>()?, input).await
    }

    /// Deletes one of the customer's addresses.
    async fn delete_customer_address(
        &self,
        ctx: &Context<'_>,
        input: addresses::DeleteCustomerAddressInput,
    ) -> Result<addresses::DeleteCustomerAddressResult> {
        addresses::delete(ctx.data::<GqlContext>()?, input).await
    }

    /// Changes the signed-in customer's name, email or phone.
    async fn update_customer(
        &self,
        ctx: &Context<'_>,
        input: account::UpdateCustomerInput,
    ) -> Result<account::UpdateCustomerResult> {
        account::update(ctx.data::<GqlContext>()?, input).await
    }

    /// Changes the signed-in customer's password; the current one is required.
    async fn change_password(
        &self,
        ctx: &Context<'_>,
        input: account::ChangePasswordInput,
    ) -> Result<account::ChangePasswordResult> {
        account::change_password(ctx.data::<GqlContext>()?, input).await
    }
}
