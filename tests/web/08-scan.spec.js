// Scanning at the station: a batch from SANE's test backend (global-setup.js configures it for the
// server: an ADF of 10 pages, 80x120 mm) appears as thumbnails grouped into documents; the
// operator moves a split, deletes and turns a page, commits, and the archive holds documents of
// the pages the groups showed.
const {test, expect, users, logIn, tokenFor, apiGet, navLink, screenshot, expectAccessible} = require('./station.js');

const groupSizes = (page) => page.locator('[data-scan-doc]').evaluateAll((docs) =>
  docs.map((d) => d.querySelectorAll('[data-scan-page]').length));

// The thumbnail's drawn size, once it has loaded.
const thumbSize = (tile) => tile.locator('img').evaluate(async (img) => {
  while (!img.complete || img.naturalWidth === 0) await new Promise((r) => setTimeout(r, 50));
  return {width: img.naturalWidth, height: img.naturalHeight};
});

test('a scanned batch is fixed by the operator and committed as documents', async ({page, request}) => {
  test.setTimeout(180_000);
  await logIn(page, users.operator);
  await navLink(page, 'Scan').click();
  await expect(page.getByRole('heading', {name: 'Scan'})).toBeVisible();
  await page.getByLabel('Scanner').selectOption('test:0');
  await page.getByLabel('Source').selectOption('Automatic Document Feeder');
  await page.getByLabel('Resolution (dpi)').fill('100');
  await page.getByLabel('Separate documents by').selectOption('pages');
  await page.getByLabel('Pages per document').fill('3');
  await page.getByRole('button', {name: 'Scan', exact: true}).click();

  // The pages arrive as thumbnails and are read; pages:3 groups them 3, 3, 3, 1.
  const pages = page.locator('[data-scan-page]');
  await expect(pages).toHaveCount(10, {timeout: 60_000});
  await expect(page.locator('[data-scan-page][data-read=yes]')).toHaveCount(10, {timeout: 90_000});
  await expect(page.locator('.scan-head')).toHaveAttribute('data-state', 'scanned');
  await expect.poll(() => groupSizes(page)).toEqual([3, 3, 3, 1]);
  const upright = await thumbSize(page.locator('[data-scan-page="1"]'));
  expect(upright.height).toBeGreaterThan(upright.width);
  await screenshot(page, 'scan-batch');
  await expectAccessible(page, 'scan');

  // Move a split: page 4 joins the first document; page 8 goes; page 2 is turned.
  await page.getByRole('button', {name: 'Join to previous: Page 4'}).click();
  await expect.poll(() => groupSizes(page)).toEqual([6, 3, 1]);
  await page.getByRole('button', {name: 'Delete: Page 8'}).click();
  await expect(page.locator('[data-scan-page="7"]')).toHaveCount(0);
  await expect.poll(() => groupSizes(page)).toEqual([6, 2, 1]);
  await page.getByRole('button', {name: 'Turn: Page 2'}).click();
  await expect(page.locator('[data-scan-page="1"]')).toHaveAttribute('data-turned', '90');
  const turned = await thumbSize(page.locator('[data-scan-page="1"]'));
  expect(turned.width).toBeGreaterThan(turned.height);
  await screenshot(page, 'scan-fixed');

  await page.getByRole('button', {name: 'Commit'}).click();
  const stored = page.locator('[data-committed-doc]');
  await expect(stored).toHaveCount(3, {timeout: 60_000});
  const ids = await stored.evaluateAll((items) => items.map((li) => Number(li.dataset.committedDoc)));
  const token = await tokenFor(request, users.operator);
  const counts = [];
  for (const id of ids) {
    const doc = await apiGet(request, token, `/api/documents/${id}`);
    counts.push(Array.isArray(doc.pages) ? doc.pages.length : doc.pages);
    expect(doc.source).toMatch(/^scan test:0 /);
  }
  expect(counts).toEqual([6, 2, 1]);
  await screenshot(page, 'scan-committed');
  await stored.first().getByRole('link').click();
  await expect(page).toHaveURL(new RegExp(`#/doc/${ids[0]}$`));
});
