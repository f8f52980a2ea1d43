// node-bigcommerce from npm, unmodified, against storefront-auth served with --dev-tls. The
// library only calls https://login.bigcommerce.com and https://api.bigcommerce.com on port 443,
// so an https.Agent sends its connections to this server instead (trusting the dev CA), the
// way a test double of the network would; the library's requests and responses are untouched.
// Env: PORT, CA (the dev CA file), ACCESS_TOKEN (the demo API account).
import https from 'node:https';
import tls from 'node:tls';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { expect, mgmt, versionOf } from './check.mjs';

const BigCommerce = createRequire(import.meta.url)('node-bigcommerce');
const lib = `node-bigcommerce ${versionOf('node-bigcommerce')}`;
const say = (what) => console.log(`${lib}: ${what}`);
const port = Number(process.env.PORT);
const ca = readFileSync(process.env.CA);

class ToThisServer extends https.Agent {
  createConnection(_options, callback) {
    return tls.connect({ host: '127.0.0.1', port, servername: 'localhost', ca, ALPNProtocols: ['http/1.1'] }, callback);
  }
}
https.globalAgent = new ToThisServer({ keepAlive: false });

const admin = `https://localhost:${port}`;
const token = process.env.ACCESS_TOKEN;
const callback = 'https://app.example/auth';
const reg = await mgmt(admin, token, 'POST', '/v3/apps', {
  name: 'Node app', auth_callback: callback, load_callback: 'https://app.example/load', scopes: ['store_v2_products_read_only'],
});
expect(reg.status === 201, 'register app', reg.text);
const app = reg.json.data;
const install = await mgmt(admin, token, 'POST', `/v3/apps/${app.client_id}/install`);
expect(install.status === 302, 'install', install.text);
const query = Object.fromEntries(new URL(install.headers.get('location')).searchParams);

// authorize(): the library's JSON code exchange at /oauth2/token
const bc = new BigCommerce({ clientId: app.client_id, secret: app.client_secret, callback, responseType: 'json' });
const grant = await bc.authorize(query);
expect(grant.access_token && grant.context === 'stores/demo' && grant.scope === 'store_v2_products_read_only', 'authorize grant', grant);
say('authorize() exchanged the code for an access token');
let replay;
try { replay = await bc.authorize(query); } catch (e) { replay = e; }
expect(replay instanceof Error && replay.code === 400 && /invalid_grant/.test(replay.message), 'a replayed code is refused with 400 invalid_grant', String(replay));
say(`a replayed code was refused (${replay.message.split('\n')[0].slice(0, 80)})`);

// The install's token through the library's API requests: exactly the granted scopes.
const api = new BigCommerce({ clientId: app.client_id, accessToken: grant.access_token, storeHash: 'demo', responseType: 'json', apiVersion: 'v3' });
const products = await api.get('/catalog/products');
expect(Array.isArray(products.data) && products.data.length > 0, 'GET v3/catalog/products', products);
say(`get('/catalog/products') with the install's token listed ${products.data.length} products`);
let denied;
try { denied = await api.post('/catalog/products', { name: 'Nope', sku: 'NOPE-1', price: 1 }); } catch (e) { denied = e; }
expect(denied instanceof Error && denied.code === 403 && /required scope/.test(denied.message), 'a write with a read-only grant is refused with 403 and the missing-scope title', String(denied));
say('post(\'/catalog/products\') with the read-only grant was refused (403)');

// verify(): the legacy signed_payload the load callback carries.
const load = await mgmt(admin, token, 'GET', `/v3/apps/${app.client_id}/load`);
expect(load.status === 302, 'load', load.text);
const params = new URL(load.headers.get('location')).searchParams;
const data = bc.verify(params.get('signed_payload'));
expect(data.store_hash === 'demo' && data.context === 'stores/demo', 'verify(signed_payload)', data);
say('verify() accepted the load callback\'s signed_payload');
let forged;
try { forged = new BigCommerce({ clientId: app.client_id, secret: 'wrong', responseType: 'json' }).verify(params.get('signed_payload')); } catch (e) { forged = e; }
expect(forged instanceof Error && forged.message === 'Signature is invalid', 'verify() with the wrong secret throws "Signature is invalid"', String(forged));
say('verify() with the wrong secret threw');
console.log(`${lib}: has no verifyJWT() and no customer-login JWT helper (${typeof bc.verifyJWT}); those exist only in the GitHub sources, not in any published version`);
