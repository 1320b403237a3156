// Discounts through the official SDK in strict validation mode, on the demo project (its
// coupons BAGS10, WELCOME20 and GIFT): the Discounts module's reads, and previewOrder /
// createOrder with a coupon and with a bonus amount, getBonusBalance and getBonusHistory,
// asserting the values.

import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';

import { startServer, makeClient, admin, uniqueEmail, signUpUser, signIn, assertOk, REPO_ROOT } from './harness.js';

let server;
before(async () => {
  server = await startServer({ project: path.join(REPO_ROOT, 'examples', 'demo-project.toml') });
});
after(async () => {
  await server?.stop();
});

function order(products, extra = {}) {
  return {
    formIdentifier: 'order',
    paymentAccountIdentifier: 'cash',
    formData: [{ type: 'string', marker: 'name', value: 'Christina Thomas' }],
    products,
    ...extra,
  };
}

async function customer(tag) {
  const email = uniqueEmail(tag);
  await signUpUser(email);
  return (await signIn(email)).client;
}

test('getAllDiscounts and getDiscountByMarker serve the project discounts', async () => {
  const { Discounts } = makeClient();
  const all = await Discounts.getAllDiscounts('en_US', 0, 30);
  assertOk(all, 'getAllDiscounts');
  assert.equal(all.total, 7);
  assert.deepEqual(all.items.map((d) => d.identifier), [
    'bags-10', 'welcome', 'gift-belt', 'sale-crossbody', 'sale-glasses-case', 'sale-throw', 'cashback',
  ]);
  const bonus = await Discounts.getAllDiscounts('en_US', 0, 30, 'BONUS');
  assert.equal(bonus.total, 1);
  assert.deepEqual(bonus.items[0].bonusEvent, { triggerEvent: 'ORDER_PAID' });
  const one = await Discounts.getDiscountByMarker('bags-10', 'en_US');
  assertOk(one, 'getDiscountByMarker');
  assert.equal(one.type, 'DISCOUNT');
  assert.deepEqual(one.discountValue, { applicability: 'TO_PRODUCT', discountType: 'PERCENT', value: 10 });
  assert.deepEqual(one.conditions, [{ type: 'CATEGORY', value: 'bags' }]);
  assert.equal(one.localizeInfos.title, '10 % off bags');
});

test('validateDiscountsCoupon: known, unknown and used codes', async () => {
  const { Discounts } = makeClient();
  const ok = await Discounts.validateDiscountsCoupon('bags10');
  assert.equal(ok.valid, true);
  assert.equal(ok.coupon.code, 'BAGS10');
  assert.equal(ok.coupon.isReusable, true);
  assert.equal(ok.coupon.isUsed, false);
  const no = await Discounts.validateDiscountsCoupon('NOPE');
  assert.deepEqual(no, { valid: false, error: 'Coupon not found' });
  const client = await customer('welcome');
  const created = await client.Orders.createOrder('orders', order([{ productId: 15, quantity: 1 }], { couponCode: 'WELCOME20' }));
  assertOk(created, 'createOrder with WELCOME20');
  assert.equal(created.totalSum, 380);
  const used = await Discounts.validateDiscountsCoupon('WELCOME20');
  assert.equal(used.valid, false);
  assert.equal(used.coupon.isUsed, true);
  assert.equal(used.coupon.orderId, created.id);
});

test('previewOrder and createOrder with a coupon agree, and the seed stays 400 without one', async () => {
  const client = await customer('bags10');
  const plain = await client.Orders.createOrder('orders', order([{ productId: 15, quantity: 1 }]));
  assertOk(plain, 'createOrder');
  assert.equal(plain.totalSum, 400);
  assert.equal(plain.totalDue, 400);
  const preview = await client.Orders.previewOrder({ products: [{ productId: 15, quantity: 1 }], couponCode: 'BAGS10' }, 'en_US');
  assertOk(preview, 'previewOrder');
  assert.equal(preview.totalSum, 400);
  assert.equal(preview.totalSumWithDiscount, 360);
  assert.equal(preview.totalDue, 360);
  assert.equal(preview.orderPreview[0].discountPrice, 360);
  const created = await client.Orders.createOrder('orders', order([{ productId: 15, quantity: 1 }], { couponCode: 'BAGS10' }));
  assertOk(created, 'createOrder with BAGS10');
  assert.equal(created.totalSum, 360);
  assert.equal(created.totalDue, 360);
  assert.equal(created.couponCode, 'BAGS10');
  const dc = created.discountConfig;
  assert.equal(dc.totalRaw, 400);
  assert.equal(dc.totalSumWithDiscount, 360);
  assert.equal(dc.coupon.code, 'BAGS10');
  assert.equal(dc.productDiscounts.length, 1);
  assert.equal(dc.productDiscounts[0].amount, 40);
  assert.deepEqual(dc.settings, { allowGiftStacking: false, allowStacking: true, maxDiscountValue: 50 });
  assert.equal(preview.discountConfig.productDiscounts[0].amount, 40);
});

