// Browser test: the plan on the client's own photo in the studio. Uploads the real photo from ../shared/photos
// (never copied into the repository; the synthetic mannequin photo of follicle-render's tests when it is
// absent) with its hand marks, plans a Norwood 5 design, opens the preview, and measures how long a switch
// between before / shaved / after and between time points takes to show its picture.
import fs from 'node:fs';
import path from 'node:path';
import { BASE, launch, setUp, addClient, check, shot, result } from './lib.mjs';

const REAL = path.resolve('../../../../shared/photos/shaved-norwood-front.jpg');
const real = fs.existsSync(REAL);
const PHOTO = real ? REAL : path.resolve('../../follicle-render/tests/data/mannequin-front.jpg');
const MARKS = real
  ? { glabella: [202, 195], lateral_canthus_right: [141, 210], lateral_canthus_left: [276, 228] }
  : { glabella: [240, 352], mid_frontal: [240, 243], frontotemporal_left: [334, 286], frontotemporal_right: [146, 286], lateral_canthus_left: [310, 380], lateral_canthus_right: [170, 380] };
const CASE = 'seed = 7\nsessions = 3\npattern = "norwood-5"\n[client]\nname = "Preview"\n[head]\nsex = "male"\n';

// A second view of the same head: the mannequin's left side (follicle-render's view_photos example) and
// its landmarks, exact to the pixel's fraction.
const LEFT = path.resolve('../../follicle-render/tests/data/mannequin-left.jpg');
const LEFT_MARKS = Object.fromEntries([...fs.readFileSync(LEFT.replace(/jpg$/, 'toml'), 'utf8').matchAll(/^(\w+) = \[([\d.]+), ([\d.]+)\]/gm)].map((m) => [m[1], [Number(m[2]), Number(m[3])]]));

/** Clicks landmark `name` at photo pixel `xy` in the marks editor. */
async function markAt(page, name, [x, y]) {
  await page.locator(`#marks-editor input[value=${name}]`).check();
  await page.locator('.marks-canvas').scrollIntoViewIfNeeded();
  const box = await page.locator('.marks-canvas').boundingBox();
  const w = await page.evaluate(() => document.querySelector('.marks-canvas').dataset.natural);
  const k = box.width / Number(w);
  await page.mouse.click(box.x + x * k, box.y + y * k);
}

/**
 * Uploads the left side of the same client through the record's form (view chosen there, shown on the
 * photo), marks its landmarks in the preview's marks editor, reads how they fit, previews it, and names a
 * mark moved 15 mm.
 */
