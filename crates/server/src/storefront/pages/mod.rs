//! Storefront pages (SPEC §8): `/`, `/login.php`, `/account.php`, `/cart.php`, rendered on the
//! server with no external scripts. Each page embeds the channel's auto-generated storefront
//! token, and its own small script calls `/graphql` with it (`credentials: 'same-origin'`, so
//! the session cookie carries the customer).

use std::collections::HashMap;
use std::net::SocketAddr;

mod checkout;
mod html;

use axum::extract::{ConnectInfo, FromRef, FromRequestParts, Query, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Form, Router};
use storefront_auth_core::money::{self, discounted};
use storefront_auth_store::{Customer, SessionKind};

use super::same_origin::is_same_origin;
use super::Storefronts;
use crate::http::client::{client_ip, trusted_proxy};
use crate::http::storefront_host::{HostRejection, StorefrontHost};
use crate::service::directory::{HostError, Storefront};
use crate::service::{auto_token, catalog, customers, Domain};
use html::{esc, page, ACCOUNT_SCRIPT, CART_SCRIPT};

pub fn router<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    Storefronts: FromRef<S>,
    Domain: FromRef<S>,
{
    Router::new()
        .route("/", get(home))
        .route("/login.php", get(login_form).post(login_submit))
        .route("/account.php", get(account))
        .route("/cart.php", get(cart))
        .route("/checkout", get(checkout::checkout_page))
        .route(
            "/checkout/order-confirmation",
            get(checkout::confirmation_page),
        )
}

/// What every page knows: the storefront, the signed-in customer, the embedded token.
pub struct PageContext {
    storefront: Storefront,
    customer: Option<Customer>,
    token: String,
}

/// A host that is no storefront: plain text, as a page would say it.
pub struct PageHost;

impl HostRejection for PageHost {
    fn reject(e: HostError) -> Response {
        match e {
            HostError::Unavailable => unavailable(),
            _ => (StatusCode::NOT_FOUND, "No storefront answers at this host.").into_response(),
        }
    }
}

type Host = StorefrontHost<PageHost>;

fn unavailable() -> Response {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        "The storefront is temporarily unavailable; retry shortly.",
    )
        .into_response()
}

/// Every page's context, taken with the request: the storefront (a host that is none gets
/// the 404 page), the cookie's customer, and the channel's auto-generated token.
impl<S> FromRequestParts<S> for PageContext
where
    S: Send + Sync,
    Storefronts: FromRef<S>,
    Domain: FromRef<S>,
{
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Response> {
        let StorefrontHost(storefront, _) = Host::from_request_parts(parts, state).await?;
        let domain = Domain::from_ref(state);
        let ctx = super::signed_in(&domain, &parts.headers, &storefront)
            .await
            .map_err(|_| unavailable())?;
        let (store, channel) = (&storefront.entry.store, &storefront.channel);
        let token = auto_token::current(&domain, store, channel)
            .await
            .map_err(|e| {
                tracing::error!(error = %e, "auto-generated token");
                unavailable()
            })?;
        Ok(PageContext {
            storefront,
            customer: ctx.customer,
            token,
        })
    }
}

