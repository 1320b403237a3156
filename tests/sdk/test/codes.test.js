// One-time codes through the SDK on provider `email_code` (check_code = true): activation after
// sign-up, checkCode, and a password change with a code. Codes are read from the server's
// notification outbox through the admin API.

import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';

import {
  startServer,
  makeClient,
  readCode,
  lastNotificationId,
  uniqueEmail,
  signUpBody,
  authBody,
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

const P = 'email_code';

/** A 6-digit code that is certainly not `code`. */
function otherCode(code) {
  const last = (Number(code.at(-1)) + 1) % 10;
  return code.slice(0, -1) + String(last);
}

async function signUpInactive(email, password = PASSWORD) {
  const user = await makeClient().AuthProvider.signUp(P, signUpBody(email, password));
  assertOk(user, `signUp(${P})`);
  assert.equal(user.identifier, email);
  assert.equal(user.isActive, false, 'a user of a check-code provider must start inactive');
  return user;
}

async function activate(email) {
  const code = await readCode(email);
  const ok = await makeClient().AuthProvider.activateUser(P, email, code);
  assert.equal(ok, true, `activateUser: ${JSON.stringify(ok)}`);
}

test('sign-up, code by e-mail, checkCode, activateUser, then auth works', async () => {
  const email = uniqueEmail('activate');
  await signUpInactive(email);

  const early = await makeClient().AuthProvider.auth(P, authBody(email));
  assertError(early, 403, 'auth before activation');

  const code = await readCode(email);
  assert.match(code, /^\d{6}$/, `the project asks for 6-digit codes, got ${code}`);

  const { AuthProvider } = makeClient();
  assert.equal(await AuthProvider.checkCode(P, email, 'reg', code), true, 'checkCode with the right code');
  assert.equal(await AuthProvider.checkCode(P, email, 'reg', otherCode(code)), false, 'checkCode with a wrong code');

  // checkCode only looks; the code still activates.
  const ok = await AuthProvider.activateUser(P, email, code);
  assert.equal(ok, true, `activateUser: ${JSON.stringify(ok)}`);

  const res = await makeClient().AuthProvider.auth(P, authBody(email));
  assertAuthResult(res, email, P, 'auth after activation');

  const me = await makeClient({ auth: { customAuth: true } }).Users.setAccessToken(res.accessToken).getUser();
  assertOk(me, 'getUser after activation');
  assert.equal(me.identifier, email);
  assert.equal(me.authProviderIdentifier, P);
});

test('activateUser with a wrong code does not activate', async () => {
  const email = uniqueEmail('badcode');
  await signUpInactive(email);
  const code = await readCode(email);

  const res = await makeClient().AuthProvider.activateUser(P, email, otherCode(code));
  assert.notEqual(res, true, 'a wrong code activated the user');
  assertError(await makeClient().AuthProvider.auth(P, authBody(email)), 403, 'auth after a failed activation');

  // The right code still works afterwards (one wrong try is below max_attempts).
  assert.equal(await makeClient().AuthProvider.activateUser(P, email, code), true);
  assertAuthResult(await makeClient().AuthProvider.auth(P, authBody(email)), email, P);
});

test('generateCode + changePassword: the old password stops working, the new one works', async () => {
  const email = uniqueEmail('chpw');
  await signUpInactive(email);
  await activate(email);

  const seen = await lastNotificationId(email);
  const { AuthProvider } = makeClient();
  const gen = await AuthProvider.generateCode(P, email, 'password');
  assertOk(gen, 'generateCode');
  const code = await readCode(email, { after: seen });
  assert.match(code, /^\d{6}$/);

  // A wrong code changes nothing.
  const wrong = await makeClient().AuthProvider.changePassword(P, email, 'password', 1, otherCode(code), 'Wrong-code-pass-1');
  assert.notEqual(wrong, true, 'changePassword accepted a wrong code');
  assertAuthResult(await makeClient().AuthProvider.auth(P, authBody(email, PASSWORD)), email, P, 'auth with the unchanged password');

  const changed = await makeClient().AuthProvider.changePassword(P, email, 'password', 1, code, 'newPassword123');
  assert.equal(changed, true, `changePassword: ${JSON.stringify(changed)}`);

  assertError(await makeClient().AuthProvider.auth(P, authBody(email, PASSWORD)), 403, 'auth with the old password');
  assertAuthResult(await makeClient().AuthProvider.auth(P, authBody(email, 'newPassword123')), email, P, 'auth with the new password');
});

test('a code is single-use: after changePassword the same code is refused', async () => {
  const email = uniqueEmail('once');
  await signUpInactive(email);
  await activate(email);

  const seen = await lastNotificationId(email);
  assertOk(await makeClient().AuthProvider.generateCode(P, email, 'password'), 'generateCode');
  const code = await readCode(email, { after: seen });
  assert.equal(await makeClient().AuthProvider.changePassword(P, email, 'password', 1, code, 'First-new-pass-1'), true);

  const again = await makeClient().AuthProvider.changePassword(P, email, 'password', 1, code, 'Second-new-pass-2');
  assert.notEqual(again, true, 'the same code changed the password twice');
  assertAuthResult(await makeClient().AuthProvider.auth(P, authBody(email, 'First-new-pass-1')), email, P);
});

test('changePassword refuses a too-short new password', async () => {
  const email = uniqueEmail('chshort');
  await signUpInactive(email);
  await activate(email);

  const seen = await lastNotificationId(email);
  assertOk(await makeClient().AuthProvider.generateCode(P, email, 'password'), 'generateCode');
  const code = await readCode(email, { after: seen });
  const res = await makeClient().AuthProvider.changePassword(P, email, 'password', 1, code, '1234567');
  assertError(res, 400, 'changePassword to a 7-character password');
  assertAuthResult(await makeClient().AuthProvider.auth(P, authBody(email, PASSWORD)), email, P, 'auth with the unchanged password');
});

test("the SDK's automatic refresh (always at /marker/email) renews an email_code sign-in", async () => {
  const email = uniqueEmail('crossrefresh');
  await signUpInactive(email);
  await activate(email);
  const client = makeClient();
  assertAuthResult(await client.AuthProvider.auth(P, authBody(email)), email, P, 'auth');

  client.Users.setAccessToken('not.a.validtoken');
  const me = await client.Users.getUser();
  assertOk(me, 'getUser after the automatic refresh at marker "email"');
  assert.equal(me.identifier, email);
  assert.equal(me.authProviderIdentifier, P);
});
