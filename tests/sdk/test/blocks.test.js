// Blocks through the SDK (strict validation on): every Blocks method and
// Pages.getBlocksByPageUrl, against tests/sdk/blocks.toml (two locales, a hidden block, a
// product block, a similar products block, a frequently ordered block, pages with blocks).
// Frequently ordered products come from real orders placed through the SDK.

import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';

import {
  startServer,
  makeClient,
  assertOk,
  assertError,
  uniqueEmail,
  signUpUser,
  signIn,
  SDK_DIR,
} from './harness.js';

let server;
before(async () => {
  server = await startServer({ project: path.join(SDK_DIR, 'blocks.toml') });
});
after(async () => {
  await server?.stop();
});

const ids = (list) => list.map((p) => p.id);
const markers = (list) => list.map((b) => b.identifier);

/** The raw answer of a Content API GET/POST: `{status, body}`. */
async function raw(p, method = 'GET') {
  const res = await fetch(`${server.url}/api/content${p}`, {
    method,
    headers: { 'x-app-token': server.appToken },
  });
  return { status: res.status, body: await res.json() };
}

function assertBlockBasics(b, identifier, type, what) {
  assertOk(b, what);
  assert.equal(b.identifier, identifier, what);
  assert.equal(b.type, type, what);
  assert.equal(typeof b.id, 'number', what);
  assert.equal(b.version, 1, what);
  assert.equal(typeof b.position, 'number', what);
  assert.equal(b.templateIdentifier, null, what);
  assert.equal(b.isVisible, true, what);
}

test('getBlockByMarker: the UI dictionary in both locales, with the fallbacks', async () => {
  const { Blocks } = makeClient();
  const en = await Blocks.getBlockByMarker('system_content', 'en_US');
  assertBlockBasics(en, 'system_content', 'common_block', 'system_content en_US');
  assert.deepEqual(en.localizeInfos, { title: 'System content' });
  assert.deepEqual(Object.keys(en.attributeValues), ['add_to_cart', 'search_placeholder']);
  assert.equal(en.attributeValues.add_to_cart.type, 'string');
  assert.equal(en.attributeValues.add_to_cart.value, 'Add to cart');
  assert.equal(en.attributeValues.search_placeholder.value, 'Search');
  for (const key of ['products', 'similarProducts', 'countElementsPerRow', 'quantity']) {
    assert.ok(!(key in en), `a common block has no ${key}`);
  }

  // The langCode of the call decides, whatever language the client was made with.
  const ar = await Blocks.getBlockByMarker('system_content', 'ar_AE');
  assertBlockBasics(ar, 'system_content', 'common_block', 'system_content ar_AE');
  assert.equal(ar.id, en.id);
  assert.deepEqual(ar.localizeInfos, { title: 'محتوى النظام' });
  assert.equal(ar.attributeValues.add_to_cart.value, 'أضف إلى السلة');
  assert.equal(ar.attributeValues.search_placeholder.value, 'Search', 'no Arabic value: the common one');

  const contact = await Blocks.getBlockByMarker('contact_info', 'ar_AE');
  assertBlockBasics(contact, 'contact_info', 'common_block', 'contact_info ar_AE');
  assert.deepEqual(contact.localizeInfos, { title: 'Contact us' }, 'no Arabic title: the default locale');
  assert.equal(contact.attributeValues.block_title.value, 'Call us');
  assert.equal(contact.attributeValues.link.value, 'contacts');

  const untitled = await Blocks.getBlockByMarker('untitled');
  assertBlockBasics(untitled, 'untitled', 'common_block', 'untitled');
  assert.deepEqual(untitled.localizeInfos, { title: 'untitled' }, 'no title at all: the marker');
  assert.deepEqual(untitled.attributeValues, {});
});

test('getBlockByMarker: hidden and unknown blocks are 404, an unknown langCode 400', async () => {
  const { Blocks } = makeClient();
  assertError(await Blocks.getBlockByMarker('hidden_banner'), 404, 'hidden block');
  assertError(await Blocks.getBlockByMarker('nope'), 404, 'unknown block');
  assertError(await Blocks.getBlockByMarker('system_content', 'xx_XX'), 400, 'unknown langCode');
  const hidden = await raw('/blocks/marker/hidden_banner?langCode=en_US');
  const missing = await raw('/blocks/marker/nope?langCode=en_US');
  assert.equal(hidden.status, 404);
  assert.equal(hidden.body.message, 'Block "hidden_banner" not found');
  assert.equal(missing.body.message, 'Block "nope" not found', 'hidden answers like missing');
});