async fn home(State(s): State<Storefronts>, ctx: PageContext) -> Response {
    let discount = match &ctx.customer {
        Some(c) => match crate::service::customers::discount_bp(
            &s.domain,
            ctx.storefront.entry.store.id,
            c,
        )
        .await
        {
            Ok(d) => d,
            Err(_) => return unavailable(),
        },
        None => 0,
    };
    let products = match catalog::page(
        &s.domain,
        ctx.storefront.entry.store.id,
        0,
        i64::MAX,
        50,
        false,
    )
    .await
    {
        Ok(p) => p,
        Err(_) => return unavailable(),
    };
    let mut list = String::from(r#"<ul id="products">"#);
    for p in &products {
        let cents = discounted(p.price_cents, discount);
        list.push_str(&format!(
            r#"<li data-product="{id}">{name} — {price} <button onclick="addToCart({id})">Add to cart</button></li>"#,
            id = p.id,
            name = esc(&p.name),
            price = money::format(cents),
        ));
    }
    list.push_str("</ul>");
    page(
        &ctx,
        "Home",
        &format!("<h1>{}</h1>{list}", esc(&ctx.storefront.channel.name)),
        "loadCart();",
    )
}

async fn login_form(ctx: PageContext, Query(q): Query<HashMap<String, String>>) -> Response {
    let error = q.get("error").is_some_and(|e| e == "invalid_login");
    login_page(
        &ctx,
        error.then_some("Your sign-in link is invalid or has expired. Sign in with your password."),
    )
}

fn login_page(ctx: &PageContext, error: Option<&str>) -> Response {
    let error = error
        .map(|e| format!(r#"<p id="login-error" role="alert">{}</p>"#, esc(e)))
        .unwrap_or_default();
    let main = format!(
        r#"<h1>Sign in</h1>{error}<form method="post" action="/login.php">
<label>Email <input name="email" type="email" autocomplete="username" required></label>
<label>Password <input name="password" type="password" autocomplete="current-password" required></label>
<button type="submit">Sign in</button></form>"#
    );
    page(ctx, "Sign in", &main, "loadCart();")
}

async fn login_submit(
    State(s): State<Storefronts>,
    ctx: PageContext,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    if !is_same_origin(&headers, &ctx.storefront.channel) {
        return (
            StatusCode::FORBIDDEN,
            "Cross-origin sign-in is not allowed.",
        )
            .into_response();
    }
    let (email, password) = (
        form.get("email").map(String::as_str).unwrap_or(""),
        form.get("password").map(String::as_str).unwrap_or(""),
    );
    let store = &ctx.storefront.entry.store;
    let trusted = trusted_proxy(&headers, store.trusted_proxy_secret_digest.as_deref());
    let ip = client_ip(&headers, trusted, peer.ip()).to_string();
    let customer = match customers::password_login(&s.domain, store, email, password, &ip).await {
        Ok(c) => c,
        Err(customers::LoginError::Unavailable(cause)) => {
            tracing::error!(error = %cause, "login form: database unavailable");
            return unavailable();
        }
        Err(customers::LoginError::CheckUnavailable(cause)) => {
            tracing::error!(error = %cause, "login form: credential check unavailable");
            return unavailable();
        }
        Err(e) => {
            let mut r = login_page(&ctx, Some(&e.message()));
            *r.status_mut() = StatusCode::UNAUTHORIZED;
            return r;
        }
    };
    let channel_id = ctx.storefront.channel.channel_id;
    let kind = SessionKind::Cookie;
    let started = customers::start_sign_in(&s.domain, store.id, channel_id, customer.id, kind);
    let Ok((value, expires_at)) = started.await else {
        return unavailable();
    };
    let set_cookie = s
        .cookies
        .session(value.expose(), expires_at - s.domain.now_for(store.id));
    (
        StatusCode::SEE_OTHER,
        [
            (header::LOCATION, "/account.php".to_string()),
            (header::SET_COOKIE, set_cookie),
        ],
    )
        .into_response()
}

async fn account(ctx: PageContext) -> Response {
    let Some(c) = &ctx.customer else {
        return (StatusCode::FOUND, [(header::LOCATION, "/login.php")]).into_response();
    };
    let main = format!(
        r#"<h1>Your account</h1>
<p id="customer" data-customer-id="{id}">{first} {last} &lt;{email}&gt;</p>
<p>From the GraphQL Storefront API: <span id="gql-customer">…</span></p>
<p>Orders: <span id="orders">…</span></p>
<button id="logout">Sign out</button>"#,
        id = c.id,
        first = esc(&c.first_name),
        last = esc(&c.last_name),
        email = esc(&c.email),
    );
    page(&ctx, "Account", &main, ACCOUNT_SCRIPT)
}

/// The cart page; with `action=loadInCheckout`, a hosted checkout link (`checkout.rs`).
async fn cart(
    State(s): State<Storefronts>,
    ctx: PageContext,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    if q.get("action").is_some_and(|a| a == "loadInCheckout") {
        return checkout::load_in_checkout(&s, &ctx, &q).await;
    }
    page(
        &ctx,
        "Cart",
        r#"<h1>Your cart</h1><ul id="lines">…</ul><p>Total: <span id="total">$0.00</span></p>
<p><a id="checkout-link" href="/cart.php" hidden>Check out</a></p>"#,
        CART_SCRIPT,
    )
}
