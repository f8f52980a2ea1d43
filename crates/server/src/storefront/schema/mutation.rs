//! The mutation root. One root mutation field per request (SPEC §5.8).

use async_graphql::{Context, InputObject, Object, Result, SimpleObject};

use super::auth::{self, LoginResult, LoginWithCustomerLoginJwtResult, LogoutResult};
use super::cart::{CartMutations, CheckoutMutations};
use super::customer_mutations::CustomerMutations;
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
        CheckoutMutations
    }

    async fn customer(&self) -> CustomerMutations {
        CustomerMutations
    }

    async fn wishlist(&self) -> WishlistMutations {
        WishlistMutations
    }

    async fn analytics(&self) -> AnalyticsMutations {
        AnalyticsMutations
    }
}

pub struct AnalyticsMutations;

#[derive(InputObject, Clone, Debug)]
pub struct AnalyticsEventInitiatorInput {
    pub visit_id: String,
    pub visitor_id: String,
}

#[derive(InputObject, Clone, Debug)]
pub struct AnalyticsEventRequestInput {
    pub url: String,
    pub user_agent: String,
    pub referer_url: Option<String>,
    pub ip: Option<String>,
    pub accept_language: Option<String>,
}

#[derive(InputObject, Clone, Debug)]
pub struct AnalyticsEventConsentInput {
    pub targeting: bool,
    pub analytics: bool,
    pub functional: bool,
}

#[derive(InputObject, Clone, Debug)]
pub struct AnalyticsCommonEventInput {
    pub initiator: Option<AnalyticsEventInitiatorInput>,
    pub request: AnalyticsEventRequestInput,
    pub consent: Option<AnalyticsEventConsentInput>,
}

#[derive(InputObject, Clone, Debug)]
pub struct VisitStartedEventInput {
    pub common_input: AnalyticsCommonEventInput,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct VisitStartedEventResult {
    pub executed: bool,
}

#[Object]
impl AnalyticsMutations {
    /// Records the start of a visit. Without analytics consent the event is not recorded.
    async fn visit_started_event(&self, input: VisitStartedEventInput) -> VisitStartedEventResult {
        let consented = input
            .common_input
            .consent
            .as_ref()
            .is_none_or(|c| c.analytics);
        if consented {
            // The client's text: escaped (no forged lines, no terminal escapes) and cut short.
            let url = crate::request_log::escaped(truncated(&input.common_input.request.url, 512));
            tracing::info!(target: "analytics", url = %url, "visit started");
        }
        VisitStartedEventResult {
            executed: consented,
        }
    }
}

/// At most `max` bytes of `s`, cut at a character boundary.
fn truncated(s: &str, max: usize) -> &str {
    let mut end = s.len().min(max);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}
