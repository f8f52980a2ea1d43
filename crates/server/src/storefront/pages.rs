//! Storefront pages (SPEC §8): `/`, `/login.php`, `/account.php`, `/cart.php`, rendered on the
//! server with no external scripts. Each page embeds the channel's auto-generated storefront
//! token, and its own small script calls `/graphql` with it (`credentials: 'same-origin'`, so
//! the session cookie carries the customer).

use std::collections::HashMap;
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Form, Router};
use storefront_auth_store::{Channel, Customer, SessionKind};

use super::cors::is_same_origin;
use super::host::StoreEntry;
use crate::service::{auto_token, customers};
use crate::state::{AppState, SharedState};
use storefront_auth_core::money::discounted;

pub fn router() -> Router<SharedState> {
    Router::new()
        .route("/", get(home))
        .route("/login.php", get(login_form).post(login_submit))
        .route("/account.php", get(account))
        .route("/cart.php", get(cart))
}

/// What every page knows: the storefront, the signed-in customer, the embedded token.
struct PageContext {
    entry: std::sync::Arc<StoreEntry>,
    channel: std::sync::Arc<Channel>,
    customer: Option<Customer>,
    token: String,
}

fn unavailable() -> Response {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        "The storefront is temporarily unavailable; retry shortly.",
    )
        .into_response()
}

async fn context(state: &AppState, headers: &HeaderMap) -> Result<PageContext, Response> {
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    let (entry, channel) = state
        .directory
        .resolve(state, host)
        .await
        .map_err(|e| match e {
            super::host::HostError::Unavailable => unavailable(),
            _ => (StatusCode::NOT_FOUND, "No storefront answers at this host.").into_response(),
        })?;
    let ctx =
        super::customer_context::of_browser(state, headers, entry.store.id, channel.channel_id)
            .await
            .map_err(|_| unavailable())?;
    let token = auto_token::current(state, &entry.store, &channel)
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "auto-generated token");
            unavailable()
        })?;
    Ok(PageContext {
        entry,
        channel,
        customer: ctx.customer,
        token,
    })
}

/// Escapes text for HTML element content and attribute values.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// The token as a JavaScript string literal that cannot close the script element.
fn js_string(s: &str) -> String {
    serde_json::to_string(s)
        .unwrap_or_default()
        .replace('<', "\\u003c")
}

const SCRIPT: &str = r#"
async function gql(query, variables) {
  const r = await fetch('/graphql', { method: 'POST', credentials: 'same-origin',
    headers: { 'Authorization': 'Bearer ' + STOREFRONT_TOKEN, 'Content-Type': 'application/json' },
    body: JSON.stringify({ query: query, variables: variables || {} }) });
  const body = await r.json();
  if (!r.ok || body.errors) { document.getElementById('status').textContent = (body.errors && body.errors[0].message) || ('HTTP ' + r.status); }
  return body;
}
const CART_KEY = 'storefront-auth-cart';
async function loadCart() {
  const body = await gql('query($id: String) { site { cart(entityId: $id) { entityId lineItems { totalQuantity physicalItems { name quantity extendedSalePrice { value } } } amount { value } } } }',
    { id: localStorage.getItem(CART_KEY) });
  const cart = body.data && body.data.site.cart;
  if (cart) { localStorage.setItem(CART_KEY, cart.entityId); } else { localStorage.removeItem(CART_KEY); }
  document.getElementById('cart-count').textContent = cart ? cart.lineItems.totalQuantity : 0;
  return cart;
}
async function addToCart(productId) {
  const id = localStorage.getItem(CART_KEY);
  const line = [{ productEntityId: productId, quantity: 1 }];
  const body = id
    ? await gql('mutation($id: String!, $l: [CartLineItemInput!]) { cart { addCartLineItems(input: { cartEntityId: $id, data: { lineItems: $l } }) { cart { entityId } } } }', { id: id, l: line })
    : await gql('mutation($l: [CartLineItemInput!]) { cart { createCart(input: { lineItems: $l }) { cart { entityId } } } }', { l: line });
  const res = body.data && body.data.cart && (body.data.cart.addCartLineItems || body.data.cart.createCart);
  if (res && res.cart) { localStorage.setItem(CART_KEY, res.cart.entityId); }
  await loadCart();
}
"#;

fn page(ctx: &PageContext, title: &str, main: &str, page_script: &str) -> Response {
    let who = match &ctx.customer {
        Some(c) => format!(
            r#"Signed in as {} · <a href="/account.php">Account</a>"#,
            esc(&c.first_name)
        ),
        None => r#"<a href="/login.php">Sign in</a>"#.to_string(),
    };
    let html = format!(
        r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title} · {store}</title>
<style>body{{font-family:sans-serif;max-width:48rem;margin:2rem auto}}header{{display:flex;justify-content:space-between}}</style></head>
<body><header><a href="/">{store}</a><span>{who} · <a href="/cart.php">Cart (<span id="cart-count">0</span>)</a></span></header>
<main>{main}</main><p id="status" role="status"></p>
<script>
const STOREFRONT_TOKEN = {token};
{SCRIPT}
{page_script}
</script></body></html>"#,
        title = esc(title),
        store = esc(&ctx.entry.store.name),
        token = js_string(&ctx.token),
    );
    let mut r = (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        html,
    )
        .into_response();
    let h = r.headers_mut();
    // Inline scripts only; nothing is loaded from elsewhere. The page embeds a token: no caching.
    for (name, value) in [
        ("content-security-policy", "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'"),
        ("x-content-type-options", "nosniff"),
        ("cache-control", "no-store"),
    ] {
        h.insert(name, axum::http::HeaderValue::from_static(value));
    }
    r
}

