// The decision inspector's page in Debian's Chromium (playwright-core), as an operator uses it:
// a browser script misuses a private token and is refused; the operator opens /inspector,
// signs in with the API account token, sees the tokens' audit verdicts and the recent
// decisions, picks the refused one and reads which check refused it.
// Env: BASE (http://127.0.0.1:PORT, demo data), ACCESS_TOKEN, ARTIFACTS, CHROMIUM.
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { expect, mgmt, versionOf } from './check.mjs';

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });
const lib = `playwright-core ${versionOf('playwright-core')} + Chromium ${browser.version()}`;
const say = (what) => console.log(`${lib}: ${what}`);
const base = process.env.BASE;
const artifacts = process.env.ARTIFACTS;
mkdirSync(artifacts, { recursive: true });

const issued = await mgmt(base, process.env.ACCESS_TOKEN, 'POST', '/v3/storefront/api-token-private',
  { channel_id: 1, expires_at: 2147483647, scopes: ['Unauthenticated'] });
expect(issued.status === 200, 'issue a private token', issued.text);
const privateToken = issued.json.data.token;

const page = await (await browser.newContext()).newPage();
await page.goto(`${base}/inspector?store=demo`);
// A server-to-server use (allowed) and a browser script's use (refused) of the private token.
const allowed = await fetch(`${base}/graphql`, { method: 'POST', headers: { Authorization: `Bearer ${privateToken}`, 'Content-Type': 'application/json' },
  body: JSON.stringify({ query: 'query ServerSide { site { settings { storeName } } }' }) });
expect(allowed.status === 200, 'server-to-server use', allowed.status);
const refused = await page.evaluate(async (bearer) => {
  const r = await fetch('/graphql', { method: 'POST', headers: { Authorization: `Bearer ${bearer}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ query: 'query FromTheBrowser { site { settings { storeName } } }' }) });
  return r.status;
}, privateToken);
expect(refused === 403, 'a private token from a page is refused', refused);
say('a page used a private token and was refused (HTTP 403)');

await page.fill('input[name=token]', process.env.ACCESS_TOKEN);
await page.click('#connect button[type=submit]');
await page.waitForSelector('#decisions tbody tr');
await page.waitForSelector('#tokens tbody tr');
const summary = await page.textContent('#summary');
expect(/live tokens/.test(summary), 'the audit summary', summary);
say(`the inspector listed the tokens with their audit verdicts ("${summary}") and the recent decisions`);
await page.check('#only-refused');
await page.waitForFunction(() => [...document.querySelectorAll('#decisions tbody tr')].every((r) => r.classList.contains('refused')));
await page.click('#decisions tbody tr:has-text("FromTheBrowser")');
await page.waitForSelector('#explanation:not([hidden]) #checks');
const failed = await page.textContent('#checks li.failed');
const heading = await page.textContent('#explanation h2');
expect(failed === 'its kind may be used from here, today: failed' && /403 deny \(private_from_browser\)/.test(heading), 'the failing check', { failed, heading });
const explanation = await page.textContent('#explanation');
expect(/Classified as browser by Origin, Sec-Fetch-\*/.test(explanation), 'the classification', explanation);
expect(!explanation.includes(privateToken) && !(await page.content()).includes(privateToken), 'the token is never shown');
await page.screenshot({ path: `${artifacts}/inspector.png`, fullPage: true });
say(`the refused decision explains itself: "${heading}", failing check "${failed}" (screenshot ${artifacts}/inspector.png)`);

// Without a valid token the page says so and shows nothing.
const stranger = await (await browser.newContext()).newPage();
await stranger.goto(`${base}/inspector?store=demo`);
await stranger.fill('input[name=token]', 'wrong');
await stranger.click('#connect button[type=submit]');
await stranger.waitForFunction(() => document.getElementById('problem').textContent.length > 0);
expect((await stranger.$$('#decisions tbody tr')).length === 0, 'nothing shown without a valid token');
say(`with a wrong token the page shows nothing: "${await stranger.textContent('#problem')}"`);
await browser.close();
