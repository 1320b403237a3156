// Auth provider listing through the SDK, and the app token check.

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

function isPlainObject(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function assertProviderShape(p) {
  assert.equal(typeof p.id, 'number', JSON.stringify(p));
  assert.equal(typeof p.version, 'number', JSON.stringify(p));
  assert.equal(typeof p.userGroupIdentifier, 'string', JSON.stringify(p));
  assert.ok(isPlainObject(p.localizeInfos), `localizeInfos: ${JSON.stringify(p)}`);
  assert.ok(isPlainObject(p.config), `config must be an object: ${JSON.stringify(p)}`);
  for (const [k, v] of Object.entries(p.config)) {
    assert.ok(v === null || typeof v === 'string', `config.${k} should be a string or null (as in the SDK's d.ts), got ${JSON.stringify(v)}`);
  }
}

test('getAuthProviders lists the project providers', async () => {
  const list = await makeClient().AuthProvider.getAuthProviders();
  assertOk(list, 'getAuthProviders');
  assert.ok(Array.isArray(list), `expected an array: ${JSON.stringify(list)}`);

  const email = list.find((p) => p.identifier === 'email');
  assert.ok(email, `no provider "email" in ${JSON.stringify(list)}`);
  assert.equal(email.type, 'email');
  assert.equal(email.isActive, true);
  assert.equal(email.isCheckCode, false);
  assert.equal(email.formIdentifier, 'reg');
  assert.equal(email.userGroupIdentifier, 'guest');
  assert.equal(email.localizeInfos.title, 'E-mail', `localizeInfos after normalization: ${JSON.stringify(email.localizeInfos)}`);
  assertProviderShape(email);

  const withCode = list.find((p) => p.identifier === 'email_code');
  assert.ok(withCode, `no provider "email_code" in ${JSON.stringify(list)}`);
  assert.equal(withCode.isCheckCode, true);
  assert.equal(withCode.formIdentifier, 'reg');
  assert.equal(withCode.localizeInfos.title, 'E-mail with code');
  assertProviderShape(withCode);

  assert.notEqual(email.id, withCode.id, 'two providers share an id');
  assert.equal(list.length, 2, `the project defines exactly two providers: ${JSON.stringify(list)}`);
});

test('getAuthProviders honours offset and limit', async () => {
  const { AuthProvider } = makeClient();
  const first = await AuthProvider.getAuthProviders('en_US', 0, 1);
  assertOk(first, 'getAuthProviders(limit 1)');
  assert.equal(first.length, 1, JSON.stringify(first));
  const second = await AuthProvider.getAuthProviders('en_US', 1, 1);
  assertOk(second, 'getAuthProviders(offset 1, limit 1)');
  assert.equal(second.length, 1, JSON.stringify(second));
  assert.notEqual(first[0].identifier, second[0].identifier);
  const none = await AuthProvider.getAuthProviders('en_US', 2, 30);
  assertOk(none, 'getAuthProviders(offset 2)');
  assert.deepEqual(none, []);
});

test('getAuthProviderByMarker returns the same provider', async () => {
  const { AuthProvider } = makeClient();
  const all = await AuthProvider.getAuthProviders();
  assertOk(all, 'getAuthProviders');
  const fromList = all.find((p) => p.identifier === 'email');

  const one = await AuthProvider.getAuthProviderByMarker('email');
  assertOk(one, 'getAuthProviderByMarker');
  assert.ok(isPlainObject(one), JSON.stringify(one));
  assert.equal(one.identifier, 'email');
  assert.equal(one.id, fromList.id);
  assert.equal(one.type, 'email');
  assert.equal(one.isActive, true);
  assert.equal(one.isCheckCode, false);
  assert.equal(one.formIdentifier, 'reg');
  assert.equal(one.localizeInfos.title, 'E-mail');
  assertProviderShape(one);
});

test('getAuthProviderByMarker of an unknown marker answers 404', async () => {
  const res = await makeClient().AuthProvider.getAuthProviderByMarker('nope');
  assertError(res, 404, "getAuthProviderByMarker('nope')");
});

test('a wrong app token is refused with 403', async () => {
  const res = await makeClient({ token: 'wrong-token' }).AuthProvider.getAuthProviders();
  assertError(res, 403, 'getAuthProviders with a wrong app token');
});

test('a missing app token is refused with 403 (the SDK then sends the literal "undefined")', async () => {
  const res = await makeClient({ token: undefined }).AuthProvider.getAuthProviders();
  assertError(res, 403, 'getAuthProviders without an app token');
});
