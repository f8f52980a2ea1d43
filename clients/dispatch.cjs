// Preloaded with `node --require ./dispatch.cjs`: store hosts (`*.localhost`) resolve to
// 127.0.0.1, as an /etc/hosts entry would make them (glibc here does not resolve *.localhost).
// TLS trust comes from NODE_EXTRA_CA_CERTS, which the server's --dev-tls output names.
const dns = require('node:dns');
const { Agent, setGlobalDispatcher } = require('undici');

function lookup(hostname, options, callback) {
  if (hostname === 'localhost' || hostname.endsWith('.localhost')) {
    if (options && options.all) return callback(null, [{ address: '127.0.0.1', family: 4 }]);
    return callback(null, '127.0.0.1', 4);
  }
  return dns.lookup(hostname, options, callback);
}

setGlobalDispatcher(new Agent({ connect: { lookup } }));
