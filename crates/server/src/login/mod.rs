//! Browser sign-in outside GraphQL: the Customer Login API `GET /login/token/{jwt}` (SPEC §6)
//! and the Current Customer API `GET /customer/current.jwt` (SPEC §7).

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Router};
use serde::Deserialize;
use serde_json::json;
use storefront_auth_core::hs256;
use storefront_auth_store::SessionKind;

use crate::error::envelope;
use crate::request_log::RequestLog;
use crate::service::customers;
use crate::state::SharedState;
use crate::storefront::customer_context::{self, CustomerContext};
use crate::storefront::request::{client_ip, trusted_proxy};

pub fn router() -> Router<SharedState> {
    Router::new()
        .route("/login/token/{jwt}", get(login_token))
        .route("/customer/current.jwt", get(current_customer))
}

fn redirect(location: &str) -> Response {
    let mut r = StatusCode::FOUND.into_response();
    if let Ok(v) = HeaderValue::from_str(location) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r
}

const FAILURE: &str = "/login.php?error=invalid_login";

/// Signs the customer in with a cookie and redirects; any failure redirects to the login page
/// with a generic error, and the reason goes to the log.
async fn login_token(
    State(state): State<SharedState>,
    Extension(log): Extension<RequestLog>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path(jwt): Path<String>,
) -> Response {
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    let Ok((entry, _)) = state.directory.resolve(&state, host).await else {
        return redirect(FAILURE);
    };
    let ip = client_ip(
        &headers,
        trusted_proxy(&headers, entry.store.trusted_proxy_secret_digest.as_deref()),
        peer.ip(),
    )
    .to_string();
    let channels: Vec<_> = entry.channels.iter().map(|c| (**c).clone()).collect();
    match customers::verify_login_jwt(&state, &entry.store, &channels, &jwt, &ip).await {
        Ok((claims, customer, channel)) => {
            match customers::start_sign_in(
                &state,
                entry.store.id,
                channel.channel_id,
                customer.id,
                SessionKind::Cookie,
            )
            .await
            {
                Ok((value, expires_at)) => {
                    log.update(|f| f.decision = Some("allow"));
                    tracing::info!(
                        customer_id = customer.id,
                        channel_id = channel.channel_id,
                        "customer signed in with a login JWT"
                    );
                    let target = claims
                        .redirect_to
                        .unwrap_or_else(|| storefront_auth_core::sso::DEFAULT_REDIRECT.to_string());
                    let mut r = redirect(&target);
                    if let Ok(v) = HeaderValue::from_str(
                        &state
                            .cookies()
                            .session(value.expose(), expires_at - state.now()),
                    ) {
                        r.headers_mut().insert(header::SET_COOKIE, v);
                    }
                    r
                }
                Err(e) => {
                    tracing::error!(error = %e, "customer login: could not start the session");
                    redirect(FAILURE)
                }
            }
        }
        Err(reason) => {
            log.update(|f| f.decision = Some("deny"));
            tracing::info!(reason = %reason, "customer login JWT refused");
            redirect(FAILURE)
        }
    }
}

#[derive(Deserialize)]
struct CurrentQuery {
    app_client_id: Option<String>,
}

fn error(status: StatusCode, title: &str) -> Response {
    (status, axum::Json(envelope(status, title, None, None))).into_response()
}

/// The signed-in customer as an HS256 JWT for the app named by `app_client_id`.
async fn current_customer(
    State(state): State<SharedState>,
    headers: HeaderMap,
    Query(q): Query<CurrentQuery>,
) -> Response {
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    let (entry, channel) = match state.directory.resolve(&state, host).await {
        Ok(found) => found,
        Err(crate::storefront::host::HostError::Unavailable) => {
            return crate::error::ApiError::Unavailable("store directory".into()).into_response()
        }
        Err(_) => return error(StatusCode::NOT_FOUND, "No storefront answers at this host."),
    };
    let Some(client_id) = q.app_client_id.filter(|c| !c.is_empty()) else {
        return error(StatusCode::BAD_REQUEST, "app_client_id is required.");
    };
    // The store's own API account, or any registered app (the Current Customer API needs no
    // install and no scope, only the app's credentials).
    let signer = match state.store.account(&client_id).await {
        Ok(Some(a)) if a.store_id == entry.store.id => Ok(Some((a.client_id, a.client_secret))),
        Ok(_) => state.store.app(&client_id).await.map(|app| {
            app.filter(|a| a.visible_to(entry.store.id))
                .map(|a| (a.client_id, a.client_secret))
        }),
        Err(e) => Err(e),
    };
    let account = match signer {
        Ok(a) => a,
        Err(e) => return crate::error::ApiError::from(e).into_response(),
    };
    let Some((app_client_id, app_secret)) = account else {
        return error(
            StatusCode::BAD_REQUEST,
            "app_client_id names no app of this store.",
        );
    };
    let ctx: CustomerContext =
        match customer_context::of_browser(&state, &headers, entry.store.id, channel.channel_id)
            .await
        {
            Ok(c) => c,
            // A cookie can only meet an unavailable database here.
            Err(_) => {
                return crate::error::ApiError::Unavailable("customer context".into())
                    .into_response()
            }
        };
    let Some(customer) = ctx.customer else {
        return error(StatusCode::NOT_FOUND, "No customer is signed in.");
    };
    let now = state.now();
    let claims = json!({
        "customer": { "id": customer.id, "email": customer.email, "group_id": customer.group_id.unwrap_or(0).to_string() },
        "iss": "bc/apps",
        "sub": entry.store.hash,
        "aud": app_client_id,
        "iat": now,
        "exp": now + 900,
        "version": 1,
        "application_id": app_client_id,
        "store_hash": entry.store.hash,
        "operation": "current_customer",
    });
    let jwt = hs256::sign(&claims, app_secret.expose().as_bytes());
    ([(header::CONTENT_TYPE, "application/jwt")], jwt).into_response()
}
