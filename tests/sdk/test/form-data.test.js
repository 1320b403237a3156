// The FormData module through the SDK (strict validation): submissions checked against their
// form and stored typed by it, who reads what (public once approved, operators only, each user
// their own), moderation by operators, changes by the sender only, replies, filters and paging,
// and the anonymous budget. Project: tests/sdk/form-data.toml.

import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

import {
  SDK_DIR, startServer, makeClient, uniqueEmail, signUpUser, signIn, assertOk, assertError,
} from './harness.js';

let server;
before(async () => {
  server = await startServer({ project: path.join(SDK_DIR, 'form-data.toml') });
});
after(async () => {
  await server?.stop();
});

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** A signed-in client of a new user: `{ client, email }`. */
async function user(tag) {
  const email = uniqueEmail(tag);
  await signUpUser(email);
  const { client } = await signIn(email);
  return { client, email };
}

/** A client holding the admin token as its Bearer. */
function operator() {
  const client = makeClient();
  client.FormData.setAccessToken(server.adminToken);
  return client;
}

/** A NEW review body (the SDK mutates what it is given). */
function review(text, { rating = '4', entity = 15, replayTo = null } = {}) {
  return {
    formIdentifier: 'reviews',
    formModuleConfigId: 5,
    moduleEntityIdentifier: entity,
    replayTo,
    status: 'approved',
    formData: [
      { marker: 'rating', type: 'integer', value: rating },
      { marker: 'photos', type: 'groupOfImages', value: [] },
      { marker: 'text', type: 'text', value: [{ plainValue: text }] },
    ],
  };
}

/** The reviews of a product as a storefront reads them. */
function reviewsOf(client, entity, filter = {}, offset = 0, limit = 30) {
  return client.FormData.getFormsDataByMarker('reviews', 5, { entityIdentifier: entity, ...filter }, 1, 'en_US', offset, limit);
}

test('a review is stored as its form says and answered with the form message', async () => {
  const { client, email } = await user('reviewer');
  const res = await client.FormData.postFormsData(review('Fits a laptop.'));
  assertOk(res, 'postFormsData');
  assert.equal(res.actionMessage, 'Thanks! Your review appears once approved.');
  const d = res.formData;
  assert.equal(typeof d.id, 'number');
  assert.match(d.time, ISO);
  assert.match(d.fingerprint, /^UQ_/);
  assert.deepEqual(
    { ...d, id: 0, time: '', fingerprint: '' },
    {
      id: 0, time: '', fingerprint: '',
      formIdentifier: 'reviews', entityIdentifier: '15', isUserAdmin: false, formModuleId: 5,
      userIdentifier: email, parentId: null,
      formData: [
        { marker: 'rating', type: 'integer', value: 4 },
        { marker: 'photos', type: 'groupOfImages', value: [] },
        { marker: 'text', type: 'text', value: 'Fits a laptop.' },
      ],
    },
  );
  const fr = await client.FormData.postFormsData(review('Très bien.'), 'fr_FR');
  assertOk(fr, 'postFormsData in fr_FR');
  assert.equal(fr.actionMessage, 'Merci ! Votre avis paraîtra une fois approuvé.');
});

