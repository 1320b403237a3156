// A Stripe account through the official SDK in strict mode: createSession answers a Checkout
// URL or a PaymentIntent client secret made by a local stand-in of Stripe's API, and webhooks
// signed by the official `stripe` npm package (the oracle for the signature scheme) move the
// session and the order; a tampered body or a wrong secret changes nothing.

import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import path from 'node:path';

import Stripe from 'stripe';

import { startServer, makeClient, uniqueEmail, signUpUser, signIn, assertOk, SDK_DIR } from './harness.js';

const SECRET_KEY = 'sk_test_openentry_sdk_suite';
const WEBHOOK_SECRET = 'whsec_openentry_sdk_suite';
const stripe = new Stripe(SECRET_KEY);

// ---------------------------------------------------------------------------------------------
// The stand-in for Stripe's API: checks what it receives, records it, answers like Stripe.

const received = [];
let counter = 0;

function standIn(req, res) {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (chunk) => {
    body += chunk;
  });
  req.on('end', () => {
    const form = Object.fromEntries(new URLSearchParams(body));
    received.push({ path: req.url, headers: req.headers, form });
    const answer = (status, json) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(json));
    };
    if (req.headers.authorization !== `Bearer ${SECRET_KEY}`) {
      return answer(401, { error: { type: 'invalid_request_error', message: 'Invalid API Key provided' } });
    }
    counter += 1;
    if (req.method === 'POST' && req.url === '/v1/checkout/sessions') {
      const id = `cs_test_sdk${counter}`;
      return answer(200, { id, object: 'checkout.session', url: `https://checkout.stripe.com/c/pay/${id}`, status: 'open' });
    }
    if (req.method === 'POST' && req.url === '/v1/payment_intents') {
      const id = `pi_sdk${counter}`;
      return answer(200, { id, object: 'payment_intent', client_secret: `${id}_secret_sdk`, amount: Number(form.amount), currency: form.currency });
    }
    return answer(404, { error: { type: 'invalid_request_error', message: `Unrecognized request URL (${req.method}: ${req.url})` } });
  });
}

let api;
let server;
before(async () => {
  api = http.createServer(standIn);
  await new Promise((resolve) => api.listen(0, '127.0.0.1', resolve));
  server = await startServer({
    project: path.join(SDK_DIR, 'project-stripe.toml'),
    env: {
      OPENENTRY_STRIPE_API_BASE: `http://127.0.0.1:${api.address().port}`,
      STRIPE_SECRET_KEY: SECRET_KEY,
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    },
  });
});
after(async () => {
  await server?.stop();
  await new Promise((resolve) => (api ? api.close(resolve) : resolve()));
});

function cardOrder() {
  return {
    formIdentifier: 'order',
    paymentAccountIdentifier: 'card',
    formData: [{ type: 'string', marker: 'name', value: 'Christina Thomas' }],
    products: [{ productId: 15, quantity: 1 }],
  };
}

/** Posts a webhook as Stripe does: raw JSON, no app token. */
async function deliver(payload, signature) {
  const res = await fetch(`${server.url}/api/content/payments/webhook/stripe`, {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=utf-8', 'stripe-signature': signature },
    body: payload,
  });
  return { status: res.status, body: await res.json() };
}

function succeeded(eventId, intentId, orderId, sessionId, amount = 40000) {
  return JSON.stringify({
    id: eventId,
    object: 'event',
    api_version: '2024-06-20',
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    type: 'payment_intent.succeeded',
    data: {
      object: {
        id: intentId,
        object: 'payment_intent',
        amount,
        amount_received: amount,
        currency: 'usd',
        status: 'succeeded',
        metadata: { order_id: String(orderId), session_id: String(sessionId) },
      },
    },
  });
}