test('a product block: its listed products in order, capped by quantity, rendered as Products renders them', async () => {
  const { Blocks, Products } = makeClient();
  const block = await Blocks.getBlockByMarker('bundle', 'en_US');
  assertBlockBasics(block, 'bundle', 'product_block', 'bundle');
  assert.deepEqual(block.localizeInfos, { title: 'Buy together' });
  assert.equal(block.attributeValues.block_title.value, 'Often bought as a set');
  assert.equal(block.countElementsPerRow, 3);
  assert.equal(block.quantity, 3);
  // 21 is hidden, 22 is past the quantity.
  assert.deepEqual(ids(block.products), [17, 15, 16]);
  assert.deepEqual(block.products, await Products.getProductsByIds('17,15,16'));
  const bag = block.products[1];
  assert.equal(bag.localizeInfos.title, 'Leather bag');
  assert.equal(bag.price, 400);
  assert.equal(bag.sku, 'BAG-15');
  assert.deepEqual(bag.additional, { prices: { min: 35, max: 400 } }, 'the range of the whole list');

  assert.deepEqual(ids(await Blocks.getProductsByBlockMarker('bundle')), [17, 15, 16]);
  const page = await Blocks.getProductsByBlockMarker('bundle', 'en_US', 1, 1);
  assert.deepEqual(ids(page), [15]);
  assert.deepEqual(page[0].additional, { prices: { min: 35, max: 400 } });
  assert.deepEqual(await Blocks.getProductsByBlockMarker('bundle', 'en_US', 3, 30), []);

  const { Blocks: arBlocks } = makeClient({ langCode: 'ar_AE' });
  const ar = await arBlocks.getProductsByBlockMarker('bundle', 'ar_AE');
  assert.deepEqual(ar.map((p) => p.localizeInfos.title), ['حزام', 'حقيبة جلدية', 'محفظة']);

  const wire = await raw('/blocks/bundle/products?langCode=en_US&offset=0&limit=2');
  assert.equal(wire.status, 200);
  assert.equal(wire.body.total, 3);
  assert.deepEqual(ids(wire.body.items), [17, 15]);
  assert.deepEqual((await raw('/blocks/bundle/products?limit=0')).body, { items: [], total: 3 });
  assert.equal((await raw('/blocks/bundle/products?offset=-1')).status, 400);
  assert.equal((await raw('/blocks/hidden_banner/products')).status, 404);
  assert.equal((await raw('/blocks/nope/products')).status, 404);
  // A block without products has an empty list.
  assert.deepEqual((await raw('/blocks/contact_info/products')).body, { items: [], total: 0 });
});

test('the raw block carries customSettings.productConfig and the platform keys', async () => {
  const { status, body } = await raw('/blocks/marker/bundle?langCode=en_US');
  assert.equal(status, 200);
  assert.deepEqual(body.customSettings, { productConfig: { countElementsPerRow: 3, quantity: 3 } });
  assert.equal(body.attributeSetIdentifier, 'block_texts');
  assert.equal(body.isSync, false);
  const similar = await raw('/blocks/marker/similar?langCode=en_US');
  assert.deepEqual(similar.body.customSettings, { productConfig: { countElementsPerRow: 4 } });
  const common = await raw('/blocks/marker/system_content');
  assert.ok(!('customSettings' in common.body));
  assert.equal(common.body.attributeSetIdentifier, 'system');
});