test('a product on sale costs its sale price, as the shop template shows it', async () => {
  // The template shows `sale` as the price to pay; the demo's FIXED_PRICE discounts charge it.
  const client = await customer('sale');
  const product = await client.Products.getProductById(23, 'en_US');
  assert.equal(product.attributeValues.price.value, 149);
  assert.equal(product.attributeValues.sale.value, 119);
  const lines = [{ productId: 23, quantity: 2 }, { productId: 15, quantity: 1 }];
  const preview = await client.Orders.previewOrder({ products: lines }, 'en_US');
  assertOk(preview, 'previewOrder');
  const created = await client.Orders.createOrder('orders', order(lines));
  assertOk(created, 'createOrder');
  // 2 × 119 + 400: the sale line at its sale price, the seed's product untouched.
  assert.equal(created.totalSum, 638);
  assert.equal(preview.totalDue, created.totalDue);
  const dc = created.discountConfig;
  assert.equal(dc.totalRaw, 698);
  assert.equal(dc.productDiscounts.length, 1);
  assert.equal(dc.productDiscounts[0].amount, 60);
});

test('a bonus amount is clamped to what the user may spend (no balance: nothing)', async () => {
  const client = await customer('bonus');
  const preview = await client.Orders.previewOrder({ products: [{ productId: 15, quantity: 1 }], bonusAmount: 50 }, 'en_US');
  assertOk(preview, 'previewOrder with bonusAmount');
  assert.equal(preview.bonusApplied, 0);
  assert.equal(preview.totalDue, 400);
  const created = await client.Orders.createOrder('orders', order([{ productId: 15, quantity: 1 }], { bonusAmount: 50 }));
  assertOk(created, 'createOrder with bonusAmount');
  assert.equal(created.bonusApplied, 0);
  assert.equal(created.totalDue, 400);
  assert.equal(created.discountConfig.bonus.availableBalance, 0);
  assert.equal(created.discountConfig.bonus.maxBonusDiscount, 0);
});

test('bonuses: an operator adjustment, spending at createOrder within the settings, the history', async () => {
  const client = await customer('spend');
  const me = await client.Users.getUser();
  assertOk(me, 'getUser');
  assert.deepEqual(await client.Discounts.getBonusBalance(), { balance: 0 });
  await admin('/api/admin/discounts/bonus-balance/adjust', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId: me.id, delta: 150.5, reason: 'welcome' }),
  });
  assert.deepEqual(await client.Discounts.getBonusBalance(), { balance: 150.5 });
  // The demo pays at most 30 % of an order with bonuses: 120 of 400.
  const body = { products: [{ productId: 15, quantity: 1 }], bonusAmount: 200 };
  const preview = await client.Orders.previewOrder(body, 'en_US');
  assertOk(preview, 'previewOrder with bonusAmount');
  assert.equal(preview.bonusApplied, 120);
  assert.equal(preview.totalDue, 280);
  const created = await client.Orders.createOrder('orders', order([{ productId: 15, quantity: 1 }], { bonusAmount: 200 }));
  assertOk(created, 'createOrder with bonusAmount');
  assert.equal(created.totalSum, 400);
  assert.equal(created.bonusApplied, 120);
  assert.equal(created.totalDue, 280);
  assert.equal(created.discountConfig.bonus.availableBalance, 150.5);
  assert.equal(created.discountConfig.bonus.maxBonusDiscount, 120);
  assert.deepEqual(await client.Discounts.getBonusBalance(), { balance: 30.5 });
  const history = await client.Discounts.getBonusHistory();
  assertOk(history, 'getBonusHistory');
  assert.deepEqual(history.map((e) => [e.type, e.amount, e.isAdmin]), [['ACCRUAL', 150.5, true], ['USAGE', -120, false]]);
  assert.equal(history[1].entityIdentifier, String(created.id));
  const usage = await client.Discounts.getBonusHistory('USAGE');
  assert.equal(usage.length, 1);
});

test('getBonusHistory applies the filters the SDK sends: discountId, moduleId, isAdmin, dates', async () => {
  const client = await customer('filters');
  const me = await client.Users.getUser();
  await admin('/api/admin/discounts/bonus-balance/adjust', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId: me.id, delta: 10, reason: 'hello' }),
  });
  const created = await client.Orders.createOrder('orders', order([{ productId: 15, quantity: 1 }]));
  assertOk(created, 'createOrder');
  await admin(`/api/admin/orders/${created.id}/status`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ statusIdentifier: 'paid' }),
  });
  const all = await client.Discounts.getBonusHistory();
  assertOk(all, 'getBonusHistory');
  assert.deepEqual(all.map((e) => [e.type, e.amount]), [['ACCRUAL', 10], ['ACCRUAL', 20]]);
  const cashback = all[1];
  assert.equal(cashback.discountId, 4);
  assert.equal(cashback.entityIdentifier, String(created.id));
  const byDiscount = await client.Discounts.getBonusHistory(undefined, undefined, undefined, 4);
  assert.deepEqual(byDiscount.map((e) => e.amount), [20]);
  assert.deepEqual(await client.Discounts.getBonusHistory(undefined, undefined, undefined, 1), []);
  const byModule = await client.Discounts.getBonusHistory(undefined, undefined, undefined, undefined, cashback.moduleId);
  assert.deepEqual(byModule.map((e) => e.amount), [20]);
  const byAdmin = await client.Discounts.getBonusHistory(undefined, undefined, undefined, undefined, undefined, true);
  assert.deepEqual(byAdmin.map((e) => e.amount), [10]);
  const later = new Date(Date.parse(cashback.createdAt) + 1000).toISOString();
  assert.deepEqual(await client.Discounts.getBonusHistory('ACCRUAL', later), []);
  assert.equal((await client.Discounts.getBonusHistory('ACCRUAL', undefined, later)).length, 2);
});
