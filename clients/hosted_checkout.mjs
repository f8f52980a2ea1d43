// The hosted checkout with session sync (issue 18 §2): a headless storefront's server session
// (@bigcommerce/catalyst-client, private token + customer access token) makes a cart and its
// checkout link, as Catalyst's checkout route does; Debian's Chromium (playwright-core) opens
// the link, lands signed in on the server's checkout, ships, is declined, pays, and sees the
// confirmation; the headless session then finds the order in customer.orders.
// Env: BIGCOMMERCE_GRAPHQL_API_DOMAIN=localhost:PORT, NODE_EXTRA_CA_CERTS, ACCESS_TOKEN,
// ARTIFACTS, CHROMIUM; run with the dispatcher preload (store hosts resolve to 127.0.0.1).
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { expect, mgmt, versionOf } from './check.mjs';

const { createClient } = await import('@bigcommerce/catalyst-client');

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });
const lib = `playwright-core ${versionOf('playwright-core')} + Chromium ${browser.version()} + @bigcommerce/catalyst-client ${versionOf('@bigcommerce/catalyst-client')}`;
const say = (what) => console.log(`${lib}: ${what}`);
const domain = process.env.BIGCOMMERCE_GRAPHQL_API_DOMAIN;
const artifacts = process.env.ARTIFACTS;
mkdirSync(artifacts, { recursive: true });

const issued = await mgmt(`https://${domain}`, process.env.ACCESS_TOKEN, 'POST', '/v3/storefront/api-token-private',
  { channel_id: 1, expires_at: 2147483647, scopes: ['Unauthenticated', 'Customer'] });
expect(issued.status === 200, 'issue a private token', issued.text);
const client = createClient({ storeHash: 'demo', channelId: '1', storefrontToken: issued.json.data.token });

// 1. The headless session: sign in, fill a cart, ask for the checkout link.
const login = await client.fetch({
  document: 'mutation Login($email: String!, $password: String!) { login(email: $email, password: $password) { customerAccessToken { value } } }',
  variables: { email: 'jane@example.com', password: 'Password1!' },
});
const cat = login.data.login.customerAccessToken.value;
const created = await client.fetch({
  document: 'mutation CreateCart($l: [CartLineItemInput!]) { cart { createCart(input: { lineItems: $l }) { cart { entityId } } } }',
  variables: { l: [{ productEntityId: 1, quantity: 1 }, { productEntityId: 4, quantity: 2 }] },
  customerAccessToken: cat,
});
const cartId = created.data.cart.createCart.cart.entityId;
const redirect = await client.fetch({
  document: `mutation CheckoutRedirect($cartId: String!) { cart { createCartRedirectUrls(input: { cartEntityId: $cartId,
    analytics: { initiator: { visitId: "v", visitorId: "w" }, request: { url: "https://shop.example/cart", userAgent: "test" },
    consent: { analytics: true, functional: true, targeting: false } } }) {
    errors { ... on NotFoundError { __typename } } redirectUrls { redirectedCheckoutUrl } } } }`,
  variables: { cartId },
  customerAccessToken: cat,
  fetchOptions: { cache: 'no-store' },
});
const link = redirect.data.cart.createCartRedirectUrls.redirectUrls.redirectedCheckoutUrl;
const origin = new URL(link).origin;
expect(new URL(link).pathname === '/cart.php' && link.includes(`id=${cartId}&token=`), 'a checkout link on the storefront host', link);
say(`the headless session (private token + CAT) made cart ${cartId} and a checkout link on ${origin}`);

// 2. The browser opens the link: signed in, the cart loaded.
const context = await browser.newContext({ ignoreHTTPSErrors: true });
const page = await context.newPage();
await page.goto(link);
expect(page.url() === `${origin}/checkout?id=${cartId}`, 'the link lands on the checkout', page.url());
const header = await page.textContent('header');
expect(header.includes('Signed in as Jane'), 'signed in by the link', header);
await page.waitForFunction(() => document.querySelectorAll('#lines li').length === 2);
const subtotal = await page.textContent('#subtotal');
expect(subtotal === '$178.90', 'the cart on the checkout', subtotal);
say(`the browser landed on /checkout signed in as Jane with her 2 lines (subtotal ${subtotal})`);

// 3. Ship (the quoted options), choose Express, see the totals.
await page.fill('input[name=address1]', '500 Market St');
await page.fill('input[name=city]', 'San Francisco');
await page.fill('input[name=stateOrProvince]', 'CA');
await page.fill('input[name=postalCode]', '94105');
await page.click('#save-address');
await page.waitForSelector('#shipping-options input[type=radio]');
const options = await page.$$eval('#shipping-options label', (ls) => ls.map((l) => l.textContent.trim()));
expect(options.length === 2 && options[1] === 'Express — $25.00', 'shipping options quoted', options);
await page.check('#shipping-options label:nth-child(2) input');
await page.click('#choose-shipping');
await page.waitForFunction(() => document.getElementById('shipping').textContent === '$25.00');
const total = await page.textContent('#grand-total');
const pageStatus = await page.textContent('#status');
expect(pageStatus === '' && (await page.textContent('#cart-count')) === '3', 'no script on the page failed', pageStatus);
expect(total === '$203.90', 'the grand total with shipping', total);
say(`shipping quoted ${options.join(', ')}; Express chosen, total ${total}`);

// 4. A declined card, then the approved one.
await page.fill('input[name=cardNumber]', '4000 0000 0000 0002');
await page.fill('input[name=cardholderName]', 'Jane Doe');
await page.fill('input[name=expiry]', '12/30');
await page.fill('input[name=verificationValue]', '123');
await page.click('#place-order');
await page.waitForFunction(() => /declined/.test(document.getElementById('checkout-error').textContent));
say(`the declining test card was refused: "${await page.textContent('#checkout-error')}"`);
await page.screenshot({ path: `${artifacts}/hosted-checkout.png`, fullPage: true });
await page.fill('input[name=cardNumber]', '4111 1111 1111 1111');
await Promise.all([page.waitForURL(`${origin}/checkout/order-confirmation?id=${cartId}`), page.click('#place-order')]);
const orderId = Number(await page.textContent('#order-id'));
const status = await page.textContent('#order-status');
const paid = await page.textContent('#order-total');
expect(orderId > 0 && status === 'Awaiting Fulfillment' && paid === '$203.90', 'the confirmation', { orderId, status, paid });
await page.screenshot({ path: `${artifacts}/order-confirmation.png`, fullPage: true });
say(`paid with the approving test card: confirmation shows order ${orderId}, ${status}, ${paid}`);

// 5. The headless session sees the order; the link is spent.
const orders = await client.fetch({
  document: 'query Orders { customer { orders { edges { node { entityId status { value } } } } } }',
  customerAccessToken: cat,
  fetchOptions: { cache: 'no-store' },
});
const found = orders.data.customer.orders.edges.find((e) => e.node.entityId === orderId);
expect(found && found.node.status.value === 'AWAITING_FULFILLMENT', 'the order in customer.orders', orders.data);
say(`customer.orders with the CAT lists order ${orderId} as AWAITING_FULFILLMENT`);
const again = await (await browser.newContext({ ignoreHTTPSErrors: true })).newPage();
const second = await again.goto(link);
const refusal = await again.textContent('#checkout-problem');
expect(second.status() === 400 && /already used/.test(refusal), 'the link is single use', refusal);
say(`the same link opened again was refused (HTTP 400): "${refusal}"`);

await browser.close();