test('getSimilarProducts: products sharing category pages with the block\'s products', async () => {
  const { Blocks } = makeClient();
  const similar = await Blocks.getSimilarProducts('similar');
  assertOk(similar, 'getSimilarProducts');
  // 16 shares catalog and bags with 15; 17 (catalog) and 18 (bags) one page each; 20 and 22
  // share none; 21 is hidden; 15 is the block's own.
  assert.equal(similar.total, 3);
  assert.deepEqual(ids(similar.items), [16, 17, 18]);
  assert.equal(similar.items[0].localizeInfos.title, 'Wallet');
  const paged = await Blocks.getSimilarProducts('similar', 'en_US', 1, 1);
  assert.equal(paged.total, 3);
  assert.deepEqual(ids(paged.items), [17]);

  const block = await Blocks.getBlockByMarker('similar');
  assertBlockBasics(block, 'similar', 'similar_products_block', 'similar');
  assert.equal(block.countElementsPerRow, 4);
  assert.ok(!('quantity' in block));
  assert.equal(block.similarProducts.total, 3);
  assert.deepEqual(ids(block.similarProducts.items), [16, 17, 18]);
  assert.ok(!('products' in block));

  assertError(await Blocks.getSimilarProducts('hidden_banner'), 404, 'hidden block');
  assertError(await Blocks.getSimilarProducts('nope'), 404, 'unknown block');
  assert.deepEqual(await Blocks.getSimilarProducts('contact_info'), { items: [], total: 0 });
});

test('getBlocks: visible blocks by type, in order, paged, with their products', async () => {
  const { Blocks } = makeClient();
  const all = await Blocks.getBlocks('', 'en_US');
  assertOk(all, 'getBlocks()');
  assert.equal(all.total, 6);
  assert.deepEqual(markers(all.items), ['system_content', 'contact_info', 'bundle', 'similar', 'often_together', 'untitled']);
  const byMarker = Object.fromEntries(all.items.map((b) => [b.identifier, b]));
  assert.deepEqual(ids(byMarker.bundle.products), [17, 15, 16]);
  assert.equal(byMarker.bundle.countElementsPerRow, 3);
  assert.deepEqual(ids(byMarker.similar.similarProducts.items), [16, 17, 18]);
  assert.equal(byMarker.system_content.attributeValues.add_to_cart.value, 'Add to cart');
  const positions = all.items.map((b) => b.position);
  assert.deepEqual(positions, [...positions].sort((a, b) => a - b), 'in list order');

  const ar = await Blocks.getBlocks('product_block', 'ar_AE');
  assert.equal(ar.total, 1);
  assert.deepEqual(markers(ar.items), ['bundle']);
  assert.deepEqual(ar.items[0].localizeInfos, { title: 'اشترِ معًا' });

  const common = await Blocks.getBlocks('common_block', 'en_US', 1, 1);
  assert.equal(common.total, 3);
  assert.deepEqual(markers(common.items), ['contact_info']);
  assert.deepEqual(await Blocks.getBlocks('form'), { items: [], total: 0 });
  assert.deepEqual(markers((await Blocks.getBlocks('frequently_ordered_block')).items), ['often_together']);

  const bad = await raw('/blocks?langCode=en_US&type=banner&offset=0&limit=30', 'POST');
  assert.equal(bad.status, 400);
  assert.match(bad.body.message, /Unknown block type "banner"/);
  assert.equal((await raw('/blocks?langCode=xx_XX&type=', 'POST')).status, 400);
  assert.equal((await raw('/blocks?limit=-1', 'POST')).status, 400);
  assert.deepEqual((await raw('/blocks?limit=0', 'POST')).body, { items: [], total: 6 });
});

test('searchBlock: visible blocks by title or marker in the requested language', async () => {
  const { Blocks } = makeClient();
  const bundle = (await Blocks.getBlockByMarker('bundle')).id;
  assert.deepEqual(await Blocks.searchBlock('together'), [
    { id: bundle, identifier: 'bundle', name: 'Buy together' },
    { id: (await Blocks.getBlockByMarker('often_together')).id, identifier: 'often_together', name: 'Frequently ordered together' },
  ]);
  assert.deepEqual(await Blocks.searchBlock('معًا', 'ar_AE'), [{ id: bundle, identifier: 'bundle', name: 'اشترِ معًا' }]);
  assert.deepEqual(markers(await Blocks.searchBlock('SYSTEM')), ['system_content']);
  assert.deepEqual(await Blocks.searchBlock('hidden'), [], 'hidden blocks are never found');
  assert.deepEqual(await Blocks.searchBlock(''), []);
});

/** A customer's client; places one order per product list. */
async function order(client, productIds) {
  const res = await client.Orders.createOrder('orders', {
    formIdentifier: 'order',
    paymentAccountIdentifier: 'cash',
    formData: [{ type: 'string', marker: 'name', value: 'Christina Thomas' }],
    products: productIds.map((productId) => ({ productId, quantity: 1 })),
  });
  assertOk(res, `createOrder(${productIds})`);
}

