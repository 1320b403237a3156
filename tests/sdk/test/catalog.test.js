// The read-only catalog through the SDK (strict validation on): Products, ProductStatuses,
// AttributesSets, Forms. Values come from the catalog section of project.toml (products 15-20).

import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';

import { startServer, makeClient, assertOk, assertError } from './harness.js';

let server;
before(async () => {
  server = await startServer();
});
after(async () => {
  await server?.stop();
});

const ids = (list) => list.map((p) => p.id);
const ASC_BY_ID = { sortKey: 'id', sortOrder: 'ASC' };

function assertLeatherBag(p, what) {
  assertOk(p, what);
  assert.equal(p.id, 15, what);
  assert.equal(p.price, 400, what);
  assert.equal(p.localizeInfos.title, 'Leather bag', `${what}: localizeInfos ${JSON.stringify(p.localizeInfos)}`);
  assert.equal(p.statusIdentifier, 'in_stock');
  assert.equal(p.statusLocalizeInfos.title, 'In stock');
  assert.equal(p.attributeSetIdentifier, 'product');
  assert.equal(p.sku, 'BAG-15');
  assert.equal(p.isVisible, true);
  assert.equal(p.isSync, false);
  assert.deepEqual(p.categories, ['catalog', 'bags']);
  assert.deepEqual(p.relatedIds, [16, 17]);
  assert.equal(p.attributeValues.price.value, 400);
  assert.equal(p.attributeValues.price.isPrice, true);
  assert.equal(p.attributeValues.price.localizeInfos.title, 'Price');
  assert.deepEqual(p.attributeValues.price.additionalFields, {}, 'the SDK keys additionalFields by marker');
  assert.equal(p.attributeValues.currency.value, 'USD');
  assert.equal(p.attributeValues.color.value, 'brown');
  assert.deepEqual(Object.keys(p.attributeValues), ['price', 'currency', 'color', 'description'], 'sorted by position');
  assert.deepEqual(p.productPages.map((pp) => [pp.pageId, pp.categoryPath]), [[1, 'catalog'], [2, 'bags']]);
}

test('getProductById returns the exact price and localized values', async () => {
  const { Products } = makeClient();
  const p = await Products.getProductById(15);
  assertLeatherBag(p, 'getProductById(15)');
  assert.deepEqual(p.additional, { prices: { min: 400, max: 400 } });

  const wallet = await Products.getProductById(16, 'en_US', true);
  assertOk(wallet, 'getProductById(16)');
  assert.equal(wallet.price, 59.9);
  assert.equal(wallet.attributeValues.price.value, 59.9);

  const gift = await Products.getProductById(19);
  assertOk(gift, 'getProductById(19)');
  assert.equal(gift.price, null);
  assert.equal(gift.attributeValues.price, undefined, 'no price attribute without a price');
  assert.equal(gift.localizeInfos.title, 'Gift wrapping (free on request)');

  const scarf = await Products.getProductById(18);
  assert.equal(scarf.statusIdentifier, 'out_of_stock');
  assert.equal(scarf.statusLocalizeInfos.title, 'Out of stock');

  assertError(await Products.getProductById(99), 404, 'getProductById(99)');
});

