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
  // A studio without users shows the set-up form alone.
  await page.getByRole('heading', { name: 'Set up the studio' }).waitFor();
  check(await page.getByRole('heading', { name: 'Sign in' }).count() === 0, 'a studio without users offers no sign-in');
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
  check(await page.getByText('First run: set up the studio').count() === 0, 'a set-up studio offers no set-up form');
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

/** Landmarks on the synthetic frontal photo (photo pixels; 2 px per mm, canthi 90 mm apart). */
export const MARKS = [[400, 520], [310, 556], [490, 556], [400, 362], [262, 398], [538, 398]];

/** Draws a frontal head (shaved scalp, face) on a canvas in the page and returns it as PNG bytes. */
export async function facePhoto(page, { backdrop = '#cfd8dc' } = {}) {
  const b64 = await page.evaluate((top) => {
    const c = document.createElement('canvas');
    c.width = 800; c.height = 1000;
    const g = c.getContext('2d');
    const bg = g.createLinearGradient(0, 0, 0, 1000); bg.addColorStop(0, top); bg.addColorStop(1, '#9aa8ae');
    g.fillStyle = bg; g.fillRect(0, 0, 800, 1000);
    g.fillStyle = '#3b4a52'; g.fillRect(170, 860, 460, 200); // shoulders
    g.fillStyle = '#d9a98a'; g.fillRect(340, 760, 120, 140); // neck
    g.beginPath(); g.ellipse(205, 600, 28, 60, 0, 0, 7); g.ellipse(595, 600, 28, 60, 0, 0, 7); g.fill(); // ears
    const skin = g.createRadialGradient(380, 480, 40, 400, 520, 330); skin.addColorStop(0, '#f0c6a8'); skin.addColorStop(1, '#d29e7f');
    g.fillStyle = skin; g.beginPath(); g.ellipse(400, 540, 200, 280, 0, 0, 7); g.fill();
    // Stubble of a shaved scalp above a receded line, with a seeded scatter.
    let s = 7; const rnd = () => ((s = (s * 16807) % 2147483647) / 2147483647);
    g.fillStyle = 'rgba(60, 45, 40, .35)';
    for (let i = 0; i < 6000; i++) { const x = 200 + rnd() * 400, y = 255 + rnd() * 200; if (((x - 400) / 200) ** 2 + ((y - 540) / 280) ** 2 < 1 && y < 300 + Math.abs(x - 400) ** 1.6 / 60) g.fillRect(x, y, 1.6, 1.6); }
    g.strokeStyle = '#6b4a3a'; g.lineWidth = 9; g.lineCap = 'round'; // brows
    g.beginPath(); g.moveTo(300, 515); g.quadraticCurveTo(345, 495, 380, 510); g.moveTo(420, 510); g.quadraticCurveTo(455, 495, 500, 515); g.stroke();
    for (const x of [345, 455]) { g.fillStyle = '#fff'; g.beginPath(); g.ellipse(x, 556, 34, 14, 0, 0, 7); g.fill(); g.fillStyle = '#4a3428'; g.beginPath(); g.arc(x, 556, 10, 0, 7); g.fill(); }
    g.strokeStyle = '#b57e62'; g.lineWidth = 4; g.beginPath(); g.moveTo(400, 560); g.lineTo(388, 650); g.lineTo(410, 655); g.stroke(); // nose
    g.strokeStyle = '#a2574a'; g.lineWidth = 6; g.beginPath(); g.moveTo(355, 715); g.quadraticCurveTo(400, 735, 445, 715); g.stroke(); // mouth
    return c.toDataURL('image/png').split(',')[1];
  }, backdrop);
  return Buffer.from(b64, 'base64');
}

/** Client-side page coordinates of a photo pixel. */
export async function photoPoint(page, [x, y]) {
  return page.evaluate(([x, y]) => {
    const img = document.querySelector('.photo-img');
    let r = img.getBoundingClientRect();
    const k = r.width / img.naturalWidth;
    // Scroll the point into the middle of the window when it lies outside (a click there would be lost).
    const py = r.top + y * k;
    if (py < 40 || py > window.innerHeight - 40) { window.scrollBy(0, py - window.innerHeight / 2); r = img.getBoundingClientRect(); }
    return [r.left + x * k, r.top + y * k];
  }, [x, y]);
}
