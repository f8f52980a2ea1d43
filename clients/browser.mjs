// Debian's Chromium driven by playwright-core (no browser download) against storefront-auth.
// Env: BASE (http://127.0.0.1:PORT of a server with the demo store), ACCESS_TOKEN, CLIENT_ID,
// CLIENT_SECRET (the demo API account), ARTIFACTS (where screenshots go), CHROMIUM.
import http from 'node:http';
import crypto from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { expect, mgmt, versionOf } from './check.mjs';

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });
const lib = `playwright-core ${versionOf('playwright-core')} + Chromium ${browser.version()}`;
const say = (what) => console.log(`${lib}: ${what}`);
const base = process.env.BASE;
const port = new URL(base).port;
const token = process.env.ACCESS_TOKEN;
const artifacts = process.env.ARTIFACTS;
mkdirSync(artifacts, { recursive: true });

// A channel whose site is this server, so the storefront pages are same-origin with it.
const channelsBefore = (await mgmt(base, token, 'GET', '/v3/channels')).json.data.length;
const site = `http://store-demo-${channelsBefore + 1}.localhost:${port}`;
const created = await mgmt(base, token, 'POST', '/v3/channels', { name: 'Browser storefront', site_url: site });
expect(created.status === 200 || created.status === 201, 'create channel', created.text);
const channel = created.json.data.id ?? created.json.data.channel_id;
expect(`http://store-demo-${channel}.localhost:${port}` === site, 'channel id', created.json);

// Another web app on its own origin, whose page calls the storefront's /graphql.
const other = http.createServer((req, res) => {
  res.writeHead(200, { 'Content-Type': 'text/html' });
  res.end('<!doctype html><title>headless app</title><p>headless app</p>');
});
await new Promise((r) => other.listen(0, '127.0.0.1', r));
const appOrigin = `http://127.0.0.1:${other.address().port}`;
const strangerOrigin = `http://localhost:${other.address().port}`;
const issue = async (endpoint, body) => {
  const r = await mgmt(base, token, 'POST', `/v3/storefront/${endpoint}`, body);
  expect(r.status === 200, `issue ${endpoint}`, r.text);
  return r.json.data.token;
};
const storefrontToken = await issue('api-token', { channel_id: channel, expires_at: 2147483647, allowed_cors_origins: [appOrigin] });
const privateToken = await issue('api-token-private', { channel_id: channel, expires_at: 2147483647, scopes: ['Unauthenticated'] });

