// axe-core on the search, document and review pages: no serious or critical violations. Each
// page is also saved as a 1280x800 screenshot under build/station-screenshots/.
const {test, expect, users, logIn, screenshot, navLink, expectAccessible} = require('./station.js');

test('the search, document and review pages pass axe-core', async ({page}) => {
  await logIn(page, users.operator);
  const box = page.locator('input[type=search][name=q]');
  await box.fill('invoice');
  await box.press('Enter');
  await expect(page.locator('[data-doc-id]').first()).toBeVisible();
  await expect.poll(() => page.locator('.thumb img').first().evaluate((img) => img.naturalWidth)).toBeGreaterThan(0);
  await screenshot(page, 'search');
  await expectAccessible(page, 'search');

  await page.locator('[data-doc-id] a').first().click();
  const image = page.locator('img[data-page="0"]');
  await expect.poll(() => image.evaluate((img) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
  await page.locator('.fields tbody tr').filter({has: page.getByRole('rowheader', {name: 'total', exact: true})}).hover();
  await expect(page.locator('[data-field-box=total]')).toHaveClass(/shown/);
  await screenshot(page, 'document');
  await expectAccessible(page, 'document');

  await navLink(page, 'Review').click();
  await expect(page.locator('[data-field]').first()).toBeFocused();
  await expect.poll(() => page.locator('.crop img').first().evaluate((img) => img.naturalWidth)).toBeGreaterThan(0);
  await screenshot(page, 'review');
  await expectAccessible(page, 'review');

  await navLink(page, 'Inbox').click();
  await expect(page.locator('.recent [data-doc-id]').first()).toBeVisible();
  await screenshot(page, 'inbox');
});

test('the document page works on a tablet', async ({page}) => {
  await page.setViewportSize({width: 820, height: 1180});
  await logIn(page, users.operator);
  await page.locator('input[type=search][name=q]').fill('invoice');
  await page.locator('input[type=search][name=q]').press('Enter');
  await page.locator('[data-doc-id] a').first().click();
  const image = page.locator('img[data-page="0"]');
  await expect.poll(() => image.evaluate((img) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
  // Nothing wider than the screen.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(820);
  await screenshot(page, 'document-tablet');
  await expectAccessible(page, 'document (tablet)');
});
