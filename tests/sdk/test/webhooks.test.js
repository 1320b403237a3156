// Outgoing webhooks from the real binary, verified by the Standard Webhooks reference library
// (npm `standardwebhooks`): an order the operator moves to `paid` fires the project's
// `order_paid` event; a receiver that fails five times gets the event once more, with the same
// `webhook-id`, and every request it got verifies with the endpoint's secret. The background
// relay is off (OPENENTRY_RELAY_INTERVAL_MS=0): the test runs passes through the admin API.
// Project: tests/sdk/events.toml plus a [[webhooks]] endpoint on this test's receiver.

import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Webhook } from 'standardwebhooks';

import {
  SDK_DIR, startServer, uniqueEmail, signUpUser, signIn, assertOk, admin,
} from './harness.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const got = [];
let failures = 5;
let receiver;
let server;
let dir;

before(async () => {
  receiver = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      got.push({ headers: req.headers, body });
      res.statusCode = failures > 0 ? 503 : 204;
      failures -= 1;
      res.end();
    });
  });
  await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${receiver.address().port}/hooks`;
  const base = fs.readFileSync(path.join(SDK_DIR, 'events.toml'), 'utf8')
    .replace('channels = ["email"]\n[events.messages.en_US]\nsubject = "Order', 'channels = ["email", "webhook"]\n[events.messages.en_US]\nsubject = "Order');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oe-webhooks-'));
  const project = path.join(dir, 'webhooks.toml');
  fs.writeFileSync(project, `${base}
[[webhooks]]
identifier = "backoffice"
url = "${url}"
secret_env = "BACKOFFICE_WEBHOOK_SECRET"
events = ["order_paid"]
`);
  server = await startServer({
    project,
    env: {
      BACKOFFICE_WEBHOOK_SECRET: SECRET,
      OPENENTRY_RELAY_INTERVAL_MS: '0',
      OPENENTRY_RELAY_BACKOFF_BASE_MS: '1',
      OPENENTRY_RELAY_BACKOFF_MAX_MS: '1',
      OPENENTRY_WEBHOOK_ALLOW_PRIVATE_TARGETS: '1',
    },
  });
});
after(async () => {
  await server?.stop();
  receiver?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

async function relayPass() {
  return admin('/api/admin/relay/run', { method: 'POST' });
}

test('a paid order reaches the webhook, signed, once more after five failures, same id', async () => {
  const email = uniqueEmail('webhook');
  await signUpUser(email);
  const { client } = await signIn(email);
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

  let sent = 0;
  for (let i = 0; i < 20 && sent === 0; i += 1) {
    sent = (await relayPass()).sent;
    // The 1 ms backoff is on the server's real clock: the next pass may come too early.
    if (sent === 0) await new Promise((r) => setTimeout(r, 5));
  }
  assert.equal(sent, 1);
  assert.equal(got.length, 6);

  const wh = new Webhook(SECRET);
  const ids = new Set();
  for (const g of got) {
    const payload = wh.verify(g.body, g.headers);
    assert.equal(payload.type, 'order_paid');
    assert.equal(payload.data.aggregateId, order.id);
    assert.equal(payload.data.event.detail.to, 'paid');
    ids.add(g.headers['webhook-id']);
  }
  assert.equal(ids.size, 1);
  // A tampered body does not verify.
  assert.throws(() => wh.verify(got[5].body.replace('paid', 'upcoming'), got[5].headers));

  const log = await admin('/api/admin/deliveries');
  assert.equal(log.length, 1);
  assert.equal(log[0].id, [...ids][0]);
  assert.equal(log[0].state, 'sent');
  assert.equal(log[0].attempts, 6);
  assert.equal(log[0].lastStatus, 204);
  assert.equal('payload' in log[0], false);
});
