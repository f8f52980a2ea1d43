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
            let url = crate::logs::escaped(crate::logs::truncated(
                &input.common_input.request.url.0,
                512,
            ));
            tracing::info!(target: "analytics", url = %url, "visit started");
        }
        VisitStartedEventResult {
            executed: consented,
        }
    }
}
