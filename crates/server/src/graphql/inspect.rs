//! What the decision inspector keeps of a storefront-API request (issue 19): how it was
//! classified and by which of its headers, its origin, where its customer came from, the
//! scopes it needed against those granted. Header names only, never their values (a token,
//! a CAT or a cookie); the origin is not a secret.

use axum::http::HeaderMap;
use storefront_auth_core::analysis::Analysis;
use storefront_auth_core::clock::format_rfc3339;
use storefront_auth_core::policy::Grant;
use storefront_auth_core::request::SignalsPresent;
use storefront_auth_core::RequestOrigin;

use super::customer_headers::CUSTOMER_ID_HEADER;
use crate::http::headers::CAT_HEADER;
use crate::http::request_log::RequestLog;
use crate::service::caches::decisions::DecisionRecord;

/// Starts the request's decision record once its store is known.
pub fn seen(
    log: &RequestLog,
    store_id: i64,
    headers: &HeaderMap,
    origin: &RequestOrigin,
    signals: SignalsPresent,
) {
    let customer_source = if headers.contains_key(&CAT_HEADER) {
        Some("X-Bc-Customer-Access-Token")
    } else if headers.contains_key(&CUSTOMER_ID_HEADER) {
        Some("X-Bc-Customer-Id")
    } else if signals.session_cookie {
        Some("SHOP_TOKEN cookie")
    } else {
        None
    };
    let (classification, origin) = match origin {
        RequestOrigin::Browser { origin } => ("browser", origin.clone()),
        RequestOrigin::ServerToServer => ("server-to-server", None),
    };
    let record = DecisionRecord {
        classification,
        classified_by: signals,
        origin,
        customer_source,
        ..Default::default()
    };
    log.update(|f| f.inspected = Some((store_id, std::sync::Arc::new(record))));
}

/// Adds what the document needed, what the token was granted, and a rehearsal's verdict.
pub fn scopes(log: &RequestLog, analysis: Option<&Analysis>, grant: &Grant) {
    let required = analysis.map(|a| a.required).unwrap_or_default();
    let granted = grant.scopes;
    let rehearsal = grant
        .would_refuse
        .map(|(rule, at)| format!("{rule}; at={}", &format_rfc3339(at)[..10]));
    log.update(|f| {
        if let Some(d) = f.inspected_mut() {
            d.required_scopes = required;
            d.granted_scopes = granted;
            d.rehearsal = rehearsal;
        }
    });
}

/// The operation a refused request named (`operationName`, else the name of the operation
/// its document starts with). The document is not parsed: anyone can make a request be
/// refused, and a refusal must stay cheap.
pub fn refused_operation(
    log: &RequestLog,
    body: &storefront_auth_core::graphql_request::GraphqlBody,
) {
    let named = body
        .operation_name
        .as_deref()
        .or_else(|| storefront_auth_core::graphql_request::leading_operation_name(&body.query));
    log.update(|f| f.operation = named.map(|n| n.chars().take(128).collect()));
}
