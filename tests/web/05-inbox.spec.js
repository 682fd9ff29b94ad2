// A bad upload lands in the failed-file list with its reason; retry reads it again, discard
// removes it.
const {test, expect, users, logIn, tokenFor, apiGet, navLink, screenshot} = require('./station.js');

const kBadFile = 'not-a-scan.pdf';

test('a failed upload is listed with its reason; retry and discard work', async ({page, request}) => {
  test.setTimeout(120_000);
  await logIn(page, users.operator);
  await navLink(page, 'Upload').click();
  await page.locator('input[type=file]').setInputFiles({name: kBadFile, mimeType: 'application/pdf',
    buffer: Buffer.from('this is a text file, not a PDF\n')});
  const row = page.locator(`[data-upload="${kBadFile}"]`);
  await expect(row).toHaveAttribute('data-state', 'failed', {timeout: 60_000});
  const reason = (await row.locator('.upload-state').textContent()).replace(/^failed: /, '');
  expect(reason.length).toBeGreaterThan(10);

  const token = await tokenFor(request, users.operator);
  const failedNames = async () => (await apiGet(request, token, '/api/inbox')).inboxes
    .flatMap((inbox) => inbox.failed.map((f) => f.name));
  const name = (await failedNames()).find((n) => n.includes('not-a-scan'));
  expect(name, 'the bad upload is not in /api/inbox failed').toBeTruthy();

  await navLink(page, 'Inbox').click();
  const item = page.locator(`[data-failed="${name}"]`);
  await expect(item.locator('.reason')).toContainText(reason);
  await screenshot(page, 'inbox-failed');

  // Retry: read again; it fails again, with the same reason, and is listed again.
  await item.getByRole('button', {name: 'Retry'}).click();
  await expect.poll(failedNames, {timeout: 60_000}).toContain(name);
  await expect(page.locator(`[data-failed="${name}"] .reason`)).toContainText(reason, {timeout: 15_000});

  // Discard: gone from the list and the API.
  await page.locator(`[data-failed="${name}"]`).getByRole('button', {name: 'Discard'}).click();
  await expect(page.locator(`[data-failed="${name}"]`)).toHaveCount(0);
  expect(await failedNames()).not.toContain(name);
});
