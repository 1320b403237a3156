// Attribute values of every type through the SDK (strict validation on), and the media store
// they point at: a project in a temporary directory (tests/sdk/attributes.toml with PNG files
// written beside it) is imported at start; its images are then fetched as a browser would.
// Pages and blocks go through the same renderer, with images as arrays (as the platform answers).

import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, copyFile, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { deflateSync, crc32 } from 'node:zlib';

import { startServer, makeClient, assertOk, SDK_DIR } from './harness.js';

/** A w×h RGB PNG (a gradient), encoded here so the suite ships no binary fixture. */
function png(w, h) {
  const rows = [];
  for (let y = 0; y < h; y++) {
    const row = Buffer.alloc(1 + w * 3);
    for (let x = 0; x < w; x++) row.set([x & 255, y & 255, 90], 1 + x * 3);
    rows.push(row);
  }
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Width and height from a PNG's header. */
const pngSize = (buf) => [buf.readUInt32BE(16), buf.readUInt32BE(20)];

let server;
let dir;
const BAG = png(800, 400);

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'openentry-sdk-attrs-'));
  await mkdir(path.join(dir, 'media'));
  await writeFile(path.join(dir, 'media', 'bag.png'), BAG);
  await writeFile(path.join(dir, 'media', 'sale.png'), png(24, 24));
  await writeFile(path.join(dir, 'media', 'photo.png'), png(300, 200));
  await writeFile(path.join(dir, 'media', 'manual.pdf'), '%PDF-1.4\n% a manual\n');
  await copyFile(path.join(SDK_DIR, 'attributes.toml'), path.join(dir, 'shop.toml'));
  server = await startServer({ project: path.join(dir, 'shop.toml') });
});
after(async () => {
  await server?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function product(lang = 'en_US') {
  const { Products } = makeClient();
  const p = await Products.getProductById(1, lang);
  assertOk(p, `getProductById(1, ${lang})`);
  return p;
}

test('numbers, strings, texts, dates and booleans have the platform shapes', async () => {
  const a = (await product('ar_AE')).attributeValues;
  assert.deepEqual(Object.keys(a).slice(0, 4), ['price', 'currency', 's', 'n'], 'sorted by position');
  assert.equal(a.price.value, 19.99);
  assert.equal(a.currency.value, 'USD');
  assert.equal(a.s.value, 'Hello');
  assert.equal(a.n.value, 3);
  assert.equal(a.f.value, 0.1);
  assert.equal(a.r.value, -2.5);
  assert.equal(a.t.value.htmlValue, '<p>Hi <b>there</b><a rel="noopener noreferrer">x</a></p>', 'sanitized on import');
  assert.equal(a.t.value.plainValue, 'Hi therex');
  assert.equal(a.t.value.mdValue, '');
  assert.deepEqual(
    [a.th.value.header, a.th.value.htmlValue, a.th.value.mdValue],
    ['Care', '<p><strong>Wipe</strong> it</p>\n', '**Wipe** it'],
  );
  assert.deepEqual(a.d.value, { fullDate: '2026-11-30T00:00:00.000Z', formattedValue: '30-11-2026', formatString: 'DD-MM-YYYY' });
  assert.deepEqual(a.dt.value, {
    fullDate: '2026-11-30T07:05:00.000Z',
    formattedValue: '30-11-2026 10:05',
    formatString: 'DD-MM-YYYY HH:mm',
  });
  assert.equal(a.tm.value.formattedValue, '09:30');
  assert.equal(a.b.value, true);
  assert.equal(a.b.isIcon, true);
  assert.equal(a.j.value, '{"a": [1, 2]}');
  assert.deepEqual(a.rel.value, ['bags', 'shoes']);
  assert.deepEqual(a.hours.value, [
    ['10:00', '18:00'],
    ['2026-12-01T09:00:00.000Z', '2026-12-01T12:00:00.000Z'],
  ]);
});

test('lists, radio buttons and additional fields', async () => {
  const a = (await product('ar_AE')).attributeValues;
  assert.equal(a.badge.value.length, 2);
  assert.deepEqual(a.badge.value[1], { title: 'جديد', value: 'new', position: 1, extended: { type: 'string', value: '#e11' } });
  assert.equal(a.badge.value[0].title, 'Sale', 'a title missing in ar_AE falls back to the default locale');
  assert.equal(a.badge.value[0].extended.type, 'image');
  assert.match(a.badge.value[0].extended.value.downloadLink, /\/media\/[0-9a-f]{32}\/sale\.png$/);
  assert.equal(a.size.value, '2');
  assert.equal(a.w.value, 1.5);
  assert.equal(a.w.additionalFields.unit.value, 'kg', 'the SDK keys additional fields by marker');
  assert.equal(a.w.additionalFields.note.value, 'net');

  const { AttributesSets } = makeClient();
  const badge = await AttributesSets.getSingleAttributeByMarkerSet('everything', 'badge', 'ar_AE');
  assertOk(badge, 'getSingleAttributeByMarkerSet(everything, badge)');
  assert.equal(badge.type, 'list');
  assert.deepEqual(badge.listTitles.map((i) => [i.title, i.value]), [['جديد', 'new'], ['Sale', 'sale']]);
  const size = await AttributesSets.getSingleAttributeByMarkerSet('everything', 'size', 'en_US');
  assert.deepEqual(size.listTitles.map((i) => [i.title, i.value, i.position]), [['S', 1, 1], ['M', 2, 2]]);
});

test('images are objects on products, groups are arrays, files are objects', async () => {
  const p = await product();
  const { pic, gal, doc } = p.attributeValues;
  assert.equal(pic.isProductPreview, true);
  assert.equal(Array.isArray(pic.value), false, 'image is an object on products');
  assert.equal(pic.value.filename, 'bag.png');
  assert.equal(pic.value.size, BAG.length);
  assert.equal(pic.value.contentType, 'image/png');
  assert.equal(pic.value.title, 'A bag');
  assert.ok(pic.value.downloadLink.startsWith(`${server.url}/media/`), pic.value.downloadLink);
  assert.equal(pic.value.previewLink, `${pic.value.downloadLink}?w=640`);
  assert.ok(Array.isArray(gal.value) && gal.value.length === 2, 'groupOfImages is always an array');
  assert.equal(doc.value.contentType, 'application/pdf');
  assert.equal(doc.value.previewLink, '');
});

test('media links work from a browser: type, bytes, ranges, HEAD, caching, previews', async () => {
  const { pic } = (await product()).attributeValues;
  const res = await fetch(pic.value.downloadLink);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'image/png');
  assert.equal(res.headers.get('cache-control'), 'public, max-age=31536000, immutable');
  const etag = res.headers.get('etag');
  assert.ok(etag && res.headers.get('last-modified'));
  assert.ok(Buffer.from(await res.arrayBuffer()).equals(BAG), 'the very bytes imported');

  const part = await fetch(pic.value.downloadLink, { headers: { range: 'bytes=0-7' } });
  assert.equal(part.status, 206);
  assert.equal(part.headers.get('content-range'), `bytes 0-7/${BAG.length}`);
  assert.ok(Buffer.from(await part.arrayBuffer()).equals(BAG.subarray(0, 8)));
  const beyond = await fetch(pic.value.downloadLink, { headers: { range: `bytes=${BAG.length + 10}-` } });
  await beyond.arrayBuffer();
  assert.equal(beyond.status, 416);

  const head = await fetch(pic.value.downloadLink, { method: 'HEAD' });
  assert.equal(head.status, 200);
  assert.equal(head.headers.get('content-length'), String(BAG.length));

  const again = await fetch(pic.value.downloadLink, { headers: { 'if-none-match': etag } });
  await again.arrayBuffer();
  assert.equal(again.status, 304);

  const preview = await fetch(pic.value.previewLink);
  assert.equal(preview.status, 200);
  assert.equal(preview.headers.get('content-type'), 'image/png');
  assert.deepEqual(pngSize(Buffer.from(await preview.arrayBuffer())), [640, 320]);
});

test('on pages and blocks images are arrays, values are per locale, texts sanitized', async () => {
  const { Pages, Blocks } = makeClient();
  const page = await Pages.getPageByUrl('home', 'en_US');
  assertOk(page, 'getPageByUrl(home)');
  const a = page.attributeValues;
  assert.ok(Array.isArray(a.pic.value) && a.pic.value.length === 1, 'image is an array on pages');
  assert.equal(a.pic.value[0].filename, 'bag.png');
  assert.match(a.pic.value[0].downloadLink, /\/media\/[0-9a-f]{32}\/bag\.png$/);
  assert.ok(Array.isArray(a.gal.value) && a.gal.value.length === 1);
  assert.equal(a.s.value, 'Page');
  assert.equal(a.t.value.htmlValue, '<h1>Title</h1>\n<p>Body </p>\n', 'Markdown rendered, script removed');
  assert.equal(a.t.value.mdValue, '# Title\n\nBody <script>x()</script>', 'the Markdown source as written');
  assert.equal(a.badge.value[0].value, 'new');
  assert.equal(page.localizeInfos.htmlContent, '<p>Welcome<img src="x"></p>', 'page content sanitized on import');
  const ar = await Pages.getPageByUrl('home', 'ar_AE');
  assert.equal(ar.attributeValues.s.value, 'صفحة', 'a per-locale value');
  assert.equal(ar.attributeValues.pic.value[0].filename, 'bag.png', 'the rest from the language-neutral values');

  const block = await Blocks.getBlockByMarker('banner', 'en_US');
  assertOk(block, 'getBlockByMarker(banner)');
  const b = block.attributeValues;
  assert.ok(Array.isArray(b.pic.value), 'image is an array on blocks');
  assert.equal(b.pic.value[0].title, 'Banner photo');
  assert.deepEqual([b.th.value.header, b.th.value.htmlValue], ['Welcome', '<p>Hello <i>there</i></p>']);
  assert.equal(b.d.value.formattedValue, '24-12-2026');
  const barb = await Blocks.getBlockByMarker('banner', 'ar_AE');
  assert.equal(barb.attributeValues.th.value.header, 'أهلا');
});