async function secondView(page, clientId) {
  await page.goto(`${BASE}/#/clients/${clientId}`);
  const form = page.locator('form:has(input[name=photo])');
  await form.locator('input[name=photo]').setInputFiles(LEFT);
  await form.locator('select[name=view]').selectOption('left');
  await form.locator('input[name=caption]').fill('Left side');
  await form.locator('button[type=submit]').click();
  const badge = page.locator('figure[data-view=left] .badge.view');
  await badge.waitFor({ timeout: 60000 });
  const label = await badge.innerText();
  check(/left side/i.test(label), `the left photo is labelled as such: ${label}`);
  await shot(page, 'photo-views-record', { fullPage: true });
  await page.locator('#photo-preview-link').click();
  await page.getByRole('heading', { name: /preview on the photo/i }).first().waitFor();
  const leftId = await page.evaluate(() => [...document.querySelectorAll('select[name=photo] option')].find((o) => o.dataset.view === 'left').value);
  await page.selectOption('select[name=photo]', leftId);
  await page.waitForFunction((id) => document.querySelector('#marks-editor')?.dataset.photo === id && document.querySelector('.marks-canvas')?.dataset.ready === 'true', leftId, { timeout: 60000 });
  const offered = await page.locator('#marks-editor input[type=radio]').evaluateAll((els) => els.map((e) => e.value));
  check(offered.join(',') === Object.keys(LEFT_MARKS).join(','), `the editor offers the left view's landmarks: ${offered}`);
  for (const [name, xy] of Object.entries(LEFT_MARKS)) await markAt(page, name, xy);
  // Every mark's label stands clear of the others on the picture (outside probe L5: labels over each other).
  const labels = JSON.parse(await page.locator('.marks-canvas').getAttribute('data-labels'));
  const overlapping = labels.flatMap((a, i) => labels.slice(i + 1).filter((b) => a[0] < b[2] && a[2] > b[0] && a[1] < b[3] && a[3] > b[1]).map((b) => [a, b]));
  check(labels.length === Object.keys(LEFT_MARKS).length && overlapping.length === 0, `the marks' labels do not overlap (${JSON.stringify(overlapping)})`);
  await page.locator('#save-marks').click();
  await page.waitForFunction(() => document.querySelector('#marks-fit')?.dataset.fits === 'true', null, { timeout: 60000 });
  const words = await page.locator('#fit-words').innerText();
  const residuals = await page.locator('#fit-table tbody tr td:last-child').allInnerTexts();
  check(/^All 7 marks fit the head within/.test(words), `the left photo fits: ${words}`);
  await page.waitForFunction(() => document.querySelector('.photo-preview-img')?.naturalWidth > 0 && document.body.dataset.previewReady === 'true', null, { timeout: 240000 });
  const previewWidth = await page.evaluate(() => document.querySelector('.photo-preview-img').naturalWidth);
  check(previewWidth === 480, `the left photo is previewed at its size: ${previewWidth}`);
  await shot(page, 'photo-views-left', { fullPage: true });
  // The left tragion marked 15 mm behind where it is (1.83 px/mm on this photo).
  const [tx, ty] = LEFT_MARKS.tragion_left;
  await markAt(page, 'tragion_left', [tx + 15 * 1.83, ty]);
  await page.locator('#save-marks').click();
  await page.waitForFunction(() => document.querySelector('#marks-fit')?.dataset.culprit === 'tragion_left', null, { timeout: 60000 });
  const culprit = await page.locator('#fit-words').innerText();
  check(/left tragion mark looks wrong: 1[3-7] mm off/.test(culprit), `the moved mark is named: ${culprit}`);
  await shot(page, 'photo-views-culprit', { fullPage: true });
  return { label, offered, words, residuals, culprit, preview_width: previewWidth };
}

/**
 * On the client record, the left photo is said to show the right side ("Wrong view?"): the badge follows,
 * its marks (of the left view) are dropped, and it is set back to the left.
 */
async function changeView(page, clientId) {
  await page.goto(`${BASE}/#/clients/${clientId}`);
  const fig = (view) => page.locator(`figure[data-view=${view}]`);
  await fig('left').waitFor();
  const id = await fig('left').getAttribute('data-photo');
  await fig('left').locator('summary', { hasText: 'Wrong view?' }).click();
  const warned = await fig('left').locator('.view-change small').innerText();
  // The marks go only when the practitioner agrees: "keep" leaves view and marks, then "clear" changes it.
  await fig('left').locator(`select[name=view-${id}]`).selectOption('right');
  const asked = await fig('left').locator('.view-change [role=alert]').innerText();
  check(/landmarks placed/.test(asked) && /cleared/.test(asked), `the change asks before clearing the marks: ${asked}`);
  await fig('left').locator(`[data-keep-marks="${id}"]`).click();
  const kept = await page.evaluate((cid) => fetch(`/api/clients/${cid}/photos`).then((x) => x.json()), clientId);
  const k = kept.find((x) => String(x.id) === id);
  check(k.view === 'left' && k.marks?.count > 0 && await fig('left').locator(`select[name=view-${id}]`).inputValue() === 'left',
    `keeping leaves the view and the marks: ${JSON.stringify(k)}`);
  await fig('left').locator(`select[name=view-${id}]`).selectOption('right');
  await fig('left').locator(`[data-clear-marks="${id}"]`).click();
  await page.waitForFunction((pid) => document.querySelector(`figure[data-photo="${pid}"]`)?.dataset.view === 'right', id, { timeout: 20000 });
  const badge = await page.locator(`figure[data-photo="${id}"] .badge.view`).innerText();
  check(/right side/i.test(badge), `the badge follows the new view: ${badge}`);
  const listed = await page.evaluate((cid) => fetch(`/api/clients/${cid}/photos`).then((x) => x.json()), clientId);
  const p = listed.find((x) => String(x.id) === id);
  check(p.view === 'right' && p.marks === null, `the view is stored and the left view's marks dropped: ${JSON.stringify(p)}`);
  await shot(page, 'photo-views-changed', { fullPage: true });
  await page.locator(`figure[data-photo="${id}"] summary`, { hasText: 'Wrong view?' }).click();
  await page.locator(`figure[data-photo="${id}"] select[name=view-${id}]`).selectOption('left');
  await page.waitForFunction((pid) => document.querySelector(`figure[data-photo="${pid}"]`)?.dataset.view === 'left', id, { timeout: 20000 });
  return { warned, asked, badge };
}

