// Orders through the official SDK in strict validation mode: the seed's steps 3-4 with the
// values the seed document shows, and every Orders method.

import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';

import {
  startServer,
  makeClient,
  admin,
  uniqueEmail,
  signUpUser,
  signIn,
  assertOk,
  assertError,
  assertAuthResult,
  PASSWORD,
} from './harness.js';

let server;
before(async () => {
  server = await startServer();
});
after(async () => {
  await server?.stop();
});

/** The seed's createOrder body, new each call (the SDK mutates it). */
function seedOrder(products = [{ productId: 15, quantity: 1 }]) {
  return {
    formIdentifier: 'order',
    paymentAccountIdentifier: 'cash',
    formData: [{ type: 'string', marker: 'name', value: 'Christina Thomas' }],
    products,
  };
}

async function customer(tag) {
  const email = uniqueEmail(tag);
  await signUpUser(email);
  const { client } = await signIn(email);
  return client;
}

test('seed steps 3-4: auth, then createOrder priced by the server', async () => {
  const email = uniqueEmail('seed');
  await signUpUser(email);
  const { AuthProvider, Orders } = makeClient();
  const authData = { authData: [{ marker: 'email_reg', value: email }, { marker: 'password_reg', value: PASSWORD }] };
  const user = await AuthProvider.auth('email', authData);
  assertAuthResult(user, email);

  const orderData = await Orders.createOrder('orders', seedOrder()).catch((e) => e);
  assertOk(orderData, 'createOrder');
  assert.ok(!('statusCode' in orderData));
  assert.equal(typeof orderData.id, 'number');
  assert.equal(orderData.formIdentifier, 'order');
  assert.equal(orderData.paymentAccountIdentifier, 'cash');
  assert.deepEqual(orderData.formData, [{ marker: 'name', type: 'string', value: 'Christina Thomas' }]);
  assert.deepEqual(orderData.products, [{ productId: 15, quantity: 1 }]);
  assert.equal(orderData.currency, 'USD');
  assert.equal(orderData.totalSum, 400);
  assert.equal(orderData.bonusApplied, 0);
  assert.equal(orderData.totalDue, 400);
  assert.equal(orderData.statusIdentifier, 'upcoming');
  assert.equal(typeof orderData.createdDate, 'string');
  // Strict validation strips keys its schema does not name (docs/wire.md §4), which is what the
  // SDK's users see.
  assert.deepEqual(orderData.discountConfig, {
    bonus: { availableBalance: 0, bonusApplied: 0, maxBonusDiscount: 0, minBonusAmount: null, minOrderAmountForBonus: null },
    coupon: null,
    orderDiscounts: [],
    productDiscounts: [],
    settings: { allowGiftStacking: false, allowStacking: false, maxDiscountValue: null },
    additionalDiscountsMarkers: [],
    bonusApplied: 0,
    excludedGiftProductIds: [],
    totalDue: 400,
    totalRaw: 400,
    totalSumWithDiscount: 400,
  });
});

test('createOrder without validation shows statusLocalizeInfos as the seed does', async () => {
  const email = uniqueEmail('raw');
  await signUpUser(email);
  const client = makeClient({ validation: { enabled: false } });
  assertOk(await client.AuthProvider.auth('email', { authData: [{ marker: 'email_reg', value: email }, { marker: 'password_reg', value: PASSWORD }] }));
  const order = await client.Orders.createOrder('orders', seedOrder());
  assert.deepEqual(order.statusLocalizeInfos, { title: 'Upcoming' });
  assert.equal(order.discountConfig.settings.giftRefundPolicy, 'KEEP_GIFT');
});

test('getOrderByMarkerAndId and getAllOrdersByMarker return the stored order', async () => {
  const { Orders } = await customer('read');
  const created = await Orders.createOrder('orders', seedOrder([{ productId: 16, quantity: 2 }]));
  assertOk(created, 'createOrder');
  assert.equal(created.totalSum, 119.8);

  const order = await Orders.getOrderByMarkerAndId('orders', created.id);
  assertOk(order, 'getOrderByMarkerAndId');
  assert.equal(order.id, created.id);
  assert.equal(order.totalSum, '119.80');
  assert.equal(order.currency, 'USD');
  assert.equal(typeof order.storageId, 'number');
  assert.equal(order.paymentUrl, null);
  assert.equal(order.isCompleted, false);
  assert.equal(order.statusIdentifier, 'upcoming');
  assert.deepEqual(order.statusLocalizeInfos, { title: 'Upcoming' });
  assert.deepEqual(order.formData, [{ marker: 'name', type: 'string', value: 'Christina Thomas' }]);
  assert.equal(order.products.length, 1);
  assert.equal(order.products[0].id, 16);
  assert.equal(order.products[0].title, 'Wallet');
  assert.equal(order.products[0].price, 59.9);
  assert.equal(order.products[0].quantity, 2);

  const list = await Orders.getAllOrdersByMarker('orders');
  assertOk(list, 'getAllOrdersByMarker');
  assert.equal(list.total, 1);
  assert.deepEqual(list.items.map((o) => o.id), [created.id]);
});