const callFromPage = (page, bearer) => page.evaluate(async ({ url, bearer }) => {
  try {
    const r = await fetch(url, { method: 'POST', headers: { Authorization: `Bearer ${bearer}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ query: '{ channel { entityId } }' }) });
    return { status: r.status, body: await r.json() };
  } catch (e) {
    return { error: String(e) };
  }
}, { url: `${site}/graphql`, bearer });

const context = await browser.newContext();
const page = await context.newPage();

// 1. A page on an allowed origin uses a storefront token.
await page.goto(appOrigin);
const allowed = await callFromPage(page, storefrontToken);
expect(allowed.status === 200 && allowed.body.data.channel.entityId === channel, 'storefront token from an allowed origin', allowed);
say(`a page on ${appOrigin} used a storefront token allowed for it (HTTP 200)`);

// 2. The same from another origin is refused by CORS.
await page.goto(strangerOrigin);
const stranger = await callFromPage(page, storefrontToken);
expect(stranger.error && /Failed to fetch/.test(stranger.error), 'another origin is refused by CORS', stranger);
// Blocked because the server gave that origin no CORS headers (and refused it), not because it
// was unreachable: the same request with that Origin, sent from here, shows what it answered.
// (node:http to 127.0.0.1 with the channel's Host: Node does not resolve *.localhost.)
const raw = await new Promise((resolve, reject) => {
  const body = JSON.stringify({ query: '{ channel { entityId } }' });
  const req = http.request({ host: '127.0.0.1', port, path: '/graphql', method: 'POST', headers: {
    Host: new URL(site).host, Origin: strangerOrigin, Authorization: `Bearer ${storefrontToken}`,
    'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } }, (res) => {
    let text = '';
    res.on('data', (c) => { text += c; });
    res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: JSON.parse(text) }));
  });
  req.on('error', reject);
  req.end(body);
});
expect(raw.status === 403 && !raw.headers['access-control-allow-origin'] && /'Origin' header invalid/.test(raw.body.errors[0].message), 'the server refused the stranger origin without CORS headers', raw);
say(`the same call from ${strangerOrigin} was blocked by CORS (${stranger.error}); the server answered it 403 "'Origin' header invalid" with no CORS headers`);

// 3. A private token used from the page is refused.
await page.goto(appOrigin);
const priv = await callFromPage(page, privateToken);
expect(priv.status === 403 && /private token/.test(priv.body.errors[0].message), 'a private token from a page is refused', priv);
say(`a private token used from the page was refused: HTTP ${priv.status} "${priv.body.errors[0].message.slice(0, 60)}…"`);

// 4. The storefront's own pages: the embedded auto-generated token from the channel's origin.
await page.goto(`${site}/`);
await page.click('li[data-product="1"] button');
await page.waitForFunction(() => document.getElementById('cart-count').textContent === '1');
say('the home page\'s own script added to a cart through /graphql with the embedded token');

// 5. Sign in on /login.php: HttpOnly cookie, /account.php shows the customer, current.jwt answers.
await page.goto(`${site}/login.php`);
await page.fill('input[name=email]', 'jane@example.com');
await page.fill('input[name=password]', 'Password1!');
await Promise.all([page.waitForURL(`${site}/account.php`), page.click('button[type=submit]')]);
await page.waitForFunction(() => document.getElementById('gql-customer').textContent.includes('jane@example.com'));
const shown = await page.textContent('#customer');
expect(shown.includes('Jane Doe') && shown.includes('jane@example.com'), 'account page shows the customer', shown);
const cookie = (await context.cookies()).find((c) => c.name === 'SHOP_TOKEN');
expect(cookie && cookie.httpOnly && cookie.sameSite === 'Lax', 'SHOP_TOKEN is HttpOnly, SameSite=Lax', cookie);
expect(!(await page.evaluate(() => document.cookie)).includes('SHOP_TOKEN'), 'scripts cannot read SHOP_TOKEN');
await page.screenshot({ path: `${artifacts}/account.png`, fullPage: true });
say(`signed in on /login.php: HttpOnly SHOP_TOKEN set, /account.php shows "${shown}" (screenshot ${artifacts}/account.png)`);
// As a storefront script calls the Current Customer API: same-origin fetch with the cookie.
const current = await page.evaluate(async (url) => {
  const r = await fetch(url, { credentials: 'same-origin' });
  return { status: r.status, text: await r.text() };
}, `/customer/current.jwt?app_client_id=${process.env.CLIENT_ID}`);
const currentJwt = current.text.trim();
expect(current.status === 200 && currentJwt.split('.').length === 3, 'current.jwt', current);
const claims = JSON.parse(Buffer.from(currentJwt.split('.')[1], 'base64url').toString());
expect(claims.customer.email === 'jane@example.com' && claims.operation === 'current_customer', 'current.jwt claims', claims);
say('current.jwt answered for the signed-in customer');

// 6. A Customer Login JWT link lands signed in (fresh browser context: no cookie yet).
const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
const unsigned = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ iss: process.env.CLIENT_ID, iat: Math.floor(Date.now() / 1000), jti: crypto.randomUUID(), operation: 'customer_login', store_hash: 'demo', customer_id: 1, channel_id: channel })}`;
const sso = `${unsigned}.${crypto.createHmac('sha256', process.env.CLIENT_SECRET).update(unsigned).digest('base64url')}`;
const fresh = await browser.newContext();
const ssoPage = await fresh.newPage();
await ssoPage.goto(`${site}/login/token/${sso}`);
expect(ssoPage.url() === `${site}/account.php`, 'the login link lands on /account.php', ssoPage.url());
const ssoShown = await ssoPage.textContent('#customer');
expect(ssoShown.includes('jane@example.com'), 'signed in by the link', ssoShown);
await ssoPage.screenshot({ path: `${artifacts}/account-via-login-link.png`, fullPage: true });
say(`a Customer Login JWT link landed signed in on /account.php (screenshot ${artifacts}/account-via-login-link.png)`);

await browser.close();
other.close();
