// Parity: the Rust client (`openentry-client`, through its `pay_order` example) and the
// official JS SDK get the same answers for the seed flow (auth → createOrder → createSession →
// getSessionByOrderId) from the same server. The SDK runs with validation off, so both sides
// see the server's raw answers; ids, tokens, logins and times are compared by type only.

import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

import { startServer, makeClient, uniqueEmail, signUpUser, authBody, assertOk, REPO_ROOT, PASSWORD } from './harness.js';

const run = promisify(execFile);

/** The Rust example binary (`cargo build -p openentry-client --examples`). */
function exampleBinary() {
  if (process.env.OPENENTRY_PAY_ORDER_BIN) return process.env.OPENENTRY_PAY_ORDER_BIN;
  const target = process.env.CARGO_TARGET_DIR || path.join(REPO_ROOT, 'target');
  return path.join(target, 'debug', 'examples', 'pay_order');
}

let server;
before(async () => {
  if (!process.env.OPENENTRY_PAY_ORDER_BIN) {
    // Cheap when it is up to date; keeps the binary in step with the client's sources.
    execFileSync('cargo', ['build', '--quiet', '-p', 'openentry-client', '--examples'], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  server = await startServer();
});
after(async () => {
  await server?.stop();
});

/** Runs the Rust seed flow; its `--json` output: `{user, order, session, sessions}`. */
async function rustFlow(email, extra = ['--json']) {
  const args = ['--url', server.url, '--token', server.appToken, '--email', email, '--password', PASSWORD, ...extra];
  const { stdout } = await run(exampleBinary(), args, { timeout: 60_000, env: { ...process.env, RUST_LOG: 'warn' } });
  return stdout;
}

/** The same flow through the JS SDK, raw (validation off). */
async function jsFlow(email) {
  const { AuthProvider, Orders, Payments } = makeClient({ validation: { enabled: false } });
  const user = await AuthProvider.auth('email', authBody(email));
  assertOk(user, 'auth');
  const order = await Orders.createOrder('orders', {
    formIdentifier: 'order',
    paymentAccountIdentifier: 'cash',
    formData: [{ type: 'string', marker: 'name', value: 'Christina Thomas' }],
    products: [{ productId: 15, quantity: 1 }],
  });
  assertOk(order, 'createOrder');
  const session = await Payments.createSession(order.id, 'session');
  assertOk(session, 'createSession');
  const sessions = await Payments.getSessionByOrderId(order.id);
  assertOk(sessions, 'getSessionByOrderId');
  return { user, order, session, sessions };
}

// Values that differ per run or per user: compared by type, not by value.
const PER_RUN = new Set(['id', 'orderId', 'createdDate', 'updatedDate', 'accessToken', 'refreshToken', 'userIdentifier']);

/** `value` with every per-run value replaced by its type, key order kept. */
function shape(value) {
  if (Array.isArray(value)) return value.map(shape);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, PER_RUN.has(k) ? `<${v === null ? 'null' : typeof v}>` : shape(v)]),
    );
  }
  return value;
}

/** What must hold inside one side's answers, whichever client got them. */
function checkFlow(flow, email, who) {
  const { user, order, session, sessions } = flow;
  assert.equal(user.userIdentifier, email, `${who}: userIdentifier`);
  assert.equal(user.authProviderIdentifier, 'email', `${who}: authProviderIdentifier`);
  assert.equal(order.totalSum, 400, `${who}: totalSum`);
  assert.equal(order.totalDue, 400, `${who}: totalDue`);
  assert.equal(order.currency, 'USD', `${who}: currency`);
  assert.equal(order.statusIdentifier, 'upcoming', `${who}: statusIdentifier`);
  assert.deepEqual(order.statusLocalizeInfos, { title: 'Upcoming' }, `${who}: statusLocalizeInfos`);
  assert.equal(session.orderId, order.id, `${who}: session.orderId`);
  assert.equal(session.type, 'session', `${who}: session.type`);
  assert.equal(session.status, 'waiting', `${who}: session.status`);
  assert.equal(session.amount, null, `${who}: session.amount`);
  assert.equal(session.paymentUrl, null, `${who}: session.paymentUrl`);
  assert.equal(session.createdDate, session.updatedDate, `${who}: a new session is unchanged`);
  assert.ok(!Number.isNaN(Date.parse(order.createdDate)), `${who}: order.createdDate`);
  assert.deepEqual(sessions, [session], `${who}: getSessionByOrderId answers the new session`);
}

test('the Rust client and the JS SDK get the same answers for the seed flow', async () => {
  const rustEmail = uniqueEmail('parity-rust');
  const jsEmail = uniqueEmail('parity-js');
  await signUpUser(rustEmail);
  await signUpUser(jsEmail);

  const rust = JSON.parse(await rustFlow(rustEmail));
  const js = await jsFlow(jsEmail);

  checkFlow(rust, rustEmail, 'Rust');
  checkFlow(js, jsEmail, 'JS');
  for (const step of ['user', 'order', 'session', 'sessions']) {
    // Same keys in the same order, same values except the per-run ones (and those of the
    // same JSON type).
    assert.deepEqual(shape(rust[step]), shape(js[step]), `${step}: Rust and JS answers differ`);
  }
  assert.notEqual(rust.order.id, js.order.id, 'two orders were made');
  assert.equal(rust.session.paymentAccountId, js.session.paymentAccountId);
});

test('the Rust example signs up and prints each step as pretty JSON', async () => {
  const email = uniqueEmail('parity-print');
  const out = await rustFlow(email, ['--sign-up']);
  for (const step of [
    'AuthProvider.sign_up',
    '3. AuthProvider.auth',
    '4. Orders.create_order',
    '5. Payments.create_session',
    '6. Payments.get_session_by_order_id',
  ]) {
    assert.ok(out.includes(`// ${step}`), `missing step ${step} in:\n${out}`);
  }
  assert.match(out, /"totalSum": 400,/);
  assert.match(out, /"status": "waiting",/);
  // The user the example registered can sign in through the SDK too.
  const res = await makeClient().AuthProvider.auth('email', authBody(email));
  assertOk(res, 'auth of the user the Rust example registered');
});
