// Content through the SDK (strict validation on): Pages, Menus, Locales, GeneralTypes,
// Templates, TemplatePreviews and Sitemap, against tests/sdk/content.toml (en_US and ar_AE
// active, fr_FR listed but inactive; a page tree with hidden pages; a menu with sub-items).

import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';

import { startServer, makeClient, assertOk, assertError, SDK_DIR } from './harness.js';

let server;
before(async () => {
  server = await startServer({ project: path.join(SDK_DIR, 'content.toml') });
});
after(async () => {
  await server?.stop();
});

// Page ids are given per kind in definition order.
const ID = { home: 1, catalog: 2, bags: 3, shoes: 4, about: 5, team: 6, secret: 7, secret_child: 8, 404: 9 };
const urls = (list) => list.map((p) => p.pageUrl);

/** The raw answer of a GET (for the methods whose SDK post-processing throws on errors). */
async function raw(p) {
  const res = await fetch(`${server.url}${p}`, { headers: { 'x-app-token': server.appToken } });
  return { status: res.status, body: await res.json() };
}

function assertNotFound(result, message, what) {
  assertError(result, 404, what);
  assert.equal(result.message, message, what);
}

function assertHome(p, what) {
  assertOk(p, what);
  assert.equal(p.id, ID.home);
  assert.equal(p.parentId, null);
  assert.equal(p.pageUrl, 'home');
  assert.equal(p.depth, 0);
  assert.equal(p.isVisible, true);
  assert.equal(p.isSync, false);
  assert.equal(p.type, 'common_page');
  assert.equal(p.templateIdentifier, 'with_sidebar');
  assert.equal(p.attributeSetIdentifier, 'page');
  assert.deepEqual(p.blocks, ['hero_banner'], 'hidden blocks are left out');
  assert.deepEqual(p.config, {});
  assert.equal(p.products, 0);
  assert.equal(p.childrenCount, '0');
  assert.deepEqual(Object.keys(p.attributeValues), ['subtitle', 'order_number', 'hero'], 'sorted by position');
  assert.equal(p.attributeValues.order_number.value, 7);
  assert.equal(p.attributeValues.order_number.type, 'integer');
  assert.equal(p.attributeValues.hero.type, 'image');
  assert.equal(p.moduleFormConfigs.length, 1);
  const form = p.moduleFormConfigs[0];
  assert.equal(form.formIdentifier, 'contact');
  assert.equal(form.moduleIdentifier, 'content');
  assert.deepEqual(form.entityIdentifiers, [{ id: 'home', isNested: false }]);
  // The SDK attaches the template (fetched in its own default language).
  assert.equal(p.template.identifier, 'with_sidebar');
  assert.equal(p.template.title, 'With sidebar');
  assert.equal(p.template.attributeValues.subtitle.value, 'Sidebar layout');
}

test('getPageByUrl answers the page in the language asked for, with the fallback', async () => {
  const { Pages, Forms } = makeClient();
  const en = await Pages.getPageByUrl('home', 'en_US');
  assertHome(en, 'getPageByUrl(home, en_US)');
  assert.deepEqual(en.localizeInfos, {
    title: 'Home',
    menuTitle: 'Start',
    htmlContent: '<h1>Welcome</h1><p>Bags &amp; belts.</p>',
    plainContent: 'Welcome\n\nBags & belts.',
  });
  assert.equal(en.attributeValues.subtitle.value, 'Fine leather');
  const hero = en.attributeValues.hero.value;
  assert.ok(Array.isArray(hero) && hero.length === 1, `pages send images as arrays: ${JSON.stringify(hero)}`);
  assert.match(hero[0].downloadLink, /hero\.png$/);
  const contact = await Forms.getFormByMarker('contact');
  assert.equal(en.moduleFormConfigs[0].id, contact.id, 'a form configuration is numbered by its form');

  const ar = await Pages.getPageByUrl('home', 'ar_AE');
  assertHome(ar, 'getPageByUrl(home, ar_AE)');
  assert.deepEqual(ar.localizeInfos, {
    title: 'الرئيسية',
    // An Arabic title beats an English menu title.
    menuTitle: 'الرئيسية',
    htmlContent: '<p>أهلا بكم</p>',
    plainContent: 'أهلا بكم',
  });
  assert.equal(ar.attributeValues.subtitle.value, 'جلد فاخر', 'localized values');
  assert.equal(ar.attributeValues.order_number.value, 7, 'language-neutral values');

  // No Arabic title: the default locale's; fr_FR is a project locale (inactive, still served).
  const about = await Pages.getPageByUrl('about', 'ar_AE');
  assertOk(about);
  assert.equal(about.localizeInfos.title, 'About us');
  assert.equal((await Pages.getPageByUrl('team', 'fr_FR')).localizeInfos.title, 'Our team');
  assertError(await Pages.getPageByUrl('home', 'de_DE'), 400, 'unknown langCode');
});

