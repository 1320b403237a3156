// Spam (captcha) fields through the SDK (strict validation): forms show the field as type
// `spam`; postFormsData, signUp and createOrder need a token the verifier accepts, and the
// token is never stored. The verifier is a local `siteverify` stand-in on 127.0.0.1:0 that
// says yes to one token only. Project: tests/sdk/spam.toml.

import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import path from 'node:path';

import {
  SDK_DIR, startServer, makeClient, uniqueEmail, signIn, assertOk, assertError, PASSWORD,
} from './harness.js';

const SECRET = 'captcha-secret-sdk';
const GOOD = 'good-token';

let server;
let verifier;
const calls = [];

before(async () => {
  verifier = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      const form = Object.fromEntries(new URLSearchParams(body));
      calls.push(form);
      const success = form.secret === SECRET && form.response === GOOD;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ success }));
    });
  });
  await new Promise((resolve) => verifier.listen(0, '127.0.0.1', resolve));
  const { port } = verifier.address();
  server = await startServer({
    project: path.join(SDK_DIR, 'spam.toml'),
    env: {
      OPENENTRY_CAPTCHA_VERIFY_URL: `http://127.0.0.1:${port}/siteverify`,
      OPENENTRY_CAPTCHA_SECRET: SECRET,
    },
  });
});
after(async () => {
  await server?.stop();
  await new Promise((resolve) => verifier?.close(resolve));
});

const captcha = (value) => ({ marker: 'captcha', type: 'spam', value });

test('a form shows its captcha field as type spam', async () => {
  const form = await makeClient().Forms.getFormByMarker('contact');
  assertOk(form, 'getFormByMarker');
  const types = Object.fromEntries(form.attributes.map((a) => [a.marker, a.type]));
  assert.deepEqual(types, { message: 'string', captcha: 'spam' });
});

test('postFormsData needs a token the verifier accepts; the token is not stored', async () => {
  const { FormData } = makeClient();
  const body = (token) => ({
    formIdentifier: 'contact',
    formModuleConfigId: 0,
    formData: [{ marker: 'message', type: 'string', value: 'Hello' }, ...(token ? [captcha(token)] : [])],
  });
  assertError(await FormData.postFormsData(body(null)), 400, 'without a token');
  const refused = await FormData.postFormsData(body('forged'));
  assertError(refused, 400, 'a forged token');
  assert.equal(refused.message, 'The captcha was not accepted; solve it again');

  const ok = await FormData.postFormsData(body(GOOD));
  assertOk(ok, 'postFormsData');
  assert.deepEqual(ok.formData.formData, [{ marker: 'message', type: 'string', value: 'Hello' }]);
  const last = calls.at(-1);
  assert.equal(last.secret, SECRET);
  assert.equal(last.response, GOOD);
  assert.equal(last.remoteip, '127.0.0.1');
  assert.ok(!JSON.stringify(ok).includes(GOOD));
});

test('signUp and createOrder check the captcha of their forms too', async () => {
  const email = uniqueEmail('captcha');
  const body = (token) => ({
    formIdentifier: 'reg',
    authData: [{ marker: 'email_reg', value: email }, { marker: 'password_reg', value: PASSWORD }],
    formData: [{ marker: 'name', type: 'string', value: 'Christina Thomas' }, ...(token ? [captcha(token)] : [])],
    notificationData: { email, phonePush: [] },
  });
  const { AuthProvider } = makeClient();
  assertError(await AuthProvider.signUp('email', body('forged')), 400, 'signUp with a forged token');
  const user = await AuthProvider.signUp('email', body(GOOD));
  assertOk(user, 'signUp');
  assert.ok(!JSON.stringify(user).includes(GOOD));

  const { client } = await signIn(email);
  const order = (token) => ({
    formIdentifier: 'order',
    paymentAccountIdentifier: 'cash',
    formData: [{ marker: 'name', type: 'string', value: 'Christina Thomas' }, ...(token ? [captcha(token)] : [])],
    products: [{ productId: 15, quantity: 1 }],
  });
  assertError(await client.Orders.createOrder('orders', order(null)), 400, 'createOrder without a token');
  const created = await client.Orders.createOrder('orders', order(GOOD));
  assertOk(created, 'createOrder');
  const stored = await client.Orders.getOrderByMarkerAndId('orders', created.id);
  assertOk(stored, 'getOrderByMarkerAndId');
  assert.ok(!JSON.stringify([created, stored]).includes(GOOD));
});
