// What real storefronts send, through the SDK (strict validation on), as OneEntry's Next.js
// shop template builds it (ONEENTRY-PLATFORM/nextjs-shop-demo, app/api/utils/getSearchParams.ts,
// components/forms/SignUpForm.tsx, app/api/server/users/updateUserState.ts,
// app/api/hooks/useCreateOrder.ts). Project: tests/sdk/storefront.toml.
//
// A null `conditionValue` reads as "no value": `nin`/`neq` null keep products whose attribute
// has one, `in`/`eq` null those without; with no `conditionMarker` it sets no condition. `title`
// is a case-insensitive search in the title of the request's language. `sku` reads the SKU.

import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';

import {
  SDK_DIR, startServer, makeClient, assertOk, assertError, uniqueEmail, formItem, PASSWORD,
} from './harness.js';

let server;
before(async () => {
  server = await startServer({ project: path.join(SDK_DIR, 'storefront.toml') });
});
after(async () => {
  await server?.stop();
});

const ids = (list) => list.map((p) => p.id).sort((a, b) => a - b);

/** The template's filter list (getSearchParams) for these search parameters and handle. */
function templateFilters(searchParams = {}, handle) {
  const search = searchParams.search || '';
  const out = [{ attributeMarker: 'sku', conditionMarker: 'nin', conditionValue: null, title: search, isNested: false }];
  if (handle) out.push({ attributeMarker: 'stickers', conditionMarker: 'in', conditionValue: handle, title: search, isNested: false });
  if (searchParams.in_stock) {
    out.push({ statusMarker: 'in_stock', attributeMarker: 'price', conditionValue: null, title: search, isNested: false });
  }
  if (searchParams.color) {
    out.push({ attributeMarker: 'color', conditionMarker: 'in', conditionValue: searchParams.color, title: search, isNested: false });
  }
  if (searchParams.minPrice) {
    out.push({ attributeMarker: 'price', conditionMarker: 'mth', conditionValue: searchParams.minPrice, pageUrl: 'shop', title: search, isNested: false });
  }
  if (searchParams.maxPrice) {
    out.push({ attributeMarker: 'price', conditionMarker: 'lth', conditionValue: searchParams.maxPrice, pageUrl: 'shop', title: search, isNested: false });
  }
  return out;
}

const SHOP_QUERY = { limit: 10, offset: 0, sortOrder: 'ASC', sortKey: 'date' };
const CATEGORY_QUERY = { sortOrder: 'DESC', sortKey: 'date', offset: 0, limit: 10 };

test('the shop listing: products with a SKU, the service without one is left out', async () => {
  const { Products } = makeClient();
  const all = await Products.getProducts(templateFilters(), 'en_US', SHOP_QUERY);
  assertOk(all, 'getProducts(template filters)');
  assert.deepEqual(ids(all.items), [1, 2, 3, 4]);
  assert.equal(all.total, 4);
  assert.ok(all.items.every((p) => typeof p.sku === 'string'));

  // The opposite reading of a null value: products WITHOUT a SKU.
  const services = await Products.getProducts([{ attributeMarker: 'sku', conditionMarker: 'in', conditionValue: null }]);
  assertOk(services, 'getProducts(sku in null)');
  assert.deepEqual(ids(services.items), [83]);
});

test('the search text travels in `title` and matches case-insensitively, per language', async () => {
  const { Products } = makeClient();
  const bags = await Products.getProducts(templateFilters({ search: 'bag' }), 'en_US', SHOP_QUERY);
  assertOk(bags, 'search "bag"');
  assert.deepEqual(ids(bags.items), [1, 2], 'both "Leather bag" and "Canvas tote BAG"');
  const arabic = await Products.getProducts(templateFilters({ search: 'حقيبة' }), 'ar_AE', SHOP_QUERY);
  assertOk(arabic, 'search in ar_AE');
  assert.deepEqual(ids(arabic.items), [1, 2]);
  assert.equal(arabic.items.find((p) => p.id === 1).localizeInfos.title, 'حقيبة جلدية');
  const none = await Products.getProducts(templateFilters({ search: 'bicycle' }), 'en_US', SHOP_QUERY);
  assertOk(none, 'search "bicycle"');
  assert.deepEqual(none, { items: [], total: 0 });
});

test('the in-stock filter has a status and no condition', async () => {
  const { Products } = makeClient();
  const res = await Products.getProducts(templateFilters({ in_stock: '1' }), 'en_US', SHOP_QUERY);
  assertOk(res, 'in_stock');
  assert.deepEqual(ids(res.items), [1, 2, 4], 'the out-of-stock scarf is left out');
  assert.ok(res.items.every((p) => p.statusIdentifier === 'in_stock'));
});