test('catalog pages carry their config, product count and place in the tree', async () => {
  const { Pages } = makeClient();
  const catalog = await Pages.getPageByUrl('catalog');
  assertOk(catalog, 'getPageByUrl(catalog)');
  assert.equal(catalog.type, 'catalog_page');
  assert.deepEqual(catalog.config, { rowsPerPage: 4, productsPerRow: 3 });
  assert.equal(catalog.products, 1);
  assert.equal(catalog.childrenCount, '1', 'the hidden child is not counted');
  assert.equal(catalog.template.generalTypeName, 'catalog_page');

  const bags = await Pages.getPageByUrl('bags', 'ar_AE');
  assertOk(bags, 'getPageByUrl(bags)');
  assert.equal(bags.id, ID.bags);
  assert.equal(bags.parentId, ID.catalog);
  assert.equal(bags.depth, 1);
  assert.equal(bags.localizeInfos.title, 'حقائب');
  assert.deepEqual(bags.config, { productsPerRow: 2 }, 'settings not set are left out');
  assert.equal(bags.products, 2, 'the hidden product is not counted');
  assert.equal(bags.templateIdentifier, null);
  assert.equal(bags.template, undefined);
  assert.deepEqual(bags.attributeValues, {});
  assert.deepEqual(bags.moduleFormConfigs, []);

  assert.deepEqual(await Pages.getConfigPageByUrl('catalog'), { rowsPerPage: 4, productsPerRow: 3 });
  assert.deepEqual(await Pages.getConfigPageByUrl('bags'), { rowsPerPage: null, productsPerRow: 2 });
  assert.deepEqual(await Pages.getConfigPageByUrl('about'), { rowsPerPage: null, productsPerRow: null });
});

test('a hidden page, and every page below it, answers like a missing one', async () => {
  const { Pages } = makeClient();
  for (const url of ['nope', 'shoes', 'secret', 'secret_child']) {
    assertNotFound(await Pages.getPageByUrl(url), `Page "${url}" not found`, `getPageByUrl(${url})`);
    assertNotFound(await Pages.getConfigPageByUrl(url), `Page "${url}" not found`, `getConfigPageByUrl(${url})`);
    const children = await raw(`/api/content/pages/${url}/children`);
    assert.equal(children.status, 404, `children of ${url}`);
    assert.equal(children.body.message, `Page "${url}" not found`);
    // Wire quirk: the SDK post-processes this answer as an array and throws on an error body.
    await assert.rejects(Pages.getChildPagesByParentUrl(url), TypeError);
  }
  for (const id of [ID.shoes, ID.secret, ID.secret_child, 999]) {
    assertNotFound(await Pages.getPageById(id), `Page ${id} not found`, `getPageById(${id})`);
  }
  const bad = await raw('/api/content/pages/abc');
  assert.equal(bad.status, 400, 'a page id is a number');
});

test('getPageById answers what getPageByUrl answers', async () => {
  const { Pages } = makeClient();
  assertHome(await Pages.getPageById(ID.home), 'getPageById(home)');
  const team = await Pages.getPageById(ID.team, 'ar_AE');
  assertOk(team);
  assert.equal(team.pageUrl, 'team');
  assert.deepEqual(team.localizeInfos, { title: 'فريقنا', menuTitle: 'فريقنا', htmlContent: '', plainContent: '' });
  assert.deepEqual(await Pages.getPageById(ID.team, 'ar_AE'), await Pages.getPageByUrl('team', 'ar_AE'));
});

