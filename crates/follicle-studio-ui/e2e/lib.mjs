// Shared helpers of the browser tests: launch Debian's Chromium headless, screenshots, assertions, results.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const BASE = process.env.BASE_URL;
export const ARTEFACTS = process.env.ARTEFACTS || path.resolve('artefacts');
if (!BASE) throw new Error('BASE_URL is not set (run through `cargo test -p follicle-studio-ui --test browser`)');
fs.mkdirSync(ARTEFACTS, { recursive: true });

/** A fresh headless Chromium with its own user-data-dir (`extra`: more context options, e.g. hasTouch); returns
 * { context, page, close }. */
export async function launch(viewport = { width: 1366, height: 900 }, extra = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'follicle-chromium-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: '/usr/bin/chromium', headless: true, viewport, acceptDownloads: true, ...extra,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const page = context.pages()[0] || await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => { console.error(`page error: ${e.message}`); problems.push(`page error: ${e.message}`); });
  page.on('console', (m) => { if (m.type() === 'error' && !/status of 40[13]/.test(m.text())) problems.push(`console error: ${m.text()}`); });
  page.setDefaultTimeout(20000);
  return { context, page, problems, close: async () => { await context.close(); fs.rmSync(dir, { recursive: true, force: true }); } };
}

/** Saves a screenshot as an artefact. */
export async function shot(page, name, opts = {}) {
  const file = path.join(ARTEFACTS, `${name}.png`);
  await page.screenshot({ path: file, ...opts });
  return file;
}

/** Throws with a message unless cond holds. */
export function check(cond, message) {
  if (!cond) throw new Error(`check failed: ${message}`);
}

/** Writes a JSON result file for the Rust test to read. */
export function result(name, value) {
  fs.writeFileSync(path.join(ARTEFACTS, `${name}.json`), JSON.stringify(value, null, 2));
}

/** Sets up the studio through the first-run form and lands on the client list. */
export async function setUp(page, { clinic, name, username, password }) {
  await page.goto(BASE);
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.getByText('First run: set up the studio').click();
  await page.getByLabel('Set-up token').fill(process.env.SETUP_TOKEN);
  await page.getByLabel('Clinic name').fill(clinic);
  await page.getByLabel('Your name').fill(name);
  await page.locator('input[name=new_username]').fill(username);
  await page.locator('input[name=new_password]').fill(password);
  await page.getByRole('button', { name: 'Set up the studio' }).click();
  await page.getByRole('heading', { name: 'Clients' }).waitFor();
}

/** Signs in through the form. */
export async function signIn(page, username, password) {
  await page.goto(`${BASE}/#/login`);
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.getByLabel('User name').first().fill(username);
  await page.getByLabel('Password').first().fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Clients' }).waitFor();
}

/** Adds a client through the form and lands on the record. */
export async function addClient(page, { name, reference, dob }) {
  await page.goto(`${BASE}/#/clients`);
  await page.getByRole('heading', { name: 'Add a client' }).waitFor();
  await page.getByLabel('Full name').fill(name);
  await page.getByLabel('Reference').fill(reference);
  if (dob) await page.getByLabel('Date of birth').fill(dob);
  await page.getByRole('button', { name: 'Add client' }).click();
  await page.getByRole('heading', { name, level: 1 }).waitFor();
}