test('moderation: the public sees a review once an operator approves it; only operators set statuses', async () => {
  const { client } = await user('moderated');
  const posted = await client.FormData.postFormsData(review('Waiting for approval.', { entity: 21 }));
  assertOk(posted, 'post');
  const id = posted.formData.id;
  const anonymous = makeClient();
  assert.deepEqual(await reviewsOf(anonymous, 21), { items: [], total: 0 });
  const own = await reviewsOf(client, 21);
  assertOk(own, 'own view');
  assert.deepEqual([own.total, own.items[0].id, own.items[0].status], [1, id, 'new']);

  assertError(await client.FormData.updateFormsDataStatusByid(id, { status: 'approved' }), 403, 'a user');
  assertError(await anonymous.FormData.updateFormsDataStatusByid(id, { status: 'approved' }), 401, 'anonymous');
  const op = operator();
  assertError(await op.FormData.updateFormsDataStatusByid(id, { status: 'published' }), 400, 'unknown status');
  assertError(await op.FormData.updateFormsDataStatusByid(999999, { status: 'approved' }), 404, 'unknown id');
  assert.equal(await op.FormData.updateFormsDataStatusByid(id, { status: 'approved' }), true);

  const seen = await reviewsOf(anonymous, 21, { status: ['approved'] });
  assertOk(seen, 'public view');
  assert.equal(seen.total, 1);
  const item = seen.items[0];
  assert.deepEqual(
    { ...item, time: '' },
    {
      id, parentId: null, formIdentifier: 'reviews', depth: 0, ip: null, fingerprint: null,
      status: 'approved', userIdentifier: null, attributeSetIdentifier: null, time: '',
      entityIdentifier: '21', isUserAdmin: false, formModuleConfigId: 5,
      formData: [
        { marker: 'rating', type: 'integer', value: 4 },
        { marker: 'photos', type: 'groupOfImages', value: [] },
        { marker: 'text', type: 'text', value: 'Waiting for approval.' },
      ],
    },
  );
  assert.equal(await op.FormData.updateFormsDataStatusByid(id, { status: 'rejected' }), true);
  assert.equal((await reviewsOf(anonymous, 21)).total, 0, 'a rejected review is hidden again');
  const all = await reviewsOf(op, 21);
  assert.deepEqual([all.items[0].status, all.items[0].userIdentifier !== null], ['rejected', true], 'operators see all');
});

test('the sender updates and deletes; another user gets 404 as for a missing id', async () => {
  const { client, email } = await user('owner');
  const { client: other } = await user('other');
  const id = (await client.FormData.postFormsData(review('First words.', { entity: 22 }))).formData.id;
  await operator().FormData.updateFormsDataStatusByid(id, { status: 'approved' });

  assertError(await other.FormData.updateFormsDataByid(id, { formData: [{ marker: 'text', type: 'text', value: 'Spam' }] }), 404, 'another user updates');
  assertError(await other.FormData.deleteFormsDataByid(id), 404, 'another user deletes');
  assertError(await makeClient().FormData.deleteFormsDataByid(id), 401, 'anonymous deletes');
  assertError(await client.FormData.updateFormsDataByid(999999, { formData: [] }), 404, 'a missing id');
  assertError(await client.FormData.updateFormsDataByid(id, { formData: [{ marker: 'rating', type: 'integer', value: 3 }] }), 400, 'text is required');

  const updated = await client.FormData.updateFormsDataByid(id, {
    formData: [{ marker: 'text', type: 'text', value: 'Second thoughts.' }, { marker: 'rating', type: 'integer', value: 3 }],
  });
  assertOk(updated, 'updateFormsDataByid');
  assert.match(updated.time, ISO);
  assert.deepEqual({ ...updated, time: '' }, {
    id, formIdentifier: 'reviews', time: '', userIdentifier: email, entityIdentifier: '22',
    parentId: null, fingerprint: null, isUserAdmin: false, formModuleId: 5,
    formData: [
      { marker: 'rating', type: 'integer', value: 3 },
      { marker: 'text', type: 'text', value: 'Second thoughts.' },
    ],
  });
  // An edited review is checked again before the public sees it.
  assert.equal((await reviewsOf(makeClient(), 22)).total, 0);
  assert.equal((await reviewsOf(client, 22)).items[0].status, 'new');

  assert.equal(await client.FormData.deleteFormsDataByid(id), true);
  assertError(await client.FormData.deleteFormsDataByid(id), 404, 'deleted twice');
  assert.equal((await reviewsOf(operator(), 22)).total, 0);
});