test('featured lists, colors and price ranges as the template sends them', async () => {
  const { Products } = makeClient();
  const sale = await Products.getProducts(templateFilters({}, 'sale'), 'en_US', SHOP_QUERY);
  assertOk(sale, '/shop/sale');
  assert.deepEqual(ids(sale.items), [2, 3]);
  const best = await Products.getProducts(templateFilters({}, 'best_seller'), 'en_US', SHOP_QUERY);
  assertOk(best, '/shop/best_seller');
  assert.deepEqual(ids(best.items), [1]);
  const beige = await Products.getProducts(templateFilters({ color: 'beige' }), 'en_US', SHOP_QUERY);
  assertOk(beige, 'color');
  assert.deepEqual(ids(beige.items), [2]);
  const range = await Products.getProducts(templateFilters({ minPrice: '50', maxPrice: '200' }), 'en_US', SHOP_QUERY);
  assertOk(range, 'price range');
  assert.deepEqual(ids(range.items), [2, 3]);
  const everything = await Products.getProducts(
    templateFilters({ search: 'a', in_stock: '1', color: 'brown', minPrice: '100', maxPrice: '500' }, 'best_seller'),
    'en_US', SHOP_QUERY,
  );
  assertOk(everything, 'every filter at once');
  assert.deepEqual(ids(everything.items), [1]);
});

test('category pages: getProductsByPageUrl with the template filters, newest first, and paging', async () => {
  const { Products } = makeClient();
  const bags = await Products.getProductsByPageUrl('bags', templateFilters(), 'en_US', CATEGORY_QUERY);
  assertOk(bags, 'getProductsByPageUrl(bags)');
  assert.deepEqual(ids(bags.items), [1, 2]);
  assert.equal(bags.total, 2);
  const page2 = await Products.getProductsByPageUrl('bags', templateFilters(), 'en_US', { ...CATEGORY_QUERY, limit: 1, offset: 1 });
  assertOk(page2, 'second page');
  assert.equal(page2.items.length, 1);
  assert.equal(page2.total, 2);
  const inStock = await Products.getProductsByPageUrl('accessories', templateFilters({ in_stock: '1' }), 'en_US', CATEGORY_QUERY);
  assertOk(inStock, 'accessories in stock');
  assert.deepEqual(inStock, { items: [], total: 0 });
  assertError(await Products.getProductsByPageUrl('nope', templateFilters(), 'en_US', CATEGORY_QUERY), 404, 'unknown page');
});

test('counts and price ranges accept the same filters', async () => {
  const { Products } = makeClient();
  const all = await Products.getProductsCount(templateFilters());
  assertOk(all, 'getProductsCount');
  assert.equal(all.totalAll, 4);
  const inStock = await Products.getProductsCount(templateFilters({ in_stock: '1' }));
  assertOk(inStock, 'getProductsCount(in_stock)');
  assert.equal(inStock.totalAll, 3);
  const bags = await Products.getProductsCountByPageUrl('bags', templateFilters({ search: 'leather' }));
  assertOk(bags, 'getProductsCountByPageUrl');
  assert.equal(bags.totalInCategory, 1);
  const prices = await Products.getProductsPriceByPageUrl('shop', 'en_US', { limit: 10, offset: 0, sortKey: 'id', sortOrder: 'ASC' });
  assertOk(prices, 'getProductsPriceByPageUrl');
  assert.deepEqual(prices.items.map((p) => [p.id, p.price]), [[1, 400], [2, 89], [3, 120.5], [4, 24]]);
});

test('a condition that makes no sense is still refused', async () => {
  const { Products } = makeClient();
  assertError(await Products.getProducts([{ attributeMarker: 'price', conditionMarker: 'about', conditionValue: null }]), 400, 'unknown condition');
  assertError(await Products.getProducts([{ attributeMarker: 'price', conditionMarker: 'mth', conditionValue: 'cheap' }]), 400, 'not a number');
});

/** The template's sign-up body (SignUpForm.tsx): the credentials in authData AND formData. */
function templateSignUp(email, { formEmail = email, formPassword = PASSWORD } = {}) {
  return {
    formIdentifier: 'reg',
    authData: [
      { marker: 'email_reg', value: email },
      { marker: 'password_reg', value: PASSWORD },
    ],
    formData: [
      { marker: 'email_reg', type: 'string', value: formEmail },
      { marker: 'password_reg', type: 'string', value: formPassword },
      { marker: 'name_reg', type: 'string', value: 'Christina Thomas' },
      { marker: 'phone_reg', type: 'string', value: '+15550100' },
      { marker: 'address_reg', type: 'string', value: '12 Tannery Lane' },
      { marker: 'email_notifications', type: 'string', value: email },
    ],
    notificationData: { email, phonePush: ['+15550100'], phoneSMS: '+15550100' },
  };
}

