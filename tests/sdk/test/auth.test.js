// AuthProvider.signUp and AuthProvider.auth on provider `email` (no activation step), through
// the official SDK in strict validation mode. Includes the seed document's step 3 verbatim.

import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';

import {
  startServer,
  makeClient,
  uniqueEmail,
  signUpBody,
  authBody,
  signUpUser,
  assertOk,
  assertError,
  assertAuthResult,
  formItem,
  PASSWORD,
  NAME,
} from './harness.js';

let server;
before(async () => {
  server = await startServer();
});
after(async () => {
  await server?.stop();
});

test('signUp creates an active user and returns it', async () => {
  const email = uniqueEmail('signup');
  const { AuthProvider } = makeClient();
  const user = await AuthProvider.signUp('email', signUpBody(email, PASSWORD, { name: NAME }));
  assertOk(user, 'signUp');

  assert.equal(typeof user.id, 'number');
  assert.ok(Number.isInteger(user.id) && user.id > 0, `id ${user.id}`);
  assert.equal(user.identifier, email);
  assert.equal(user.isActive, true);
  assert.equal(typeof user.version, 'number');
  assert.equal(typeof user.updatedDate, 'string');
  assert.ok(!Number.isNaN(Date.parse(user.updatedDate)), `updatedDate ${user.updatedDate}`);

  const name = formItem(user.formData, 'name');
  assert.ok(name, `formData lacks the name item: ${JSON.stringify(user.formData)}`);
  assert.equal(name.value, NAME);
  assert.equal(name.type, 'string');

  assert.equal(user.notificationData.email, email);
  assert.deepEqual(user.notificationData.phonePush, []);

  // The password must never come back, in any shape.
  assert.equal(formItem(user.formData, 'password_reg'), undefined, 'the password field is echoed in formData');
  assert.ok(!JSON.stringify(user).includes(PASSWORD), 'the password appears in the signUp reply');
});

test('signUp with an e-mail that is taken answers 409', async () => {
  const email = uniqueEmail('dup');
  await signUpUser(email);
  const { AuthProvider } = makeClient();
  const again = await AuthProvider.signUp('email', signUpBody(email, 'Another-pass-456'));
  assertError(again, 409, 'second signUp');
});

test('logins compare case-insensitively: the same address in capitals is taken too', async () => {
  const email = uniqueEmail('case');
  await signUpUser(email);
  const { AuthProvider } = makeClient();
  const again = await AuthProvider.signUp('email', signUpBody(email.toUpperCase(), PASSWORD));
  assertError(again, 409, 'signUp with the upper-cased address');
});

test('signUp refuses a 7-character password with 400 and creates nobody', async () => {
  const email = uniqueEmail('short');
  const { AuthProvider } = makeClient();
  const res = await AuthProvider.signUp('email', signUpBody(email, '1234567'));
  assertError(res, 400, 'signUp with a 7-character password');

  // The address is still free: nothing was half-created.
  const ok = await makeClient().AuthProvider.signUp('email', signUpBody(email, 'Qx7#mK2p'));
  assertOk(ok, 'signUp with an 8-character password');
  assert.equal(ok.identifier, email);
});

test('signUp refuses a login that is not an e-mail address with 400', async () => {
  const { AuthProvider } = makeClient();
  const res = await AuthProvider.signUp('email', signUpBody('not-an-email'));
  assertError(res, 400, "signUp with 'not-an-email'");
});

test('signUp without the password answers 400', async () => {
  const { AuthProvider } = makeClient();
  const res = await AuthProvider.signUp('email', signUpBody(uniqueEmail('nopw'), null));
  assertError(res, 400, 'signUp without password_reg');
});

test('auth returns exactly userIdentifier, authProviderIdentifier, accessToken, refreshToken', async () => {
  const email = uniqueEmail('auth');
  await signUpUser(email);
  const { AuthProvider } = makeClient();
  const res = await AuthProvider.auth('email', authBody(email, PASSWORD));
  assertAuthResult(res, email, 'email');
});

test('the raw auth reply has the four keys and no statusCode (the SDK strips nothing here)', async () => {
  const email = uniqueEmail('raw');
  await signUpUser(email);
  const res = await fetch(`${server.url}/api/content/users-auth-providers/marker/email/users/auth`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'x-app-token': server.appToken,
      'x-device-metadata': JSON.stringify({
        fingerprint: 'UQ_rawtest',
        deviceInfo: { os: 'Node.js', browser: 'Node.js/rawtest', location: 'en-US' },
      }),
    },
    body: JSON.stringify(authBody(email, PASSWORD)),
  });
  assert.ok(res.ok, `status ${res.status}`);
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
  const body = await res.json();
  assert.deepEqual(
    Object.keys(body).sort(),
    ['accessToken', 'authProviderIdentifier', 'refreshToken', 'userIdentifier'],
    JSON.stringify(body),
  );
  assert.equal(body.userIdentifier, email);
});

test('wrong password and unknown user fail alike: 403 with the same message', async () => {
  const email = uniqueEmail('wrongpw');
  await signUpUser(email);
  const wrong = await makeClient().AuthProvider.auth('email', authBody(email, 'Not-the-password-1'));
  assertError(wrong, 403, 'auth with a wrong password');
  const unknown = await makeClient().AuthProvider.auth('email', authBody(uniqueEmail('nobody'), PASSWORD));
  assertError(unknown, 403, 'auth of an unknown user');
  assert.equal(wrong.message, unknown.message, 'the messages tell the two cases apart');
});

test('seed step 3: AuthProvider.auth("email", authData) in strict mode', async () => {
  const email = uniqueEmail('seed');
  const password = 'your-password-123';
  await signUpUser(email, password);

  // 2. Creating an API client (strict validation on, as the whole suite).
  const { AuthProvider } = makeClient();

  // 3. User authorization with AuthProvider.auth('email', authData), as in the seed document.
  const authData = {
    authData: [
      {
        marker: 'email_reg',
        value: email,
      },
      {
        marker: 'password_reg',
        value: password,
      },
    ],
  };
  const user = await AuthProvider.auth('email', authData);

  assertAuthResult(user, email, 'email', 'seed auth');
  assert.equal(user.userIdentifier, email);
  assert.equal(user.authProviderIdentifier, 'email');
});
