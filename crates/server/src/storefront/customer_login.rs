//! The Customer Login API `GET /login/token/{jwt}` (SPEC §6): a browser signs in with a JWT
//! an app made, and is redirected with the session cookie.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRef, Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Router};
use storefront_auth_store::SessionKind;

use super::Storefronts;
use crate::http::client::{client_ip, trusted_proxy};
use crate::http::request_log::RequestLog;
use crate::http::storefront_host::{HostRejection, StorefrontHost};
use crate::service::directory::HostError;
use crate::service::{customers, Domain};

pub fn router<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    Storefronts: FromRef<S>,
    Domain: FromRef<S>,
{
    Router::new().route("/login/token/{jwt}", get(login_token))
}

/// Any host that is no storefront: the generic failure redirect.
pub struct LoginHost;

impl HostRejection for LoginHost {
    fn reject(_: HostError) -> Response {
        redirect(FAILURE)
    }
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
    State(s): State<Storefronts>,
    StorefrontHost(storefront, _): StorefrontHost<LoginHost>,
    Extension(log): Extension<RequestLog>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path(jwt): Path<String>,
) -> Response {
    let store = &storefront.entry.store;
    let ip = client_ip(
        &headers,
        trusted_proxy(&headers, store.trusted_proxy_secret_digest.as_deref()),
        peer.ip(),
    )
    .to_string();
    match crate::service::customer_login::verify_login_jwt(&s.domain, store, &jwt, &ip).await {
        Ok((claims, customer, channel)) => {
            match customers::start_sign_in(
                &s.domain,
                store.id,
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
                    let target = claims.redirect_to.unwrap_or_else(|| {
                        storefront_auth_core::customer_login::DEFAULT_REDIRECT.to_string()
                    });
                    let mut r = redirect(&target);
                    if let Ok(v) = HeaderValue::from_str(
                        &s.cookies
                            .session(value.expose(), expires_at - s.domain.now_for(store.id)),
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
