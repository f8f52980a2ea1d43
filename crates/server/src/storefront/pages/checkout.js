// The hosted checkout's steps, each through a same-origin API with the session cookie: the
// REST Storefront API for the checkout, then POST /checkout/payment. No GraphQL here: the
// page's host is the storefront host, which the channel's token need not allow as an origin.
const CHECKOUT_ID = document.getElementById('checkout').dataset.checkoutId;
const CHECKOUT_PATH = '/api/storefront/checkouts/' + encodeURIComponent(CHECKOUT_ID);
let current = null;
function $(id) { return document.getElementById(id); }
function say(message) { $('checkout-error').textContent = message || ''; }
function price(v) { return v === null || v === undefined ? '—' : '$' + Number(v).toFixed(2); }
async function rest(method, path, body) {
  const init = { method: method, credentials: 'same-origin', headers: { 'Accept': 'application/json' } };
  if (body !== undefined) { init.headers['Content-Type'] = 'application/json'; init.body = JSON.stringify(body); }
  const r = await fetch(path, init);
  let json = null;
  try { json = await r.json(); } catch (e) { json = null; }
  return { ok: r.ok, status: r.status, json: json };
}
function problem(res) { return (res.json && res.json.title) || ('The request failed (HTTP ' + res.status + ').'); }
function show(checkout) {
  current = checkout;
  const list = $('lines');
  list.innerHTML = '';
  checkout.cart.lineItems.physicalItems.forEach(function (l) {
    const li = document.createElement('li');
    li.textContent = l.quantity + ' × ' + l.name + ' — ' + price(l.extendedSalePrice);
    list.appendChild(li);
  });
  $('subtotal').textContent = price(checkout.subtotal);
  $('discount').textContent = checkout.coupons.length ? '−' + price(checkout.coupons[0].discountedAmount) : '—';
  $('shipping').textContent = checkout.consignments.some(function (c) { return c.selectedShippingOption; }) ? price(checkout.shippingCostTotal) : '—';
  $('tax').textContent = price(checkout.taxTotal);
  $('grand-total').textContent = price(checkout.grandTotal);
  $('cart-count').textContent = checkout.cart.lineItems.physicalItems.reduce(function (n, l) { return n + l.quantity; }, 0);
  say(checkout.errors.join(' '));
}
function showOptions(checkout) {
  const box = $('shipping-options');
  box.innerHTML = '';
  const consignment = checkout.consignments[0];
  (consignment.availableShippingOptions || []).forEach(function (o) {
    const label = document.createElement('label');
    const input = document.createElement('input');
    input.type = 'radio'; input.name = 'shippingOptionId'; input.value = o.id; input.required = true;
    input.checked = !!(consignment.selectedShippingOption && consignment.selectedShippingOption.id === o.id);
    label.appendChild(input);
    label.appendChild(document.createTextNode(' ' + o.description + ' — ' + price(o.cost)));
    box.appendChild(label);
  });
  $('shipping-form').hidden = false;
}
async function load() {
  const r = await rest('GET', CHECKOUT_PATH);
  if (!r.ok) { say(problem(r)); return; }
  show(r.json);
  if (r.json.consignments.length) { showOptions(r.json); }
}
$('address-form').addEventListener('submit', async function (e) {
  e.preventDefault();
  const f = new FormData(e.target);
  const address = {};
  ['email', 'firstName', 'lastName', 'address1', 'city', 'stateOrProvince', 'postalCode', 'countryCode'].forEach(function (k) { address[k] = String(f.get(k) || '').trim(); });
  address.countryCode = address.countryCode.toUpperCase();
  const lineItems = current.cart.lineItems.physicalItems.map(function (l) { return { itemId: l.id, quantity: l.quantity }; });
  const shipped = current.consignments.length
    ? await rest('PUT', CHECKOUT_PATH + '/consignments/' + encodeURIComponent(current.consignments[0].id), { address: address, lineItems: lineItems })
    : await rest('POST', CHECKOUT_PATH + '/consignments', [{ address: address, lineItems: lineItems }]);
  if (!shipped.ok) { say(problem(shipped)); return; }
  const billed = current.billingAddress
    ? await rest('PUT', CHECKOUT_PATH + '/billing-address/' + encodeURIComponent(current.billingAddress.id), address)
    : await rest('POST', CHECKOUT_PATH + '/billing-address', address);
  if (!billed.ok) { say(problem(billed)); return; }
  show(billed.json);
  showOptions(billed.json);
});
$('shipping-form').addEventListener('submit', async function (e) {
  e.preventDefault();
  const chosen = new FormData(e.target).get('shippingOptionId');
  const consignment = current.consignments[0];
  const r = await rest('PUT', CHECKOUT_PATH + '/consignments/' + encodeURIComponent(consignment.id), { shippingOptionId: chosen });
  if (!r.ok) { say(problem(r)); return; }
  show(r.json);
  $('payment-form').hidden = false;
});
$('payment-form').addEventListener('submit', async function (e) {
  e.preventDefault();
  const f = new FormData(e.target);
  const button = $('place-order');
  button.disabled = true;
  const r = await rest('POST', '/checkout/payment', { checkoutId: CHECKOUT_ID, cardNumber: String(f.get('cardNumber') || ''), cardholderName: String(f.get('cardholderName') || '') });
  button.disabled = false;
  if (r.ok) { window.location = r.json.data.confirmationUrl; return; }
  if (r.status === 409 && r.json && r.json.confirmationUrl) { window.location = r.json.confirmationUrl; return; }
  say(problem(r));
});
load();