test('a sign-up that repeats the credentials in formData is accepted; the password is never kept', async () => {
  const email = uniqueEmail('shop');
  const res = await makeClient().AuthProvider.signUp('email', templateSignUp(email), 'en_US');
  assertOk(res, 'signUp(template body)');
  assert.equal(res.identifier, email);
  assert.equal(res.isActive, true);
  const markers = res.formData.map((i) => i.marker);
  assert.deepEqual(markers.filter((m) => m === 'email_reg'), ['email_reg'], 'the login once');
  assert.ok(!markers.includes('password_reg'), `no password in ${JSON.stringify(res.formData)}`);
  assert.ok(!JSON.stringify(res).includes(PASSWORD), 'the password is never echoed');
  assert.equal(formItem(res.formData, 'name_reg').value, 'Christina Thomas');
  assert.equal(formItem(res.formData, 'address_reg').value, '12 Tannery Lane');

  // The template then signs in (logInUser) and reads the user (getMe).
  const client = makeClient();
  const tokens = await client.AuthProvider.auth('email', {
    authData: [{ marker: 'email_reg', value: email }, { marker: 'password_reg', value: PASSWORD }],
  });
  assertOk(tokens, 'auth');
  const me = await client.Users.getUser('en_US');
  assertOk(me, 'getUser');
  assert.ok(!me.formData.some((i) => i.marker === 'password_reg'), `stored form data: ${JSON.stringify(me.formData)}`);
  assert.equal(formItem(me.formData, 'email_reg').value, email);
  assert.equal(formItem(me.formData, 'phone_reg').value, '+15550100');

  // updateUserState: the stored form data (login included) back with the cart and favorites;
  // UserForm: an empty password in authData.
  const saved = await client.Users.updateUser({
    formIdentifier: 'reg',
    formData: me.formData.map((i) => ({ marker: i.marker, type: 'string', value: i.value })),
    authData: [{ marker: 'password_reg', value: '' }],
    state: { favorites: [1], cart: [{ id: 2, quantity: 1, selected: true }] },
    notificationData: { email, phonePush: [], phoneSMS: '+15550100' },
  });
  assert.equal(saved, true, `updateUser: ${JSON.stringify(saved)}`);
  const after = await client.Users.getUser('en_US');
  assertOk(after, 'getUser after update');
  assert.deepEqual(after.state.favorites, [1]);
  assert.equal(formItem(after.formData, 'email_reg').value, email);

  const other = await client.Users.updateUser({
    formIdentifier: 'reg',
    formData: [{ marker: 'email_reg', type: 'string', value: uniqueEmail('other') }],
  });
  assertError(other, 400, 'changing the login through updateUser');
  assert.match(other.message, /login/);
  const password = await client.Users.updateUser({
    formIdentifier: 'reg',
    formData: [{ marker: 'password_reg', type: 'string', value: 'Another-pass-456' }],
  });
  assertError(password, 400, 'a password in updateUser form data');
  assert.match(password.message, /changePassword/);
});

test('a sign-up whose formData names another login or password is refused, saying why', async () => {
  const email = uniqueEmail('mismatch');
  const login = await makeClient().AuthProvider.signUp('email', templateSignUp(email, { formEmail: uniqueEmail('else') }), 'en_US');
  assertError(login, 400, 'another login in formData');
  assert.match(login.message, /email_reg/);
  assert.match(login.message, /authData/);
  const password = await makeClient().AuthProvider.signUp('email', templateSignUp(email, { formPassword: 'Other-pass-789' }), 'en_US');
  assertError(password, 400, 'another password in formData');
  assert.match(password.message, /password_reg/);
  assert.ok(!password.message.includes('Other-pass-789'), 'the refused password is not echoed');

  // Same login in another case: the same login.
  const same = await makeClient().AuthProvider.signUp('email', templateSignUp(email, { formEmail: email.toUpperCase() }), 'en_US');
  assertOk(same, 'the login in another case');
  // An empty password field (a form that shows none) is no password.
  const empty = await makeClient().AuthProvider.signUp('email', templateSignUp(uniqueEmail('empty'), { formPassword: '' }), 'en_US');
  assertOk(empty, 'an empty password field');
  assert.ok(!empty.formData.some((i) => i.marker === 'password_reg'));
});

test('checkout as the template sends it: a date object, delivery as a product', async () => {
  const email = uniqueEmail('order');
  assertOk(await makeClient().AuthProvider.signUp('email', templateSignUp(email), 'en_US'), 'signUp');
  const client = makeClient();
  assertOk(await client.AuthProvider.auth('email', {
    authData: [{ marker: 'email_reg', value: email }, { marker: 'password_reg', value: PASSWORD }],
  }), 'auth');
  const order = await client.Orders.createOrder('order', {
    formIdentifier: 'order',
    paymentAccountIdentifier: 'cash',
    formData: [
      { marker: 'date', type: 'date', value: { fullDate: '2026-12-01T00:00:00.000Z', formattedValue: 'Tue Dec 01 2026 00:00', formatString: 'YYYY-MM-DD' } },
      { marker: 'shipping_interval', type: 'string', value: '10:00' },
      { marker: 'order_address', type: 'string', value: '12 Tannery Lane' },
    ],
    products: [{ productId: 1, quantity: 1, selected: true }, { productId: 83, quantity: 1, selected: true }],
  }, 'en_US');
  assertOk(order, 'createOrder(template body)');
  assert.equal(order.totalSum, 410);
  assert.equal(order.statusIdentifier, 'created');
  const list = await client.Orders.getAllOrdersByMarker('order', 'en_US', 0, 10);
  assertOk(list, 'getAllOrdersByMarker');
  assert.equal(list.total, 1);
});
