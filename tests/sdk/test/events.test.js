// The Events module through the SDK (strict validation): a signed-in user subscribes to
// products by event marker, lists the subscriptions (paged, each user their own), and
// unsubscribes; unknown markers, events not about products, unknown products and anonymous
// callers are refused. Project: tests/sdk/events.toml (project.toml plus its [[events]]).

import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';

import {
  SDK_DIR, startServer, makeClient, uniqueEmail, signUpUser, signIn, assertOk, assertError,
} from './harness.js';

let server;
before(async () => {
  server = await startServer({ project: path.join(SDK_DIR, 'events.toml') });
});
after(async () => {
  await server?.stop();
});

async function user(tag) {
  const email = uniqueEmail(tag);
  await signUpUser(email);
  return (await signIn(email)).client;
}

test('subscribe, list and unsubscribe by marker', async () => {
  const c = await user('events');
  const empty = await c.Events.getAllSubscriptions();
  assertOk(empty, 'getAllSubscriptions');
  assert.deepEqual(empty, { total: 0, items: [] });

  assert.equal(await c.Events.subscribeByMarker('product_price_change', 15, 'en_US'), true);
  assert.equal(await c.Events.subscribeByMarker('product_stock_update', 16), true);
  // Subscribing again changes nothing.
  assert.equal(await c.Events.subscribeByMarker('product_price_change', 15), true);

  const all = await c.Events.getAllSubscriptions();
  assertOk(all, 'getAllSubscriptions');
  assert.deepEqual(all, {
    total: 2,
    items: [
      { eventMarker: 'product_price_change', productId: 15 },
      { eventMarker: 'product_stock_update', productId: 16 },
    ],
  });
  const second = await c.Events.getAllSubscriptions(1, 1);
  assert.deepEqual(second, {
    total: 2,
    items: [{ eventMarker: 'product_stock_update', productId: 16 }],
  });

  // Another user sees only their own.
  const other = await user('events-other');
  assert.deepEqual(await other.Events.getAllSubscriptions(), { total: 0, items: [] });

  assert.equal(await c.Events.unsubscribeByMarker('product_price_change', 15), true);
  // Unsubscribing what is not subscribed is fine.
  assert.equal(await c.Events.unsubscribeByMarker('product_price_change', 15), true);
  assert.deepEqual(await c.Events.getAllSubscriptions(), {
    total: 1,
    items: [{ eventMarker: 'product_stock_update', productId: 16 }],
  });
});

/** The same call on the wire, to see the status the SDK's `true` hides. */
async function raw(method, p, token, body) {
  const r = await fetch(`${server.url}/api/content/events${p}`, {
    method,
    headers: {
      'x-app-token': server.appToken,
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: r.status, body: await r.json() };
}

test('unknown markers, order events, unknown products and anonymous callers are refused', async () => {
  const email = uniqueEmail('events-bad');
  await signUpUser(email);
  const { client: c, tokens } = await signIn(email);
  // Wire quirk (docs/wire.md §6.10): the SDK answers `true` whatever the server said.
  assert.equal(await c.Events.subscribeByMarker('nope', 15), true);
  assert.deepEqual(await c.Events.getAllSubscriptions(), { total: 0, items: [] });

  const t = tokens.accessToken;
  const cases = [
    ['nope', { productId: 15, locale: 'en_US' }, 404],
    ['order_paid', { productId: 15, locale: 'en_US' }, 404],
    ['product_price_change', { productId: 999999, locale: 'en_US' }, 404],
    ['product_price_change', { productId: 15, locale: 'fr_FR' }, 400],
  ];
  for (const [marker, body, status] of cases) {
    const r = await raw('POST', `/subscribe/marker/${marker}`, t, body);
    assert.equal(r.status, status, `${marker} ${JSON.stringify(body)}: ${JSON.stringify(r.body)}`);
    assertError(r.body, status, marker);
  }
  const ok = await raw('POST', '/subscribe/marker/product_price_change', t, { productId: 15, locale: 'en_US' });
  assert.equal(ok.status, 201);
  assert.equal(ok.body, true);

  const anonymous = makeClient();
  assertError(await anonymous.Events.getAllSubscriptions(), 401, 'anonymous list');
  assert.equal((await raw('POST', '/subscribe/marker/product_price_change', null, { productId: 15 })).status, 401);
  assert.equal((await raw('DELETE', '/unsubscribe/marker/product_price_change', null, { productId: 15 })).status, 401);
});
