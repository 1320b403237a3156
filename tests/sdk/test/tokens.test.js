// Token lifecycle through the SDK: refresh rotation and reuse detection, logout, logoutAll and
// the list of active sessions.
//
// Clients that must see a 401 as such use `auth: { customAuth: true }`: without it the SDK
// answers every 401 with its own refresh call (docs/wire.md §2), which would spend refresh
// tokens behind the test's back.

import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';

import {
  startServer,
  makeClient,
  uniqueEmail,
  authBody,
  signUpUser,
  signIn,
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

const manual = () => makeClient({ auth: { customAuth: true } });

/** getUser with a client that holds exactly this access token and never refreshes. */
async function getUserWith(accessToken) {
  const c = manual();
  c.Users.setAccessToken(accessToken);
  return c.Users.getUser();
}

test('refresh rotates the refresh token; reusing the old one is refused and revokes the family', async () => {
  const email = uniqueEmail('refresh');
  await signUpUser(email);
  const c = manual();
  const first = await c.AuthProvider.auth('email', authBody(email));
  assertAuthResult(first, email, 'email', 'auth');

  const second = await c.AuthProvider.refresh('email', first.refreshToken);
  assertAuthResult(second, email, 'email', 'refresh');
  assert.notEqual(second.refreshToken, first.refreshToken, 'refresh did not rotate the refresh token');

  // The new access token works (refresh() stored it in the client).
  const me = await c.Users.getUser();
  assertOk(me, 'getUser with the refreshed access token');
  assert.equal(me.identifier, email);

  // The spent token again: refused...
  const reuse = await c.AuthProvider.refresh('email', first.refreshToken);
  assertError(reuse, 401, 'refresh with an already used refresh token');
  // ...and the reuse revoked the whole sign-in: the rotated token is dead too.
  const rotated = await c.AuthProvider.refresh('email', second.refreshToken);
  assertError(rotated, 401, 'refresh with the rotated token after a reuse');
});

test('refresh with an unknown token or with no token is refused', async () => {
  const c = manual();
  const unknown = await c.AuthProvider.refresh('email', 'not-a-refresh-token');
  assertError(unknown, 401, 'refresh with an unknown token');
  // refresh(marker, undefined) sends `{}` — what the SDK's automatic flow sends when it holds no token.
  const none = await c.AuthProvider.refresh('email', undefined);
  assert.ok(none && typeof none === 'object' && 'statusCode' in none, `refresh with {} must fail: ${JSON.stringify(none)}`);
  assert.ok(none.statusCode >= 400 && none.statusCode < 500, `refresh with {}: ${JSON.stringify(none)}`);
});

test('logout ends the sign-in: its access token and refresh token stop working', async () => {
  const email = uniqueEmail('logout');
  await signUpUser(email);
  const { client, tokens } = await signIn(email);

  // Sanity: the token works before logout.
  const me0 = await getUserWith(tokens.accessToken);
  assertOk(me0, 'getUser before logout');
  assert.equal(me0.identifier, email);

  const out = await client.AuthProvider.logout('email', tokens.refreshToken);
  assert.equal(out, true, `logout: ${JSON.stringify(out)}`);

  const me = await getUserWith(tokens.accessToken);
  assertError(me, 401, 'getUser with the access token of a logged-out sign-in');
  const again = await manual().AuthProvider.refresh('email', tokens.refreshToken);
  assertError(again, 401, 'refresh with the refresh token of a logged-out sign-in');

  // The user can sign in again.
  await signIn(email);
});

test('logoutAll ends every sign-in of the user', async () => {
  const email = uniqueEmail('logoutall');
  await signUpUser(email);
  const a = await signIn(email);
  const b = await signIn(email);

  assertOk(await getUserWith(b.tokens.accessToken), 'getUser of sign-in B before logoutAll');

  const out = await a.client.AuthProvider.logoutAll('email');
  assert.equal(out, true, `logoutAll: ${JSON.stringify(out)}`);

  assertError(await getUserWith(b.tokens.accessToken), 401, 'access token of the other sign-in after logoutAll');
  assertError(await getUserWith(a.tokens.accessToken), 401, 'access token of the calling sign-in after logoutAll');
  assertError(
    await manual().AuthProvider.refresh('email', b.tokens.refreshToken),
    401,
    'refresh token of the other sign-in after logoutAll',
  );

  // Signing in afterwards works and is the only active session.
  const c = await signIn(email);
  const sessions = await c.client.AuthProvider.getActiveSessionsByMarker('email');
  assertOk(sessions, 'getActiveSessionsByMarker after logoutAll + new sign-in');
  assert.ok(Array.isArray(sessions), JSON.stringify(sessions));
  assert.equal(sessions.length, 1, `sessions after logoutAll and one new sign-in: ${JSON.stringify(sessions)}`);
});

test("getActiveSessionsByMarker lists the user's sessions with the SDK's device info", async () => {
  const email = uniqueEmail('sessions');
  await signUpUser(email);
  const a = await signIn(email);

  const one = await a.client.AuthProvider.getActiveSessionsByMarker('email');
  assertOk(one, 'getActiveSessionsByMarker');
  assert.ok(Array.isArray(one), `sessions should be an array: ${JSON.stringify(one)}`);
  assert.ok(one.length >= 1, 'no session listed');
  for (const s of one) {
    assert.equal(typeof s.deviceInfo, 'object', JSON.stringify(s));
    assert.equal(s.deviceInfo.os, 'Node.js', JSON.stringify(s));
    assert.match(s.deviceInfo.browser, /^Node\.js\//, JSON.stringify(s));
    assert.equal(s.deviceInfo.location, 'en-US', JSON.stringify(s));
  }

  // A second sign-in of the same user is a second session; logging it out removes it.
  const b = await signIn(email);
  const two = await a.client.AuthProvider.getActiveSessionsByMarker('email');
  assertOk(two, 'getActiveSessionsByMarker with two sign-ins');
  assert.equal(two.length, 2, `two sign-ins, sessions: ${JSON.stringify(two)}`);

  assert.equal(await b.client.AuthProvider.logout('email', b.tokens.refreshToken), true);
  const back = await a.client.AuthProvider.getActiveSessionsByMarker('email');
  assertOk(back, 'getActiveSessionsByMarker after logging one out');
  assert.equal(back.length, 1, `after logout of one sign-in: ${JSON.stringify(back)}`);
});

test('getActiveSessionsByMarker without a signed-in user answers 401', async () => {
  const res = await manual().AuthProvider.getActiveSessionsByMarker('email');
  assertError(res, 401, 'getActiveSessionsByMarker without a user');
});

test("another user's sessions are not listed", async () => {
  const e1 = uniqueEmail('iso1');
  const e2 = uniqueEmail('iso2');
  await signUpUser(e1);
  await signUpUser(e2);
  const u1 = await signIn(e1);
  await signIn(e2);
  await signIn(e2);
  const list = await u1.client.AuthProvider.getActiveSessionsByMarker('email');
  assertOk(list, 'getActiveSessionsByMarker');
  assert.equal(list.length, 1, `user 1 sees: ${JSON.stringify(list)}`);
});

test('auth ignores a stale Bearer the SDK still attaches', async () => {
  const email = uniqueEmail('stale');
  await signUpUser(email);
  const c = manual();
  c.AuthProvider.setAccessToken('stale.invalid.token');
  const res = await c.AuthProvider.auth('email', authBody(email, PASSWORD));
  assertAuthResult(res, email, 'email', 'auth with a stale Bearer attached');
});

test("the SDK's automatic 401 → refresh → retry flow works against the server", async () => {
  const email = uniqueEmail('autorefresh');
  await signUpUser(email);
  const saved = [];
  const client = makeClient({ auth: { saveFunction: (t) => saved.push(t) } });
  const tokens = await client.AuthProvider.auth('email', authBody(email));
  assertAuthResult(tokens, email, 'email', 'auth');
  assert.deepEqual(saved, [tokens.refreshToken]);

  // An access token the server rejects: the SDK refreshes at /marker/email/users/refresh with
  // the refresh token it holds, then repeats getUser with the new access token.
  client.Users.setAccessToken('not.a.validtoken');
  const me = await client.Users.getUser();
  assertOk(me, 'getUser through the automatic refresh');
  assert.equal(me.identifier, email);

  assert.equal(saved.length, 2, `saveFunction calls: ${JSON.stringify(saved)}`);
  assert.notEqual(saved[1], tokens.refreshToken, 'the automatic refresh did not rotate the refresh token');
  assert.ok(saved[1].length > 0);
});
