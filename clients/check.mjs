// Small helpers shared by the client scripts: each step prints one line naming the library
// and version it exercised; any failed expectation exits non-zero.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export function versionOf(pkg) {
  const path = require.resolve(`${pkg}/package.json`, { paths: [new URL('.', import.meta.url).pathname] });
  return JSON.parse(readFileSync(path, 'utf8')).version;
}

export function expect(cond, what, detail) {
  if (!cond) {
    console.error(`FAILED: ${what}${detail === undefined ? '' : `: ${typeof detail === 'string' ? detail : JSON.stringify(detail)}`}`);
    process.exit(1);
  }
}

export async function mgmt(base, token, method, path, body) {
  const r = await fetch(`${base}/stores/demo${path}`, {
    method,
    redirect: 'manual',
    headers: { 'X-Auth-Token': token, 'Content-Type': 'application/json', Accept: 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: r.status, headers: r.headers, json, text };
}
