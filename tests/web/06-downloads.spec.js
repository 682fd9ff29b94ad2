// Downloads from the document view: the original as it was stored, byte for byte, and the
// searchable PDF (a PDF/A whose text pdftotext reads back).
const {execFileSync} = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const {test, expect, users, logIn, sourceDir} = require('./station.js');

test('the document view downloads the original and the searchable PDF', async ({page}, testInfo) => {
  await logIn(page, users.viewer);
  const box = page.locator('input[type=search][name=q]');
  await box.fill('pennine');
  await box.press('Enter');
  // The newest documents are listed until the results come: click only once they have.
  await expect(page.locator('[data-doc-id]').first()).toContainText('Pennine Joinery');
  await page.locator('[data-doc-id] a').first().click();
  await expect(page.locator('img[data-page="0"]')).toBeVisible();

  const saved = async (button) => {
    const [download] = await Promise.all([page.waitForEvent('download'),
      page.getByRole('button', {name: button, exact: true}).click()]);
    const file = testInfo.outputPath(download.suggestedFilename());
    await download.saveAs(file);
    return file;
  };
  const original = await saved('Original');
  expect(fs.readFileSync(original)).toEqual(
    fs.readFileSync(path.join(sourceDir, 'sample-docs', 'invoice-gb-01-rot270.png')));

  const pdf = await saved('Searchable PDF');
  expect(fs.readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
  const text = execFileSync('pdftotext', [pdf, '-'], {encoding: 'utf8'});
  expect(text).toMatch(/Pennine Joinery/);
});
