//! The checkout's billing address (`Checkout.billingAddress`, `addCheckoutBillingAddress`,
//! `updateCheckoutBillingAddress`), with BigCommerce's names. The rules are
//! `service::checkout_billing`, which the REST Storefront API calls too; the order bills it.

use async_graphql::{Context, InputObject, Object, Result, SimpleObject};

use super::cart::{node, CheckoutNode};
use super::checkout_inputs::CheckoutAddressInput;
use super::GqlContext;
use crate::service::checkout_billing;

#[derive(InputObject, Clone, Debug)]
pub struct AddCheckoutBillingAddressDataInput {
    pub address: CheckoutAddressInput,
}

#[derive(InputObject, Clone, Debug)]
pub struct AddCheckoutBillingAddressInput {
    pub checkout_entity_id: String,
    pub data: AddCheckoutBillingAddressDataInput,
    pub version: Option<i32>,
}

#[derive(InputObject, Clone, Debug)]
pub struct UpdateCheckoutBillingAddressDataInput {
    pub address: CheckoutAddressInput,
}

#[derive(InputObject, Clone, Debug)]
pub struct UpdateCheckoutBillingAddressInput {
    pub checkout_entity_id: String,
    pub address_entity_id: String,
    pub data: UpdateCheckoutBillingAddressDataInput,
    pub version: Option<i32>,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct AddCheckoutBillingAddressResult {
    pub checkout: Option<CheckoutNode>,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct UpdateCheckoutBillingAddressResult {
    pub checkout: Option<CheckoutNode>,
}

async fn set(
    gql: &GqlContext,
    checkout_id: &str,
    version: Option<i32>,
    address: CheckoutAddressInput,
) -> Result<CheckoutNode> {
    let who = gql.shopper();
    let version = version.map(i64::from);
    let cart =
        checkout_billing::set(&gql.domain, &who, checkout_id, version, address.address()).await?;
    Ok(CheckoutNode::new(node(gql, cart).await?))
}

#[derive(Default)]
pub struct CheckoutBillingMutations;

#[Object]
impl CheckoutBillingMutations {
    /// Sets the checkout's billing address (the order is billed to it).
    async fn add_checkout_billing_address(
        &self,
        ctx: &Context<'_>,
        input: AddCheckoutBillingAddressInput,
    ) -> Result<AddCheckoutBillingAddressResult> {
        let gql = ctx.data::<GqlContext>()?;
        let checkout = set(
            gql,
            &input.checkout_entity_id,
            input.version,
            input.data.address,
        );
        Ok(AddCheckoutBillingAddressResult {
            checkout: Some(checkout.await?),
        })
    }

    /// Replaces the checkout's billing address; `addressEntityId` is the checkout's id.
    async fn update_checkout_billing_address(
        &self,
        ctx: &Context<'_>,
        input: UpdateCheckoutBillingAddressInput,
    ) -> Result<UpdateCheckoutBillingAddressResult> {
        let gql = ctx.data::<GqlContext>()?;
        if input.address_entity_id != input.checkout_entity_id {
            let shown = crate::service::checkout_change::shown(&input.address_entity_id);
            return Err(async_graphql::Error::new(format!(
                "Billing address {shown} is not in this checkout."
            )));
        }
        let checkout = set(
            gql,
            &input.checkout_entity_id,
            input.version,
            input.data.address,
        );
        Ok(UpdateCheckoutBillingAddressResult {
            checkout: Some(checkout.await?),
        })
    }
}
