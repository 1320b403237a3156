// The System module through the SDK: test404 and test500 answer the SDK's error body (the 500
// is logged as intended, not as a failure), and getApiStat reports the requests this node
// counted, per method and route template and by status class. Project: tests/sdk/project.toml.

import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';

import { startServer, makeClient, assertError } from './harness.js';

let server;
before(async () => {
  // `info`, so the test can see how the intended 500 is logged.
  server = await startServer({ env: { RUST_LOG: 'info' } });
});
after(async () => {
  await server?.stop();
});

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** The route entry of `stat` for `GET route` (zero counts when it has none yet). */
function route(stat, path) {
  const r = stat.routes.find((x) => x.method === 'GET' && x.route === path);
  return r ?? { count: 0, byStatus: { '1xx': 0, '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0 } };
}

/** Waits (bounded) until the server's log holds `text`: stderr arrives through a pipe. */
async function logged(text, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  while (!server.stderr().includes(text)) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setImmediate(r));
  }
  return true;
}

test('test404 and test500 answer the error body; the 500 is logged as intended', async () => {
  const { System } = makeClient();
  const r404 = await System.test404();
  assertError(r404, 404, 'test404');
  assert.equal(r404.message, 'Not found (System.test404 always answers 404)');
  assert.equal(r404.pageData, null);
  assert.match(r404.timestamp, ISO);

  const r500 = await System.test500();
  assertError(r500, 500, 'test500');
  assert.equal(r500.message, 'Internal server error (System.test500 always answers 500, on purpose)');
  assert.ok(await logged('intended 500 answered'), `the intended 500 is logged:\n${server.stderr()}`);
  assert.ok(!server.stderr().includes('internal error'), `not as a failure:\n${server.stderr()}`);

  // isShell: false throws the same body.
  const strict = makeClient({ errors: { isShell: false } });
  await assert.rejects(strict.System.test404(), (e) => e.statusCode === 404);
});

test('getApiStat counts the requests this node answered', async () => {
  const { System, Locales } = makeClient();
  const before = await System.getApiStat();
  assert.equal(typeof before.count, 'number');
  assert.match(before.date, ISO);
  assert.match(before.since, ISO);
  assert.ok(before.uptimeSecs >= 0);

  await System.test404();
  await System.test404();
  await System.test500();
  await Locales.getLocales();
  const wrong = makeClient({ token: 'not-the-token' });
  assertError(await wrong.System.test404(), 403, 'a wrong app token');

  const now = await System.getApiStat();
  // The first getApiStat and the five calls since; the answering call is not counted yet.
  assert.equal(now.count, before.count + 6, JSON.stringify(now));
  assert.equal(now.byStatus['4xx'], before.byStatus['4xx'] + 3);
  assert.equal(now.byStatus['5xx'], before.byStatus['5xx'] + 1);
  assert.equal(now.byStatus['2xx'], before.byStatus['2xx'] + 2);
  const t404 = route(now, '/api/content/system/test404');
  assert.equal(t404.count, route(before, '/api/content/system/test404').count + 3);
  assert.equal(t404.byStatus['4xx'], t404.count);
  assert.equal(route(now, '/api/content/system/test500').byStatus['5xx'], route(before, '/api/content/system/test500').count + 1);
  assert.equal(route(now, '/api/content/locales/active/all').byStatus['2xx'], route(before, '/api/content/locales/active/all').count + 1);
  assert.equal(route(now, '/api/content/system/api-stat').count, route(before, '/api/content/system/api-stat').count + 1);
  // The harness's readiness checks are counted too, on their own route.
  assert.ok(route(now, '/healthz').count >= 1, JSON.stringify(now.routes));
  assert.ok(!now.routes.some((r) => r.route.includes('not-the-token')));
  const sum = now.routes.reduce((n, r) => n + r.count, 0);
  assert.equal(sum, now.count);
});
