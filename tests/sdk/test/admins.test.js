// The Admins module through the SDK (strict validation): public profiles from the project
// definition, in the requested language, filtered on public attributes only, paged.
// Project: tests/sdk/admins.toml.

import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';

import { SDK_DIR, startServer, makeClient, assertOk, assertError } from './harness.js';

let server;
before(async () => {
  server = await startServer({ project: path.join(SDK_DIR, 'admins.toml') });
});
after(async () => {
  await server?.stop();
});

const ids = (list) => list.map((a) => a.identifier);

test('getAdminsInfo lists visible profiles with their public values only', async () => {
  const { Admins } = makeClient();
  const list = await Admins.getAdminsInfo();
  assertOk(list, 'getAdminsInfo');
  assert.deepEqual(ids(list), ['anna', 'bea', 'dora']);
  const [anna, bea, dora] = list;
  assert.equal(anna.id, 1);
  assert.equal(anna.attributeSetId, 1);
  assert.equal(anna.attributeSetIdentifier, 'team');
  assert.equal(anna.position, 0);
  assert.equal(anna.isSync, false);
  // The SDK unwraps the language map: values by marker.
  assert.deepEqual(Object.keys(anna.attributeValues).sort(), ['name', 'photo', 'role', 'years']);
  assert.equal(anna.attributeValues.name.value, 'Anna Berg');
  assert.equal(anna.attributeValues.role.value, 'Founder');
  assert.equal(anna.attributeValues.years.value, 12);
  assert.equal(anna.attributeValues.years.type, 'integer');
  assert.match(anna.attributeValues.photo.value[0].downloadLink, /\/media\/[0-9a-f]{32}\/hero\.png$/);
  assert.equal(bea.attributeValues.email.value, 'support@shop.example');
  assert.deepEqual(dora.attributeValues, {});
  const text = JSON.stringify(list);
  for (const secret of ['anna@shop.example', 'dora@shop.example', '+1 555', 'Carl']) {
    assert.ok(!text.includes(secret), `${secret} must not be sent`);
  }

  const fr = await Admins.getAdminsInfo([], 'fr_FR');
  assertOk(fr, 'getAdminsInfo fr_FR');
  assert.equal(fr[0].attributeValues.role.value, 'Fondatrice');

  assert.deepEqual(ids(await Admins.getAdminsInfo([], 'en_US', 1, 1)), ['bea']);
  assert.deepEqual(ids(await Admins.getAdminsInfo([], 'en_US', 5, 30)), []);
});

test('filters as the SDK documents them see public attributes only', async () => {
  const { Admins } = makeClient();
  const range = [
    { attributeMarker: 'years', conditionMarker: 'mth', conditionValue: 1 },
    { attributeMarker: 'years', conditionMarker: 'lth', conditionValue: 20 },
  ];
  assert.deepEqual(ids(await Admins.getAdminsInfo(range)), ['anna', 'bea']);
  const f = (attributeMarker, conditionMarker, conditionValue) => [{ attributeMarker, conditionMarker, conditionValue }];
  assert.deepEqual(ids(await Admins.getAdminsInfo(f('years', 'lth', 5))), ['bea']);
  assert.deepEqual(ids(await Admins.getAdminsInfo(f('email', 'eq', 'anna@shop.example'))), []);
  assert.deepEqual(ids(await Admins.getAdminsInfo(f('email', 'eq', 'support@shop.example'))), ['bea']);
  assert.deepEqual(ids(await Admins.getAdminsInfo(f('role', 'in', ['Founder', 'Support']))), ['anna', 'bea']);

  const bad = await Admins.getAdminsInfo(f('years', 'about', 1));
  assertError(bad, 400, 'unknown condition');
  assertError(await Admins.getAdminsInfo([], 'xx_XX'), 400, 'unknown language');
});
