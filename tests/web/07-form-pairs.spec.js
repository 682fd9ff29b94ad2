// A form's keys and values beside the page: hovering or focusing a pair outlines its key and its
// value on the page image, where the API's boxes put them.
const {test, expect, users, logIn, screenshot} = require('./station.js');

test('a form shows its keys with their values, and a pair outlines both on the page', async ({page}) => {
  await logIn(page, users.viewer);
  const box = page.locator('input[type=search][name=q]');
  await box.fill('okafor');
  await box.press('Enter');
  // The newest documents are listed until the results come: click only once they have.
  await expect(page.locator('[data-doc-id]').first()).toContainText('form-01');
  await page.locator('[data-doc-id] a').first().click();
  await expect(page.locator('img[data-page="0"]')).toBeVisible();

  const panel = page.locator('section.panel').filter({has: page.getByRole('heading', {name: 'Keys and values'})});
  const row = panel.locator('tbody tr').filter({has: page.getByRole('rowheader', {name: 'Policy number:'})});
  await expect(row).toHaveCount(1);
  await expect(row.locator('td').first()).toHaveText('EM-4471-20938');
  const index = await row.getAttribute('data-pair');
  const key = page.locator(`[data-pair-key="${index}"]`);
  const value = page.locator(`[data-pair-value="${index}"]`);
  await expect(key).not.toHaveClass(/shown/);

  // With the keyboard: focus the row.
  await row.focus();
  await expect(key).toHaveClass(/shown/);
  await expect(value).toHaveClass(/shown/);
  await expect(page.locator('.pair-box.shown')).toHaveCount(2);
  // The value is printed right of its key, on the same line.
  const k = await key.boundingBox();
  const v = await value.boundingBox();
  expect(v.x).toBeGreaterThan(k.x + k.width / 2);
  expect(Math.abs((v.y + v.height / 2) - (k.y + k.height / 2))).toBeLessThan(k.height);
  await screenshot(page, 'form-pairs');

  await row.blur();
  await expect(page.locator('.pair-box.shown')).toHaveCount(0);
});
