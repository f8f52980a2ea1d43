//! The `analytics` mutations: storefront events a client reports, recorded in the log only
//! with the shopper's consent.

use async_graphql::{InputObject, Object, SimpleObject};

use super::scalars::Url;

pub struct AnalyticsMutations;

#[derive(InputObject, Clone, Debug)]
pub struct AnalyticsEventInitiatorInput {
    pub visit_id: String,
    pub visitor_id: String,
}

#[derive(InputObject, Clone, Debug)]
pub struct AnalyticsEventRequestInput {
    pub url: Url,
    pub user_agent: String,
    pub referer_url: Option<Url>,
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

#[derive(InputObject, Clone, Debug)]
pub struct ProductViewed {
    pub product_entity_id: i32,
    pub search_keyword: Option<String>,
}

#[derive(InputObject, Clone, Debug)]
pub struct ProductViewedEventInput {
    pub common_input: AnalyticsCommonEventInput,
    pub product_input: ProductViewed,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct ProductViewedEventResult {
    pub executed: bool,
}

/// Logs an event when the shopper consented to analytics (no consent given: consented, as
/// BigCommerce treats it); says whether it did.
fn record(common: &AnalyticsCommonEventInput, event: &str, product_id: Option<i32>) -> bool {
    let consented = common.consent.as_ref().is_none_or(|c| c.analytics);
    if consented {
        // The client's text: escaped (no forged lines, no terminal escapes) and cut short.
        let url = crate::logs::escaped(crate::logs::truncated(&common.request.url.0, 512));
        match product_id {
            Some(id) => tracing::info!(target: "analytics", url = %url, product_id = id, "{event}"),
            None => tracing::info!(target: "analytics", url = %url, "{event}"),
        }
    }
    consented
}

#[Object]
impl AnalyticsMutations {
    /// Records the start of a visit. Without analytics consent the event is not recorded.
    async fn visit_started_event(&self, input: VisitStartedEventInput) -> VisitStartedEventResult {
        VisitStartedEventResult {
            executed: record(&input.common_input, "visit started", None),
        }
    }

    /// Records that a shopper viewed a product, with the same consent rule.
    async fn product_viewed_event(
        &self,
        input: ProductViewedEventInput,
    ) -> ProductViewedEventResult {
        let id = input.product_input.product_entity_id;
        ProductViewedEventResult {
            executed: record(&input.common_input, "product viewed", Some(id)),
        }
    }
}