test('getProducts lists every visible product, filters exactly, sorts and pages', async () => {
  const { Products } = makeClient();
  const all = await Products.getProducts();
  assertOk(all, 'getProducts()');
  assert.equal(all.total, 6);
  assert.deepEqual(ids(all.items), [20, 19, 18, 17, 16, 15], 'default order: position DESC');
  assertLeatherBag(all.items.find((p) => p.id === 15), 'getProducts() item 15');
  assert.deepEqual(all.items[0].additional, { prices: { min: 35, max: 400 } });

  const expensive = await Products.getProducts(
    [{ attributeMarker: 'price', conditionMarker: 'mth', conditionValue: 100 }],
    'en_US',
    ASC_BY_ID,
  );
  assertOk(expensive, 'getProducts(price mth 100)');
  assert.deepEqual(ids(expensive.items), [15, 18, 20]);
  assert.equal(expensive.total, 3);

  const exact = await Products.getProducts(
    [{ attributeMarker: 'price', conditionMarker: 'mth', conditionValue: '59.9' }],
    'en_US',
    ASC_BY_ID,
  );
  assert.deepEqual(ids(exact.items), [15, 18, 20], '59.90 is not more than 59.9');

  const brown = await Products.getProducts(
    [{ attributeMarker: 'color', conditionMarker: 'eq', conditionValue: 'brown', statusMarker: 'in_stock', pageUrls: ['catalog'] }],
    'en_US',
    ASC_BY_ID,
  );
  assert.deepEqual(ids(brown.items), [15, 17, 20]);

  const byPrice = await Products.getProducts([], 'en_US', { sortKey: 'price', sortOrder: 'ASC' });
  assert.deepEqual(ids(byPrice.items), [17, 16, 18, 20, 15, 19]);

  const page = await Products.getProducts([], 'en_US', { ...ASC_BY_ID, offset: 1, limit: 2 });
  assertOk(page, 'getProducts(offset 1, limit 2)');
  assert.deepEqual(ids(page.items), [16, 17]);
  assert.equal(page.total, 6);

  const outOfStock = await Products.getProducts([], 'en_US', { statusMarker: 'out_of_stock' });
  assert.deepEqual(ids(outOfStock.items), [18]);

  assertError(await Products.getProducts([], 'en_US', { sortKey: 'colour' }), 400, 'bad sortKey');
  assertError(
    await Products.getProducts([{ attributeMarker: 'price', conditionMarker: 'mth', conditionValue: 'cheap' }]),
    400,
    'non-numeric mth',
  );
});

test('pages: by id, by URL, prices, products on no page', async () => {
  const { Products } = makeClient();
  const bags = await Products.getProductsByPageId(2);
  assertOk(bags, 'getProductsByPageId(2)');
  assert.deepEqual(ids(bags.items), [15]);
  assert.equal(bags.items[0].localizeInfos.title, 'Leather bag');

  const catalog = await Products.getProductsByPageUrl('catalog', [], 'en_US', { ...ASC_BY_ID, limit: 2 });
  assertOk(catalog, 'getProductsByPageUrl(catalog)');
  assert.deepEqual(ids(catalog.items), [15, 16]);
  assert.equal(catalog.total, 5);

  const cheap = await Products.getProductsByPageId(1, [{ attributeMarker: 'price', conditionMarker: 'lth', conditionValue: 100 }], 'en_US', ASC_BY_ID);
  assert.deepEqual(ids(cheap.items), [16, 17]);

  assertError(await Products.getProductsByPageUrl('nope'), 404, 'unknown page URL');
  assertError(await Products.getProductsByPageId(99), 404, 'unknown page id');

  const prices = await Products.getProductsPriceByPageUrl('catalog', 'en_US', ASC_BY_ID);
  assertOk(prices, 'getProductsPriceByPageUrl');
  assert.deepEqual(prices, {
    items: [
      { id: 15, price: 400 },
      { id: 16, price: 59.9 },
      { id: 17, price: 35 },
      { id: 18, price: 120.5 },
      { id: 20, price: 369 },
    ],
    total: 5,
  });

  const empty = await Products.getProductsEmptyPage();
  assertOk(empty, 'getProductsEmptyPage');
  assert.equal(empty.length, 1, JSON.stringify(empty));
  assert.deepEqual(empty[0].productIds, ['19']);
  assert.equal(empty[0].total, 1);
  assert.deepEqual(ids(empty[0].items), [19]);
  assert.equal(empty[0].items[0].localizeInfos.title, 'Gift wrapping (free on request)');
});

