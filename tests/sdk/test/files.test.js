// The FileUploading module through the SDK (strict validation): a PNG uploaded, loaded by its
// download link, read with getFile and deleted; only its owner reads or deletes it; types are
// read from the content; an oversized file gets its 413 (not a broken pipe); createFileFromUrl
// re-uploads a file by its link; and postFormsData uploads a form's file items first.
// Project: tests/sdk/form-data.toml (its `notes` form has `picture` and `attachment` fields).

import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

import {
  SDK_DIR, startServer, makeClient, uniqueEmail, signUpUser, signIn, assertOk, assertError,
} from './harness.js';

const LIMIT = 256 * 1024;

let server;
before(async () => {
  server = await startServer({
    project: path.join(SDK_DIR, 'form-data.toml'),
    env: { OPENENTRY_UPLOAD_MAX_FILE_BYTES: String(LIMIT) },
  });
});
after(async () => {
  await server?.stop();
});

const PNG = fs.readFileSync(path.join(SDK_DIR, 'media', 'content', 'hero.png'));
const KEY = /^[0-9a-f]{32}\/[A-Za-z0-9._-]+$/;
const QUERY = { type: 'page', entity: 'editor', id: 3787 };

function png(name = 'hero.png', bytes = PNG) {
  return new File([bytes], name, { type: 'image/png' });
}

/** A signed-in client of a new user. */
async function user(tag) {
  const email = uniqueEmail(tag);
  await signUpUser(email);
  return (await signIn(email)).client;
}

async function bytesOf(response) {
  return Buffer.from(await response.arrayBuffer());
}

test('an uploaded PNG loads by its link, comes back by getFile, and is gone once deleted', async () => {
  const client = makeClient();
  const res = await client.FileUploading.upload(png(), QUERY);
  assertOk(res, 'upload');
  assert.equal(res.length, 1);
  const [file] = res;
  assert.deepEqual(Object.keys(file).sort(), ['downloadLink', 'filename', 'size']);
  assert.match(file.filename, KEY);
  assert.ok(file.filename.endsWith('/hero.png'), file.filename);
  assert.equal(file.size, PNG.length);
  assert.equal(file.downloadLink, `${server.url}/media/${file.filename}`);

  const link = await fetch(file.downloadLink);
  assert.equal(link.status, 200);
  assert.equal(link.headers.get('content-type'), 'image/png');
  assert.deepEqual(await bytesOf(link), PNG);

  const got = await client.FileUploading.getFile(QUERY.id, QUERY.type, QUERY.entity, file.filename);
  assert.equal(got.status, 200);
  assert.deepEqual(await bytesOf(got), PNG);

  assert.equal(await client.FileUploading.delete(file.filename, QUERY), true);
  const gone = await client.FileUploading.getFile(QUERY.id, QUERY.type, QUERY.entity, file.filename);
  assert.equal(gone.status, 404);
  assert.equal((await fetch(file.downloadLink)).status, 404);
  assertError(await client.FileUploading.delete(file.filename, QUERY), 404, 'deleting twice');
});

test("a user's file is theirs: another user can neither read nor delete it", async () => {
  const ann = await user('ann-files');
  const bob = await user('bob-files');
  const [file] = await ann.FileUploading.upload(png('ann.png'));
  assert.match(file.filename, KEY);
  const bobs = await bob.FileUploading.delete(file.filename);
  assertError(bobs, 404, "another user's file");
  assert.equal(bobs.message, 'File not found');
  // getFile sends no Bearer: a signed-in user's file is read by its link (docs/decisions.md).
  const anonymous = await bob.FileUploading.getFile(1, 'page', 'editor', file.filename);
  assert.equal(anonymous.status, 404);
  assert.equal((await fetch(file.downloadLink)).status, 200);
  assert.equal(await ann.FileUploading.delete(file.filename), true);
});

test('types are read from the content, and an oversized file gets its 413', async () => {
  const client = makeClient();
  const text = new File(['not an image at all'], 'fake.png', { type: 'image/png' });
  const wrong = await client.FileUploading.upload(text, QUERY);
  assertError(wrong, 415, 'text named .png');
  assert.match(wrong.message, /not of an accepted type/);

  const big = Buffer.alloc(4 * LIMIT);
  PNG.copy(big);
  const over = await client.FileUploading.upload(png('big.png', big), QUERY);
  assertError(over, 413, 'a file over the limit');
  assert.equal(over.message, `"big.png" is larger than the ${LIMIT}-byte limit per file`);
  // The connection is still fine for the next upload.
  assertOk(await client.FileUploading.upload(png('small.png'), QUERY), 'upload after a 413');
});

test('createFileFromUrl makes a File of a download link, which uploads again', async () => {
  const client = makeClient();
  const [first] = await client.FileUploading.upload(png('first.png'));
  const copy = await client.FileUploading.createFileFromUrl(first.downloadLink, 'copy.png');
  assert.equal(copy.type, 'image/png');
  const [second] = await client.FileUploading.upload(copy);
  assert.ok(second.filename.endsWith('/copy.png'), second.filename);
  assert.notEqual(second.filename, first.filename);
  assert.equal(second.size, first.size);
});

test('postFormsData uploads file items first and keeps the upload results as their values', async () => {
  const client = await user('form-files');
  const res = await client.FormData.postFormsData({
    formIdentifier: 'notes',
    formData: [
      { marker: 'picture', type: 'image', value: png('picture.png') },
      { marker: 'attachment', type: 'file', value: [png('a.png'), png('b.png')] },
    ],
  });
  assertOk(res, 'postFormsData with files');
  const items = Object.fromEntries(res.formData.formData.map((i) => [i.marker, i]));
  assert.equal(items.picture.type, 'image');
  assert.equal(items.picture.value.length, 1);
  assert.deepEqual(items.attachment.value.map((f) => f.filename.split('/')[1]), ['a.png', 'b.png']);
  for (const f of [...items.picture.value, ...items.attachment.value]) {
    assert.deepEqual(Object.keys(f).sort(), ['downloadLink', 'filename', 'size']);
    assert.equal(f.size, PNG.length);
    const link = await fetch(f.downloadLink);
    assert.equal(link.status, 200);
    assert.deepEqual(await bytesOf(link), PNG);
  }
  // A link to another site is not an upload of ours.
  const foreign = await client.FormData.postFormsData({
    formIdentifier: 'notes',
    formData: [{ marker: 'picture', type: 'string', value: [{ filename: 'x.png', downloadLink: 'https://cdn.example/x.png', size: 3 }] }],
  });
  assertError(foreign, 400, 'a foreign link');
  assert.match(foreign.message, /field "picture" takes files uploaded to this server/);
});
