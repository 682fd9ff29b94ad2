// The station's tests: Playwright driving Debian's chromium (nothing downloaded) against a real
// `quire serve` that global-setup.js starts on a temporary archive. The tests share that archive
// and run in order, one at a time.
const {defineConfig} = require('@playwright/test');
const path = require('node:path');

const buildDir = path.dirname(process.env.QUIRE_BINARY || path.join(__dirname, '../../build/quire'));

module.exports = defineConfig({
  testDir: __dirname,
  testMatch: '*.spec.js',
  globalSetup: require.resolve('./global-setup.js'),
  globalTeardown: require.resolve('./global-teardown.js'),
  outputDir: path.join(buildDir, 'station-test-results'),
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 90_000,
  // The whole run, so that a hang ends with Playwright's report of where, before CTest's 900 s.
  globalTimeout: 600_000,
  expect: {timeout: 15_000},
  reporter: [['list']],
  use: {
    viewport: {width: 1280, height: 800},
    launchOptions: {
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'],
    },
    trace: 'off',
    screenshot: 'only-on-failure',
  },
});
