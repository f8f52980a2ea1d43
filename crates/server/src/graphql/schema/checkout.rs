//! The `checkout` mutations (SPEC §7): completing a checkout places the order and hands back
//! the payment access token that pays for it.

use async_graphql::{Context, InputObject, Object, Result, SimpleObject, Union};

use super::errors::CartErrorObject;
use super::GqlContext;
use crate::service::carts::CartError;
use crate::service::{checkout, payments};

#[derive(InputObject, Clone, Debug)]
pub struct CompleteCheckoutInput {
    pub checkout_entity_id: String,
}

#[derive(Union, Clone, Debug)]
pub enum CompleteCheckoutError {
    CartError(CartErrorObject),
}

#[derive(SimpleObject, Clone, Debug)]
pub struct CompleteCheckoutResult {
    pub order_entity_id: Option<i32>,
    pub payment_access_token: Option<String>,
    pub errors: Vec<CompleteCheckoutError>,
}

pub struct CheckoutMutations;

#[Object]
impl CheckoutMutations {
    /// Places the order (status `INCOMPLETE`) and returns a payment access token for it.
    async fn complete_checkout(
        &self,
        ctx: &Context<'_>,
        input: CompleteCheckoutInput,
    ) -> Result<Option<CompleteCheckoutResult>> {
        let gql = ctx.data::<GqlContext>()?;
        let failed = |message: String| CompleteCheckoutResult {
            order_entity_id: None,
            payment_access_token: None,
            errors: vec![CompleteCheckoutError::CartError(CartErrorObject {
                message,
            })],
        };
        let order = match checkout::complete_checkout(
            &gql.domain,
            &gql.shopper(),
            &input.checkout_entity_id,
        )
        .await
        {
            Ok(order) => order,
            Err(CartError::Store(e)) => return Err(CartError::Store(e).into()),
            Err(e) => return Ok(Some(failed(e.to_string()))),
        };
        let pat = payments::issue(&gql.domain, &gql.store, &order)
            .await
            .map_err(|e| async_graphql::Error::new(e.to_string()))?;
        Ok(Some(CompleteCheckoutResult {
            order_entity_id: Some(order.id as i32),
            payment_access_token: Some(pat),
            errors: Vec::new(),
        }))
    }
}