test('getFrequentlyOrderedProducts: ranked by shared orders, then id, from real orders', async () => {
  const { Blocks } = makeClient();
  assert.deepEqual(await Blocks.getFrequentlyOrderedProducts(15, 'often_together'), { items: [], total: 0 }, 'no orders yet');

  const email = uniqueEmail('often');
  await signUpUser(email);
  const { client } = await signIn(email);
  for (const cart of [[15, 16, 17], [15, 16], [15, 18], [16, 17]]) await order(client, cart);

  const with15 = await Blocks.getFrequentlyOrderedProducts(15, 'often_together');
  assertOk(with15, 'frequently ordered with 15');
  assert.equal(with15.total, 3);
  assert.deepEqual(ids(with15.items), [16, 17, 18], '16 in two orders, 17 and 18 in one each');
  assert.equal(with15.items[0].localizeInfos.title, 'Wallet');
  assert.equal(with15.items[0].price, 59.9);
  const with17 = await Blocks.getFrequentlyOrderedProducts(17, 'often_together', 'ar_AE');
  assert.deepEqual(ids(with17.items), [16, 15]);
  assert.deepEqual(await Blocks.getFrequentlyOrderedProducts(20, 'often_together'), { items: [], total: 0 });

  assertError(await Blocks.getFrequentlyOrderedProducts(99, 'often_together'), 404, 'unknown product');
  assertError(await Blocks.getFrequentlyOrderedProducts(21, 'often_together'), 404, 'hidden product');
  assertError(await Blocks.getFrequentlyOrderedProducts(15, 'hidden_banner'), 404, 'hidden block');
  assertError(await Blocks.getFrequentlyOrderedProducts(15, 'nope'), 404, 'unknown block');
  assertError(await Blocks.getFrequentlyOrderedProducts(15, 'often_together', 'xx_XX'), 400, 'unknown langCode');
  assert.equal((await raw('/blocks/often_together/products/x/frequently-ordered')).status, 400);
});

test('Pages.getBlocksByPageUrl: the visible blocks of a page, in its order, with productConfig', async () => {
  const { Pages } = makeClient();
  const blocks = await Pages.getBlocksByPageUrl('home', 'ar_AE');
  assert.ok(Array.isArray(blocks), JSON.stringify(blocks));
  assert.deepEqual(markers(blocks), ['bundle', 'contact_info', 'system_content'], 'the hidden banner is left out');
  const [bundle, contact, system] = blocks;
  assert.deepEqual(bundle.localizeInfos, { title: 'اشترِ معًا' });
  assert.equal(bundle.type, 'product_block');
  assert.equal(bundle.countElementsPerRow, 3);
  assert.equal(bundle.quantity, 3);
  assert.ok(!('customSettings' in bundle), 'the SDK lifts productConfig out of customSettings');
  assert.equal(bundle.attributeSetIdentifier, 'block_texts');
  assert.equal(bundle.isSync, false);
  assert.equal(bundle.isVisible, true);
  assert.equal(bundle.templateIdentifier, null);
  assert.equal(bundle.version, 1);
  assert.deepEqual(contact.localizeInfos, { title: 'Contact us' });
  assert.ok(!('countElementsPerRow' in contact));
  assert.equal(system.attributeValues.add_to_cart.value, 'أضف إلى السلة');

  const en = await Pages.getBlocksByPageUrl('home');
  assert.deepEqual(en.map((b) => b.localizeInfos.title), ['Buy together', 'Contact us', 'System content']);
  assert.deepEqual(await Pages.getBlocksByPageUrl('catalog'), [], 'a page without blocks');

  // The SDK maps over the answer, so an error body throws in the SDK itself.
  await assert.rejects(Pages.getBlocksByPageUrl('drafts'), TypeError);
  for (const url of ['drafts', 'nope']) {
    const r = await raw(`/pages/${url}/blocks?langCode=en_US`);
    assert.equal(r.status, 404, url);
    assert.equal(r.body.message, `Page "${url}" not found`);
  }
  assert.equal((await raw('/pages/home/blocks?langCode=xx_XX')).status, 400);
});
