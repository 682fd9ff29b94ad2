// Clears the review queue of an archive in the station, keyboard only, as a clerk who knows each
// document's printed values: for every field the queue asks about, Enter when the value read is
// right, or the printed value typed over it and Enter. The printed values are sample-docs' ground
// truth (NAME.truth.json beside the document's source), so run it on the demo archive.
//
// It measures the station and the server, not a person: no reading time is counted. What it
// prints (keys pressed and seconds per document) is the floor a clerk's time starts from.
//
// Usage: node bench/station/clear_review.js [--quire build/quire] [--archive demo-archive]
// The archive is copied first: the demo keeps its queue.
const {execFileSync, spawn} = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '../..');
const {chromium} = require(path.join(root, 'tests/web/node_modules/playwright-core'));
const {freePort} = require(path.join(root, 'tests/web/station.js'));

const clerk = {user: 'clerk', password: 'clerk-review-pw'};

function option(name, fallback) {
  const at = process.argv.indexOf(name);
  return at > 0 ? process.argv[at + 1] : fallback;
}

async function startServer(quire, archive) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const server = spawn(quire, ['--archive', archive, 'serve', '--listen', `127.0.0.1:${port}`],
    {stdio: 'ignore'});
  for (let i = 0; i < 150; i++) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) return {url, server};
    } catch { /* not listening yet */ }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  server.kill();
  throw new Error(`quire serve did not answer ${url}/healthz`);
}

// The printed values of the document stored from `source`, by field name ({} without truth).
function truthOf(source) {
  const file = path.join(root, 'sample-docs', `${path.parse(source).name}.truth.json`);
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')).fields || {} : {};
}

// Amounts and dates as the server stores them: "$1,658.31" is 1658.31.
const same = (read, printed) => read.trim() === printed.trim() ||
  read.replace(/[^\p{L}\p{N}.]/gu, '') === printed.replace(/[^\p{L}\p{N}.]/gu, '');

// Works through the document on screen; returns the keys pressed and whether it left the queue.
async function clearDocument(page, truth) {
  const current = page.locator('.review-doc');
  const id = await current.getAttribute('data-doc-id');
  let keys = 0;
  let unknown = 0;
  const press = async (key) => { await page.keyboard.press(key); keys += 1; };
  // The first uncertain field takes the cursor once the document is drawn.
  await page.waitForFunction(() => document.activeElement?.closest('.review-field'), null,
    {timeout: 5_000}).catch(() => {});
  for (let step = 0; step < 40; step++) {
    if (await current.getAttribute('data-doc-id') !== id) return {keys, unknown, cleared: true};
    // Past the uncertain fields (Tab reached the other fields): left for a person.
    const name = await page.evaluate(() =>
      document.activeElement?.closest('.review-field') && document.activeElement.dataset.field);
    if (!name) break;
    const printed = truth[name];
    const read = await page.evaluate(() => document.activeElement.value);
    if (printed === undefined) {
      unknown += 1;  // not in the truth (a signature, a misread label): accepted as read
    } else if (!same(read, printed)) {
      await press('Control+A');
      await page.keyboard.type(printed);
      keys += printed.length;
    }
    await page.evaluate(() => { document.activeElement.dataset.answered = 'yes'; });
    await press('Enter');
    // The cursor moves on (next field, or the next document) once the server answered; a
    // refusal keeps it here, marked invalid, with the server's reason.
    const moved = await page.waitForFunction((doc) => {
      const el = document.activeElement;
      if (document.querySelector('.review-doc')?.dataset.docId !== doc) return true;
      if (el?.getAttribute('aria-invalid') === 'true') return true;
      return el?.dataset?.field !== undefined && !el.dataset.answered;
    }, id, {timeout: 10_000}).then(() => true, () => false);
    if (!moved || await page.evaluate(() => document.activeElement.getAttribute('aria-invalid') === 'true')) {
      break;  // refused, or stuck: left for a person
    }
  }
  return {keys, unknown, cleared: await current.getAttribute('data-doc-id') !== id};
}

async function main() {
  const quire = path.resolve(option('--quire', path.join(root, 'build/quire')));
  const demo = path.resolve(option('--archive', path.join(root, 'demo-archive')));
  if (!fs.existsSync(demo)) throw new Error(`${demo} is missing: run make demo first`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quire-clear-review-'));
  const archive = path.join(dir, 'archive');
  fs.cpSync(demo, archive, {recursive: true});
  fs.rmSync(path.join(archive, 'serve.json'), {force: true});
  execFileSync(quire, ['--archive', archive, 'user', 'add', clerk.user, '--role', 'operator',
    '--password-stdin'], {input: `${clerk.password}\n`, stdio: ['pipe', 'ignore', 'inherit']});
  const {url, server} = await startServer(quire, archive);
  const browser = await chromium.launch({executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync']});
  try {
    const page = await browser.newPage({viewport: {width: 1280, height: 800}});
    await page.goto(url);
    await page.locator('input[name=user]').fill(clerk.user);
    await page.locator('input[name=password]').fill(clerk.password);
    await page.locator('input[name=password]').press('Enter');
    await page.locator('input[type=search][name=q]').waitFor();
    await page.goto(`${url}/#/review`);
    const current = page.locator('.review-doc');
    const rows = [];
    const token = await page.evaluate(() => sessionStorage.getItem('quire.token'));
    const queue = await (await fetch(`${url}/api/review`, {headers: {Authorization: `Bearer ${token}`}})).json();
    const sources = new Map(queue.documents.map((d) => [String(d.id), d.source]));
    const begun = performance.now();
    for (let n = 0; n < queue.documents.length; n++) {
      await page.waitForFunction(() => document.querySelector('.review-doc')?.dataset.docId ||
        document.querySelector('.done-all'));
      const id = await current.getAttribute('data-doc-id');
      if (!id) break;
      const started = performance.now();
      const {keys, unknown, cleared} = await clearDocument(page, truthOf(sources.get(id) || ''));
      rows.push({id, source: path.basename(sources.get(id) || ''), keys, unknown, cleared,
        seconds: (performance.now() - started) / 1000});
      if (!cleared) {  // left for a person: on to the next one
        await page.keyboard.press('Escape');
        await page.keyboard.press('j');
        await page.waitForFunction((doc) => document.querySelector('.review-doc')?.dataset.docId !== doc,
          id, {timeout: 5_000}).catch(() => {});
      }
    }
    const total = (performance.now() - begun) / 1000;
    console.log('id  document                          keys  seconds  cleared  not in truth');
    for (const r of rows) {
      console.log(`${r.id.padEnd(3)} ${r.source.padEnd(33)} ${String(r.keys).padStart(4)}  ` +
        `${r.seconds.toFixed(1).padStart(7)}  ${(r.cleared ? 'yes' : 'no').padEnd(7)}  ${r.unknown}`);
    }
    const cleared = rows.filter((r) => r.cleared);
    const keys = rows.reduce((sum, r) => sum + r.keys, 0);
    console.log(`${cleared.length} of ${rows.length} documents cleared, ${keys} keys, ${total.toFixed(1)} s ` +
      `(${(total / Math.max(1, rows.length)).toFixed(1)} s a document)`);
  } finally {
    await browser.close();
    server.kill('SIGTERM');
    fs.rmSync(dir, {recursive: true, force: true});
  }
}

main().catch((e) => { console.error(e.message); process.exit(1); });
