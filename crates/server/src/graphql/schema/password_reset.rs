//! `requestResetPassword` and `resetPassword`: Catalyst's forgot-password and change-password
//! pages, with BigCommerce's result types. The rules are `service::password_reset`.

use async_graphql::{InputObject, Result, SimpleObject, Union};

use super::errors::{described, CustomerPasswordError, ValidationError};
use super::GqlContext;
use crate::service::password_reset::{self, ResetError};

#[derive(InputObject, Clone, Debug)]
pub struct RequestResetPasswordInput {
    pub email: String,
    /// The storefront page the mailed link opens (`/change-password`); the customer id and
    /// token are added to its query as `c` and `t`.
    pub path: Option<String>,
}

// `Debug` is not derived: it would print the password and the token.
#[derive(InputObject, Clone)]
pub struct ResetPasswordInput {
    pub customer_entity_id: i32,
    pub token: String,
    pub new_password: String,
}

#[derive(Union, Clone, Debug)]
pub enum RequestResetPasswordError {
    ValidationError(ValidationError),
}

#[derive(Union, Clone, Debug)]
pub enum ResetPasswordError {
    ValidationError(ValidationError),
    CustomerPasswordError(CustomerPasswordError),
}

#[derive(SimpleObject, Clone, Debug)]
pub struct RequestResetPasswordResult {
    pub errors: Vec<RequestResetPasswordError>,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct ResetPasswordResult {
    pub errors: Vec<ResetPasswordError>,
}

fn invalid(field: &str, message: String) -> ValidationError {
    ValidationError {
        path: vec!["input".into(), field.into()],
        message,
    }
}

pub async fn request(
    gql: &GqlContext,
    input: RequestResetPasswordInput,
) -> Result<RequestResetPasswordResult> {
    let at = (gql.store.as_ref(), gql.channel.as_ref());
    let outcome =
        password_reset::request_reset(&gql.domain, at, &input.email, input.path.as_deref()).await;
    let (field, e) = match outcome {
        Ok(()) => return Ok(RequestResetPasswordResult { errors: Vec::new() }),
        Err(ResetError::Store(e)) => return Err(e.into()),
        Err(e @ ResetError::Path(_)) => ("path", e),
        Err(e) => ("email", e),
    };
    Ok(RequestResetPasswordResult {
        errors: vec![RequestResetPasswordError::ValidationError(invalid(
            field,
            e.to_string(),
        ))],
    })
}

pub async fn reset(gql: &GqlContext, input: ResetPasswordInput) -> Result<ResetPasswordResult> {
    let outcome = password_reset::reset_password(
        &gql.domain,
        gql.store.id,
        i64::from(input.customer_entity_id),
        &input.token,
        &input.new_password,
    )
    .await;
    let error = match outcome {
        Ok(()) => return Ok(ResetPasswordResult { errors: Vec::new() }),
        Err(ResetError::Store(e)) => return Err(e.into()),
        Err(ResetError::Password(p)) => {
            let message = described(&p)
                .map(|(_, m)| m)
                .unwrap_or_else(|| "This value is invalid.".into());
            ResetPasswordError::ValidationError(invalid("newPassword", message))
        }
        Err(e @ ResetError::Link) => {
            ResetPasswordError::ValidationError(invalid("token", e.to_string()))
        }
        Err(e) => ResetPasswordError::CustomerPasswordError(CustomerPasswordError {
            message: e.to_string(),
        }),
    };
    Ok(ResetPasswordResult {
        errors: vec![error],
    })
}