test('getPages, getRootPages and getChildPagesByParentUrl list served pages in order', async () => {
  const { Pages } = makeClient();
  const all = await Pages.getPages('ar_AE');
  assertOk(all, 'getPages');
  assert.deepEqual(urls(all), ['home', 'catalog', 'bags', 'about', 'team', '404']);
  assert.deepEqual(all.map((p) => p.id), [ID.home, ID.catalog, ID.bags, ID.about, ID.team, ID[404]]);
  assertHome(all[0], 'getPages()[0]');
  assert.equal(all[0].localizeInfos.title, 'الرئيسية');
  assert.equal(all[5].type, 'error_page');

  const roots = await Pages.getRootPages();
  assertOk(roots, 'getRootPages');
  assert.deepEqual(urls(roots), ['home', 'catalog', 'about', '404']);
  assert.ok(roots.every((p) => p.parentId === null && p.depth === 0));

  const kids = await Pages.getChildPagesByParentUrl('catalog', 'ar_AE');
  assertOk(kids, 'getChildPagesByParentUrl(catalog)');
  assert.deepEqual(urls(kids), ['bags']);
  assert.equal(kids[0].localizeInfos.title, 'حقائب');
  assert.deepEqual(urls(await Pages.getChildPagesByParentUrl('about')), ['team']);
  assert.deepEqual(await Pages.getChildPagesByParentUrl('team'), []);
});

test('searchPage finds served pages by title in the language, below a page when asked', async () => {
  const { Pages } = makeClient();
  const bags = await Pages.searchPage('AG');
  assertOk(bags, 'searchPage(AG)');
  assert.deepEqual(urls(bags), ['bags']);
  assert.equal(bags[0].id, ID.bags);
  assert.equal(bags[0].products, 2);

  assert.deepEqual(await Pages.searchPage('secret'), [], 'hidden pages are not found');
  assert.deepEqual(await Pages.searchPage('shoes'), []);
  assert.deepEqual(urls(await Pages.searchPage('حق', undefined, 'ar_AE')), ['bags']);
  assert.deepEqual(urls(await Pages.searchPage('team', 'about')), ['team']);
  assert.deepEqual(await Pages.searchPage('team', 'catalog'), [], 'below another page');
  assert.deepEqual(await Pages.searchPage('team', 'secret'), [], 'below a hidden page: nothing');

  // The search answer is post-processed: a one-image value becomes the image itself.
  const [home] = await Pages.searchPage('home');
  assertHome(home, 'searchPage(home)');
  assert.match(home.attributeValues.hero.value.downloadLink, /hero\.png$/);

  const hits = await raw('/api/content/pages/quick/search?lang=en_US&name=our');
  assert.deepEqual(hits.body, [{ id: ID.team, pageUrl: 'team', title: 'Our team' }]);
});

test('getMenusByMarker lists served items flat with parentId, and nested in children', async () => {
  const { Menus } = makeClient();
  const menu = await Menus.getMenusByMarker('main_web', 'ar_AE');
  assertOk(menu, 'getMenusByMarker(main_web)');
  assert.equal(menu.id, 1);
  assert.equal(menu.identifier, 'main_web');
  assert.deepEqual(menu.localizeInfos, { title: 'القائمة الرئيسية' });
  assert.deepEqual(urls(menu.pages), ['home', 'catalog', 'bags', 'about', 'team'], 'hidden pages and their items are left out');
  assert.deepEqual(menu.pages.map((p) => p.position), [1, 2, 3, 4, 5]);
  assert.deepEqual(menu.pages.map((p) => p.id), [ID.home, ID.catalog, ID.bags, ID.about, ID.team]);
  assert.deepEqual(menu.pages.map((p) => p.parentId), [null, null, ID.catalog, null, ID.about]);

  const [home, catalog, bags, about] = menu.pages;
  assert.deepEqual(home.localizeInfos, { title: 'الرئيسية', menuTitle: 'الرئيسية' });
  assert.equal('children' in home, false, 'no children key without sub-items');
  assert.equal(home.attributeValues.subtitle.value, 'جلد فاخر');
  assert.match(home.attributeValues.hero.value.downloadLink, /hero\.png$/, 'menus unwrap one-image values');
  assert.deepEqual(catalog.localizeInfos, { title: 'الكتالوج', menuTitle: 'الكتالوج' });
  assert.deepEqual(urls(catalog.children), ['bags'], 'the hidden sub-item is left out');
  assert.deepEqual(catalog.children[0], bags);
  assert.deepEqual(urls(about.children), ['team']);

  const en = await Menus.getMenusByMarker('main_web');
  assert.equal(en.localizeInfos.title, 'Main menu');
  assert.deepEqual(en.pages[1].localizeInfos, { title: 'Catalog', menuTitle: 'Shop' }, "the item's own title");
  assert.deepEqual(en.pages[0].localizeInfos, { title: 'Home', menuTitle: 'Start' });

  assertNotFound(await Menus.getMenusByMarker('nope'), 'Menu "nope" not found', 'unknown menu');
});

