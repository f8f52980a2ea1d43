// @bigcommerce/catalyst-client, unmodified, observing development-mode faults (issue 20) on a
// store of its own, made through the control API. Env: BIGCOMMERCE_GRAPHQL_API_DOMAIN,
// NODE_EXTRA_CA_CERTS, DEV_TOKEN, and the dispatcher preload (see catalyst.mjs).
import { expect, versionOf } from './check.mjs';

const {
  createClient, BigCommerceAPIError, InvalidCustomerAccessTokenError,
} = await import('@bigcommerce/catalyst-client');

const lib = `@bigcommerce/catalyst-client ${versionOf('@bigcommerce/catalyst-client')}`;
const say = (what) => console.log(`${lib}: ${what}`);
const base = `https://${process.env.BIGCOMMERCE_GRAPHQL_API_DOMAIN}`;

const control = async (method, path, body) => {
  const r = await fetch(`${base}/_dev${path}`, {
    method,
    headers: { 'X-Dev-Token': process.env.DEV_TOKEN, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  return { status: r.status, json: text ? JSON.parse(text) : null };
};

const made = await control('POST', '/stores');
expect(made.status === 201, 'a store of its own', made.json);
const store = made.json.data;
const hash = store.store_hash;
const client = createClient({ storeHash: hash, channelId: '1', storefrontToken: store.private_token });
const NAME = 'query StoreNameQuery { site { settings { storeName } } }';
const ME = 'query CustomerQuery { customer { email } }';
const LOGIN = `mutation LoginMutation($email: String!, $password: String!) {
  login(email: $email, password: $password) { customerAccessToken { value } } }`;

const setFault = async (body) => {
  const r = await control('POST', `/stores/${hash}/faults`, body);
  expect(r.status === 201, `set fault ${body.kind}`, r.json);
};

/** The error `fetch` throws with the fault set (null if it resolves). */
const failure = async (args) => {
  try {
    await client.fetch(args);
    return null;
  } catch (e) {
    return e;
  }
};

await setFault({ kind: 'rate_limited', retry_after_seconds: 3 });
let e = await failure({ document: NAME });
expect(e instanceof BigCommerceAPIError && e.status === 429, "BigCommerceAPIError 429", `${e?.name} ${e?.status} ${e?.message} ${e?.cause}`);
say(`a rate_limited fault raised ${e.name} ${e.status}`);

await setFault({ kind: 'server_error', status: 503 });
e = await failure({ document: NAME });
expect(e instanceof BigCommerceAPIError && e.status === 503, 'BigCommerceAPIError 503', `${e?.name} ${e?.status}`);
say(`a server_error fault raised ${e.name} ${e.status}`);

await setFault({ kind: 'latency', ms: 500 });
const started = Date.now();
const slow = await client.fetch({ document: NAME });
const took = Date.now() - started;
expect(took >= 500 && typeof slow.data.site.settings.storeName === 'string', 'latency, then the answer', { took, slow });
say(`a latency fault answered after ${took} ms`);

const login = await client.fetch({ document: LOGIN, variables: { email: 'jane@example.com', password: 'Password1!' } });
const cat = login.data.login.customerAccessToken.value;
await setFault({ kind: 'invalid_customer_access_token' });
e = await failure({ document: ME, customerAccessToken: cat });
expect(e instanceof InvalidCustomerAccessTokenError, 'InvalidCustomerAccessTokenError', `${e?.name}: ${e?.message}`);
say(`an invalid_customer_access_token fault raised ${e.name}`);
const me = await client.fetch({ document: ME, customerAccessToken: cat });
expect(me.data.customer.email === 'jane@example.com', 'the real CAT still works', me);
say('the next request with the same CAT returned jane@example.com');

await setFault({ kind: 'revoked_token' });
e = await failure({ document: NAME });
expect(e instanceof BigCommerceAPIError && e.status === 401, 'BigCommerceAPIError 401', `${e?.name} ${e?.status}`);
say(`a revoked_token fault raised ${e.name} ${e.status}`);

const listed = await control('GET', `/stores/${hash}/faults`);
expect(listed.json.data.length === 5 && listed.json.data.every((f) => f.applied === 1), 'each fault applied once', listed.json);
const gone = await control('DELETE', `/stores/${hash}`);
expect(gone.status === 204, 'store removed', gone.json);
say('each fault was applied exactly once');