test('Stripe sessions and intents through the SDK, and signed webhooks', async () => {
  const email = uniqueEmail('stripe');
  await signUpUser(email);
  const { client } = await signIn(email);
  const { Orders, Payments } = client;

  const accounts = await Payments.getAccounts();
  assertOk(accounts, 'getAccounts');
  const card = accounts.find((a) => a.identifier === 'card');
  assert.ok(card, JSON.stringify(accounts));
  assert.equal(card.type, 'stripe');
  assert.equal(card.testMode, true);
  assert.ok(!/sk_test|whsec/.test(JSON.stringify(accounts)), 'no secret in getAccounts');

  // A Checkout Session: the payment URL comes from "Stripe".
  const order = await Orders.createOrder('orders', cardOrder());
  assertOk(order, 'createOrder');
  assert.equal(order.totalSum, 400);
  const session = await Payments.createSession(order.id, 'session');
  assertOk(session, 'createSession(session)');
  assert.equal(session.status, 'waiting');
  assert.equal(session.paymentAccountId, card.id);
  assert.equal(session.amount, 400);
  assert.match(session.paymentUrl, /^https:\/\/checkout\.stripe\.com\/c\/pay\/cs_test_sdk\d+$/);

  // A PaymentIntent: the client secret comes from "Stripe".
  const order2 = await Orders.createOrder('orders', cardOrder());
  assertOk(order2, 'second createOrder');
  const intent = await Payments.createSession(order2.id, 'intent');
  assertOk(intent, 'createSession(intent)');
  assert.equal(intent.type, 'intent');
  assert.match(intent.clientSecret, /^pi_sdk\d+_secret_sdk$/);
  const intentId = intent.clientSecret.split('_secret_')[0];

  // What the stand-in received.
  assert.equal(received.length, 2);
  const [cs, pi] = received;
  assert.equal(cs.path, '/v1/checkout/sessions');
  assert.equal(pi.path, '/v1/payment_intents');
  for (const r of received) {
    assert.equal(r.headers.authorization, `Bearer ${SECRET_KEY}`);
    assert.match(r.headers['content-type'], /^application\/x-www-form-urlencoded/);
    assert.match(r.headers['idempotency-key'], /^openentry-session-\d+$/);
  }
  assert.equal(cs.form['line_items[0][price_data][unit_amount]'], '40000');
  assert.equal(cs.form['line_items[0][price_data][currency]'], 'usd');
  assert.equal(cs.form['metadata[order_id]'], String(order.id));
  assert.equal(pi.form.amount, '40000');
  assert.equal(pi.form.currency, 'usd');
  assert.equal(pi.form['metadata[order_id]'], String(order2.id));
  assert.equal(pi.form['metadata[session_id]'], String(intent.id));

  // Webhooks, signed by the official stripe package.
  const before = await Payments.getSessionByOrderId(order2.id);
  const payload = succeeded('evt_sdk_1', intentId, order2.id, intent.id);
  const tampered = payload.replace('40000', '10000');
  const good = stripe.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET });
  const wrong = stripe.webhooks.generateTestHeaderString({ payload, secret: 'whsec_not_ours' });

  const r1 = await deliver(tampered, good);
  assert.equal(r1.status, 400, JSON.stringify(r1.body));
  assert.equal(r1.body.statusCode, 400);
  const r2 = await deliver(payload, wrong);
  assert.equal(r2.status, 400, JSON.stringify(r2.body));
  assert.deepEqual(await Payments.getSessionByOrderId(order2.id), before, 'refused webhooks change nothing');
  const stillOpen = await Orders.getOrderByMarkerAndId('orders', order2.id);
  assert.equal(stillOpen.statusIdentifier, 'upcoming');

  const r3 = await deliver(payload, good);
  assert.deepEqual(r3, { status: 200, body: { received: true } });
  const [paidSession] = await Payments.getSessionByOrderId(order2.id);
  assertOk(paidSession, 'getSessionByOrderId');
  assert.equal(paidSession.status, 'completed');
  assert.ok(!('clientSecret' in paidSession) || paidSession.clientSecret == null, 'no client secret once paid');
  const paid = await Orders.getOrderByMarkerAndId('orders', order2.id);
  assertOk(paid, 'getOrderByMarkerAndId');
  assert.equal(paid.statusIdentifier, 'paid');

  // A redelivery is acknowledged and changes nothing more.
  const again = stripe.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET });
  assert.deepEqual(await deliver(payload, again), { status: 200, body: { received: true } });
  assert.equal((await Orders.getOrderByMarkerAndId('orders', order2.id)).statusIdentifier, 'paid');

  // The Checkout order is untouched by all of it.
  const [open] = await Payments.getSessionByOrderId(order.id);
  assert.equal(open.status, 'waiting');
  const everything = JSON.stringify([session, intent, paidSession, paid, await Payments.getSessions()]);
  assert.ok(!/sk_test|whsec/.test(everything), 'no secret in any answer');
  const log = server.stderr();
  assert.ok(log.includes('Stripe webhook refused'), 'refusals are logged');
  assert.ok(!log.includes(SECRET_KEY) && !log.includes(WEBHOOK_SECRET), 'no secret in the log');
});

test('a webhook without a signature is refused', async () => {
  const payload = succeeded('evt_sdk_unsigned', 'pi_none', 1, 1);
  const res = await fetch(`${server.url}/api/content/payments/webhook/stripe`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: payload,
  });
  assert.equal(res.status, 400);
  const body = await res.json();
  assert.equal(body.statusCode, 400);
  assert.match(body.message, /Stripe-Signature/);
});

test('getAccounts lists the cash and the Stripe account', async () => {
  const { Payments } = makeClient();
  const accounts = await Payments.getAccounts();
  assertOk(accounts, 'getAccounts');
  assert.deepEqual(accounts.map((a) => a.identifier).sort(), ['card', 'cash']);
});
