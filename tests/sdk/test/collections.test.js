// The IntegrationCollections module through the SDK (strict validation): the project's
// collections and their ids, marker validation, rows written by whoever the collection lets
// write, read by whoever it lets read, localized per langCode, paged and filtered, and every
// write owned (another user's row answers like a missing one). Project: tests/sdk/collections.toml.

import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';

import {
  SDK_DIR, startServer, makeClient, uniqueEmail, signUpUser, signIn, assertOk, assertError,
} from './harness.js';

let server;
before(async () => {
  server = await startServer({ project: path.join(SDK_DIR, 'collections.toml') });
});
after(async () => {
  await server?.stop();
});

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** A signed-in client of a new user. */
async function user(tag) {
  const email = uniqueEmail(tag);
  await signUpUser(email);
  return (await signIn(email)).client;
}

/** A client holding the admin token as its Bearer. */
function operator() {
  const client = makeClient();
  client.IntegrationCollections.setAccessToken(server.adminToken);
  return client;
}

/** A NEW store body in `lang` (the SDK sends it as given). */
function store(name, lang = 'en_US', extra = {}) {
  return {
    formIdentifier: 'store_form',
    formData: {
      [lang]: [
        { marker: 'name', type: 'string', value: name },
        { marker: 'floor', type: 'integer', value: '2' },
        { marker: 'open', type: 'boolean', value: 'true' },
      ],
    },
    ...extra,
  };
}

function wish(note) {
  return { formIdentifier: 'wish_form', formData: { en_US: [{ marker: 'note', type: 'string', value: note }] } };
}

/** A row with its dates checked and blanked, for deepEqual. */
function plain(row) {
  assert.match(row.createdDate, ISO);
  assert.match(row.updatedDate, ISO);
  assert.equal(typeof row.id, 'number');
  return { ...row, id: 0, createdDate: '', updatedDate: '' };
}

test('collections are listed and found with their form, titles per language, and markers validated', async () => {
  const client = makeClient();
  const all = await client.IntegrationCollections.getICollections('en_US');
  assertOk(all, 'getICollections');
  assert.deepEqual(all.map((c) => c.identifier), ['stores', 'wishlist', 'guestbook', 'suggestions']);
  const stores = all[0];
  assert.equal(typeof stores.id, 'number');
  assert.equal(typeof stores.formId, 'number');
  assert.deepEqual({ ...stores, id: 0, formId: 0 }, {
    id: 0, formId: 0, identifier: 'stores', localizeInfos: { title: 'Stores' },
    attributeSetId: null, selectedAttributeMarkers: 'name,city,floor,open',
  });
  // The same form serves two collections.
  assert.equal(all[2].formId, all[3].formId);

  const fr = await client.IntegrationCollections.getICollectionById(stores.id, 'fr_FR');
  assertOk(fr, 'getICollectionById');
  assert.deepEqual(fr, { ...stores, localizeInfos: { title: 'Magasins' } });
  const page = await client.IntegrationCollections.getICollections('en_US', { offset: 1, limit: 2 });
  assert.deepEqual(page.map((c) => c.identifier), ['wishlist', 'guestbook']);
  assertError(await client.IntegrationCollections.getICollectionById(9999, 'en_US'), 404, 'unknown id');

  assert.deepEqual(await client.IntegrationCollections.validateICollectionMarker('stores'), { valid: true });
  assert.deepEqual(await client.IntegrationCollections.validateICollectionMarker('nope'), { valid: false });
});