const { page, problems, close } = await launch();
try {
  await setUp(page, { clinic: 'Preview Clinic', name: 'Pat Practitioner', username: 'pat', password: 'a long preview password 42' });
  await addClient(page, { name: 'Preview Client', reference: 'PV-1' });
  const clientId = Number(page.url().match(/#\/clients\/(\d+)/)[1]);
  const bytes = fs.readFileSync(PHOTO).toString('base64');
  const ids = await page.evaluate(async ({ clientId, bytes, marks, kase }) => {
    const { post, put } = await import('/ui/api.js');
    const raw = Uint8Array.from(atob(bytes), (c) => c.charCodeAt(0));
    const photo = await post(`/api/clients/${clientId}/photos?caption=Front`, new Blob([raw], { type: 'image/jpeg' }));
    // Kept as proposed from the face (not yet confirmed), as an upload on the record leaves them.
    await put(`/api/photos/${photo.id}/landmarks`, { landmarks: marks, proposed: ['glabella', 'lateral_canthus_right', 'lateral_canthus_left'] });
    const plan = await post(`/api/clients/${clientId}/plans`, { case: kase, label: 'Norwood 5' });
    return { photo: photo.id, plan: plan.id };
  }, { clientId, bytes, marks: MARKS, kase: CASE });
  await page.goto(`${BASE}/#/clients/${clientId}`);
  await page.locator('#photo-preview-link').click();
  await page.getByRole('heading', { name: /preview on the photo/i }).first().waitFor();
  await page.waitForFunction(() => document.querySelector('.photo-preview-img')?.naturalWidth > 0, null, { timeout: 120000 });
  await page.waitForFunction(() => document.body.dataset.previewReady === 'true', null, { timeout: 240000 });
  // Made from marks not yet confirmed: the preview says so beside the picture, and the marks editor offers
  // to confirm them; confirmed, the sentence goes.
  await page.locator('#marks-warning').waitFor({ timeout: 120000 });
  const proposedWarning = await page.locator('#marks-warning').innerText();
  check(/proposed from the face and not yet confirmed/.test(proposedWarning), `the preview says its marks are not confirmed: ${proposedWarning}`);
  await page.waitForFunction(() => /not yet confirmed: .*glabella/i.test(document.querySelector('#marks-proposed-note')?.textContent || ''), null, { timeout: 60000 });
  await shot(page, 'photo-preview-proposed', { fullPage: true });
  await page.locator('#confirm-proposed').click();
  await page.waitForFunction(() => !document.querySelector('#marks-warning') && document.querySelector('#marks-fit')?.dataset.fits === 'true', null, { timeout: 120000 });
  const confirmedMarks = await page.evaluate((id) => fetch(`/api/photos/${id}/landmarks`).then((x) => x.json()), ids.photo);
  check(confirmedMarks.proposed.length === 0, `confirmed on the server: ${JSON.stringify(confirmedMarks)}`);
  await page.waitForFunction(() => document.body.dataset.previewReady === 'true', null, { timeout: 240000 });
  await shot(page, 'photo-preview-after', { fullPage: true });
  const stage = page.locator('input[name=stage]');
  const pictures = {};
  for (const [value, name] of [[0, 'before'], [1, 'shaved'], [2, 'after']]) {
    await stage.fill(String(value));
    await page.waitForFunction((n) => window.__previewSwitchMs.length >= n, value + 1);
    pictures[name] = await page.evaluate(() => document.querySelector('.photo-preview-img').src);
  }
  check(new Set(Object.values(pictures)).size === 3, 'before, shaved and after are three pictures');
  for (const s of ['fresh', 'years:5', 'years:10', 'healed']) {
    const n = await page.evaluate(() => window.__previewSwitchMs.length);
    await page.selectOption('select[name=state]', s);
    await page.waitForFunction((k) => window.__previewSwitchMs.length > k, n);
  }
  await shot(page, 'photo-preview-healed', { fullPage: true });
  // The picture shown, seen from another distance, is fetched ahead: the switch is timed like the others.
  await page.waitForFunction(() => document.body.dataset.distancesReady === 'true', null, { timeout: 240000 });
  for (const d of ['2000', '1000']) {
    const n = await page.evaluate(() => window.__previewSwitchMs.length);
    await page.selectOption('select[name=distance]', d);
    await page.waitForFunction((k) => window.__previewSwitchMs.length > k, n);
  }
  // The picture after another session is fetched ahead too, and its switch timed (outside test s49: a session
  // or guard change waited 0.65–2.7 s, untimed); back to the last session, drawn at the start.
  await page.waitForFunction(() => document.body.dataset.othersReady === 'true', null, { timeout: 240000 });
  const sessionValues = await page.locator('select[name=session] option').evaluateAll((os) => os.map((o) => o.value));
  for (const k of sessionValues.length > 1 ? [sessionValues[0], sessionValues[sessionValues.length - 1]] : []) {
    const n = await page.evaluate(() => window.__previewSwitchMs.length);
    await page.selectOption('select[name=session]', k);
    await page.waitForFunction((i) => window.__previewSwitchMs.length > i, n);
  }
  // A guard switch and "Enlarge the scalp", fetched ahead as well and timed (outside test s53: 426 and 986 ms).
  const timedSwitch = async (act) => {
    const n = await page.evaluate(() => window.__previewSwitchMs.length);
    await act();
    await page.waitForFunction((i) => window.__previewSwitchMs.length > i, n);
  };
  await page.waitForFunction(() => document.body.dataset.othersReady === 'true', null, { timeout: 240000 });
  await timedSwitch(() => page.selectOption('select[name=guard]', '0'));
  await timedSwitch(() => page.selectOption('select[name=guard]', ''));
  await page.waitForFunction(() => document.body.dataset.othersReady === 'true', null, { timeout: 240000 });
  await timedSwitch(() => page.locator('input[name=zoom]').check());
  await timedSwitch(() => page.locator('input[name=zoom]').uncheck());
  await page.waitForFunction(() => document.body.dataset.previewReady === 'true', null, { timeout: 240000 });
  await stage.fill('0');
  await shot(page, 'photo-preview-before', { fullPage: true });
  const switches = await page.evaluate(() => window.__previewSwitchMs);
  // The advice beside the picture: the guard that matches (the default), the shade on the client's skin.
  await page.locator('#guard-advice').waitFor({ timeout: 120000 });
  const advice = { default_guard: await page.locator('#guard-advice').innerText() };
  advice.default_warning = await page.locator('#tone-warning').count();
  advice.shade_rows = await page.locator('#shade-table tbody tr').count();
  advice.swatches = await page.locator('#shade-table .swatch').count();
  advice.shade_flags = await page.locator('#shade-table .badge.warn').count();
  advice.shade_notes = await page.locator('.shade-note').allInnerTexts();
  // Which pigments the picture and the match use, in words (no pigment of this clinic has its colour recorded).
  advice.catalogue = await page.locator('#catalogue-note').innerText();
  check(await page.locator('#catalogue-note').getAttribute('data-catalogue') === 'built-in'
    && /^Drawn with the built-in catalogue: none of the clinic.s pigments has its colour recorded\.$/.test(advice.catalogue),
    `the advice says which catalogue the picture is drawn with (${advice.catalogue})`);
  await shot(page, 'photo-preview-advice', { fullPage: true });
  // A longer guard than the pigment can match: said in words, naming the guard that does.
  // On the real photo his dark 0.5 mm clip cannot match; the synthetic mannequin photo has no dark clip, so
  // there the warning may rightly stay away (the Rust side checks it on the real photo only).
  // A picture not drawn yet: the one shown is dimmed under "Rendering on the server…" until it arrives.
  await page.evaluate(() => {
    window.__previewBusySeen = false;
    const box = document.querySelector('#photo-preview-box');
    new MutationObserver(() => { if (box.classList.contains('busy')) window.__previewBusySeen = true; }).observe(box, { attributes: true });
  });
  await page.selectOption('select[name=guard]', '0.5');
  if (real) {
    await page.locator('#tone-warning').waitFor({ timeout: 120000 });
    advice.warning_at_0_5 = await page.locator('#tone-warning').innerText();
  }
  await page.waitForFunction(() => document.body.dataset.previewReady === 'true', null, { timeout: 240000 });
  if (!real) advice.warning_at_0_5 = (await page.locator('#tone-warning').count()) ? await page.locator('#tone-warning').innerText() : null;
  check(await page.evaluate(() => window.__previewBusySeen), 'a picture being drawn shows that it is being drawn');
  check(await page.evaluate(() => !document.querySelector('#photo-preview-box').classList.contains('busy')), 'the drawn picture is no longer dimmed');
  await shot(page, 'photo-preview-guard-0.5', { fullPage: true });
  // The settings are kept in the address: a reload shows the same picture (outside test s54: the first photo
  // and the defaults came back).
  await page.reload();
  await page.waitForFunction(() => document.querySelector('.photo-preview-img')?.naturalWidth > 0, null, { timeout: 120000 });
  const kept = await page.evaluate(() => ['guard', 'state', 'distance', 'session', 'stage'].map((n) => document.querySelector(`[name=${n}]`).value).join());
  check(kept === `0.5,healed,1000,${sessionValues[sessionValues.length - 1]},0`, `a reload keeps the picture's settings: ${kept}`);
  await page.waitForFunction(() => document.body.dataset.previewReady === 'true', null, { timeout: 240000 });
  const errors = await page.locator('.error').count();
  check(errors === 0, 'no error shown');
  const views = await secondView(page, clientId);
  views.proposed_warning = proposedWarning;
  views.changed = await changeView(page, clientId);
  // The left photo before its marks: its landmarks are not there yet (404), and its preview and advice say
  // in words what to mark (422, shown on the page), again after its view is changed; nothing else may fail.
  const unexpected = problems.filter((p) => !/status of 404|status of 422/.test(p));
  check(unexpected.length === 0 && problems.length <= 8, problems.join('; '));
  const sorted = [...switches].sort((a, b) => a - b);
  const out = {
    photo: real ? 'real' : 'mannequin',
    switches_ms: switches.map((x) => Math.round(x)),
    median_ms: Math.round(sorted[Math.floor(sorted.length / 2)]),
    max_ms: Math.round(sorted[sorted.length - 1]),
    advice,
    views,
    ids,
  };
  console.log(JSON.stringify(out));
  result('photo-preview', out);
} finally {
  await close();
}
