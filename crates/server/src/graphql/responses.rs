//! How the GraphQL API says no (SPEC §5): `{"errors":[{"message": …}]}` with the status of
//! each refusal, in one place.

use crate::http::request_log::GraphqlOutcome;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;
use storefront_auth_core::document::DocumentError;

use crate::http::storefront_host::HostRejection;
use crate::service::customer_context::ContextError;
use crate::service::directory::HostError;

/// `{"errors":[{"message": …}]}` with a status.
pub fn gql_error(status: StatusCode, message: &str) -> Response {
    (
        status,
        axum::Json(json!({ "errors": [{ "message": message }] })),
    )
        .into_response()
}

/// 503: the database is away (what failed is logged, never sent).
pub fn unavailable() -> Response {
    gql_error(
        StatusCode::SERVICE_UNAVAILABLE,
        "The service is temporarily unavailable; retry shortly.",
    )
}

/// A GraphQL-level refusal: HTTP 200 with `data: null` and one error.
pub fn refused(message: String) -> Response {
    let mut response = (
        StatusCode::OK,
        axum::Json(json!({ "data": null, "errors": [{ "message": message }] })),
    )
        .into_response();
    response.extensions_mut().insert(REFUSED);
    response
}

/// A document refused whole: one error, no data.
const REFUSED: GraphqlOutcome = GraphqlOutcome {
    errors: 1,
    data: false,
    upstream: None,
};

/// A document refused before it is parsed (too deep) or because it does not parse: as
/// async-graphql reports a syntax error (HTTP 200, `data: null`, the error's position).
pub fn document_refused(e: &DocumentError) -> Response {
    match e {
        DocumentError::TooDeep(_) => refused(e.to_string()),
        DocumentError::Syntax(syntax) => {
            let mut response = axum::Json(async_graphql::Response::from_errors(vec![
                async_graphql::ServerError::from(syntax.clone()),
            ]))
            .into_response();
            response.extensions_mut().insert(REFUSED);
            response
        }
    }
}

/// `/graphql` and `/graphql/explain` on a host that is no storefront.
pub struct GraphqlHost;

impl HostRejection for GraphqlHost {
    fn reject(error: HostError) -> Response {
        match error {
            HostError::UnknownStore => {
                gql_error(StatusCode::NOT_FOUND, "No storefront answers at this host.")
            }
            HostError::UnknownChannel => {
                gql_error(StatusCode::NOT_FOUND, "This store has no such channel.")
            }
            HostError::Unavailable => unavailable(),
        }
    }
}

/// A CORS preflight on a host that is no storefront: no CORS headers, so the browser refuses.
pub struct PreflightHost;

impl HostRejection for PreflightHost {
    fn reject(error: HostError) -> Response {
        match error {
            HostError::Unavailable => unavailable(),
            _ => StatusCode::NO_CONTENT.into_response(),
        }
    }
}

/// The GraphQL Storefront API's answer to a customer context it cannot have (SPEC §5.4).
pub fn context_refused(error: &ContextError) -> Response {
    match error {
        ContextError::CatFromBrowser => gql_error(StatusCode::FORBIDDEN, "Request not allowed: customer access tokens are only accepted on server-to-server requests"),
        ContextError::CatWithImpersonation => gql_error(StatusCode::BAD_REQUEST, "X-Bc-Customer-Access-Token cannot be used with a customer impersonation token; send X-Bc-Customer-Id instead."),
        ContextError::BothHeaders => gql_error(
            StatusCode::BAD_REQUEST,
            "Send either X-Bc-Customer-Access-Token or X-Bc-Customer-Id, not both.",
        ),
        ContextError::CustomerIdWithoutImpersonation => gql_error(
            StatusCode::BAD_REQUEST,
            "X-Bc-Customer-Id is only accepted with a customer impersonation token.",
        ),
        ContextError::BadCustomerId => gql_error(
            StatusCode::BAD_REQUEST,
            "X-Bc-Customer-Id must be a customer id (an integer).",
        ),
        ContextError::InvalidCat => invalid_cat(),
        ContextError::Unavailable => unavailable(),
    }
}

/// The `INVALID_CUSTOMER_ACCESS_TOKEN` answer (HTTP 200, as Catalyst expects).
fn invalid_cat() -> Response {
    let body = json!({ "data": null, "errors": [{ "message": "Invalid customer access token", "extensions": { "code": "INVALID_CUSTOMER_ACCESS_TOKEN" } }] });
    (StatusCode::OK, axum::Json(body)).into_response()
}
