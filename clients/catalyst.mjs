// @bigcommerce/catalyst-client, unmodified, against storefront-auth served with --dev-tls.
// Env: BIGCOMMERCE_GRAPHQL_API_DOMAIN=localhost:PORT (read when the client module loads),
// NODE_EXTRA_CA_CERTS=<ca.pem>, ACCESS_TOKEN (the demo API account), and the dispatcher preload.
import { getIntrospectionQuery, buildClientSchema } from 'graphql';
import { expect, mgmt, versionOf } from './check.mjs';

const {
  createClient, BigCommerceAPIError, BigCommerceGQLError, InvalidCustomerAccessTokenError,
} = await import('@bigcommerce/catalyst-client');

const lib = `@bigcommerce/catalyst-client ${versionOf('@bigcommerce/catalyst-client')}`;
const say = (what) => console.log(`${lib}: ${what}`);
const domain = process.env.BIGCOMMERCE_GRAPHQL_API_DOMAIN;
const admin = `https://${domain}`;
const accessToken = process.env.ACCESS_TOKEN;

const issue = async (endpoint, body) => {
  const r = await mgmt(admin, accessToken, 'POST', `/v3/storefront/${endpoint}`, body);
  expect(r.status === 200, `issue ${endpoint}`, r.text);
  return r.json.data.token;
};
const privateToken = await issue('api-token-private', { channel_id: 1, expires_at: 2147483647, scopes: ['Unauthenticated', 'Customer'] });
const storefrontToken = await issue('api-token', { channel_id: 1, expires_at: 2147483647 });

const client = createClient({ storeHash: 'demo', channelId: '1', storefrontToken: privateToken });
const LOGIN = `mutation LoginMutation($email: String!, $password: String!) {
  login(email: $email, password: $password) { customerAccessToken { value expiresAt } customer { entityId email } } }`;
const ME = 'query CustomerQuery { customer { entityId email firstName lastName } }';

// login -> customer with the CAT -> logout
const login = await client.fetch({ document: LOGIN, variables: { email: 'jane@example.com', password: 'Password1!' } });
const cat = login.data.login.customerAccessToken.value;
expect(/^[0-9a-f]{64}_\d+$/.test(cat), 'CAT format', cat);
say(`login over https://store-demo-1.${domain} returned a customer access token`);
const me = await client.fetch({ document: ME, customerAccessToken: cat, fetchOptions: { cache: 'no-store' } });
expect(me.data.customer.email === 'jane@example.com', 'customer query with the CAT', me);
say(`customer query with the CAT returned ${me.data.customer.email}`);
const out = await client.fetch({ document: 'mutation LogoutMutation { logout { result } }', customerAccessToken: cat });
expect(out.data.logout.result === 'success', 'logout', out);
say('logout succeeded');

// the revoked CAT raises the client's own InvalidCustomerAccessTokenError
try {
  await client.fetch({ document: ME, customerAccessToken: cat });
  expect(false, 'a revoked CAT must fail');
} catch (e) {
  expect(e instanceof InvalidCustomerAccessTokenError, 'InvalidCustomerAccessTokenError', `${e.name}: ${e.message}`);
  say(`a revoked CAT raised ${e.name}`);
}

// a bad password raises BigCommerceGQLError containing "Invalid credentials"
try {
  await client.fetch({ document: LOGIN, variables: { email: 'jane@example.com', password: 'wrong' } });
  expect(false, 'a bad password must fail');
} catch (e) {
  expect(e instanceof BigCommerceGQLError && e.message.includes('Invalid credentials'), 'BigCommerceGQLError with Invalid credentials', `${e.name}: ${e.message}`);
  say(`a bad password raised ${e.name} containing "Invalid credentials"`);
}

// a storefront token created today is refused server-to-server, surfaced by the client
const legacy = createClient({ storeHash: 'demo', channelId: '1', storefrontToken });
try {
  await legacy.fetch({ document: 'query ChannelQuery { channel { entityId } }' });
  expect(false, 'a storefront token created after 2026-06-30 must be refused server-to-server');
} catch (e) {
  const message = JSON.stringify(e.graphqlErrors || e.message);
  expect(e instanceof BigCommerceAPIError && e.status === 403 && message.includes('Use a private token'), 'BigCommerceAPIError 403', `${e.name} ${e.status}: ${message}`);
  say(`a storefront token created today was refused server-to-server: ${e.name} ${e.status}`);
}

// gql.tada-style introspection: the support probe, then the full introspection query
const probe = await client.fetch({
  document: 'query IntrospectSupportQuery { directive: __type(name: "__Directive") { fields { name } } field: __type(name: "__Field") { fields { name } } type: __type(name: "__Type") { fields { name } } inputValue: __type(name: "__InputValue") { fields { name } } }',
});
const has = (t, f) => probe.data[t].fields.some((x) => x.name === f);
const query = getIntrospectionQuery({
  descriptions: true,
  specifiedByUrl: has('type', 'specifiedByURL'),
  directiveIsRepeatable: has('directive', 'isRepeatable'),
  inputValueDeprecation: has('inputValue', 'isDeprecated'),
});
const introspection = await client.fetch({ document: query });
const schema = buildClientSchema(introspection.data);
for (const name of ['Query', 'Mutation', 'Site', 'Customer', 'Cart', 'Checkout', 'Product']) {
  expect(schema.getType(name), `introspected type ${name}`);
}
say(`introspection built a client schema with ${Object.keys(schema.getTypeMap()).length} types (graphql ${versionOf('graphql')})`);
