// The Users module through the SDK: the signed-in user's profile, updating it, FCM tokens.

import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';

import {
  startServer,
  makeClient,
  uniqueEmail,
  signUpUser,
  signIn,
  assertOk,
  assertError,
  formItem,
  NAME,
} from './harness.js';

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

test('getUser returns the signed-in user', async () => {
  const email = uniqueEmail('me');
  const created = await signUpUser(email);
  const { client } = await signIn(email);

  const me = await client.Users.getUser();
  assertOk(me, 'getUser');
  assert.equal(typeof me.id, 'number');
  assert.equal(me.id, created.id, 'getUser and signUp disagree on the id');
  assert.equal(me.identifier, email);
  assert.equal(me.authProviderIdentifier, 'email');
  assert.equal(me.formIdentifier, 'reg');
  assert.equal(me.total, '0', `total must be the STRING "0", got ${JSON.stringify(me.total)}`);
  assert.ok(Array.isArray(me.groups), `groups: ${JSON.stringify(me.groups)}`);
  assert.ok(me.groups.includes('guest'), `groups: ${JSON.stringify(me.groups)}`);
  assert.ok(isPlainObject(me.state), `state must be an object: ${JSON.stringify(me.state)}`);

  const name = formItem(me.formData, 'name');
  assert.ok(name, `formData lacks name: ${JSON.stringify(me.formData)}`);
  assert.equal(name.value, NAME);
  assert.equal(formItem(me.formData, 'password_reg'), undefined, 'the password field is in formData');
});

test('updateUser changes form data and state; getUser shows them', async () => {
  const email = uniqueEmail('update');
  await signUpUser(email);
  const { client } = await signIn(email);

  const ok = await client.Users.updateUser({
    formIdentifier: 'reg',
    formData: [{ marker: 'name', type: 'string', value: 'New Name' }],
    notificationData: { email, phonePush: [] },
    state: { cart: [1] },
  });
  assert.equal(ok, true, `updateUser: ${JSON.stringify(ok)}`);

  const me = await client.Users.getUser();
  assertOk(me, 'getUser after updateUser');
  const name = formItem(me.formData, 'name');
  assert.ok(name, `formData lacks name: ${JSON.stringify(me.formData)}`);
  assert.equal(name.value, 'New Name');
  assert.deepEqual(me.state, { cart: [1] });
  assert.equal(me.identifier, email, 'updateUser changed the login');
});

test('addFCMToken and deleteFCMToken answer true', async () => {
  const email = uniqueEmail('fcm');
  await signUpUser(email);
  const { client } = await signIn(email);

  assert.equal(await client.Users.addFCMToken('tok1'), true);
  assert.equal(await client.Users.deleteFCMToken('tok1'), true);
});

test('getUser without a signed-in user answers 401 (after the SDK\'s own failed refresh)', async () => {
  // A default client: the 401 makes the SDK POST `{}` to the refresh route, which must fail,
  // and then the original 401 body is handed back.
  const res = await makeClient().Users.getUser();
  assertError(res, 401, 'getUser without a user');
});

test('getUser with a garbage access token answers 401', async () => {
  const c = makeClient({ auth: { customAuth: true } });
  c.Users.setAccessToken('garbage');
  assertError(await c.Users.getUser(), 401, 'getUser with a garbage Bearer');
});

test('Users calls need a user: updateUser and addFCMToken without one answer 401', async () => {
  const c = makeClient({ auth: { customAuth: true } });
  const upd = await c.Users.updateUser({ formIdentifier: 'reg', formData: [], notificationData: { email: uniqueEmail('x'), phonePush: [] } });
  assertError(upd, 401, 'updateUser without a user');
  assertError(await c.Users.addFCMToken('tok1'), 401, 'addFCMToken without a user');
});
