// Tripwire for tests that must prove a program stays offline. Load it first with
// `node --require ./test/support/no-network.cjs ...`: the first attempt to resolve a host name or
// open a TCP, TLS or UDP connection (http, https, fetch and got all end up here) prints
// "[no-network] <what> <where>" on stderr and ends the process with exit code 97, so a library
// that catches network errors and carries on cannot hide the attempt. Local IPC (Unix sockets,
// named pipes) is allowed: tsx talks to esbuild that way.
'use strict';
const dgram = require('node:dgram');
const dns = require('node:dns');
const net = require('node:net');

const EXIT_CODE = 97;

function trip(what, where) {
  let stack = '';
  try {
    stack = String(new Error('network attempt').stack).split('\n').slice(2, 12).join('\n');
  } catch {
    // no stack, just the message
  }
  process.stderr.write(`[no-network] ${what} ${where}\n${stack}\n`);
  process.exit(EXIT_CODE);
}

function describe(args) {
  const first = args[0];
  if (Array.isArray(first)) return describe(first); // net's internal normalized [options, cb] form
  if (first && typeof first === 'object') {
    if (first.path) return null; // IPC, as net decides it (http passes path: null)
    return `${first.host ?? first.hostname ?? 'localhost'}:${first.port}`;
  }
  if (typeof first === 'string' && !/^\d+$/.test(first)) return null; // connect(path): IPC
  return `${args[1] ?? 'localhost'}:${first}`;
}

const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function guardedConnect(...args) {
  const where = describe(args);
  if (where !== null) trip('connect', where);
  return connect.apply(this, args);
};

for (const method of ['send', 'connect']) {
  dgram.Socket.prototype[method] = function guardedDgram(...args) {
    trip(`udp ${method}`, args.filter((a) => typeof a === 'string' || typeof a === 'number').join(' '));
  };
}

const RESOLVE = ['lookup', 'lookupService', 'resolve', 'resolve4', 'resolve6', 'resolveAny', 'resolveCaa', 'resolveCname', 'resolveMx', 'resolveNaptr', 'resolveNs', 'resolvePtr', 'resolveSoa', 'resolveSrv', 'resolveTxt', 'reverse'];
for (const target of [dns, dns.promises, dns.Resolver.prototype, dns.promises.Resolver.prototype]) {
  for (const method of RESOLVE) {
    if (typeof target[method] !== 'function') continue;
    target[method] = function guardedDns(host) {
      trip(`dns ${method}`, String(host));
    };
  }
}
