// Fills a temporary archive from sample-docs/ with `quire ingest`, adds the test users with
// `quire user add`, and starts `quire serve` on a free loopback port (STATION_URL for the tests),
// with SANE's test backend as its scanner.
const {execFileSync, spawn} = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const {users, sourceDir, binary, freePort} = require('./station.js');

// Read at start: invoice-en-01 prints "lb" that OCR reads "Ib" (found with lb~); its skewed
// scan waits for review (the invoice number is read "INV-2024-038", uncertain); receipt-01 gives
// the facets a second type; invoice-gb-01-rot270 was scanned sideways and is shown upright;
// form-01 has keys and values.
const kIngested = ['invoice-en-01.png', 'invoice-en-01-skew.jpg', 'receipt-01.png', 'invoice-gb-01-rot270.png',
  'form-01.png'];

async function waitUntilServing(url, server, log) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) {
      throw new Error(`quire serve exited with ${server.exitCode}:\n${fs.readFileSync(log, 'utf8')}`);
    }
    try {
      if ((await fetch(`${url}/healthz`)).ok) return;
    } catch { /* not listening yet */ }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`quire serve did not answer ${url}/healthz within 30 s:\n${fs.readFileSync(log, 'utf8')}`);
}

module.exports = async function globalSetup() {
  if (!fs.existsSync(binary)) throw new Error(`${binary} is missing: build quire first (make build)`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quire-station-'));
  const archive = path.join(dir, 'archive');
  const run = (args, input) => execFileSync(binary, ['--archive', archive, ...args],
    {cwd: sourceDir, input, stdio: ['pipe', 'pipe', 'pipe']});
  run(['ingest', ...kIngested.map((name) => path.join('sample-docs', name))]);
  for (const who of Object.values(users)) {
    run(['user', 'add', who.user, '--role', who.role, '--password-stdin'], `${who.password}\n`);
  }
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const log = path.join(dir, 'serve.log');
  const out = fs.openSync(log, 'a');
  // The scanner of 08-scan.spec.js: SANE's test backend (an ADF of 10 pages), found through a
  // SANE configuration of the test's own.
  const sane = path.join(dir, 'sane');
  fs.mkdirSync(sane);
  fs.writeFileSync(path.join(sane, 'dll.conf'), 'test\n');
  // The backend's reader thread pauses between blocks: cancelled asynchronously inside malloc it
  // would hang the server (see tests/e2e/scan_test.cc, kJammed); asleep it is safe.
  fs.writeFileSync(
      path.join(sane, 'test.conf'),
      'number_of_devices 1\ntest-picture "Color pattern"\nbr_x 80.0\nbr_y 120.0\n' +
          'read-delay true\nread-delay-duration 10000\n');
  const server = spawn(binary, ['serve', '--archive', archive, '--listen', `127.0.0.1:${port}`],
    {cwd: dir, stdio: ['ignore', out, out], env: {...process.env, SANE_CONFIG_DIR: sane}});
  server.unref();  // the test run never waits for it: teardown stops it
  await waitUntilServing(url, server, log);
  process.env.STATION_URL = url;
  process.env.STATION_DIR = dir;
  process.env.STATION_SERVER_PID = String(server.pid);
};
