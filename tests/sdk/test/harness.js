// Test harness for the official-SDK conformance suite: starts the real `openentry` binary on a
// fresh database, hands out SDK clients bound to it, and tears everything down again.
//
// One server per test FILE: call `startServer()` in `before` and `server.stop()` in `after`.
// `node --test` runs every file in its own process, so the module-level "current server" used by
// `makeClient`, `admin` and `readCode` is per file.
//
// This file has no side effects when imported (Node 20's `node --test test/` also runs it as a
// test file of its own; it then simply reports an empty pass).

import { spawn, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';

import { defineOneEntry } from 'oneentry';

const HERE = path.dirname(fileURLToPath(import.meta.url));
/** `tests/sdk` */
export const SDK_DIR = path.resolve(HERE, '..');
/** The repository root. */
export const REPO_ROOT = path.resolve(SDK_DIR, '..', '..');
/** The project definition the suite serves. */
export const PROJECT_FILE = path.join(SDK_DIR, 'project.toml');

const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 15_000;
const READY_LINE = /^openentry listening on (http:\/\/127\.0\.0\.1:\d+)\s*$/;
const STDERR_KEEP = 256 * 1024;

/** The binary under test. */
export function binaryPath() {
  return process.env.OPENENTRY_BIN || path.join(REPO_ROOT, 'target', 'debug', 'openentry');
}

/** `n` random bytes as hex (2n characters). */
export function randomHex(n = 16) {
  return randomBytes(n).toString('hex');
}

let current = null;

function requireServer() {
  if (!current) throw new Error('no server is running: call startServer() in before()');
  return current;
}

// ---------------------------------------------------------------------------------------------
// Database

async function prepareDatabase(project) {
  const adminUrl = process.env.OPENENTRY_SDK_PG_ADMIN_URL;
  if (!adminUrl) {
    const dir = await mkdtemp(path.join(tmpdir(), 'openentry-sdk-'));
    return {
      url: `sqlite://${path.join(dir, 'sdk.db')}`,
      mediaDir: path.join(dir, 'media'),
      describe: `SQLite in ${dir}`,
      async drop() {
        await rm(dir, { recursive: true, force: true });
      },
    };
  }
  const name = `oe_sdk_${randomHex(8)}`;
  const psql = (sql) =>
    execFileSync('psql', [adminUrl, '-v', 'ON_ERROR_STOP=1', '-X', '-q', '-c', sql], {
      stdio: ['ignore', 'pipe', 'pipe'],
      encoding: 'utf8',
    });
  try {
    psql(`CREATE DATABASE "${name}"`);
  } catch (e) {
    throw new Error(`could not create database ${name} through ${adminUrl}: ${e.stderr || e.message}`);
  }
  const dbUrl = new URL(adminUrl);
  dbUrl.pathname = `/${name}`;
  // The media store lives in a temporary directory too (never in the working directory).
  const mediaDir = await mkdtemp(path.join(tmpdir(), 'openentry-sdk-media-'));
  if (process.env.OPENENTRY_SDK_VIA_MIGRATE) {
    await migrateInto(dbUrl.toString(), mediaDir, project);
  }
  return {
    url: dbUrl.toString(),
    mediaDir,
    describe: `PostgreSQL database ${name}`,
    async drop() {
      psql(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await rm(mediaDir, { recursive: true, force: true });
    },
  };
}

/**
 * `OPENENTRY_SDK_VIA_MIGRATE=1`: the PostgreSQL database the server starts on is not fresh but
 * moved from SQLite by `openentry migrate`: the project is imported into a SQLite file (media
 * into the server's media directory), which is then migrated into the empty database. The
 * server's own import of the same project at start then changes nothing, and every test runs
 * on migrated rows (and sequences reset by the move).
 */
async function migrateInto(pgUrl, mediaDir, project) {
  const dir = await mkdtemp(path.join(tmpdir(), 'openentry-sdk-migrate-'));
  const lite = `sqlite://${path.join(dir, 'seed.db')}`;
  const run = (args) =>
    execFileSync(binaryPath(), args, {
      cwd: REPO_ROOT,
      env: { ...process.env, OPENENTRY_MEDIA_DIR: mediaDir, RUST_LOG: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
      encoding: 'utf8',
    });
  try {
    run(['project', 'import', project, '--database-url', lite]);
    run(['migrate', '--from', lite, '--to', pgUrl]);
  } catch (e) {
    throw new Error(`could not migrate into ${pgUrl}: ${e.stdout || ''}${e.stderr || e.message}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Server process

/**
 * Starts `openentry serve` on 127.0.0.1 with an ephemeral port and a fresh database, waits for
 * its ready line and a 200 from `/healthz`, and returns a handle:
 * `{ url, appToken, adminToken, databaseUrl, makeClient, admin, readCode, stderr(), stop() }`.
 *
 * Options: `env`, extra environment variables for the server (e.g. provider keys and
 * `OPENENTRY_STRIPE_API_BASE`); `project`, another project definition file instead of
 * `project.toml`.
 */
export async function startServer({ env = {}, project = PROJECT_FILE } = {}) {
  if (current) throw new Error('a server is already running in this test file');
  const bin = binaryPath();
  const appToken = randomHex(16);
  const adminToken = randomHex(16);
  const db = await prepareDatabase(project);

  const args = [
    'serve',
    '--listen',
    '127.0.0.1:0',
    '--database-url',
    db.url,
    '--project',
    project,
  ];
  const child = spawn(bin, args, {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      OPENENTRY_APP_TOKEN: appToken,
      OPENENTRY_ADMIN_TOKEN: adminToken,
      OPENENTRY_MEDIA_DIR: db.mediaDir,
      RUST_LOG: process.env.OPENENTRY_SDK_RUST_LOG || 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Never leave a server behind if this test process dies early.
  const killOnExit = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  process.on('exit', killOnExit);

  let stderr = '';
  const forward = Boolean(process.env.OPENENTRY_SDK_SERVER_LOG);
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-STDERR_KEEP);
    if (forward) process.stderr.write(chunk);
  });
  const exited = new Promise((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }));
    // A binary that cannot be spawned at all (ENOENT, EACCES) emits 'error' and no 'exit'.
    child.on('error', (error) => {
      if (child.pid === undefined) resolve({ code: null, signal: null, error });
    });
  });

  const cleanup = async () => {
    killOnExit();
    await exited;
    process.off('exit', killOnExit);
    await db.drop().catch(() => {});
  };

  let url;
  try {
    url = await waitForReadyLine(child, exited, () => stderr, `${bin} ${args.join(' ')}`);
    const health = await fetch(`${url}/healthz`);
    await health.arrayBuffer();
    assert.equal(health.status, 200, `GET /healthz answered ${health.status}\n--- server stderr ---\n${stderr}`);
  } catch (e) {
    await cleanup();
    throw e;
  }

  let stopped = null;
  const server = {
    url,
    appToken,
    adminToken,
    databaseUrl: db.url,
    database: db.describe,
    stderr: () => stderr,
    makeClient: (opts = {}) => makeClientFor(server, opts),
    admin: (p, init) => adminFor(server, p, init),
    readCode: (email, opts) => readCodeFor(server, email, opts),
    /** SIGTERM, wait for the exit, drop the database / temp dir. Idempotent. */
    stop() {
      stopped ??= (async () => {
        try {
          if (child.exitCode === null && child.signalCode === null) {
            child.kill('SIGTERM');
            const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
            const how = await exited;
            clearTimeout(timer);
            if (how.signal === 'SIGKILL') {
              throw new Error(`server ignored SIGTERM for ${STOP_TIMEOUT_MS} ms and was killed`);
            }
          }
        } finally {
          process.off('exit', killOnExit);
          await db.drop();
          if (current === server) current = null;
        }
      })();
      return stopped;
    },
  };
  current = server;
  return server;
}

function waitForReadyLine(child, exited, getStderr, commandLine) {
  return new Promise((resolve, reject) => {
    let buffered = '';
    let done = false;
    const finish = (err, value) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (err) reject(err);
      else resolve(value);
    };
    const timer = setTimeout(() => {
      finish(
        new Error(
          `server did not print its ready line within ${READY_TIMEOUT_MS} ms\n` +
            `command: ${commandLine}\n--- server stdout so far ---\n${buffered}\n` +
            `--- server stderr ---\n${getStderr()}`,
        ),
      );
    }, READY_TIMEOUT_MS);
    child.on('error', (e) => {
      finish(new Error(`could not start ${commandLine}: ${e.message} (set OPENENTRY_BIN or run \`cargo build -p openentry-cli\`)`));
    });
    child.stdout.setEncoding('utf8');
    let ready = false;
    child.stdout.on('data', (chunk) => {
      if (ready) return; // keep draining so the pipe never fills up
      buffered += chunk;
      let nl;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl).replace(/\r$/, '');
        buffered = buffered.slice(nl + 1);
        const m = READY_LINE.exec(line);
        if (m) {
          ready = true;
          finish(null, m[1]);
          return;
        }
      }
    });
    exited.then(({ code, signal }) => {
      // Give stderr a moment to be fully read before reporting.
      setTimeout(() => {
        finish(
          new Error(
            `server exited before it was ready (code ${code}, signal ${signal})\n` +
              `command: ${commandLine}\n--- server stdout ---\n${buffered}\n` +
              `--- server stderr ---\n${getStderr()}`,
          ),
        );
      }, 50);
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Clients

function makeClientFor(server, opts) {
  return defineOneEntry(server.url, {
    token: server.appToken,
    validation: { enabled: true, strictMode: true },
    ...opts,
  });
}

async function adminFor(server, p, init = {}) {
  const res = await fetch(server.url + p, {
    ...init,
    headers: { Authorization: `Bearer ${server.adminToken}`, ...(init.headers || {}) },
  });
  const text = await res.text();
  let body;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    throw new Error(`admin ${p}: answered ${res.status} with a non-JSON body: ${text.slice(0, 500)}`);
  }
  if (!res.ok) {
    throw new Error(`admin ${p}: answered ${res.status}: ${text.slice(0, 500)}`);
  }
  return body;
}

const CODE_IN_BODY = /code is\D*?(\d{4,12})(?!\d)/i;

/**
 * The newest one-time code sent to `email` (from the admin notification outbox). Polls for up
 * to `timeoutMs` (default 5 s) until a notification with a code exists whose id is greater
 * than `after` (pass the id from `lastNotificationId` to insist on a NEW code).
 */
async function readCodeFor(server, email, { after = -Infinity, timeoutMs = 5_000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let list;
  for (;;) {
    list = await adminFor(server, `/api/admin/notifications?recipient=${encodeURIComponent(email)}`);
    assert.ok(Array.isArray(list), `admin notifications should be an array, got ${JSON.stringify(list)}`);
    for (const n of list) {
      assert.equal(n.recipient, email, `notification for another recipient: ${JSON.stringify(n)}`);
    }
    const fresh = list.filter((n) => n.id > after);
    if (fresh.length > 0) {
      const newest = fresh[0];
      const m = CODE_IN_BODY.exec(String(newest.body));
      assert.ok(m, `newest notification to ${email} has no "code is <digits>": ${JSON.stringify(newest)}`);
      return m[1];
    }
    if (Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`no new notification for ${email} (after id ${after}); outbox: ${JSON.stringify(list)}`);
}

/** An SDK client on the running server: strict response validation on, `opts` merged over. */
export function makeClient(opts = {}) {
  return requireServer().makeClient(opts);
}

/** `GET <server><path>` with the admin token; the parsed JSON (throws on non-2xx). */
export function admin(p, init) {
  return requireServer().admin(p, init);
}

/** The newest one-time code e-mailed to `email` (see readCodeFor for options). */
export function readCode(email, opts) {
  return requireServer().readCode(email, opts);
}

/** Id of the newest notification to `email`, or -1 when there is none. */
export async function lastNotificationId(email) {
  const list = await admin(`/api/admin/notifications?recipient=${encodeURIComponent(email)}`);
  return list.length ? Math.max(...list.map((n) => n.id)) : -1;
}

// ---------------------------------------------------------------------------------------------
// Test data and assertions shared by the test files

/** A fresh, lower-case e-mail address (logins are compared case-insensitively). */
export function uniqueEmail(tag = 'user') {
  return `${tag}-${randomHex(6)}@example.com`;
}

export const PASSWORD = 'Secret-pass-123';
export const NAME = 'Christina Thomas';

/**
 * A NEW sign-up body each call (the SDK mutates the object it is given). `password: null`
 * leaves the password out of authData.
 */
export function signUpBody(email, password = PASSWORD, { name = NAME, form = 'reg' } = {}) {
  const authData = [{ marker: 'email_reg', value: email }];
  if (password !== null) authData.push({ marker: 'password_reg', value: password });
  return {
    formIdentifier: form,
    authData,
    formData: [{ marker: 'name', type: 'string', value: name }],
    notificationData: { email, phonePush: [] },
  };
}

/** A NEW auth body each call. */
export function authBody(email, password = PASSWORD) {
  return {
    authData: [
      { marker: 'email_reg', value: email },
      { marker: 'password_reg', value: password },
    ],
  };
}

/** Fails when strict validation rejected the server's reply. */
export function assertValid(result, what = 'result') {
  if (result && typeof result === 'object' && result.statusCode === 422 && result.message === 'Response validation failed') {
    assert.fail(`${what}: the SDK's strict validation rejected the server's reply: ${result.localizeMessage}\n${JSON.stringify(result.validationErrors)}`);
  }
}

/** Fails unless `result` is a successful object (no `statusCode`, not an Error). */
export function assertOk(result, what = 'result') {
  assertValid(result, what);
  assert.ok(!(result instanceof Error), `${what}: the SDK returned an error: ${result}`);
  if (result && typeof result === 'object' && !Array.isArray(result)) {
    assert.ok(!('statusCode' in result), `${what}: expected success, got ${JSON.stringify(result)}`);
  }
}

/** Fails unless `result` is the server's error body with this status. */
export function assertError(result, statusCode, what = 'result') {
  assertValid(result, what);
  assert.ok(result && typeof result === 'object' && !Array.isArray(result) && !(result instanceof Error),
    `${what}: expected an error body with statusCode ${statusCode}, got ${result instanceof Error ? result : JSON.stringify(result)}`);
  assert.equal(result.statusCode, statusCode, `${what}: expected statusCode ${statusCode}, got ${JSON.stringify(result)}`);
  assert.equal(typeof result.message, 'string', `${what}: message must be a string: ${JSON.stringify(result)}`);
  assert.ok(result.message.length > 0, `${what}: message must not be empty`);
  assert.ok('pageData' in result, `${what}: pageData key missing: ${JSON.stringify(result)}`);
  assert.equal(typeof result.timestamp, 'string', `${what}: timestamp must be a string: ${JSON.stringify(result)}`);
  assert.ok(!Number.isNaN(Date.parse(result.timestamp)), `${what}: timestamp is not a date: ${result.timestamp}`);
}

/** A compact JWT: three base64url parts, JSON header with `alg`, JSON payload with a future `exp`. */
export function assertJwt(token, what = 'accessToken') {
  assert.equal(typeof token, 'string', `${what} must be a string`);
  const parts = token.split('.');
  assert.equal(parts.length, 3, `${what} must have three dot-separated parts: ${token}`);
  for (const part of parts) assert.match(part, /^[A-Za-z0-9_-]+$/, `${what}: part is not base64url: ${part}`);
  const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
  const payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
  assert.equal(typeof header.alg, 'string', `${what}: header without alg: ${JSON.stringify(header)}`);
  assert.notEqual(header.alg.toLowerCase(), 'none', `${what}: unsigned JWT`);
  assert.equal(typeof payload, 'object', `${what}: payload is not an object`);
  assert.equal(typeof payload.exp, 'number', `${what}: payload without numeric exp: ${JSON.stringify(payload)}`);
  assert.ok(payload.exp > Date.now() / 1000, `${what}: already expired: ${JSON.stringify(payload)}`);
  return { header, payload };
}

/** An `auth`/`refresh` result: exactly the four keys with the expected values. */
export function assertAuthResult(result, email, provider = 'email', what = 'auth result') {
  assertOk(result, what);
  assert.deepEqual(
    Object.keys(result).sort(),
    ['accessToken', 'authProviderIdentifier', 'refreshToken', 'userIdentifier'],
    `${what}: keys ${JSON.stringify(result)}`,
  );
  assert.equal(result.userIdentifier, email);
  assert.equal(result.authProviderIdentifier, provider);
  assertJwt(result.accessToken, `${what}.accessToken`);
  assert.equal(typeof result.refreshToken, 'string');
  assert.ok(result.refreshToken.length > 0, `${what}: empty refreshToken`);
}

/** The formData item with this marker (formData as the SDK hands it out: an array). */
export function formItem(formData, marker) {
  assert.ok(Array.isArray(formData), `formData should be an array after SDK normalization, got ${JSON.stringify(formData)}`);
  return formData.find((item) => item && item.marker === marker);
}

/** Signs a user up through the SDK and checks that it worked; returns the SDK's result. */
export async function signUpUser(email, password = PASSWORD, { provider = 'email', name = NAME } = {}) {
  const res = await makeClient().AuthProvider.signUp(provider, signUpBody(email, password, { name }));
  assertOk(res, `signUp(${provider}, ${email})`);
  assert.equal(res.identifier, email);
  return res;
}

/** Signs in with a new client; returns `{ client, tokens }`. */
export async function signIn(email, password = PASSWORD, { provider = 'email', opts = {} } = {}) {
  const client = makeClient(opts);
  const tokens = await client.AuthProvider.auth(provider, authBody(email, password));
  assertAuthResult(tokens, email, provider, `auth(${provider}, ${email})`);
  return { client, tokens };
}
