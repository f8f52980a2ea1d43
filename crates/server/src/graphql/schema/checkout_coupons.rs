//! The checkout's coupon and gift certificate mutations (Catalyst's cart page). One coupon
//! per checkout; the stand-in sells no gift certificates, so none can be redeemed.

use async_graphql::{Context, InputObject, Object, Result, SimpleObject};

use super::cart::{node, CheckoutNode};
use super::GqlContext;
use crate::service::checkout_change::shown;
use crate::service::{carts, coupons};

#[derive(InputObject, Clone, Debug)]
pub struct ApplyCheckoutCouponDataInput {
    pub coupon_code: String,
}

#[derive(InputObject, Clone, Debug)]
pub struct ApplyCheckoutCouponInput {
    pub checkout_entity_id: String,
    pub data: ApplyCheckoutCouponDataInput,
    pub version: Option<i32>,
}

#[derive(InputObject, Clone, Debug)]
pub struct UnapplyCheckoutCouponDataInput {
    pub coupon_code: String,
}

#[derive(InputObject, Clone, Debug)]
pub struct UnapplyCheckoutCouponInput {
    pub checkout_entity_id: String,
    pub data: UnapplyCheckoutCouponDataInput,
    pub version: Option<i32>,
}

#[derive(InputObject, Clone, Debug)]
pub struct ApplyCheckoutGiftCertificateDataInput {
    pub gift_certificate_code: String,
}

#[derive(InputObject, Clone, Debug)]
pub struct ApplyCheckoutGiftCertificateInput {
    pub checkout_entity_id: String,
    pub data: ApplyCheckoutGiftCertificateDataInput,
    pub version: Option<i32>,
}

#[derive(InputObject, Clone, Debug)]
pub struct UnapplyCheckoutGiftCertificateDataInput {
    pub gift_certificate_code: String,
}

#[derive(InputObject, Clone, Debug)]
pub struct UnapplyCheckoutGiftCertificateInput {
    pub checkout_entity_id: String,
    pub data: UnapplyCheckoutGiftCertificateDataInput,
    pub version: Option<i32>,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct ApplyCheckoutCouponResult {
    pub checkout: Option<CheckoutNode>,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct UnapplyCheckoutCouponResult {
    pub checkout: Option<CheckoutNode>,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct ApplyCheckoutGiftCertificateResult {
    pub checkout: Option<CheckoutNode>,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct UnapplyCheckoutGiftCertificateResult {
    pub checkout: Option<CheckoutNode>,
}

#[derive(Default)]
pub struct CheckoutCouponMutations;

#[Object]
impl CheckoutCouponMutations {
    /// Applies a coupon code (matched without regard to case).
    async fn apply_checkout_coupon(
        &self,
        ctx: &Context<'_>,
        input: ApplyCheckoutCouponInput,
    ) -> Result<Option<ApplyCheckoutCouponResult>> {
        let gql = ctx.data::<GqlContext>()?;
        let cart = coupons::apply(
            &gql.domain,
            &gql.shopper(),
            &input.checkout_entity_id,
            input.version.map(Into::into),
            &input.data.coupon_code,
        )
        .await?;
        Ok(Some(ApplyCheckoutCouponResult {
            checkout: Some(CheckoutNode::new(node(gql, cart).await?)),
        }))
    }

    async fn unapply_checkout_coupon(
        &self,
        ctx: &Context<'_>,
        input: UnapplyCheckoutCouponInput,
    ) -> Result<Option<UnapplyCheckoutCouponResult>> {
        let gql = ctx.data::<GqlContext>()?;
        let cart = coupons::unapply(
            &gql.domain,
            &gql.shopper(),
            &input.checkout_entity_id,
            input.version.map(Into::into),
            &input.data.coupon_code,
        )
        .await?;
        Ok(Some(UnapplyCheckoutCouponResult {
            checkout: Some(CheckoutNode::new(node(gql, cart).await?)),
        }))
    }

    /// The stand-in sells no gift certificates, so no code is one (after the checkout itself
    /// is checked, like every checkout mutation).
    async fn apply_checkout_gift_certificate(
        &self,
        ctx: &Context<'_>,
        input: ApplyCheckoutGiftCertificateInput,
    ) -> Result<Option<ApplyCheckoutGiftCertificateResult>> {
        let gql = ctx.data::<GqlContext>()?;
        carts::find_open(&gql.domain, &gql.shopper(), &input.checkout_entity_id).await?;
        Err(async_graphql::Error::new(format!(
            "The gift certificate code {} is not valid: this store does not sell gift certificates.",
            shown(&input.data.gift_certificate_code)
        )))
    }

    async fn unapply_checkout_gift_certificate(
        &self,
        ctx: &Context<'_>,
        input: UnapplyCheckoutGiftCertificateInput,
    ) -> Result<Option<UnapplyCheckoutGiftCertificateResult>> {
        let gql = ctx.data::<GqlContext>()?;
        carts::find_open(&gql.domain, &gql.shopper(), &input.checkout_entity_id).await?;
        Err(async_graphql::Error::new(format!(
            "Gift certificate {} is not applied to this checkout.",
            shown(&input.data.gift_certificate_code)
        )))
    }
}