test('replies: replayTo names the review answered; they share its entity and nest', async () => {
  const anonymous = makeClient();
  const seed = (await reviewsOf(anonymous, 15, { status: 'approved' })).items.at(-1);
  assert.deepEqual([seed.formData[2].value, seed.parentId], ['Soft leather.', null], 'the seed review');
  const { client } = await user('replier');
  const reply = await client.FormData.postFormsData({
    formIdentifier: 'reviews', formModuleConfigId: 5, moduleEntityIdentifier: '15',
    replayTo: String(seed.id), status: 'approved',
    formData: [{ marker: 'text', type: 'string', value: 'Agreed.' }],
  });
  assertOk(reply, 'reply');
  assert.equal(reply.formData.parentId, seed.id);
  const answer = await operator().FormData.postFormsData({
    formIdentifier: 'reviews', formModuleConfigId: 5, replayTo: reply.formData.id,
    formData: [{ marker: 'text', type: 'text', value: 'Thank you both.' }],
  });
  assertOk(answer, 'the shop answers');
  assert.deepEqual(
    [answer.formData.isUserAdmin, answer.formData.parentId, answer.formData.entityIdentifier, answer.formData.userIdentifier],
    [true, reply.formData.id, '15', null],
  );
  const thread = await reviewsOf(anonymous, 15);
  const shopAnswer = thread.items.find((r) => r.id === answer.formData.id);
  assert.deepEqual([shopAnswer.depth, shopAnswer.status], [2, 'approved'], "an operator's answer needs no approval");
  assert.ok(!thread.items.some((r) => r.id === reply.formData.id), 'the reply waits for approval');

  const unseen = await client.FormData.postFormsData({ ...review('x'), replayTo: String(answer.formData.id + 1000) });
  assertError(unseen, 400, 'a reply to a missing review');
  const elsewhere = await client.FormData.postFormsData(review('x', { entity: 16, replayTo: seed.id }));
  assertError(elsewhere, 400, 'a reply about another product');
});

test('reads are filtered and paged; unknown forms are 404 and unknown languages 400', async () => {
  const op = operator();
  const { client } = await user('pager');
  const ids = [];
  for (const text of ['one', 'two', 'three']) {
    ids.push((await client.FormData.postFormsData(review(text, { entity: 30 }))).formData.id);
  }
  const all = await reviewsOf(op, 30);
  assert.deepEqual([all.total, all.items.map((r) => r.id)], [3, ids.slice().reverse()], 'newest first');
  const page = await reviewsOf(op, 30, {}, 1, 1);
  assert.deepEqual([page.total, page.items.map((r) => r.id)], [3, [ids[1]]]);
  assert.equal((await reviewsOf(op, 30, { status: ['new'] })).total, 3);
  assert.equal((await reviewsOf(op, 30, { status: ['approved'] })).total, 0);
  assert.equal((await reviewsOf(op, 30, { status: 'sent' })).total, 0, 'an unknown status matches nothing');
  assert.equal((await reviewsOf(op, 30, { dateFrom: '2020-01-01', dateTo: '' })).total, 3);
  assert.equal((await reviewsOf(op, 30, { dateTo: '2020-01-01' })).total, 0);
  assertError(await reviewsOf(op, 30, { dateFrom: 'last week' }), 400, 'a bad date');
  const other = await op.FormData.getFormsDataByMarker('reviews', 7, { entityIdentifier: 30 });
  assert.equal(other.total, 0, 'another module configuration');
  const anyConfig = await op.FormData.getFormsDataByMarker('reviews', undefined, { entityIdentifier: 30 });
  assert.equal(anyConfig.total, 3);

  assertError(await op.FormData.getFormsDataByMarker('nope', 5), 404, 'an unknown form');
  assertError(await op.FormData.getFormsDataByMarker('reg', 5), 404, 'a sign-up form');
  assertError(await op.FormData.getFormsDataByMarker('reviews', 5, {}, 0, 'de_DE'), 400, 'an unknown language');
  assertError(await client.FormData.postFormsData({ ...review('x'), formIdentifier: 'nope' }), 404, 'posting to an unknown form');
  assertError(await client.FormData.postFormsData({ ...review('x'), formIdentifier: 'reg' }), 404, 'posting to a sign-up form');
});

