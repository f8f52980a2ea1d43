//! The pages' HTML: one layout with the embedded token and the scripts that call `/graphql`,
//! every text escaped.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

use super::PageContext;

/// Escapes text for HTML element content and attribute values.
pub fn esc(s: &str) -> String {
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

pub fn page(ctx: &PageContext, title: &str, main: &str, page_script: &str) -> Response {
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
<style>body{{font-family:sans-serif;max-width:48rem;margin:2rem auto}}header{{display:flex;justify-content:space-between}}label{{display:block;margin:.3rem 0}}dl{{display:grid;grid-template-columns:max-content auto;gap:.2rem 1rem}}dd{{margin:0}}</style></head>
<body><header><a href="/">{store}</a><span>{who} · <a href="/cart.php">Cart (<span id="cart-count">0</span>)</a></span></header>
<main>{main}</main><p id="status" role="status"></p>
<script>
const STOREFRONT_TOKEN = {token};
{SCRIPT}
{page_script}
</script></body></html>"#,
        title = esc(title),
        store = esc(&ctx.storefront.entry.store.name),
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
        // Checkout URLs name their cart: no other site learns them from a link followed.
        ("referrer-policy", "same-origin"),
        ("cache-control", "no-store"),
    ] {
        h.insert(name, axum::http::HeaderValue::from_static(value));
    }
    r
}

pub const ACCOUNT_SCRIPT: &str = r#"
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

pub const CART_SCRIPT: &str = r#"
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
  const checkout = document.getElementById('checkout-link');
  checkout.href = '/checkout?id=' + encodeURIComponent(cart.entityId);
  checkout.hidden = false;
});
"#;

/// The hosted checkout page's steps (`checkout.rs`).
pub const CHECKOUT_SCRIPT: &str = include_str!("checkout.js");
