//! `newsletter { subscribe, unsubscribe }` (issue 17): BigCommerce's newsletter mutations over
//! the store's list (`service::newsletter`), with its typed errors.

use async_graphql::{Context, InputObject, Object, Result, SimpleObject, Union};

use super::errors::{
    CreateSubscriberAlreadyExistsError, CreateSubscriberEmailInvalidError,
    CreateSubscriberFirstNameInvalidError, CreateSubscriberLastNameInvalidError,
    CreateSubscriberUnexpectedError, RemoveSubscriberEmailInvalidError,
    RemoveSubscriberUnexpectedError,
};
use super::GqlContext;
use crate::service::newsletter::{self, SubscribeError};

// `Debug` is not derived: addresses stay out of logs.
#[derive(InputObject, Clone)]
pub struct CreateSubscriberInput {
    pub email: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
}

#[derive(InputObject, Clone)]
pub struct RemoveSubscriberInput {
    pub email: String,
}

#[derive(Union, Clone, Debug)]
pub enum CreateSubscriberError {
    CreateSubscriberEmailInvalidError(CreateSubscriberEmailInvalidError),
    CreateSubscriberFirstNameInvalidError(CreateSubscriberFirstNameInvalidError),
    CreateSubscriberLastNameInvalidError(CreateSubscriberLastNameInvalidError),
    CreateSubscriberAlreadyExistsError(CreateSubscriberAlreadyExistsError),
    CreateSubscriberUnexpectedError(CreateSubscriberUnexpectedError),
}

#[derive(Union, Clone, Debug)]
pub enum RemoveSubscriberError {
    RemoveSubscriberEmailInvalidError(RemoveSubscriberEmailInvalidError),
    RemoveSubscriberUnexpectedError(RemoveSubscriberUnexpectedError),
}

#[derive(SimpleObject, Clone, Debug)]
pub struct CreateSubscriberResult {
    pub errors: Vec<CreateSubscriberError>,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct RemoveSubscriberResult {
    pub errors: Vec<RemoveSubscriberError>,
}

fn create_error(e: SubscribeError) -> CreateSubscriberError {
    let message = e.to_string();
    match e {
        SubscribeError::EmailInvalid => CreateSubscriberError::CreateSubscriberEmailInvalidError(
            CreateSubscriberEmailInvalidError { message },
        ),
        SubscribeError::FirstNameInvalid => {
            CreateSubscriberError::CreateSubscriberFirstNameInvalidError(
                CreateSubscriberFirstNameInvalidError { message },
            )
        }
        SubscribeError::LastNameInvalid => {
            CreateSubscriberError::CreateSubscriberLastNameInvalidError(
                CreateSubscriberLastNameInvalidError { message },
            )
        }
        SubscribeError::AlreadyExists => CreateSubscriberError::CreateSubscriberAlreadyExistsError(
            CreateSubscriberAlreadyExistsError { message },
        ),
        SubscribeError::ListFull => CreateSubscriberError::CreateSubscriberUnexpectedError(
            CreateSubscriberUnexpectedError { message },
        ),
    }
}

pub struct NewsletterMutations;

#[Object]
impl NewsletterMutations {
    /// Adds an address to the store's newsletter list.
    async fn subscribe(
        &self,
        ctx: &Context<'_>,
        input: CreateSubscriberInput,
    ) -> Result<CreateSubscriberResult> {
        let gql = ctx.data::<GqlContext>()?;
        let (first, last) = (input.first_name.as_deref(), input.last_name.as_deref());
        let outcome =
            newsletter::subscribe(&gql.domain, gql.store.id, &input.email, first, last).await?;
        Ok(CreateSubscriberResult {
            errors: outcome.err().map(create_error).into_iter().collect(),
        })
    }

    /// Takes an address off the store's newsletter list.
    async fn unsubscribe(
        &self,
        ctx: &Context<'_>,
        input: RemoveSubscriberInput,
    ) -> Result<RemoveSubscriberResult> {
        let gql = ctx.data::<GqlContext>()?;
        let valid = newsletter::unsubscribe(&gql.domain, gql.store.id, &input.email).await?;
        let errors = if valid {
            Vec::new()
        } else {
            vec![RemoveSubscriberError::RemoveSubscriberEmailInvalidError(
                RemoveSubscriberEmailInvalidError {
                    message: "Enter a valid email address.".into(),
                },
            )]
        };
        Ok(RemoveSubscriberResult { errors })
    }
}
