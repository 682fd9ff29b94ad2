// What the tests share: where the server and the program are, the users, logging in, and the
// API called directly (the same requests the page makes).
const {test: base, expect} = require('@playwright/test');
const {AxeBuilder} = require('@axe-core/playwright');
const path = require('node:path');
const fs = require('node:fs');
const net = require('node:net');

const sourceDir = path.resolve(__dirname, '../..');
const binary = process.env.QUIRE_BINARY || path.join(sourceDir, 'build/quire');
const buildDir = path.dirname(binary);
const shotsDir = path.join(buildDir, 'station-screenshots');

// Made by global-setup.js with `quire user add`.
const users = {
  operator: {user: 'olga', password: 'olga-station-pw', role: 'operator'},
  viewer: {user: 'victor', password: 'victor-station-pw', role: 'viewer'},
};

const test = base.extend({
  baseURL: async ({}, use) => { await use(process.env.STATION_URL); },
});

// A link of the station's navigation bar.
const navLink = (page, name) => page.getByRole('navigation', {name: 'Station'}).getByRole('link', {name, exact: true});

async function logIn(page, who) {
  await page.goto('/');
  await page.locator('input[name=user]').fill(who.user);
  await page.locator('input[name=password]').fill(who.password);
  await page.locator('input[name=password]').press('Enter');
  await expect(page.locator('input[type=search][name=q]')).toBeVisible();
}

// A bearer token for who, from POST /api/login.
async function tokenFor(request, who) {
  const response = await request.post('/api/login', {data: {user: who.user, password: who.password}});
  expect(response.status()).toBe(200);
  return (await response.json()).token;
}

async function apiGet(request, token, url) {
  const response = await request.get(url, {headers: {Authorization: `Bearer ${token}`}});
  expect(response.status(), `GET ${url}`).toBe(200);
  return response.json();
}

// axe-core on the page as shown: no serious or critical violations.
async function expectAccessible(page, name) {
  const {violations} = await new AxeBuilder({page}).analyze();
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.map((n) => n.target.join(' ')).join('\n  ')}`);
  expect(bad, `${name} page`).toEqual([]);
}

async function screenshot(page, name) {
  fs.mkdirSync(shotsDir, {recursive: true});
  await page.screenshot({path: path.join(shotsDir, `${name}.png`)});
}

// A loopback port nobody listens on now.
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const {port} = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

module.exports = {test, expect, users, navLink, logIn, tokenFor, apiGet, screenshot, expectAccessible, sourceDir,
  binary, freePort};