test('getLocales lists the active locales with their ids and images', async () => {
  const locales = await makeClient().Locales.getLocales();
  assertOk(locales, 'getLocales');
  assert.equal(locales.length, 2, 'fr_FR is inactive');
  const [en, ar] = locales;
  assert.deepEqual(en, {
    id: 1, shortCode: 'en', code: 'en_US', name: 'English', nativeName: 'English', isActive: true, image: null, position: 0,
  });
  assert.equal(ar.id, 2);
  assert.equal(ar.shortCode, 'ar');
  assert.equal(ar.code, 'ar_AE');
  assert.equal(ar.name, 'Arabic');
  assert.equal(ar.nativeName, 'العربية');
  assert.equal(ar.isActive, true);
  assert.equal(ar.position, 1);
  assert.match(ar.image, /flag-ae\.png$/);
});

test('getAllTypes lists the 15 general types with stable ids', async () => {
  const types = await makeClient().GeneralTypes.getAllTypes();
  assertOk(types, 'getAllTypes');
  const names = [
    'product', 'error_page', 'catalog_page', 'product_preview', 'similar_products_block', 'product_block', 'form',
    'common_page', 'common_block', 'order', 'service', 'external_page', 'discount', 'frequently_ordered_block', 'none',
  ];
  assert.deepEqual(types, names.map((type, i) => ({ id: i + 1, type })));
});

test('templates: all grouped by type, by type and by marker, localized', async () => {
  const { Templates } = makeClient();
  const all = await Templates.getAllTemplates('ar_AE');
  assertOk(all, 'getAllTemplates');
  assert.deepEqual(Object.keys(all).sort(), ['catalog_page', 'common_page', 'product_block']);
  assert.deepEqual(all.common_page.map((t) => t.identifier), ['with_sidebar', 'plain']);
  const sidebar = all.common_page[0];
  assert.equal(sidebar.title, 'مع شريط جانبي');
  assert.equal(sidebar.generalTypeName, 'common_page');
  assert.equal(sidebar.generalTypeId, 8);
  assert.equal(sidebar.attributeSetIdentifier, 'page');
  assert.equal(sidebar.version, 1);
  assert.equal(sidebar.attributeValues.subtitle.value, 'تخطيط الشريط الجانبي');
  assert.equal(sidebar.attributeValues.order_number.value, 3);
  assert.equal(all.common_page[1].title, 'Plain', 'fallback to the default locale');
  assert.deepEqual(all.product_block.map((t) => t.identifier), ['carousel']);

  const pages = await Templates.getTemplateByType('common_page', 'en_US');
  assertOk(pages, 'getTemplateByType');
  assert.deepEqual(pages.map((t) => [t.identifier, t.title]), [['with_sidebar', 'With sidebar'], ['plain', 'Plain']]);
  assert.deepEqual(await Templates.getTemplateByType('none', 'en_US'), []);
  assertError(await Templates.getTemplateByType('bogus', 'en_US'), 400, 'unknown type');

  const grid = await Templates.getTemplateByMarker('grid', 'ar_AE');
  assertOk(grid, 'getTemplateByMarker');
  assert.deepEqual(grid, {
    id: 2, attributeSetIdentifier: null, title: 'Grid', generalTypeId: 3, identifier: 'grid', version: 1,
    generalTypeName: 'catalog_page', attributeValues: {}, position: 1,
  });
  assertNotFound(await Templates.getTemplateByMarker('nope'), 'Template "nope" not found', 'unknown template');
});

