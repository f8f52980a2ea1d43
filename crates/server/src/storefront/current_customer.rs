//! The Current Customer API `GET /customer/current.jwt` (SPEC §7): the signed-in customer as
//! a JWT for an app.

use axum::extract::{FromRef, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde::Deserialize;

use super::Storefronts;
use crate::http::error::{envelope, ApiError};
use crate::http::storefront_host::{HostRejection, StorefrontHost};
use crate::service::directory::HostError;
use crate::service::{current_customer, Domain};

pub fn router<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    Storefronts: FromRef<S>,
    Domain: FromRef<S>,
{
    Router::new().route("/customer/current.jwt", get(current))
}

#[derive(Deserialize)]
struct CurrentQuery {
    app_client_id: Option<String>,
}

fn error(status: StatusCode, title: &str) -> Response {
    (status, axum::Json(envelope(status, title, None, None))).into_response()
}

/// A host that is no storefront, in the REST envelope.
pub struct RestEnvelopeHost;

impl HostRejection for RestEnvelopeHost {
    fn reject(e: HostError) -> Response {
        match e {
            HostError::Unavailable => {
                ApiError::Unavailable("store directory".into()).into_response()
            }
            _ => error(StatusCode::NOT_FOUND, "No storefront answers at this host."),
        }
    }
}

/// The signed-in customer as an HS256 JWT for the app named by `app_client_id`.
async fn current(
    State(s): State<Storefronts>,
    StorefrontHost(storefront, _): StorefrontHost<RestEnvelopeHost>,
    headers: HeaderMap,
    Query(q): Query<CurrentQuery>,
) -> Response {
    let Some(client_id) = q.app_client_id.filter(|c| !c.is_empty()) else {
        return error(StatusCode::BAD_REQUEST, "app_client_id is required.");
    };
    let store = &storefront.entry.store;
    let app = match current_customer::signer(&s.domain, store, &client_id).await {
        Ok(Some(app)) => app,
        Ok(None) => {
            return error(
                StatusCode::BAD_REQUEST,
                "app_client_id names no app of this store.",
            )
        }
        Err(e) => return ApiError::from(e).into_response(),
    };
    let Ok(ctx) = super::signed_in(&s.domain, &headers, &storefront).await else {
        // A cookie can only meet an unavailable database here.
        return ApiError::Unavailable("customer context".into()).into_response();
    };
    let Some(customer) = ctx.customer else {
        return error(StatusCode::NOT_FOUND, "No customer is signed in.");
    };
    let jwt = current_customer::token(&s.domain, store, &customer, &app);
    ([(header::CONTENT_TYPE, "application/jwt")], jwt).into_response()
}