test('contact messages are read by operators only, notes by their sender only', async () => {
  const anonymous = makeClient();
  const sent = await anonymous.FormData.postFormsData({
    formIdentifier: 'contact', formModuleConfigId: 0, moduleEntityIdentifier: '', replayTo: null, status: 'sent',
    formData: [
      { marker: 'name', type: 'string', value: 'Jack' },
      { marker: 'email', type: 'string', value: 'jack@example.com' },
      { marker: 'phone', type: 'string', value: '+1 555 0100' },
      { marker: 'message', type: 'text', value: [{ plainValue: 'Hello' }] },
    ],
  });
  assertOk(sent, 'contact');
  assert.equal(sent.actionMessage, 'Thank you! It has been received.');
  assert.equal(sent.formData.userIdentifier, null);
  for (const reader of [anonymous, (await user('reader')).client]) {
    assert.deepEqual(await reader.FormData.getFormsDataByMarker('contact', 0), { items: [], total: 0 });
  }
  const inbox = await operator().FormData.getFormsDataByMarker('contact', 0);
  const msg = inbox.items.find((m) => m.id === sent.formData.id);
  assert.deepEqual([msg.status, msg.fingerprint, msg.formData.map((i) => i.value)],
    ['new', sent.formData.fingerprint, ['Jack', 'jack@example.com', '+1 555 0100', 'Hello']]);

  const ann = await user('ann');
  const bob = await user('bob');
  const note = await ann.client.FormData.postFormsData({ formIdentifier: 'notes', formData: [{ marker: 'line', type: 'string', value: 'mine' }] });
  assertOk(note, 'note');
  const annNotes = await ann.client.FormData.getFormsDataByMarker('notes', 0);
  assert.deepEqual([annNotes.total, annNotes.items[0].status, annNotes.items[0].userIdentifier], [1, 'approved', ann.email]);
  assert.deepEqual(await bob.client.FormData.getFormsDataByMarker('notes', 0), { items: [], total: 0 });
  assert.deepEqual(await anonymous.FormData.getFormsDataByMarker('notes', 0), { items: [], total: 0 });
  const byLogin = await bob.client.FormData.getFormsDataByMarker('notes', 0, { userIdentifier: ann.email });
  assert.equal(byLogin.total, 0, "another user's login filters nothing in");
  const opByLogin = await operator().FormData.getFormsDataByMarker('notes', 0, { userIdentifier: ann.email.toUpperCase() });
  assert.deepEqual(opByLogin.items.map((n) => n.id), [note.formData.id]);
});