test('operators write a collection everyone reads, in each language, paged and filtered', async () => {
  const op = operator();
  const visitor = makeClient();
  assertError(await visitor.IntegrationCollections.createICollectionRow('stores', store('Nope'), 'en_US'), 403, 'visitor writes');

  const created = await op.IntegrationCollections.createICollectionRow('stores', store('Main', 'en_US', { entityType: 'cities', entityId: 7 }), 'en_US');
  assertOk(created, 'createICollectionRow');
  const { id: storesId } = (await visitor.IntegrationCollections.getICollections('en_US'))[0];
  assert.deepEqual(plain(created), {
    id: 0, createdDate: '', updatedDate: '', collectionId: storesId,
    formData: [
      { marker: 'name', type: 'string', value: 'Main' },
      { marker: 'floor', type: 'integer', value: 2 },
      { marker: 'open', type: 'boolean', value: true },
    ],
    entityType: 'cities', entityId: 7, attributeSetIdentifier: null,
  });
  const second = await op.IntegrationCollections.createICollectionRow('stores', store('Annex'), 'en_US');
  assertOk(second, 'second row');

  const byMarker = await visitor.IntegrationCollections.getICollectionRowsByMarker('stores', 'en_US');
  assertOk(byMarker, 'getICollectionRowsByMarker');
  assert.equal(byMarker.total, 2);
  assert.deepEqual(byMarker.items, [created, second]);
  const one = await visitor.IntegrationCollections.getICollectionRowByMarkerAndId('stores', created.id, 'en_US');
  assert.deepEqual(one, created);

  const paged = await visitor.IntegrationCollections.getICollectionRowsById(storesId, 'en_US', { offset: 1, limit: 1 });
  assertOk(paged, 'getICollectionRowsById');
  assert.deepEqual(paged, { items: [second], total: 2 });
  const filtered = await visitor.IntegrationCollections.getICollectionRowsById(storesId, 'en_US', { entityType: 'cities', entityId: 7 });
  assert.deepEqual(filtered, { items: [created], total: 1 });

  // A French version; English readers keep the English one.
  const french = await op.IntegrationCollections.updateICollectionRow('stores', created.id, store('Principal', 'fr_FR'), 'fr_FR');
  assertOk(french, 'updateICollectionRow');
  assert.deepEqual(french.formData.map((i) => i.value), ['Principal', 2, true]);
  assert.equal(french.id, created.id);
  const en = await visitor.IntegrationCollections.getICollectionRowByMarkerAndId('stores', created.id, 'en_US');
  assert.deepEqual(en.formData.map((i) => i.value), ['Main', 2, true]);
  const fr = await visitor.IntegrationCollections.getICollectionRowsByMarker('stores', 'fr_FR');
  assert.deepEqual(fr.items.map((r) => r.formData[0].value), ['Principal', 'Annex']);

  assertError(await visitor.IntegrationCollections.getICollectionRowsByMarker('nope', 'en_US'), 404, 'unknown marker');
  assertError(await op.IntegrationCollections.createICollectionRow('stores', { formData: { en_US: [{ marker: 'floor', type: 'integer', value: 'x' }] } }, 'en_US'), 400, 'bad value');
});

test('a wishlist is each user\'s own, and another user\'s row answers like a missing one', async () => {
  const [alice, bob] = [await user('alice'), await user('bob')];
  const mine = await alice.IntegrationCollections.createICollectionRow('wishlist', wish('blue bag'), 'en_US');
  assertOk(mine, 'createICollectionRow');
  assert.deepEqual(mine.formData, [{ marker: 'note', type: 'string', value: 'blue bag' }]);
  assert.deepEqual(await bob.IntegrationCollections.getICollectionRowsByMarker('wishlist', 'en_US'), { items: [], total: 0 });
  assert.deepEqual(await alice.IntegrationCollections.getICollectionRowsByMarker('wishlist', 'en_US'), { items: [mine], total: 1 });

  const missing = mine.id + 1000;
  for (const id of [mine.id, missing]) {
    assertError(await bob.IntegrationCollections.getICollectionRowByMarkerAndId('wishlist', id, 'en_US'), 404, `get ${id}`);
    assertError(await bob.IntegrationCollections.updateICollectionRow('wishlist', id, wish('mine'), 'en_US'), 404, `update ${id}`);
    assertError(await bob.IntegrationCollections.deleteICollectionRowByMarkerAndId('wishlist', id), 404, `delete ${id}`);
  }
  assertError(await makeClient().IntegrationCollections.createICollectionRow('wishlist', wish('x'), 'en_US'), 401, 'anonymous');

  const changed = await alice.IntegrationCollections.updateICollectionRow('wishlist', mine.id, wish('red bag'), 'en_US');
  assertOk(changed, 'updateICollectionRow');
  assert.deepEqual(changed.formData, [{ marker: 'note', type: 'string', value: 'red bag' }]);
  assert.equal(await alice.IntegrationCollections.deleteICollectionRowByMarkerAndId('wishlist', mine.id), true);
  assertError(await alice.IntegrationCollections.getICollectionRowByMarkerAndId('wishlist', mine.id, 'en_US'), 404, 'deleted');
});
