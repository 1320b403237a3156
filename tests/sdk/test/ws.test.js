// The SDK's WebSocket (`WS.connect()`, socket.io v4 at /api/content/ws) against the real binary,
// strict validation on: a signed-in user's socket receives a `notification` when an operator
// moves their order to `paid`, and never another user's; a socket without a valid access token
// or app token is refused with a connect error; signing out closes the socket.
// The background relay is off (OPENENTRY_RELAY_INTERVAL_MS=0): the test runs passes through the
// admin API. Project: tests/sdk/events.toml with `order_paid` sent on the `websocket` channel.

import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import {
  SDK_DIR, startServer, makeClient, uniqueEmail, signUpUser, signIn, assertOk, admin,
} from './harness.js';

/** How long a socket may take to see something that the server already did. */
const DEADLINE_MS = 10_000;

let server;
let dir;
const sockets = [];

before(async () => {
  const base = fs.readFileSync(path.join(SDK_DIR, 'events.toml'), 'utf8');
  const marker = 'channels = ["email"]\n[events.messages.en_US]\nsubject = "Order';
  assert.ok(base.includes(marker), 'events.toml changed: the order_paid event is not found');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oe-ws-'));
  const project = path.join(dir, 'ws.toml');
  fs.writeFileSync(project, base.replace(marker, 'channels = ["websocket"]\n[events.messages.en_US]\nsubject = "Order'));
  server = await startServer({ project, env: { OPENENTRY_RELAY_INTERVAL_MS: '0' } });
});
after(async () => {
  for (const s of sockets) s.close();
  await server?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** Resolves with the first `event` of `socket` (its arguments), rejects after the deadline. */
function next(socket, event) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${DEADLINE_MS} ms`)), DEADLINE_MS);
    socket.once(event, (...args) => {
      clearTimeout(timer);
      resolve(args);
    });
  });
}

/** A signed-in user with an open socket that records its notifications. */
async function connected(tag) {
  const email = uniqueEmail(tag);
  await signUpUser(email);
  const { client, tokens } = await signIn(email);
  const socket = client.WS.connect();
  sockets.push(socket);
  const got = [];
  socket.on('notification', (n) => got.push(n));
  await next(socket, 'connect');
  return { client, tokens, socket, got };
}

async function paidOrder(client) {
  const order = await client.Orders.createOrder('orders', {
    formIdentifier: 'order',
    paymentAccountIdentifier: 'cash',
    formData: [{ type: 'string', marker: 'name', value: 'Christina Thomas' }],
    products: [{ productId: 15, quantity: 1 }],
  });
  assertOk(order, 'createOrder');
  await admin(`/api/admin/orders/${order.id}/status`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ statusIdentifier: 'paid' }),
  });
  const pass = await admin('/api/admin/relay/run', { method: 'POST' });
  assert.equal(pass.sent, 1, `relay pass: ${JSON.stringify(pass)}`);
  return order.id;
}

/** Waits until `got` holds `n` notifications (the socket receives after the relay returned). */
async function received(socket, got, n) {
  while (got.length < n) await next(socket, 'notification');
  return got;
}

test('a paid order reaches its customer\'s socket, and only theirs', async () => {
  const ann = await connected('ws-ann');
  const bob = await connected('ws-bob');

  const annOrder = await paidOrder(ann.client);
  const [n] = await received(ann.socket, ann.got, 1);
  assert.equal(n.event, 'order_paid');
  assert.equal(n.title, `Order ${annOrder} is paid`);
  assert.equal(n.message, 'Thank you.');
  assert.equal(n.locale, 'en_US');
  assert.deepEqual(n.order, { id: annOrder, storage: 'orders', status: 'paid' });
  assert.match(n.id, /^msg_\d+_order_paid_websocket_\d+$/);
  assert.ok(!Number.isNaN(Date.parse(n.timestamp)));

  // Bob's own order is his first notification: Ann's never reached him (a node hands signals
  // to its sockets in order, so hers would have come first).
  const bobOrder = await paidOrder(bob.client);
  const [m] = await received(bob.socket, bob.got, 1);
  assert.deepEqual(m.order, { id: bobOrder, storage: 'orders', status: 'paid' });
  assert.equal(bob.got.length, 1);
  assert.equal(ann.got.length, 1);

  // The delivery log keeps one `sent` delivery per order, for its customer.
  const log = await admin('/api/admin/deliveries');
  const ws = log.filter((d) => d.channel === 'websocket');
  assert.deepEqual(ws.map((d) => d.state), ['sent', 'sent']);
  assert.deepEqual(new Set(ws.map((d) => d.id)), new Set([n.id, m.id]));
});

test('a socket without a valid access token or app token is refused', async () => {
  // Nobody signed in: the SDK logs an error and connects with `Bearer undefined`.
  const origError = console.error;
  console.error = () => {};
  let anonymous;
  try {
    anonymous = makeClient().WS.connect();
  } finally {
    console.error = origError;
  }
  sockets.push(anonymous);
  const [err] = await next(anonymous, 'connect_error');
  assert.equal(err.message, 'Unauthorized');
  assert.equal(anonymous.connected, false);

  // A valid access token with another project's app token.
  const email = uniqueEmail('ws-app');
  await signUpUser(email);
  const { tokens } = await signIn(email);
  const wrongApp = makeClient({ token: 'not-this-projects-app-token' });
  // The SDK keeps the access token in its state; put this user's there, as auth() would.
  wrongApp.WS.state.accessToken = tokens.accessToken;
  const s = wrongApp.WS.connect();
  sockets.push(s);
  const [e2] = await next(s, 'connect_error');
  assert.match(e2.message, /x-app-token/);

  // A forged token (right shape, wrong signature).
  const parts = tokens.accessToken.split('.');
  const forged = makeClient();
  forged.WS.state.accessToken = `${parts[0]}.${parts[1]}.${'A'.repeat(parts[2].length)}`;
  const f = forged.WS.connect();
  sockets.push(f);
  const [e3] = await next(f, 'connect_error');
  assert.equal(e3.message, 'Unauthorized');
});

test('signing out closes the socket', async () => {
  const u = await connected('ws-out');
  const closed = next(u.socket, 'disconnect');
  assert.equal(await u.client.AuthProvider.logout('email', u.tokens.refreshToken), true);
  const [reason] = await closed;
  assert.equal(reason, 'io server disconnect');
  assert.equal(u.socket.connected, false);
});