test('every field type takes its shapes and refuses the rest, naming the field', async () => {
  const { client } = await user('types');
  // File values are FileUploading results of this server (files.test.js has the rest).
  const png = fs.readFileSync(path.join(SDK_DIR, 'media', 'content', 'hero.png'));
  const [file] = await client.FileUploading.upload(new File([png], 'a.png', { type: 'image/png' }));
  const given = [
    ['line', ' One line ', 'One line'],
    ['body', [{ plainValue: 'Two\nlines' }], 'Two\nlines'],
    ['headed', { header: 'H', plainValue: 'Body' }, { header: 'H', plainValue: 'Body' }],
    ['count', '7', 7],
    ['weight', '2.5', 2.5],
    ['ratio', 0.25, 0.25],
    ['agree', true, true],
    ['day', { fullDate: '2026-12-01T00:00:00.000Z', formattedValue: '01-12-2026', formatString: 'DD-MM-YYYY' },
      { fullDate: '2026-12-01T00:00:00.000Z', formattedValue: '01-12-2026', formatString: 'DD-MM-YYYY' }],
    ['at', '2026-12-01T10:00:00Z', '2026-12-01T10:00:00Z'],
    ['hour', '10:30', '10:30'],
    ['colors', ['red', 'blue'], ['red', 'blue']],
    ['size', 'm', 'm'],
    // Sent as `string` items: the SDK uploads the value of a file-typed item first.
    ['picture', [file], [file]],
    ['attachment', [], []],
    ['related', ['bags'], ['bags']],
    ['extra', { a: [1] }, { a: [1] }],
    ['opening', [['10:00', '18:00']], [['10:00', '18:00']]],
    ['mail', 'a@b.co', 'a@b.co'],
    ['mobile', '+33 1 23 45 67 89', '+33 1 23 45 67 89'],
  ];
  const kinds = {
    picture: 'image', attachment: 'file', body: 'text', headed: 'textWithHeader', count: 'integer', weight: 'float',
    ratio: 'real', agree: 'boolean', day: 'date', at: 'dateTime', hour: 'time', colors: 'list', size: 'radioButton',
    related: 'entity', extra: 'json', opening: 'timeInterval', mail: 'email', mobile: 'string', line: 'string',
  };
  const res = await client.FormData.postFormsData({
    formIdentifier: 'notes',
    formData: given.map(([marker, value]) => ({ marker, type: 'string', value })),
  });
  assertOk(res, 'every type');
  assert.deepEqual(res.formData.formData, given.map(([marker, , value]) => ({ marker, type: kinds[marker], value })));

  const refused = [
    ['line', 'x'.repeat(1001)],
    ['body', { htmlValue: '<img src=x onerror=alert(1)>', plainValue: '' }],
    ['count', 'seven'],
    ['weight', 'heavy'],
    ['agree', 'maybe'],
    ['day', '2026-02-30'],
    ['at', 'tomorrow'],
    ['hour', '25:00'],
    ['colors', Array.from({ length: 51 }, (_, i) => `c${i}`)],
    ['picture', [{ filename: 'a', downloadLink: 'javascript:alert(1)', size: 1 }]],
    ['related', { not: 'a marker' }],
    ['opening', [['10:00']]],
    ['mail', 'not-an-address'],
    ['mobile', 'call me'],
  ];
  for (const [marker, value] of refused) {
    const bad = await client.FormData.postFormsData({ formIdentifier: 'notes', formData: [{ marker, type: 'string', value }] });
    assertError(bad, 400, marker);
    assert.match(bad.message, new RegExp(`field "${marker}"`), `${marker}: ${bad.message}`);
  }
  const unknown = await client.FormData.postFormsData({ formIdentifier: 'notes', formData: [{ marker: 'password', type: 'string', value: 'x' }] });
  assertError(unknown, 400, 'a field the form does not have');
  assert.equal(unknown.message, 'Form "notes" has no field "password"');
  const twice = await client.FormData.postFormsData({ formIdentifier: 'notes', formData: [{ marker: 'line', type: 'string', value: 'a' }, { marker: 'line', type: 'string', value: 'b' }] });
  assertError(twice, 400, 'a field given twice');
  const missing = await client.FormData.postFormsData({ formIdentifier: 'contact', formData: [{ marker: 'name', type: 'string', value: 'Jack' }] });
  assertError(missing, 400, 'required fields');
  assert.match(missing.message, /field "email" is required/);
});

test('an anonymous device is throttled after 10 submissions an hour', async () => {
  const device = makeClient();
  const body = () => ({ formIdentifier: 'notes', formData: [{ marker: 'line', type: 'string', value: 'x' }] });
  for (let i = 0; i < 10; i += 1) {
    assertOk(await device.FormData.postFormsData(body()), `submission ${i + 1}`);
  }
  const refused = await device.FormData.postFormsData(body());
  assertError(refused, 429, 'the 11th');
  assert.match(refused.message, /Too many submissions/);
  assertOk(await makeClient().FormData.postFormsData(body()), 'another device still may');
});