async fn home(State(state): State<SharedState>, headers: HeaderMap) -> Response {
    let ctx = match context(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let discount = match &ctx.customer {
        Some(c) => match crate::service::carts::discount_bp(&state, ctx.entry.store.id, c).await {
            Ok(d) => d,
            Err(_) => return unavailable(),
        },
        None => 0,
    };
    let products = match state
        .store
        .products(ctx.entry.store.id, 0, i64::MAX, 50, false)
        .await
    {
        Ok(p) => p,
        Err(_) => return unavailable(),
    };
    let mut list = String::from(r#"<ul id="products">"#);
    for p in &products {
        let cents = discounted(p.price_cents, discount);
        list.push_str(&format!(
            r#"<li data-product="{id}">{name} — ${dollars}.{cents:02} <button onclick="addToCart({id})">Add to cart</button></li>"#,
            id = p.id,
            name = esc(&p.name),
            dollars = cents / 100,
            cents = cents % 100,
        ));
    }
    list.push_str("</ul>");
    page(
        &ctx,
        "Home",
        &format!("<h1>{}</h1>{list}", esc(&ctx.channel.name)),
        "loadCart();",
    )
}

async fn login_form(
    State(state): State<SharedState>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let ctx = match context(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
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
    State(state): State<SharedState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let ctx = match context(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    if !is_same_origin(&headers, &ctx.channel) {
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
    let trusted = super::request::trusted_proxy(
        &headers,
        ctx.entry.store.trusted_proxy_secret_digest.as_deref(),
    );
    let ip = super::request::client_ip(&headers, trusted, peer.ip()).to_string();
    let customer =
        match customers::password_login(&state, &ctx.entry.store, email, password, &ip).await {
            Ok(c) => c,
            Err(customers::LoginError::Unavailable(cause)) => {
                tracing::error!(error = %cause, "login form: database unavailable");
                return unavailable();
            }
            Err(e) => {
                let mut r = login_page(&ctx, Some(&e.message()));
                *r.status_mut() = StatusCode::UNAUTHORIZED;
                return r;
            }
        };
    let (value, expires_at) = match customers::start_sign_in(
        &state,
        ctx.entry.store.id,
        ctx.channel.channel_id,
        customer.id,
        SessionKind::Cookie,
    )
    .await
    {
        Ok(v) => v,
        Err(_) => return unavailable(),
    };
    let set_cookie = state
        .cookies()
        .session(value.expose(), expires_at - state.now());
    (
        StatusCode::SEE_OTHER,
        [
            (header::LOCATION, "/account.php".to_string()),
            (header::SET_COOKIE, set_cookie),
        ],
    )
        .into_response()
}

const ACCOUNT_SCRIPT: &str = r#"
loadCart();
gql('{ customer { entityId firstName lastName email orders { edges { node { entityId status { label } } } } } }').then(function (body) {
  const c = body.data && body.data.customer;
  document.getElementById('gql-customer').textContent = c ? (c.firstName + ' ' + c.lastName + ' <' + c.email + '>') : 'not signed in';
  const orders = (c && c.orders && c.orders.edges) || [];
  document.getElementById('orders').textContent = orders.length ? orders.map(function (e) { return '#' + e.node.entityId + ' ' + e.node.status.label; }).join(', ') : 'No orders yet.';
});
document.getElementById('logout').addEventListener('click', async function () {
  await gql('mutation { logout { result } }');
  window.location = '/login.php';
});
"#;

async fn account(State(state): State<SharedState>, headers: HeaderMap) -> Response {
    let ctx = match context(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
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

const CART_SCRIPT: &str = r#"
loadCart().then(function (cart) {
  const list = document.getElementById('lines');
  if (!cart) { list.textContent = 'Your cart is empty.'; return; }
  list.innerHTML = '';
  cart.lineItems.physicalItems.forEach(function (l) {
    const li = document.createElement('li');
    li.textContent = l.quantity + ' × ' + l.name + ' — $' + l.extendedSalePrice.value.toFixed(2);
    list.appendChild(li);
  });
  document.getElementById('total').textContent = '$' + cart.amount.value.toFixed(2);
});
"#;

async fn cart(State(state): State<SharedState>, headers: HeaderMap) -> Response {
    let ctx = match context(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    page(
        &ctx,
        "Cart",
        r#"<h1>Your cart</h1><ul id="lines">…</ul><p>Total: <span id="total">$0.00</span></p>"#,
        CART_SCRIPT,
    )
}
