// Log in, upload two sample documents and see them stored; search a word OCR misread with ~ and
// check each hit box drawn over the page covers the word's box from the API, as displayed.
const path = require('node:path');
const {test, expect, users, logIn, tokenFor, apiGet, screenshot, sourceDir, navLink} = require('./station.js');

const kUploads = ['invoice-de-01.png', 'receipt-02.png'];

test('an operator uploads two documents and sees them stored, and a third time a duplicate', async ({page, request}) => {
  test.setTimeout(180_000);
  await logIn(page, users.operator);
  // With no query, the newest documents.
  await expect(page.locator('[data-doc-id]')).toHaveCount(5);  // global-setup.js's kIngested
  await expect.poll(() => page.locator('.thumb img').evaluateAll((imgs) => imgs.every((img) => img.naturalWidth > 0)))
    .toBe(true);
  await screenshot(page, 'newest');
  await navLink(page, 'Upload').click();
  await page.locator('input[type=file]').setInputFiles(kUploads.map((name) => path.join(sourceDir, 'sample-docs', name)));
  for (const name of kUploads) {
    const row = page.locator(`[data-upload="${name}"]`);
    await expect(row).toHaveAttribute('data-state', 'stored', {timeout: 150_000});
    await expect(row.getByRole('link', {name: /document \d+/})).toBeVisible();
  }

  // Each link leads to its stored document, whose source is the uploaded file.
  const token = await tokenFor(request, users.operator);
  for (const name of kUploads) {
    const link = page.locator(`[data-upload="${name}"] a`);
    const id = (await link.getAttribute('href')).match(/#\/doc\/(\d+)/)[1];
    const doc = await apiGet(request, token, `/api/documents/${id}`);
    expect(path.basename(doc.source)).toBe(name);
  }
  // The same file again: a duplicate of the stored document, not a second copy.
  const firstLink = await page.locator(`[data-upload="${kUploads[0]}"] a`).getAttribute('href');
  await page.locator('input[type=file]').setInputFiles(path.join(sourceDir, 'sample-docs', kUploads[0]));
  const again = page.locator(`[data-upload="${kUploads[0]}"]`).nth(1);
  await expect(again).toHaveAttribute('data-state', 'duplicate', {timeout: 60_000});
  await expect(again).toContainText(/duplicate of document \d+/);
  expect(await again.locator('a').getAttribute('href')).toBe(firstLink);
  await screenshot(page, 'upload');

  await page.locator(`[data-upload="${kUploads[0]}"] a`).first().click();
  await expect(page.locator('img[data-page="0"]')).toBeVisible();
});

test('hits of a misread word are boxed over the page where the API says', async ({page, request}) => {
  const query = 'lb~';  // the invoice prints "20 lb", which OCR reads "20 Ib"
  const token = await tokenFor(request, users.operator);
  const found = await apiGet(request, token, `/api/search?q=${encodeURIComponent(query)}&limit=20&offset=0`);
  const misread = (hit) => /^Ib\W*$/.test(hit.word);
  const result = found.results.find((r) => r.hits.some(misread));
  expect(result, `no result of ${query} has the misread word Ib`).toBeTruthy();
  const doc = await apiGet(request, token, `/api/documents/${result.id}`);
  const pageSize = doc.pages[0];
  const apiHits = result.hits.filter((hit) => hit.page === 0);

  await logIn(page, users.operator);
  const box = page.locator('input[type=search][name=q]');
  await box.fill(query);
  await box.press('Enter');
  await expect(page).toHaveURL(/#\/search\?q=lb%7E/);
  const item = page.locator(`[data-doc-id="${result.id}"]`);
  await expect(item.locator('mark').first()).toBeVisible();
  await item.getByRole('link').first().click();

  const image = page.locator('img[data-page="0"]');
  await expect.poll(() => image.evaluate((img) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
  const drawn = page.locator('[data-hit]');
  await expect(drawn).toHaveCount(apiHits.length);
  const shown = await image.boundingBox();
  const scale = shown.width / pageSize.width;
  expect(Math.abs(shown.height - pageSize.height * scale)).toBeLessThanOrEqual(2);
  for (let i = 0; i < apiHits.length; i++) {
    const [x, y, w, h] = apiHits[i].box;
    const hit = await drawn.nth(i).boundingBox();
    expect(Math.abs(hit.x - (shown.x + x * scale))).toBeLessThanOrEqual(2);
    expect(Math.abs(hit.y - (shown.y + y * scale))).toBeLessThanOrEqual(2);
    expect(Math.abs(hit.width - w * scale)).toBeLessThanOrEqual(2);
    expect(Math.abs(hit.height - h * scale)).toBeLessThanOrEqual(2);
  }
  // Zoomed in, the boxes stay on their words.
  await page.getByRole('button', {name: 'Zoom in'}).click();
  const zoomed = await image.boundingBox();
  const zoomedScale = zoomed.width / pageSize.width;
  expect(zoomedScale).toBeGreaterThan(scale * 1.4);
  const [x, y] = apiHits[0].box;
  const first = await drawn.first().boundingBox();
  expect(Math.abs(first.x - (zoomed.x + x * zoomedScale))).toBeLessThanOrEqual(2);
  expect(Math.abs(first.y - (zoomed.y + y * zoomedScale))).toBeLessThanOrEqual(2);
});

test('a page scanned sideways is shown upright, its hits still on their words', async ({page, request}) => {
  const token = await tokenFor(request, users.operator);
  const found = await apiGet(request, token, '/api/search?q=pennine&limit=20&offset=0');
  const at = found.results.findIndex((r) => r.title.startsWith('Pennine'));
  expect(at).toBeGreaterThanOrEqual(0);
  const result = found.results[at];
  const scanned = (await apiGet(request, token, `/api/documents/${result.id}`)).pages[0];
  expect(scanned.rotation).toBe(90);  // sideways as scanned: landscape, read after a quarter turn
  expect(scanned.width).toBeGreaterThan(scanned.height);

  await logIn(page, users.operator);
  await page.goto(`/#/doc/${result.id}?q=pennine&sort=relevance&at=${at}`);
  const image = page.locator('img[data-page="0"]');
  await expect.poll(() => image.evaluate((img) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
  const shown = await page.locator('.page-turn').boundingBox();
  expect(shown.height).toBeGreaterThan(shown.width);  // upright: portrait
  // A quarter turn clockwise takes (x, y) of the scanned page to (height - y, x) upright.
  const scale = shown.width / scanned.height;
  const hits = result.hits.filter((hit) => hit.page === 0);
  const drawn = page.locator('[data-hit]');
  await expect(drawn).toHaveCount(hits.length);
  for (let i = 0; i < hits.length; i++) {
    const [x, y, w, h] = hits[i].box;
    const box = await drawn.nth(i).boundingBox();
    expect(Math.abs(box.x - (shown.x + (scanned.height - y - h) * scale))).toBeLessThanOrEqual(2);
    expect(Math.abs(box.y - (shown.y + x * scale))).toBeLessThanOrEqual(2);
    expect(Math.abs(box.width - h * scale)).toBeLessThanOrEqual(2);
    expect(Math.abs(box.height - w * scale)).toBeLessThanOrEqual(2);
  }
});

test('the search box suggests field names and shows a syntax error with its column', async ({page}) => {
  await logIn(page, users.operator);
  const box = page.locator('input[type=search][name=q]');
  await box.fill('');
  await box.pressSequentially('ven');
  await expect(page.getByRole('option', {name: /vendor:/})).toBeVisible();
  await box.press('Tab');
  await expect(box).toHaveValue('vendor:');
  await box.fill('total:>');
  await box.press('Enter');
  const error = page.locator('.query-error');
  await expect(error).toContainText(/column \d+/);
  await expect(box).toHaveAttribute('aria-invalid', 'true');
  await screenshot(page, 'search-error');

  // A facet filters with one click, and the URL holds the query.
  await box.fill('invoice');
  await box.press('Enter');
  await page.locator('.facet').filter({hasText: 'Type'}).getByRole('button', {name: /invoice/}).click();
  await expect(box).toHaveValue('invoice type:invoice');
  await expect(page).toHaveURL(/q=invoice\+type%3Ainvoice/);
  const results = page.locator('[data-doc-id]');
  await expect(results.first()).toBeVisible();
  await page.reload();
  await expect(box).toHaveValue('invoice type:invoice');
  await expect(results.first()).toBeVisible();

  // The needs-review facet filters too: as many results as it counted (the skewed scan at least).
  const awaiting = page.locator('.facet').filter({hasText: 'Needs review'}).getByRole('button', {name: /yes/});
  const counted = Number(await awaiting.locator('.count').textContent());
  expect(counted).toBeGreaterThan(0);
  await awaiting.click();
  await expect(box).toHaveValue('invoice type:invoice review:yes');
  await expect(results).toHaveCount(counted);
  await expect(page.locator('.facet').filter({hasText: 'Needs review'}).getByRole('button', {name: /no/})).toHaveCount(0);
});

test('past the exact count the pager says "at least" and pages on while pages come full', async ({page}) => {
  // Over a thousand matches would take this suite minutes to ingest, so the server's own answers
  // are widened instead: full pages of its best hit until 1040 matches, counted exactly to 1000.
  await page.route('**/api/search?*', async (route) => {
    const url = new URL(route.request().url());
    const offset = Number(url.searchParams.get('offset'));
    url.searchParams.set('offset', '0');
    const response = await route.fetch({url: url.href});
    const body = await response.json();
    const results = offset < 1040 ? Array(20).fill(body.results[0]) : [];
    await route.fulfill({response, json: {...body, results, total: Math.max(1000, offset + results.length),
      total_exact: false}});
  });
  await logIn(page, users.operator);
  await page.goto('#/search?q=invoice&offset=980');
  const pager = page.getByRole('navigation', {name: 'Result pages'});
  const next = pager.getByRole('button', {name: /Next/});
  await expect(pager).toContainText('981–1000 of at least 1000');
  await next.click();
  await expect(pager).toContainText('1001–1020 of at least 1020');
  await next.click();
  await expect(pager).toContainText('1021–1040 of at least 1040');
  await next.click();
  await expect(pager).toContainText('none after 1040');
  await expect(next).toBeDisabled();
  await pager.getByRole('button', {name: /Previous/}).click();
  await expect(pager).toContainText('1021–1040 of at least 1040');
});