test('related products, products by ids, blocks, quick search', async () => {
  const { Products } = makeClient();
  const related = await Products.getRelatedProductsById(15, 'en_US', ASC_BY_ID);
  assertOk(related, 'getRelatedProductsById(15)');
  assert.deepEqual(ids(related.items), [16, 17]);
  assert.equal(related.total, 2);
  assertError(await Products.getRelatedProductsById(99), 404, 'related of an unknown product');

  const some = await Products.getProductsByIds('16,15');
  assertOk(some, 'getProductsByIds');
  assert.deepEqual(ids(some), [16, 15]);
  assert.equal(some[1].price, 400);
  assert.equal(some[1].localizeInfos.title, 'Leather bag');
  assertError(await Products.getProductsByIds('15,x'), 400, 'getProductsByIds(15,x)');

  const blocks = await Products.getProductBlockById(15);
  assert.deepEqual(blocks, []);

  const found = await Products.searchProduct('leather');
  assertOk(found, 'searchProduct(leather)');
  assert.deepEqual(ids(found).sort(), [15, 20]);
  for (const p of found) assert.match(p.localizeInfos.title, /^Leather bag/);
  assert.deepEqual(await Products.searchProduct('no such thing'), []);
});

test('product counts', async () => {
  const { Products } = makeClient();
  assert.deepEqual(await Products.getProductsCount(), { totalAll: 6, totalInCategory: 6, totalInCategoryWithNested: 6 });
  const cheap = [{ attributeMarker: 'price', conditionMarker: 'lth', conditionValue: 100 }];
  assert.deepEqual(await Products.getProductsCount(cheap), { totalAll: 2, totalInCategory: 2, totalInCategoryWithNested: 2 });
  assert.deepEqual(await Products.getProductsCountByPageId('2'), { totalAll: 6, totalInCategory: 1, totalInCategoryWithNested: 1 });
  assert.deepEqual(await Products.getProductsCountByPageUrl('catalog', cheap), { totalAll: 2, totalInCategory: 2, totalInCategoryWithNested: 2 });
  assertError(await Products.getProductsCountByPageUrl('nope'), 404, 'counts of an unknown page');
});

test('ProductStatuses', async () => {
  const { ProductStatuses } = makeClient();
  const list = await ProductStatuses.getProductStatuses();
  assertOk(list, 'getProductStatuses');
  assert.deepEqual(list, [
    { id: 1, identifier: 'in_stock', localizeInfos: { title: 'In stock' }, isDefault: true, version: 0, position: 1 },
    { id: 2, identifier: 'out_of_stock', localizeInfos: { title: 'Out of stock' }, isDefault: false, version: 0, position: 2 },
  ]);
  const one = await ProductStatuses.getProductsByStatusMarker('out_of_stock');
  assertOk(one, 'getProductsByStatusMarker');
  assert.equal(one.identifier, 'out_of_stock');
  assert.equal(one.localizeInfos.title, 'Out of stock');
  assertError(await ProductStatuses.getProductsByStatusMarker('nope'), 404, 'unknown status');
  assert.equal(await ProductStatuses.validateMarker('in_stock'), true);
  assert.equal(await ProductStatuses.validateMarker('nope'), false);
});

