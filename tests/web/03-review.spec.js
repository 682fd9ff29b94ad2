// The review queue with the keyboard only: a total corrected with an invalid value is refused
// with the server's message and nothing is saved; a valid one is saved; the uncertain invoice
// number corrected, the document leaves the queue, and its history names the operator.
const {test, expect, users, tokenFor, apiGet} = require('./station.js');

async function tabTo(page, isTarget, what) {
  for (let i = 0; i < 30; i++) {
    if (await page.evaluate(isTarget)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${what}`);
}

test('an operator clears a document from the queue with the keyboard', async ({page, request}) => {
  const token = await tokenFor(request, users.operator);
  const queue = await apiGet(request, token, '/api/review');
  const waiting = queue.documents.find((d) => d.source.endsWith('invoice-en-01-skew.jpg'));
  expect(waiting, 'invoice-en-01-skew is not waiting for review').toBeTruthy();
  expect(waiting.review_reasons.join()).toContain('invoice_number');
  const before = await apiGet(request, token, `/api/documents/${waiting.id}`);

  // Log in, go to the queue: keys only.
  await page.goto('/');
  await expect(page.locator('input[name=user]')).toBeFocused();
  await page.keyboard.type(users.operator.user);
  await page.keyboard.press('Tab');
  await page.keyboard.type(users.operator.password);
  await page.keyboard.press('Enter');
  await expect(page.locator('input[type=search][name=q]')).toBeVisible();
  await tabTo(page, () => document.activeElement.textContent === 'Review', 'the Review link');
  await page.keyboard.press('Enter');
  await expect(page.locator('[data-field]').first()).toBeFocused();

  // J goes to the next document (after Escape leaves the field), until ours is up.
  const current = page.locator('.review-doc');
  for (let i = 0; i < queue.documents.length; i++) {
    if (await current.getAttribute('data-doc-id') === String(waiting.id)) break;
    await page.keyboard.press('Escape');
    await page.keyboard.press('j');
    await expect(page.locator('[data-field]').first()).toBeFocused();
  }
  await expect(current).toHaveAttribute('data-doc-id', String(waiting.id));
  await tabTo(page, () => document.activeElement.dataset.field === 'total', 'the total');

  // An invalid total: the server's message, nothing saved.
  await page.keyboard.press('Control+A');
  await page.keyboard.type('12,3x');
  await page.keyboard.press('Enter');
  const message = page.locator('.other-field').filter({has: page.locator('[data-field=total]')}).locator('.field-message');
  await expect(message).not.toBeEmpty();
  await expect(page.locator('[data-field=total]')).toHaveAttribute('aria-invalid', 'true');
  const unchanged = await apiGet(request, token, `/api/documents/${waiting.id}`);
  expect(unchanged.fields.total.value).toBe(before.fields.total.value);
  expect(unchanged.history).toEqual(before.history);

  // The printed total: saved, and the cursor goes back to the uncertain invoice number.
  await page.keyboard.press('Control+A');
  await page.keyboard.type('$1,658.31');
  await page.keyboard.press('Enter');
  await expect(page.locator('[data-field=invoice_number]')).toBeFocused();
  await expect(message).toBeEmpty();
  // The number as printed: the document leaves the queue.
  await page.keyboard.press('Control+A');
  await page.keyboard.type('INV-2024-0387');
  await page.keyboard.press('Enter');
  await expect(page.locator(`.queue [data-doc-id="${waiting.id}"]`)).toHaveCount(0);
  await expect(current).not.toHaveAttribute('data-doc-id', String(waiting.id));
  const after = await apiGet(request, token, '/api/review');
  expect(after.documents.map((d) => d.id)).not.toContain(waiting.id);
  const doc = await apiGet(request, token, `/api/documents/${waiting.id}`);
  expect(doc.fields.total.value).toBe('1658.31');
  expect(doc.fields.invoice_number.value).toBe('INV-2024-0387');
  expect(doc.history.some((e) => e.by === users.operator.user)).toBe(true);

  // The document's history on the page names the operator too.
  await page.goto(`/#/doc/${waiting.id}`);
  await expect(page.locator('.history .by').filter({hasText: users.operator.user})).not.toHaveCount(0);
});
