//! The `checkout` mutations (SPEC §7): shipping consignments and their options, and completing
//! a checkout, which places the order and hands back the payment access token that pays for it.

use async_graphql::{Context, InputObject, MergedObject, Object, Result, SimpleObject, Union};

use super::cart::{node, CheckoutNode};
use super::checkout_billing::CheckoutBillingMutations;
use super::checkout_coupons::CheckoutCouponMutations;
use super::checkout_inputs::*;
use super::errors::CartErrorObject;
use super::GqlContext;
use crate::service::carts::CartError;
use crate::service::{checkout, checkout_shipping, payments};

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

/// BigCommerce's `CheckoutMutations`: the order and shipping mutations here, the coupon and
/// gift certificate ones in `checkout_coupons`.
#[derive(MergedObject, Default)]
#[graphql(name = "CheckoutMutations")]
pub struct CheckoutMutations(
    CheckoutOrderMutations,
    CheckoutCouponMutations,
    CheckoutBillingMutations,
);

#[derive(Default)]
pub struct CheckoutOrderMutations;

#[Object]
impl CheckoutOrderMutations {
    /// Says where lines ship; each consignment is then offered the store's shipping methods
    /// that serve its country.
    async fn add_checkout_shipping_consignments(
        &self,
        ctx: &Context<'_>,
        input: AddCheckoutShippingConsignmentsInput,
    ) -> Result<Option<AddCheckoutShippingConsignmentsResult>> {
        let gql = ctx.data::<GqlContext>()?;
        let requests = input
            .data
            .consignments
            .into_iter()
            .map(|c| c.request())
            .collect();
        let cart = checkout_shipping::add(
            &gql.domain,
            &gql.shopper(),
            &input.checkout_entity_id,
            input.version.map(Into::into),
            requests,
        )
        .await?;
        Ok(Some(AddCheckoutShippingConsignmentsResult {
            checkout: Some(CheckoutNode::new(node(gql, cart).await?)),
        }))
    }

    /// Replaces a consignment's address and lines; the option chosen for it is cleared.
    async fn update_checkout_shipping_consignment(
        &self,
        ctx: &Context<'_>,
        input: UpdateCheckoutShippingConsignmentInput,
    ) -> Result<Option<UpdateCheckoutShippingConsignmentResult>> {
        let gql = ctx.data::<GqlContext>()?;
        let cart = checkout_shipping::update(
            &gql.domain,
            &gql.shopper(),
            &input.checkout_entity_id,
            &input.consignment_entity_id,
            input.version.map(Into::into),
            input.data.consignment.request(),
        )
        .await?;
        Ok(Some(UpdateCheckoutShippingConsignmentResult {
            checkout: Some(CheckoutNode::new(node(gql, cart).await?)),
        }))
    }

    /// Chooses one of the options a consignment is offered.
    async fn select_checkout_shipping_option(
        &self,
        ctx: &Context<'_>,
        input: SelectCheckoutShippingOptionInput,
    ) -> Result<Option<SelectCheckoutShippingOptionResult>> {
        let gql = ctx.data::<GqlContext>()?;
        let cart = checkout_shipping::select(
            &gql.domain,
            &gql.shopper(),
            &input.checkout_entity_id,
            &input.consignment_entity_id,
            input.version.map(Into::into),
            &input.data.shipping_option_entity_id,
        )
        .await?;
        Ok(Some(SelectCheckoutShippingOptionResult {
            checkout: Some(CheckoutNode::new(node(gql, cart).await?)),
        }))
    }

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
            &gql.store.hash,
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
