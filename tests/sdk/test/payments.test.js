// The whole seed flow through the official SDK in strict validation mode (auth → createOrder →
// createSession → getSessionByOrderId, with the values the seed shows), and every Payments
// method for offline (custom) accounts.

import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';

import { startServer, makeClient, admin, uniqueEmail, signUpUser, signIn, assertOk, assertError, assertAuthResult, PASSWORD } from './harness.js';

let server;
before(async () => {
  server = await startServer();
});
after(async () => {
  await server?.stop();
});

function seedOrder() {
  return {
    formIdentifier: 'order',
    paymentAccountIdentifier: 'cash',
    formData: [{ type: 'string', marker: 'name', value: 'Christina Thomas' }],
    products: [{ productId: 15, quantity: 1 }],
  };
}

test('the seed flow, end to end', async () => {
  const email = uniqueEmail('seedflow');
  await signUpUser(email);
  // 2. Creating an API client
  const { AuthProvider, Orders, Payments } = makeClient();
  // 3. User authorization
  const authData = { authData: [{ marker: 'email_reg', value: email }, { marker: 'password_reg', value: PASSWORD }] };
  const user = await AuthProvider.auth('email', authData);
  assertAuthResult(user, email);
  // 4. Create order
  const orderData = await Orders.createOrder('orders', seedOrder()).catch((e) => e);
  assertOk(orderData, 'createOrder');
  assert.equal(orderData.totalSum, 400);
  assert.equal(orderData.currency, 'USD');
  assert.equal(orderData.statusIdentifier, 'upcoming');
  // 5. Creation of payment session
  const sessionData = await Payments.createSession(orderData.id, 'session').catch((e) => e);
  assertOk(sessionData, 'createSession');
  assert.equal(typeof sessionData.id, 'number');
  assert.equal(sessionData.type, 'session');
  assert.equal(sessionData.status, 'waiting');
  assert.equal(sessionData.paymentAccountId, 1);
  assert.equal(sessionData.orderId, orderData.id);
  assert.equal(sessionData.amount, null);
  assert.equal(sessionData.paymentUrl, null);
  assert.ok(!('clientSecret' in sessionData));
  assert.equal(typeof sessionData.createdDate, 'string');
  assert.equal(sessionData.createdDate, sessionData.updatedDate);
  // 6. Payment sessions of the order
  const sessionByOrderId = await Payments.getSessionByOrderId(orderData.id).catch((e) => e);
  assertOk(sessionByOrderId, 'getSessionByOrderId');
  assert.deepEqual(sessionByOrderId, [sessionData]);
});

test('getSessionById, getSessions, and one waiting session per order', async () => {
  const email = uniqueEmail('sessions');
  await signUpUser(email);
  const { client } = await signIn(email);
  const order = await client.Orders.createOrder('orders', seedOrder());
  assertOk(order, 'createOrder');
  const first = await client.Payments.createSession(order.id, 'session');
  const second = await client.Payments.createSession(order.id, 'intent');
  assertOk(second, 'second createSession');
  assert.equal(second.id, first.id, 'the waiting session is answered again');
  const byId = await client.Payments.getSessionById(first.id);
  assert.deepEqual(byId, first);
  const list = await client.Payments.getSessions();
  assertOk(list, 'getSessions');
  assert.equal(list.total, 1);
  assert.deepEqual(list.items, [first]);
});

test('an operator marks the cash session completed: the order is paid', async () => {
  const email = uniqueEmail('paid');
  await signUpUser(email);
  const { client } = await signIn(email);
  const order = await client.Orders.createOrder('orders', seedOrder());
  const session = await client.Payments.createSession(order.id, 'session');
  const done = await admin(`/api/admin/payments/sessions/${session.id}/complete`, { method: 'POST' });
  assert.equal(done.status, 'completed');
  const [after] = await client.Payments.getSessionByOrderId(order.id);
  assert.equal(after.status, 'completed');
  const stored = await client.Orders.getOrderByMarkerAndId('orders', order.id);
  assert.equal(stored.statusIdentifier, 'paid');
  assertError(await client.Payments.createSession(order.id, 'session'), 409, 'paying a paid order');
});

test('an order changed after its session was opened is never paid by that session', async () => {
  const email = uniqueEmail('repriced');
  await signUpUser(email);
  const { client } = await signIn(email);
  const order = await client.Orders.createOrder('orders', seedOrder());
  const old = await client.Payments.createSession(order.id, 'session');
  assertOk(old, 'createSession');
  // 400 USD waiting; the customer makes it 10 units (4,000 USD).
  const changed = await client.Orders.updateOrderByMarkerAndId('orders', order.id, {
    ...seedOrder(),
    products: [{ productId: 15, quantity: 10 }],
  });
  assertOk(changed, 'updateOrderByMarkerAndId');
  assert.equal(changed.totalSum, 4000);
  const [canceled] = await client.Payments.getSessionByOrderId(order.id);
  assert.equal(canceled.status, 'canceled', 'the old session is canceled with the change');
  // The operator cannot take the old session's 400 for the 4,000 order.
  await assert.rejects(
    admin(`/api/admin/payments/sessions/${old.id}/complete`, { method: 'POST' }),
    /answered 409/,
  );
  const fresh = await client.Payments.createSession(order.id, 'session');
  assertOk(fresh, 'createSession after the change');
  assert.notEqual(fresh.id, old.id);
  const done = await admin(`/api/admin/payments/sessions/${fresh.id}/complete`, { method: 'POST' });
  assert.equal(done.status, 'completed');
  const stored = await client.Orders.getOrderByMarkerAndId('orders', order.id);
  assert.equal(stored.statusIdentifier, 'paid');
  assert.equal(Number(stored.totalSum), 4000);
  assertError(await client.Payments.createSession(order.id, 'session'), 409, 'paying a paid order');
});

test('payment accounts, without secrets', async () => {
  const { Payments } = makeClient();
  const accounts = await Payments.getAccounts();
  assertOk(accounts, 'getAccounts');
  const cash = accounts.find((a) => a.identifier === 'cash');
  assert.ok(cash, JSON.stringify(accounts));
  assert.equal(cash.type, 'custom');
  assert.equal(cash.isVisible, true);
  assert.equal(cash.localizeInfos.title, 'Cash on delivery');
  const one = await Payments.getAccountById(cash.id);
  assert.equal(one.identifier, 'cash');
  assert.ok(!/secret|sk_|whsec/i.test(JSON.stringify(accounts)));
});

test("another user's order cannot get a session", async () => {
  const a = uniqueEmail('pa');
  const b = uniqueEmail('pb');
  await signUpUser(a);
  await signUpUser(b);
  const { client: ca } = await signIn(a);
  const { client: cb } = await signIn(b);
  const order = await ca.Orders.createOrder('orders', seedOrder());
  assertError(await cb.Payments.createSession(order.id, 'session'), 404, 'foreign order');
  assertError(await cb.Payments.getSessionByOrderId(order.id), 404, 'foreign order sessions');
});