test('AttributesSets', async () => {
  const { AttributesSets } = makeClient();
  const sets = await AttributesSets.getAttributes();
  assertOk(sets, 'getAttributes');
  assert.equal(sets.total, 1);
  const set = sets.items[0];
  assert.equal(set.identifier, 'product');
  assert.equal(set.title, 'Product');
  assert.deepEqual(set.type, { id: 1, type: 'product' });
  assert.equal(set.typeId, 1);
  assert.equal(set.isVisible, true);
  assert.equal(typeof set.createdDate, 'string');
  assert.equal(set.schema.price.localizeInfos.title, 'Price', 'schema is passed through and normalized');
  assert.equal(set.schema.currency.isCurrency, true);

  const none = await AttributesSets.getAttributes('en_US', 0, 30, 99);
  assert.deepEqual(none, { total: 0, items: [] });

  const byMarker = await AttributesSets.getAttributeSetByMarker('product');
  assertOk(byMarker, 'getAttributeSetByMarker');
  assert.equal(byMarker.identifier, 'product');
  assert.equal(byMarker.id, set.id);

  const attrs = await AttributesSets.getAttributesByMarker('product');
  assertOk(attrs, 'getAttributesByMarker');
  assert.deepEqual(attrs.map((a) => [a.marker, a.type, a.position]), [
    ['price', 'float', 1],
    ['currency', 'list', 2],
    ['color', 'string', 3],
    ['description', 'text', 4],
  ]);
  assert.equal(attrs[2].localizeInfos.title, 'Color');

  const price = await AttributesSets.getSingleAttributeByMarkerSet('product', 'price');
  assertOk(price, 'getSingleAttributeByMarkerSet');
  assert.equal(price.marker, 'price');
  assert.equal(price.localizeInfos.title, 'Price');
  assert.ok('initialValue' in price);

  assertError(await AttributesSets.getAttributeSetByMarker('nope'), 404, 'unknown set');
  assertError(await AttributesSets.getAttributesByMarker('nope'), 404, 'attributes of an unknown set');
  assertError(await AttributesSets.getSingleAttributeByMarkerSet('product', 'nope'), 404, 'unknown attribute');
});

test('Forms', async () => {
  const { Forms } = makeClient();
  const all = await Forms.getAllForms();
  assertOk(all, 'getAllForms');
  assert.equal(all.total, 2);
  assert.deepEqual(all.items.map((f) => f.identifier), ['reg', 'order']);
  const paged = await Forms.getAllForms('en_US', 1, 1);
  assert.equal(paged.total, 2);
  assert.deepEqual(paged.items.map((f) => f.identifier), ['order']);

  const order = await Forms.getFormByMarker('order');
  assertOk(order, 'getFormByMarker(order)');
  assert.equal(order.identifier, 'order');
  assert.equal(order.type, 'order');
  assert.equal(order.localizeInfos.title, 'Checkout');
  assert.equal(order.attributeSetId, null);
  assert.equal(order.templateId, null);
  assert.equal(typeof order.id, 'number');
  assert.equal(typeof order.version, 'number');
  const name = order.attributes.find((a) => a.marker === 'name');
  assert.ok(name, JSON.stringify(order.attributes));
  assert.equal(name.type, 'string');
  assert.equal(name.localizeInfos.title, 'Name');
  assert.equal(name.validators.requiredValidator.strict, true);
  assert.equal(name.isVisible, true);
  assert.equal(name.isLogin, false);
  assert.equal(name.isSignUp, false);
  const phone = order.attributes.find((a) => a.marker === 'phone');
  assert.equal(phone.validators.requiredValidator.strict, false);

  const reg = await Forms.getFormByMarker('reg');
  assertOk(reg, 'getFormByMarker(reg)');
  assert.equal(reg.type, 'sign_up');
  const email = reg.attributes.find((a) => a.marker === 'email_reg');
  assert.equal(email.isLogin, true);
  assert.equal(email.isSignUp, true);
  assert.equal(email.isSignUpRequired, true);
  assert.equal(email.isNotificationEmail, true);
  assert.equal(email.validators.emailInspectionValidator, true);
  const password = reg.attributes.find((a) => a.marker === 'password_reg');
  assert.equal(password.isPassword, true);
  assert.equal(password.isLogin, false);
  for (const a of reg.attributes) {
    for (const flag of ['isLogin', 'isSignUp', 'isPassword', 'isSignUpRequired', 'isNotificationEmail', 'isNotificationPhonePush', 'isNotificationPhoneSMS']) {
      assert.equal(typeof a[flag], 'boolean', `${a.marker}.${flag}`);
    }
  }

  assertError(await Forms.getFormByMarker('nope'), 404, 'unknown form');
});
