// Roles and logins: a viewer reads and searches but sees no control that changes anything, and
// the server refuses an edit made by hand with the viewer's token; a wrong password is refused.
const {test, expect, users, logIn, tokenFor, apiGet, navLink} = require('./station.js');

test('a viewer sees no edit controls and cannot edit by hand', async ({page, request}) => {
  await logIn(page, users.viewer);
  await expect(navLink(page, 'Search')).toBeVisible();
  await expect(navLink(page, 'Review')).toBeHidden();
  await expect(navLink(page, 'Upload')).toBeHidden();

  const box = page.locator('input[type=search][name=q]');
  await box.fill('invoice');
  await box.press('Enter');
  await page.locator('[data-doc-id] a').first().click();
  await expect(page.locator('img[data-page="0"]')).toBeVisible();
  await expect(page.locator('.fields')).toBeVisible();
  for (const control of ['[data-field]', 'input[name=title]', 'textarea[name=notes]', 'input[name=tag]',
    '.tag-remove', 'button:has-text("Save")', 'button:has-text("Edit")']) {
    await expect(page.locator(`main ${control}`), control).toHaveCount(0);
  }
  await navLink(page, 'Inbox').click();
  await expect(page.getByRole('heading', {name: 'Failed files'})).toBeVisible();
  await expect(page.getByRole('button', {name: /Retry|Discard/})).toHaveCount(0);

  // By hand: the server says no (403), and nothing changed.
  const id = (await page.locator('.recent [data-doc-id]').first().getAttribute('data-doc-id'));
  const token = await tokenFor(request, users.viewer);
  const before = await apiGet(request, token, `/api/documents/${id}`);
  const auth = {Authorization: `Bearer ${token}`};
  const patch = await request.patch(`/api/documents/${id}`,
    {headers: auth, data: {title: 'changed by a viewer', fields: {total: '1.00'}, tags_add: ['x']}});
  expect(patch.status()).toBe(403);
  expect((await patch.json()).error).toBeTruthy();
  const upload = await request.post('/api/documents', {headers: auth,
    multipart: {file: {name: 'a.png', mimeType: 'image/png', buffer: Buffer.from('x')}}});
  expect(upload.status()).toBe(403);
  const after = await apiGet(request, token, `/api/documents/${id}`);
  expect(after).toEqual(before);
});

test('a wrong password is refused with the server\'s message, and the form stays', async ({page}) => {
  await page.goto('/');
  await page.locator('input[name=user]').fill('nobody');
  await page.locator('input[name=password]').fill('not-the-password');
  await page.locator('input[name=password]').press('Enter');
  await expect(page.getByRole('alert')).toContainText(/wrong|unknown/);
  await expect(page.locator('input[name=user]')).toHaveValue('nobody');
  await expect(page.locator('input[type=search][name=q]')).toHaveCount(0);
});