test('storages and statuses', async () => {
  const { Orders } = await customer('storage');
  const storages = await Orders.getAllOrdersStorage();
  assertOk(storages, 'getAllOrdersStorage');
  const orders = storages.find((s) => s.identifier === 'orders');
  assert.ok(orders, JSON.stringify(storages));
  assert.equal(orders.formIdentifier, 'order');
  assert.equal(orders.localizeInfos.title, 'Orders');
  assert.deepEqual(orders.paymentAccountIdentifiers, [{ identifier: 'cash' }]);

  const one = await Orders.getOrdersStorageByMarker('orders');
  assertOk(one, 'getOrdersStorageByMarker');
  assert.equal(one.id, orders.id);

  const statuses = await Orders.getAllStatusesByStorageMarker('orders');
  assertOk(statuses, 'getAllStatusesByStorageMarker');
  assert.deepEqual(statuses.map((s) => s.identifier), ['upcoming', 'paid', 'completed', 'canceled']);
  assert.equal(statuses[0].localizeInfos.title, 'Upcoming');
  assert.equal(statuses[0].isDefault, true);
  assert.equal(statuses.filter((s) => s.isDefault).length, 1);
});

test('previewOrder computes what createOrder then charges', async () => {
  const { Orders } = await customer('preview');
  const products = [{ productId: 16, quantity: 3 }, { productId: 17, quantity: 1 }];
  const preview = await Orders.previewOrder({ products: structuredClone(products) });
  assertOk(preview, 'previewOrder');
  assert.equal(preview.totalSum, 214.7);
  assert.equal(preview.totalDue, 214.7);
  assert.equal(preview.currency, 'USD');
  assert.deepEqual(preview.orderPreview.map((l) => [l.id, l.price, l.quantity]), [[16, 59.9, 3], [17, 35, 1]]);
  const created = await Orders.createOrder('orders', seedOrder(structuredClone(products)));
  assertOk(created, 'createOrder');
  assert.equal(created.totalSum, preview.totalSum);
  assert.equal(created.totalDue, preview.totalDue);
});

test('updateOrderByMarkerAndId re-prices carts and cancels unpaid orders', async () => {
  const { Orders } = await customer('update');
  const created = await Orders.createOrder('orders', seedOrder());
  assertOk(created, 'createOrder');
  const changed = await Orders.updateOrderByMarkerAndId('orders', created.id, seedOrder([{ productId: 15, quantity: 2 }]));
  assertOk(changed, 'updateOrderByMarkerAndId');
  assert.equal(changed.totalSum, 800);
  const canceled = await Orders.updateOrderByMarkerAndId('orders', created.id, { ...seedOrder([{ productId: 15, quantity: 2 }]), statusIdentifier: 'canceled' });
  assertOk(canceled, 'cancel');
  assert.equal(canceled.statusIdentifier, 'canceled');
  const stored = await Orders.getOrderByMarkerAndId('orders', created.id);
  assert.equal(stored.isCompleted, true);
  const again = await Orders.updateOrderByMarkerAndId('orders', created.id, seedOrder([{ productId: 16, quantity: 1 }]));
  assertError(again, 409, 'changing a canceled order');
});

test('refund requests: create, list, cancel', async () => {
  const { Orders } = await customer('refund');
  const created = await Orders.createOrder('orders', seedOrder([{ productId: 15, quantity: 2 }]));
  assertOk(created, 'createOrder');
  assertError(await Orders.createRefundRequest(created.id, { products: { 15: { quantity: 1 } } }), 409, 'refund of an unpaid order');
  await admin(`/api/admin/orders/${created.id}/status`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ statusIdentifier: 'paid' }),
  });
  assert.equal(await Orders.createRefundRequest(created.id, { products: { 15: { quantity: 1 } }, note: 'scratched' }), true);
  const refunds = await Orders.getRefunds(created.id);
  assert.equal(refunds.length, 1);
  assert.equal(refunds[0].status, 'pending');
  assert.equal(refunds[0].amount, 400);
  assert.equal(refunds[0].note, 'scratched');
  assert.deepEqual(refunds[0].products, { 15: { quantity: 1 } });
  assert.equal(refunds[0].orderId, created.id);
  assertError(await Orders.createRefundRequest(created.id, { products: { 15: { quantity: 5 } } }), 409, 'second open request');
  assert.equal(await Orders.cancelRefundRequest(created.id), true);
  assert.equal((await Orders.getRefunds(created.id))[0].status, 'canceled');
});

test('bad orders get the error body and create nothing', async () => {
  const { Orders } = await customer('bad');
  assertError(await Orders.createOrder('orders', seedOrder([{ productId: 999, quantity: 1 }])), 400, 'unknown product');
  assertError(await Orders.createOrder('orders', seedOrder([{ productId: 15, quantity: 0 }])), 400, 'quantity 0');
  assertError(await Orders.createOrder('orders', { ...seedOrder(), paymentAccountIdentifier: 'card' }), 400, 'unlinked account');
  assertError(await Orders.createOrder('orders', { ...seedOrder(), formData: [] }), 400, 'missing name');
  assertError(await Orders.createOrder('nope', seedOrder()), 404, 'unknown storage');
  const list = await Orders.getAllOrdersByMarker('orders');
  assert.equal(list.total, 0);
});

test("another user's order answers like a missing one", async () => {
  const a = await customer('owner');
  const b = await customer('other');
  const created = await a.Orders.createOrder('orders', seedOrder());
  assertOk(created, 'createOrder');
  const theirs = await b.Orders.getOrderByMarkerAndId('orders', created.id);
  const missing = await b.Orders.getOrderByMarkerAndId('orders', created.id + 100000);
  assertError(theirs, 404, 'other user order');
  assertError(missing, 404, 'missing order');
  assert.equal(theirs.message.replace(String(created.id), 'N'), missing.message.replace(String(created.id + 100000), 'N'));
  assert.equal((await b.Orders.getAllOrdersByMarker('orders')).total, 0);
});
