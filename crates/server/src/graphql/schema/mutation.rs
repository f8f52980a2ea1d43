//! The mutation root. One root mutation field per request (SPEC §5.8).

use async_graphql::{Context, Object, Result};

use super::analytics::AnalyticsMutations;
use super::auth::{self, LoginResult, LoginWithCustomerLoginJwtResult, LogoutResult};
use super::cart_mutations::CartMutations;
use super::checkout::CheckoutMutations;
use super::company_mutations::CompanyMutations;
use super::contact::{self, SubmitContactUsInput, SubmitContactUsResult};
use super::customer_mutations::{CustomerMutations, ReCaptchaV2Input};
use super::newsletter::NewsletterMutations;
use super::review_mutations::CatalogMutations;
use super::wishlist::WishlistMutations;

pub struct Mutation;

#[Object]
impl Mutation {
    async fn login(
        &self,
        ctx: &Context<'_>,
        email: String,
        password: String,
        guest_cart_entity_id: Option<String>,
    ) -> Result<LoginResult> {
        auth::login(ctx, email, password, guest_cart_entity_id).await
    }

    async fn logout(
        &self,
        ctx: &Context<'_>,
        cart_entity_id: Option<String>,
    ) -> Result<LogoutResult> {
        auth::logout(ctx, cart_entity_id).await
    }

    async fn login_with_customer_login_jwt(
        &self,
        ctx: &Context<'_>,
        jwt: String,
        guest_cart_entity_id: Option<String>,
    ) -> Result<LoginWithCustomerLoginJwtResult> {
        auth::login_with_jwt(ctx, jwt, guest_cart_entity_id).await
    }

    async fn cart(&self) -> CartMutations {
        CartMutations
    }

    async fn checkout(&self) -> CheckoutMutations {
        CheckoutMutations::default()
    }

    async fn customer(&self) -> CustomerMutations {
        CustomerMutations
    }

    async fn wishlist(&self) -> WishlistMutations {
        WishlistMutations
    }

    /// B2B company operations (the B2B scope on private tokens).
    async fn company(&self) -> CompanyMutations {
        CompanyMutations
    }

    async fn analytics(&self) -> AnalyticsMutations {
        AnalyticsMutations
    }

    async fn newsletter(&self) -> NewsletterMutations {
        NewsletterMutations
    }

    async fn catalog(&self) -> CatalogMutations {
        CatalogMutations
    }

    /// A shopper's message from a contact page (acknowledged; no mail is sent).
    async fn submit_contact_us(
        &self,
        ctx: &Context<'_>,
        re_captcha_v2: Option<ReCaptchaV2Input>,
        input: SubmitContactUsInput,
    ) -> Result<SubmitContactUsResult> {
        let _ = re_captcha_v2;
        contact::submit(ctx.data()?, input).await
    }
}