test('template previews carry the proportions of their definition', async () => {
  const { TemplatePreviews } = makeClient();
  const list = await TemplatePreviews.getTemplatePreviews('ar_AE');
  assertOk(list, 'getTemplatePreviews');
  assert.deepEqual(list.map((t) => t.identifier), ['card', 'thumb']);
  assert.equal(list[0].title, 'بطاقة');
  assert.deepEqual(list[0].proportions, {
    default: {
      horizontal: { width: 640, height: 480, alignmentType: 'center' },
      vertical: { width: 480, height: 640, alignmentType: 'top' },
      square: { side: 320, alignmentType: 'center' },
    },
  });
  assert.equal(list[0].isUsed, false);

  const thumb = await TemplatePreviews.getTemplatePreviewByMarker('thumb', 'en_US');
  assertOk(thumb, 'getTemplatePreviewByMarker');
  assert.deepEqual(thumb, {
    id: 2,
    title: 'Thumbnail',
    proportions: { default: { horizontal: null, vertical: null, square: { side: 96, alignmentType: 'center' } } },
    identifier: 'thumb',
    version: 1,
    attributeValues: {},
    position: 1,
    isUsed: false,
    attributeSetIdentifier: null,
  });
  assertNotFound(await TemplatePreviews.getTemplatePreviewByMarker('nope', 'en_US'), 'Template preview "nope" not found', 'unknown preview');
});

test('the sitemap lists served pages and visible products per language once an operator sets it up', async () => {
  const client = makeClient();
  assert.deepEqual(await client.Sitemap.getSitemap(), [], 'no sitemap before an address is given');

  // The app token is public: updating needs the admin token as the Bearer.
  assertError(await client.Sitemap.updateSitemap({ baseUrls: { en_US: 'https://evil.example/' } }), 401, 'without the admin token');
  assert.deepEqual(await client.Sitemap.getSitemap(), []);

  const operator = makeClient();
  operator.Sitemap.setAccessToken(server.adminToken);
  const files = ['/sitemaps/sitemap-en_US.xml', '/sitemaps/sitemap-ar_AE.xml'];
  const body = {
    baseUrls: { ar_AE: 'https://shop.example/ar/', en_US: 'https://shop.example/en' },
    changefreq: 'weekly',
    priority: 0.5,
  };
  assert.deepEqual(await operator.Sitemap.updateSitemap(body), files);
  assert.deepEqual(await client.Sitemap.getSitemap(), files);
  assertError(await operator.Sitemap.updateSitemap({ baseUrls: { fr_FR: 'https://shop.example/fr/' } }), 400, 'inactive locale');
  assertError(await operator.Sitemap.updateSitemap({ baseUrls: { en_US: 'javascript:alert(1)' } }), 400, 'not http(s)');
  assertError(await operator.Sitemap.updateSitemap({ changefreq: 'often' }), 400, 'unknown changefreq');

  const res = await fetch(`${server.url}${files[0]}`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/xml; charset=utf-8');
  const xml = await res.text();
  const locs = [...xml.matchAll(/<loc>([^<]*)<\/loc>/g)].map((m) => m[1]);
  const base = 'https://shop.example/en/';
  assert.deepEqual(locs, [
    ...['home', 'catalog', 'bags', 'about', 'team'].map((u) => base + u),
    `${base}product/1`,
    `${base}product/2`,
  ]);
  assert.equal((xml.match(/<lastmod>/g) || []).length, 5, 'pages have a lastmod, products none');
  assert.equal((xml.match(/<changefreq>weekly<\/changefreq><priority>0.5<\/priority>/g) || []).length, 7);
  assert.ok(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'));

  const ar = await (await fetch(`${server.url}${files[1]}`)).text();
  assert.ok(ar.includes('<loc>https://shop.example/ar/bags</loc>'), ar);
  assert.equal((await fetch(`${server.url}/sitemaps/sitemap-fr_FR.xml`)).status, 404);
});
