// Browser test of issue 10's "one engine": the editor plans with follicle-core compiled to WebAssembly; the plan it
// shows equals, byte for byte, the plan.json the server stores for the same design; every control changes the
// picture (edit-to-picture time measured on the full-scalp design); a saved design and the photo's marks survive
// a reload.
import { BASE, launch, shot, check, setUp, addClient, result, facePhoto, photoPoint, MARKS } from './lib.mjs';

const renders = (page) => page.evaluate(() => Number(document.querySelector('.topview').dataset.renders || 0));
const picture = (page) => page.evaluate(() => document.querySelector('.topview').toDataURL());
const planText = (page) => page.evaluate(() => document.querySelector('.topview').planText || '');

/** Runs an edit and waits for the picture of the design it made; returns { ms, changed, replanned }. */
async function edit(page, action) {
  const [n, pic, text] = [await renders(page), await picture(page), await planText(page)];
  await action();
  await page.waitForFunction((n) => Number(document.querySelector('.topview').dataset.renders || 0) > n, n, { timeout: 30000 });
  const ms = await page.evaluate(() => Number(document.querySelector('.topview').dataset.latencyMs));
  // The first picture (session 1) counts; then the whole plan, before the next edit.
  await page.waitForFunction(() => document.querySelector('.topview').dataset.complete === '1', null, { timeout: 30000 });
  await page.waitForTimeout(50);
  return { ms, changed: (await picture(page)) !== pic, replanned: (await planText(page)) !== text };
}

/** Drags from photo point a to photo point b in a few moves. */
async function dragOnPhoto(page, a, b) {
  const [x0, y0] = await photoPoint(page, a);
  const [x1, y1] = await photoPoint(page, b);
  await page.mouse.move(x0, y0); await page.mouse.down();
  for (const t of [0.5, 1]) await page.mouse.move(x0 + (x1 - x0) * t, y0 + (y1 - y0) * t);
  await page.mouse.up();
}

const { page, problems, close } = await launch();
const out = {};
try {
  await setUp(page, { clinic: 'Northside SMP', name: 'Iris Vane', username: 'iris', password: 'correct horse battery' });
  await addClient(page, { name: 'Dara Quinn', reference: 'c-2025-101', dob: '1980-05-01' });
  const clientId = page.url().match(/clients\/(\d+)/)[1];
  // The consultation classifies Ludwig II: a new design starts there (a woman's head, the ludwig-2 zones), not
  // from a Norwood 6 man.
  await page.getByLabel('Hair-loss scale').selectOption('ludwig');
  await page.getByLabel('Stage').selectOption('II');
  // Fair skin and black hair: the design starts with diluted carbon black (follicle_render::start_shade).
  await page.getByLabel('Fitzpatrick skin type').selectOption('II');
  await page.getByLabel('Hair colour', { exact: true }).selectOption('black');
  await page.getByRole('button', { name: 'Save consultation and screen' }).click();
  await page.locator('.outcome').waitFor();
  await page.getByRole('link', { name: 'Design editor' }).first().click();
  await page.getByRole('heading', { name: /Design for/ }).waitFor();
  check(/ludwig II/i.test(await page.locator('#design-from').textContent()), 'the editor says where the design starts from');
  check(await page.getByLabel('Pattern').inputValue() === 'ludwig-2' && await page.getByLabel('Sex (head defaults)').inputValue() === 'female',
    'a new design starts from the consultation (Ludwig II, female)');
  // Her hairline starts as the core starts a woman's: no frontotemporal recession (outside probe s22: a man's 8 mm).
  out.started_recession_mm = await page.locator('input[name=recession_mm]').inputValue();
  check(out.started_recession_mm === '0', `a woman's new design starts without temple recession (${out.started_recession_mm} mm)`);
  // Her mid-frontal point starts at a woman's natural height (Kashiyama 2021: 62 mm), not Garg's 80 mm for men
  // (outside test s53).
  out.started_height_mm = await page.locator('#r-height').inputValue();
  check(out.started_height_mm === '62', `a woman's new design starts with B at 62 mm (${out.started_height_mm})`);
  // Another sex moves the values still at the sex's defaults, and says which (outside test s53: silently).
  await page.getByLabel('Sex (head defaults)').selectOption('male');
  out.sex_switch_said = await page.locator('#toast').textContent();
  check(/man’s starting values: B height 62 → 80 mm, temple recession 0 → 8 mm, head breadth 147 → 154 mm/.test(out.sex_switch_said), `a sex switch says what moved (${out.sex_switch_said})`);
  await page.getByLabel('Sex (head defaults)').selectOption('female');
  check(await page.locator('#r-height').inputValue() === '62' && await page.locator('input[name=recession_mm]').inputValue() === '0', 'switched back, her values return');
  out.started_from = await page.locator('#design-from').textContent();
  await page.waitForFunction(() => (document.querySelector('.topview').planText || '').startsWith('{'), null, { timeout: 30000 });
  check(await page.evaluate(() => typeof document.querySelector('.topview').planText === 'string'), 'the core planned the design in the page');
  // Her Ludwig design keeps her hair: the mannequin is said to be shaved only to show the pigment (outside
  // test s53: she saw herself bald).
  await page.waitForFunction(() => document.querySelector('.topview').dataset.complete === '1', null, { timeout: 30000 });
  check(await page.locator('#hair-kept-note').isVisible(), 'a design among kept hair says the mannequin is shaved only to show the pigment');
  // What SMP adds beside the density typed says the share of her own hair kept (outside test s53: 85 typed,
  // 42.5 added, no word why).
  out.own_hair = await page.locator('[data-added] small').allTextContents();
  check(out.own_hair.length > 0 && out.own_hair.every((t) => /^\d+ % own hair$/.test(t)), `the zones with her own hair say its share (${out.own_hair})`);
  // The starting shade, in words, and applied to every zone of the plan the core made.
  const shadeWords = await page.locator('#design-shade').textContent();
  out.starting_shade = shadeWords;
  check(/carbon black at 49 % for Fitzpatrick II \(fair skin\) with black hair/.test(shadeWords) && /diluted/.test(shadeWords),
    `the editor says which shade and why (${shadeWords})`);
  check(/From the built-in catalogue: none of the clinic’s pigments has its colour recorded|From the built-in catalogue: none of the clinic's pigments has its colour recorded/.test(shadeWords),
    `the editor says which catalogue the shade came from (${shadeWords})`);
  // Each sentence stands apart from the next in the block's text (it once read "…lighter).From the built-in").
  check(/\. From the built-in catalogue/.test(shadeWords) && !/[.)!?][A-Z]/.test(shadeWords),
    `the starting shade's sentences are separated by a space (${shadeWords})`);
  const dilutions = (page) => page.evaluate(() => Object.fromEntries(JSON.parse(document.querySelector('.topview').planText).design.zones.map((z) => [z.id, [z.shade, z.dilution.join('/')]])));
  const started = await dilutions(page);
  out.starting_dilutions = started;
  check(started.frontal && started.frontal[0] === 'carbon black' && started.frontal[1] === '0.38/0.44/0.49' && started.sides[1] === '0.38/0.44/0.49',
    `the new design's zones start with the shade (${JSON.stringify(started)})`);
  check(await page.locator('[data-strengths="frontal"]').textContent() === '38 / 44 / 49 %', 'the zone table shows the strengths per session');

  // A photo with the six marks.
  await page.getByText('Upload a photo').click();
  await page.getByLabel('Photo (PNG or JPEG)').setInputFiles({ name: 'front.png', mimeType: 'image/png', buffer: await facePhoto(page) });
  await page.getByLabel('Caption').fill('front');
  await page.getByRole('button', { name: 'Upload' }).click();
  await page.waitForFunction(() => document.querySelector('.photo-img').naturalWidth === 800 && document.querySelector('.photo-overlay').dataset.ready === '800');
  // The photo list tells photos apart: caption, view and when it was taken in (outside probe L5: "Photo 1/2/3").
  const option = await page.locator('#photo-select option:checked').textContent();
  check(/^front · front view · \d/.test(option), `the photo list names the caption, view and date (${option})`);
  // A new photo has its face marks proposed at once; the practitioner waits for that, then marks by hand.
  await page.waitForFunction(() => document.querySelector('.photo-overlay').dataset.proposed === 'done', null, { timeout: 30000 });
  if (await page.evaluate(() => document.querySelector('.photo-overlay').dataset.unconfirmed)) {
    await page.getByRole('button', { name: 'Mark again' }).click();
  }
  // The face marks clicked; the right C dragged from where the design draws it to where it belongs while B is
  // asked for (outside test s49: that drag put B where it began); B and the left C clicked. The photo stays put
  // on the page while the guide above it changes (outside test s50: it moved 23 px between marks).
  const photoTop = () => page.evaluate(() => Math.round(document.querySelector('.photo-img').getBoundingClientRect().top + window.scrollY));
  const tops = [await photoTop()];
  for (const m of MARKS.slice(0, 3)) {
    const [x, y] = await photoPoint(page, m);
    await page.mouse.click(x, y);
    tops.push(await photoTop());
  }
  await page.waitForFunction(() => JSON.parse(document.querySelector('.photo-overlay').dataset.points || '{}').frontotemporal_right);
  const drawnC = JSON.parse(await page.locator('.photo-overlay').getAttribute('data-points')).frontotemporal_right;
  out.drawn_c_while_marking = drawnC;
  await dragOnPhoto(page, drawnC, MARKS[4]);
  tops.push(await photoTop());
  for (const m of [MARKS[3], MARKS[5]]) {
    const [x, y] = await photoPoint(page, m);
    await page.mouse.click(x, y);
    tops.push(await photoTop());
  }
  await page.getByText('Hairline proposed.').waitFor();
  tops.push(await photoTop());
  out.photo_tops_while_marking = tops;
  check(tops.every((t) => Math.abs(t - tops[0]) <= 1), `the photo stays put while it is marked (its top on the page: ${tops.join(', ')})`);
  await page.waitForFunction(() => document.querySelector('.photo-overlay').dataset.points);
  await page.waitForFunction(() => /marks saved/.test(document.querySelector('#marks-status').textContent));
  {
    const pid = await page.locator('#photo-select').inputValue();
    const kept = await page.evaluate(async (pid) => (await (await fetch(`/api/photos/${pid}/landmarks`)).json()).landmarks, pid);
    const at = (k, m) => kept[k] && Math.hypot(kept[k][0] - m[0], kept[k][1] - m[1]) < 1.5;
    out.marked_with_a_drag = kept;
    check(at('mid_frontal', MARKS[3]) && at('frontotemporal_right', MARKS[4]) && at('frontotemporal_left', MARKS[5]),
      `B stays where it was clicked and the dragged C is marked where it was dropped (${JSON.stringify(kept)}; C drawn at ${JSON.stringify(drawnC)})`);
  }

  // Photo and head edits drive one design and compose (outside probe F8): a point shaped on the head survives a
  // nudge of B on the photo; the right C moves on its own; a temporal peak D can be dragged on the photo.
  {
    const designed = () => page.evaluate(() => {
      const p = JSON.parse(document.querySelector('.topview').planText);
      return { hairline: p.design.hairline, line: p.hairline };
    });
    const photoPoints = async () => JSON.parse(await page.locator('.photo-overlay').getAttribute('data-points'));
    const near = (a, b, mm) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]) < mm;
    const topCanvas = page.locator('.topview');
    await topCanvas.scrollIntoViewIfNeeded();
    const box = await topCanvas.boundingBox();
    const [hx, hy] = JSON.parse(await topCanvas.getAttribute('data-handles'))[1];
    await edit(page, async () => {
      await page.mouse.move(box.x + hx, box.y + hy); await page.mouse.down();
      await page.mouse.move(box.x + hx + 6, box.y + hy + 8); await page.mouse.move(box.x + hx + 12, box.y + hy + 16); await page.mouse.up();
    });
    const shaped = (await designed()).hairline;
    check(Array.isArray(shaped.control_points) && shaped.control_points.length === 7, `dragging handle #1 on the head places the points by hand (${JSON.stringify(shaped)})`);
    const heldC = shaped.control_points[1];
    const b = (await photoPoints()).mid_frontal;
    await page.locator('.photo-overlay').scrollIntoViewIfNeeded();
    await edit(page, () => dragOnPhoto(page, b, [b[0], b[1] - 8]));
    const nudged = (await designed()).hairline;
    out.compose = { shaped_c: heldC, after_b: nudged.control_points && nudged.control_points[1], heights: [shaped.mid_frontal_height_mm, nudged.mid_frontal_height_mm] };
    check(nudged.mid_frontal_height_mm > shaped.mid_frontal_height_mm, `B nudged up on the photo raises the mid-frontal height (${out.compose.heights})`);
    check(Array.isArray(nudged.control_points) && near(nudged.control_points[1], heldC, 0.3),
      `the point shaped on the head stays after B is nudged on the photo (${JSON.stringify(out.compose)})`);
    const leftBefore = nudged.control_points[5];
    const cr = (await photoPoints()).frontotemporal_right;
    await edit(page, () => dragOnPhoto(page, cr, [cr[0] - 6, cr[1] - 10]));
    const rightMoved = (await designed()).hairline.control_points;
    check(!near(rightMoved[1], nudged.control_points[1], 1) && near(rightMoved[5], leftBefore, 0.3),
      `the right C moves on the photo and the left C does not (${JSON.stringify([rightMoved[1], rightMoved[5], leftBefore])})`);
    const before = await designed();
    const dl = (await photoPoints()).temporal_peak_left;
    const r = await edit(page, () => dragOnPhoto(page, dl, [dl[0] + 4, dl[1] - 12]));
    const after = await designed();
    const end = (l) => l[l.length - 1];
    check(r.replanned && !near(after.hairline.control_points[6], before.hairline.control_points[6], 1) && !near(end(after.line), end(before.line), 1)
      && near(after.hairline.control_points[0], before.hairline.control_points[0], 0.3),
    `the left temporal peak D moves when dragged on the photo, the right one stays (${JSON.stringify([before.hairline.control_points[6], after.hairline.control_points[6]])})`);
    out.compose.d_moved_mm = Math.hypot(...after.hairline.control_points[6].map((v, i) => v - before.hairline.control_points[6][i]));
    await page.getByRole('button', { name: 'Reset hairline points' }).click();
    await page.waitForFunction(() => document.querySelector('.topview').dataset.complete === '1', null, { timeout: 30000 });
  }

  // The full-scalp design, the planning benchmark's case.
  const full = await edit(page, () => page.getByLabel('Pattern').selectOption('full-scalp'));
  check(!(await page.locator('#hair-kept-note').isVisible()), 'a shaved design (full scalp) has no kept-hair note');
  const shown = Number(await page.locator('.topview').getAttribute('data-shown'));
  check(full.replanned && shown > 30000, `the full-scalp design is planned in the browser (${shown} impressions)`);
  // Another pattern's zones get the starting shade too: the designed hairline (in Ludwig II her own, a blend zone) a step lighter.
  await page.waitForFunction(() => JSON.parse(document.querySelector('.topview').planText).design.zones.find((z) => z.id === 'hairline')?.dilution.join('/') === '0.33/0.38/0.44', null, { timeout: 30000 })
    .catch(() => {});
  const fullShades = await dilutions(page);
  check(fullShades.hairline && fullShades.hairline[1] === '0.33/0.38/0.44' && fullShades.crown[1] === '0.38/0.44/0.49',
    `the full-scalp zones keep the starting shade (${JSON.stringify(fullShades)})`);

  // Every control changes the picture, and the time from the edit to its picture is measured.
  const points = async () => JSON.parse(await page.locator('.photo-overlay').getAttribute('data-points'));
  const key = (sel, k) => async () => { await page.locator(sel).focus(); await page.keyboard.press(k); };
  const controls = [
    ['B on the photo', async () => { const b = (await points()).mid_frontal; await dragOnPhoto(page, b, [b[0], b[1] - 12]); }],
    ['mid-frontal height', key('#r-height', 'PageDown')],
    ['recession', key('#r-rec', 'PageUp')],
    ['style', () => page.getByLabel('Style').selectOption('juvenile')],
    ['irregularity', key('#r-irr', 'PageUp')],
    ['edge', () => page.getByLabel('Edge').selectOption('defined')],
    ['crown density', () => page.locator('input[name="density-crown"]').fill('60')],
    ['back needle', () => page.locator('select[name="needle-back"]').selectOption('1RL')],
    // A C dragged on the photo is a hand-placed point (left and right apart): recession and style no longer
    // shape the hairline after it, so it comes after them.
    ['C on the photo', async () => { const c = (await points()).frontotemporal_right; await dragOnPhoto(page, c, [c[0], c[1] - 10]); }],
    ['D on the head', async () => {
      const canvas = page.locator('.topview');
      await canvas.scrollIntoViewIfNeeded();
      const box = await canvas.boundingBox();
      const [hx, hy] = JSON.parse(await canvas.getAttribute('data-handles'))[0];
      await page.mouse.move(box.x + hx, box.y + hy); await page.mouse.down();
      await page.mouse.move(box.x + hx - 4, box.y + hy - 6); await page.mouse.move(box.x + hx - 8, box.y + hy - 12); await page.mouse.up();
    }],
    ['mid-frontal height again', key('#r-height', 'PageUp')],
  ];
  const samples = [];
  out.controls_changed = {};
  for (const [name, action] of controls) {
    const r = await edit(page, action);
    console.log(`${name}: ${JSON.stringify(r)} ${await page.locator('#core-status').textContent()}`);
    // The needle of a zone changes the plan (needle, impression sizes), not always the top view's dots.
    const crown = await page.evaluate(() => JSON.parse(document.querySelector('.topview').planText).design.zones.find((z) => z.id === 'crown')?.density_cm2);
    check(r.replanned, `${name} replans the design (${JSON.stringify(r)}, crown ${crown}, box ${await page.locator('input[name="density-crown"]').inputValue()})`);
    if (name !== 'back needle') check(r.changed, `${name} changes the preview`);
    out.controls_changed[name] = r.changed;
    samples.push(r.ms);
  }
  // Many more edits, each measured: hairline edits (the geometry is rebuilt), density edits (the core keeps the
  // geometry) and bursts (four edits in a row as fast as keys repeat: only the newest is planned, and its picture
  // is timed from the last key).
  const burst = (sel, k) => async () => { await page.locator(sel).focus(); for (let i = 0; i < 4; i++) await page.keyboard.press(k); };
  const more = [];
  for (let i = 0; i < 6; i++) {
    more.push(['height', key('#r-height', i % 2 ? 'PageUp' : 'PageDown')]);
    more.push(['density', () => page.locator('input[name="density-crown"]').fill(String(62 + i))]);
    // (The points are placed by hand by now: recession is greyed out, irregularity still shapes the line.)
    more.push(['burst', burst('#r-irr', i % 2 ? 'ArrowDown' : 'ArrowUp')]);
  }
  // Points placed by hand: recession and style, which no longer shape the line, are greyed out; B dragged on
  // the head sets the height to where it now stands, as plan.json and the stencil state it (outside test s49:
  // the box, the plan's name and the stencil's title said 80 mm, its A–B measured 91.8 mm).
  out.hand_placed = { recession_disabled: await page.locator('#r-rec').isDisabled(), style_disabled: await page.getByLabel('Style').isDisabled() };
  check(out.hand_placed.recession_disabled && out.hand_placed.style_disabled, `recession and style are greyed out once the points are placed by hand (${JSON.stringify(out.hand_placed)})`);
  {
    const heightBefore = Number(await page.locator('#r-height').inputValue());
    await edit(page, async () => {
      const canvas = page.locator('.topview');
      await canvas.scrollIntoViewIfNeeded();
      const box = await canvas.boundingBox();
      const [hx, hy] = JSON.parse(await canvas.getAttribute('data-handles'))[3];
      await page.mouse.move(box.x + hx, box.y + hy); await page.mouse.down();
      await page.mouse.move(box.x + hx, box.y + hy - 8); await page.mouse.move(box.x + hx, box.y + hy - 16); await page.mouse.up();
    });
    await page.waitForFunction(() => document.querySelector('.topview').dataset.complete === '1', null, { timeout: 30000 });
    const heightAfter = Number(await page.locator('#r-height').inputValue());
    const planned = await page.evaluate(() => JSON.parse(document.querySelector('.topview').planText).design.hairline.mid_frontal_height_mm);
    out.hand_placed.height = { before: heightBefore, after: heightAfter, planned };
    // (The slider snaps to its 0.5 mm steps; its number beside it and plan.json hold the 0.1 mm.)
    check(Math.abs(heightAfter - heightBefore) > 1 && Math.abs(planned - heightAfter) <= 0.25, `B dragged on the head sets the height where it stands (${JSON.stringify(out.hand_placed.height)})`);
  }
  const byKind = {};
  for (const [kind, action] of more) {
    const r = await edit(page, action);
    check(r.replanned, `a ${kind} edit replans the design`);
    (byKind[kind] ||= []).push(r.ms);
    samples.push(r.ms);
  }
  // Edits made while the last one is still being planned (its first picture shown, its later sessions not yet):
  // the worker drops the stale plan at its next step and plans the newest (s52: the first edit after the
  // editor opened waited 355 ms). Reported with the other times.
  const during = [];
  for (let i = 0; i < 5; i++) {
    const n = await renders(page);
    await page.locator('#r-height').focus();
    await page.keyboard.press(i % 2 ? 'PageDown' : 'PageUp');
    await page.waitForFunction((n) => Number(document.querySelector('.topview').dataset.renders || 0) > n, n, { timeout: 30000 });
    const busy = await page.evaluate(() => document.querySelector('.topview').dataset.complete !== '1');
    const r = await edit(page, key('#r-height', i % 2 ? 'PageDown' : 'PageUp'));
    check(r.replanned, 'an edit made while the last one is being planned replans the design');
    if (busy) during.push(r.ms);
  }
  out.edit_during_plan_ms = during;
  (byKind['during a plan'] ||= []).push(...during);
  samples.push(...during);
  // A density of 0 is refused in the box's own words, not planned with the old density while the box shows 0
  // (outside probe s26); a blank box plans the pattern's density again and the refusal goes.
  const crownBox = page.locator('input[name="density-crown"]');
  const typed = await crownBox.inputValue();
  await crownBox.fill('0');
  await page.waitForFunction(() => /^Crown density: /.test(document.querySelector('#core-status').textContent), null, { timeout: 30000 });
  out.density_zero_refused = await page.locator('#core-status').textContent();
  check(!/case\.toml/.test(out.density_zero_refused), `the refusal names the box, not a file line: ${out.density_zero_refused}`);
  // A negative density too, and the box itself is marked (outside test s53: -5 showed no error near the box).
  await crownBox.fill('-5');
  await page.waitForFunction(() => /^Crown density: -5 /.test(document.querySelector('#core-status').textContent), null, { timeout: 30000 });
  out.density_negative_refused = await page.locator('#core-status').textContent();
  check(await crownBox.getAttribute('aria-invalid') === 'true' && /at least 5/.test(await crownBox.getAttribute('title') || ''),
    `the box holding -5 is marked with the range (${await crownBox.getAttribute('title')})`);
  await crownBox.fill('');
  await page.waitForFunction(() => document.querySelector('#core-status').textContent === '' && document.querySelector('.topview').dataset.complete === '1', null, { timeout: 30000 });
  check(await crownBox.getAttribute('aria-invalid') !== 'true', 'a blank box is no longer marked');
  const blankCrown = await page.evaluate(() => JSON.parse(document.querySelector('.topview').planText).design.zones.find((z) => z.id === 'crown')?.density_cm2);
  out.density_blank_plans = blankCrown;
  check(blankCrown > 0, `a blank box plans the pattern's density (${blankCrown})`);
  await crownBox.fill(typed);
  await page.waitForFunction(() => document.querySelector('.topview').dataset.complete === '1', null, { timeout: 30000 });
  const stats = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    return { n: s.length, median: s[Math.floor(s.length / 2)], p90: s[Math.ceil(0.9 * s.length) - 1], max: s[s.length - 1] };
  };
  out.edit_to_picture_ms = { samples, ...stats(samples), by_kind: Object.fromEntries(Object.entries(byKind).map(([k, v]) => [k, stats(v)])), impressions: shown,
    core_plan_ms: Number(await page.locator('.topview').getAttribute('data-plan-ms')), core_first_session_ms: Number(await page.locator('.topview').getAttribute('data-first-ms')) };
  // Where an edit's time goes (outside probe F9), reported, not a pass mark: the core's requests for six height
  // edits of the full-scalp design, timed one by one on the page's thread (the worker makes the same calls; the
  // page makes `design` and `photo` at each edit).
  out.latency_breakdown = await page.evaluate(async () => {
    const { load } = await import('/ui/editor/wasm.js');
    const { defaults, toToml } = await import('/ui/editor/case.js');
    const call = await load();
    const st = Object.assign(defaults(), { pattern: 'full-scalp' });
    const rows = [];
    for (const hgt of [80, 80.5, 81, 81.5, 82, 82.5]) {
      st.hairline.mid_frontal_height_mm = hgt;
      const text = toToml(st, 'Profile');
      const t = [performance.now()];
      const lap = () => { t.push(performance.now()); return t[t.length - 1] - t[t.length - 2]; };
      call({ op: 'design', case: text }); const design = lap();
      call({ op: 'plan_start', case: text }); const geometry = lap();
      call({ op: 'plan_step' }); const session1 = lap();
      const first = call({ op: 'plan_so_far' }); const firstJson = lap();
      JSON.parse(first); const parse = lap();
      while (!JSON.parse(call({ op: 'plan_step' })).done); const rest = lap();
      call({ op: 'plan_finish' }); const finish = lap();
      rows.push({ design, geometry, session1, firstJson, parse, rest, finish, bytes_first: first.length });
    }
    const med = (k) => { const v = rows.map((r) => r[k]).sort((a, b) => a - b); return Math.round(v[Math.floor(v.length / 2)] * 10) / 10; };
    return Object.fromEntries(Object.keys(rows[0]).map((k) => [k, med(k)]));
  });
  console.log(`edit latency breakdown (median ms of 6 height edits, page thread): ${JSON.stringify(out.latency_breakdown)}`);
  await shot(page, 'design-edited', { fullPage: true });

  // The figures shown are the plan's: the session table's total is the number of impressions planned.
  const total = Number((await page.locator('#session-table tfoot td').nth(1).textContent()).replace(/,/g, ''));
  const planned = await page.evaluate(() => JSON.parse(document.querySelector('.topview').planText).impressions.length);
  check(total === planned, `the editor's total is the plan's (${total} vs ${planned})`);

  // The same design planned by the server: plan.json identical, impression for impression.
  await page.getByRole('button', { name: 'Generate plan' }).click();
  await page.locator('#generated').waitFor({ timeout: 60000 });
  const planId = await page.locator('#generated').getAttribute('data-plan-id');
  const cmp = await page.evaluate(async (id) => {
    const server = await (await fetch(`/api/plans/${id}/plan.json`)).text();
    const browser = document.querySelector('.topview').planText;
    const [s, b] = [JSON.parse(server), JSON.parse(browser)];
    let differing = 0;
    const fields = new Set();
    for (let i = 0; i < Math.max(s.impressions.length, b.impressions.length); i++) {
      const [x, y] = [s.impressions[i], b.impressions[i]];
      if (!x || !y) { differing++; continue; }
      for (const f of new Set([...Object.keys(x), ...Object.keys(y)])) fields.add(f);
      if (JSON.stringify(x) !== JSON.stringify(y)) differing++;
    }
    const { impressions: _a, ...sRest } = s; const { impressions: _b, ...bRest } = b;
    return { identical_bytes: server === browser, bytes: server.length, impressions: s.impressions.length, differing_impressions: differing,
      fields: [...fields].sort(), rest_equal: JSON.stringify(sRest) === JSON.stringify(bRest) };
  }, planId);
  out.equality = cmp;
  check(cmp.differing_impressions === 0 && cmp.rest_equal && cmp.identical_bytes, `the browser's plan is the server's (${JSON.stringify(cmp)})`);

  // The photo pane draws the server's fit (issue 10 h18: one registration, marks and the head's outline): every
  // point and the hairline the editor draws lie within 0.5 px of where the server's fit of that plan puts them.
  {
    const pid = await page.locator('#photo-select').inputValue();
    const fit = await page.evaluate(([id, photo]) => fetch(`/api/plans/${id}/photos/${photo}/fit`).then((r) => r.json()), [planId, pid]);
    const drawn = JSON.parse(await page.locator('.photo-overlay').getAttribute('data-points'));
    const line = JSON.parse(await page.locator('.photo-overlay').getAttribute('data-hairline'));
    const names = Object.keys(fit.points || {});
    const off = Math.max(...names.map((n) => Math.hypot(drawn[n][0] - fit.points[n][0], drawn[n][1] - fit.points[n][1])));
    const lineOff = fit.hairline && fit.hairline.length === line.length
      ? Math.max(...line.map((p, i) => Math.hypot(p[0] - fit.hairline[i][0], p[1] - fit.hairline[i][1]))) : Infinity;
    out.photo_fit = { fits: fit.fits, words: fit.words, points: names.length, max_point_off_px: off, max_hairline_off_px: lineOff, head_turn_deg: fit.head_turn_deg, outline_words: fit.outline_words };
    check(fit.fits && names.length === 8 && off <= 0.5, `the editor's photo overlay is the server's fit (${JSON.stringify(out.photo_fit)})`);
    check(lineOff <= 0.5, `the editor's hairline on the photo is the server's (${lineOff} px)`);
  }

  // Save the design under a name, reload: the design and the photo's marks come back.
  const state = async () => ({ height: await page.locator('#r-height').inputValue(), rec: await page.locator('#r-rec').inputValue(), style: await page.getByLabel('Style').inputValue(), pattern: await page.getByLabel('Pattern').inputValue() });
  const ready = () => page.waitForFunction(() => document.querySelector('.topview')?.dataset.complete === '1' && (document.querySelector('.topview').planText || '').startsWith('{'), null, { timeout: 30000 });
  const before = await state();
  await page.locator('#design-label').fill('juvenile, full scalp');
  await page.getByRole('button', { name: 'Save design' }).click();
  await page.locator('#design-opened', { hasText: 'version 1' }).waitFor();
  await ready();
  const textBefore = await planText(page);
  await page.reload();
  await page.getByRole('heading', { name: /Design for/ }).waitFor();
  await ready();
  const after = await state();
  check(JSON.stringify(before) === JSON.stringify(after), `the saved design reopens (${JSON.stringify(before)} vs ${JSON.stringify(after)})`);
  check((await planText(page)) === textBefore, 'the reopened design plans to the same plan');
  // Saved again with nothing changed: said, and no identical version stored (outside test s52: "version 3" equal
  // to version 2).
  const versionsBefore = (await page.evaluate((c) => fetch(`/api/clients/${c}/designs`).then((r) => r.json()), clientId)).length;
  await page.locator('#save-design').click();
  out.unchanged_save = await page.locator('#design-unchanged').textContent({ timeout: 10000 }).catch(() => null);
  const versionsAfter = (await page.evaluate((c) => fetch(`/api/clients/${c}/designs`).then((r) => r.json()), clientId)).length;
  check(/Nothing has changed since version \d+/.test(out.unchanged_save || '') && versionsAfter === versionsBefore,
    `an unchanged design is not saved again (${out.unchanged_save}; ${versionsBefore} → ${versionsAfter} designs)`);
  await page.getByText('Hairline proposed.').waitFor();
  const photoId = await page.locator('#photo-select').inputValue();
  const marks = await page.evaluate((id) => fetch(`/api/photos/${id}/landmarks`).then((r) => r.json()), photoId);
  check(Object.keys(marks.landmarks).length === 6, `the six marks are kept with the photo (${JSON.stringify(marks.landmarks)})`);
  const drawnAgain = JSON.parse(await page.locator('.photo-overlay').getAttribute('data-points'));
  check(Math.hypot(drawnAgain.glabella[0] - MARKS[0][0], drawnAgain.glabella[1] - MARKS[0][1]) < 3, 'the reloaded marks register the photo again');

  // A second version, chosen for the sessions; the editor then opens the chosen design by default.
  await edit(page, key('#r-irr', 'PageDown'));
  await page.getByRole('button', { name: 'Save as a new version' }).click();
  await page.locator('#design-opened', { hasText: 'version 2' }).waitFor();
  await page.getByRole('button', { name: 'Choose for the sessions' }).click();
  await page.getByRole('button', { name: 'Chosen for the sessions' }).waitFor();
  // Its plan, for opening the editor from the plan below.
  await page.getByRole('button', { name: 'Generate plan' }).click();
  await page.locator('#generated').waitFor({ timeout: 60000 });
  const chosenPlanId = await page.locator('#generated').getAttribute('data-plan-id');
  const designs = await page.evaluate((id) => fetch(`/api/clients/${id}/designs`).then((r) => r.json()), clientId);
  check(designs.length === 2 && designs.filter((d) => d.chosen).length === 1 && designs[0].chosen && designs[0].previous_id === designs[1].id,
    `two versions, the newest chosen (${JSON.stringify(designs.map((d) => [d.id, d.previous_id, d.chosen]))})`);
  // The list and the note say "chosen" at once (probe s32b: only after a reload).
  check(/chosen for the sessions/.test(await page.locator('#design-open option:checked').textContent()), 'the design list marks the chosen design at once');
  // The page shown says "chosen" at once now: the editor opened afresh is waited for, not this one.
  await page.evaluate(() => { document.querySelector('#design-bar').dataset.old = '1'; });
  await page.goto(`${BASE}/#/clients/${clientId}/design`);
  await page.waitForFunction(() => document.querySelector('#design-bar') && !document.querySelector('#design-bar').dataset.old, null, { timeout: 30000 });
  await page.locator('#design-opened', { hasText: 'chosen for the sessions' }).waitFor();
  await ready();
  await page.locator('#design-history summary', { hasText: '2 versions' }).waitFor();
  // "Save as a new design" under the opened design's own name: refused in words, the name box is where to
  // type another, nothing stored (probe s35: two designs listed alike, one chosen).
  await page.getByRole('button', { name: 'Save as a new design' }).click();
  await page.locator('#design-status', { hasText: 'already has a design named “juvenile, full scalp”' }).waitFor();
  check(await page.evaluate(() => document.activeElement?.id === 'design-label'), 'the name box is focused to name the new design');
  const stillTwo = await page.evaluate((id) => fetch(`/api/clients/${id}/designs`).then((r) => r.json()), clientId);
  check(stillTwo.length === 2, `a new design under a name already used is not stored (${stillTwo.length} designs)`);

  // Unsaved edits are asked about before the editor is left (probe s30: a reload threw them away without a
  // word): "no" keeps the editor and the edit, "yes" leaves.
  await edit(page, key('#r-irr', 'PageDown'));
  const recEdited = await page.locator('#r-irr').inputValue();
  const asked = [];
  page.once('dialog', (d) => { asked.push(d.message()); d.dismiss(); });
  await page.locator('.crumbs a').nth(1).click();
  await page.waitForTimeout(700);
  check(asked.length === 1 && /unsaved changes/.test(asked[0]), `leaving with unsaved changes asks first (${JSON.stringify(asked)})`);
  check(/\/design/.test(page.url()) && (await page.locator('#r-irr').inputValue()) === recEdited, `a “no” keeps the editor and its unsaved edit (${page.url()})`);
  page.once('dialog', (d) => d.accept());
  await page.locator('.crumbs a').nth(1).click();
  // The client's record lists the saved designs (probe s30: "No design yet" beside two versions, one chosen).
  await page.locator('#saved-designs').waitFor();
  const designRows = await page.locator('#saved-designs tbody tr').count();
  const chosenRows = await page.locator('#saved-designs .badge', { hasText: 'chosen for the sessions' }).count();
  check(designRows === 2 && chosenRows === 1, `the record lists both versions, one chosen (${designRows}, ${chosenRows})`);
  out.reload = { design: after, marks: Object.keys(marks.landmarks).length, versions: designs.length };
  await shot(page, 'design-reloaded', { fullPage: true });
  // A plan opened from the record opens the design it was planned from, named and chosen (probe s35: the
  // name box empty and "Choose for the sessions" greyed).
  await page.goto(`${BASE}/#/clients/${clientId}/design?plan=${chosenPlanId}`);
  await page.locator('#design-opened', { hasText: 'version 2, chosen for the sessions' }).waitFor();
  check((await page.locator('#design-label').inputValue()) === 'juvenile, full scalp', 'the plan opens its design, named');
  await page.getByRole('button', { name: 'Chosen for the sessions' }).waitFor();

  // A new design on the photo whose B and C are marked starts from them: its B is drawn at the marked B
  // (probe s37: an editor reopened before a save drew the default hairline beside the kept marks).
  // (Leaving the fitted new design below asks about its unsaved changes: yes.)
  const leave = (d) => d.accept().catch(() => {});
  page.on('dialog', leave);
  await page.goto(`${BASE}/#/clients/${clientId}/design?new=1`);
  await page.getByRole('heading', { name: /Design for/ }).waitFor();
  await page.getByText('Hairline proposed.').waitFor();
  const bAt = () => page.evaluate(() => (JSON.parse(document.querySelector('.photo-overlay').dataset.points || 'null') || {}).mid_frontal || null);
  // Waits until the design's B on the photo lies within 4 px of the marked B (`far`: more than 10 px from it).
  const bFromMark = (far) => page.waitForFunction(([bx, by, away]) => {
    const p = JSON.parse(document.querySelector('.photo-overlay').dataset.points || 'null');
    const d = p && p.mid_frontal && Math.hypot(p.mid_frontal[0] - bx, p.mid_frontal[1] - by);
    return d !== null && d !== undefined && (away ? d > 10 : d < 4);
  }, [...MARKS[3], far], { timeout: 30000 });
  await bFromMark(false).catch(() => {});
  const newB = await bAt();
  out.new_design_b_off_px = newB && Math.hypot(newB[0] - MARKS[3][0], newB[1] - MARKS[3][1]);
  check(newB && out.new_design_b_off_px < 4, `a new design starts from the B and C marked on the photo (B ${JSON.stringify(newB)}, marked ${MARKS[3]})`);
  // Moved by the height, then the marked photo chosen in the list again: the design follows its marks again
  // (outside test s51: a new design on the marked photo chosen after another kept the default hairline).
  for (let i = 0; i < 4; i++) await page.locator('#r-height').press('PageDown');
  await bFromMark(true);
  await page.locator('#photo-select').dispatchEvent('change');
  await bFromMark(false).catch(() => {});
  const againB = await bAt();
  out.chosen_again_b_off_px = againB && Math.hypot(againB[0] - MARKS[3][0], againB[1] - MARKS[3][1]);
  check(againB && out.chosen_again_b_off_px < 4, `the marked photo chosen again: the design follows its B (B ${JSON.stringify(againB)}, marked ${MARKS[3]})`);
  // A photo uploaded after the marked one (its face marks only proposed): a new design still opens on the
  // marked photo and follows its B (outside test s51: a fresh editor opened the last photo uploaded).
  await page.getByText('Upload a photo').click();
  await page.getByLabel('Photo (PNG or JPEG)').setInputFiles({ name: 'later.png', mimeType: 'image/png', buffer: await facePhoto(page, { backdrop: '#c9d3c4' }) });
  await page.getByLabel('Caption').fill('later');
  await page.getByRole('button', { name: 'Upload' }).click();
  await page.locator('#photo-select option:checked', { hasText: 'later' }).waitFor({ state: 'attached' });
  await page.waitForFunction(() => document.querySelector('.photo-overlay').dataset.proposed === 'done', null, { timeout: 30000 });
  // The editor opened afresh (the same address: a reload).
  await page.reload();
  await page.getByRole('heading', { name: /Design for/ }).waitFor();
  await page.getByText('Hairline proposed.').waitFor();
  out.reopened_on = await page.locator('#photo-select option:checked').textContent();
  check((await page.locator('#photo-select').inputValue()) === photoId, `a new design opens on the marked photo, not the last uploaded (${out.reopened_on})`);
  await bFromMark(false).catch(() => {});
  const reopenedB = await bAt();
  check(reopenedB && Math.hypot(reopenedB[0] - MARKS[3][0], reopenedB[1] - MARKS[3][1]) < 4, `and follows its B (B ${JSON.stringify(reopenedB)}, marked ${MARKS[3]})`);

  // Norwood III-vertex: the crown is lost, which the Norwood 3 pattern keeps as hair; the new design treats it
  // in full (probe s37: it started as retained hair and no control could treat it).
  await addClient(page, { name: 'Vic Vertex', reference: 'c-2025-102', dob: '1979-03-02' });
  page.off('dialog', leave);
  await page.getByLabel('Hair-loss scale').selectOption('norwood');
  await page.getByLabel('Stage').selectOption('III-vertex');
  await page.getByLabel('Scar in the area').selectOption('fut-strip');
  await page.getByRole('button', { name: 'Save consultation and screen' }).click();
  await page.locator('.outcome').waitFor();
  await page.getByRole('link', { name: 'Design editor' }).first().click();
  await page.getByRole('heading', { name: /Design for/ }).waitFor();
  await page.locator('#treated-crown').waitFor();
  const vertexPlan = async () => JSON.parse(await page.evaluate(() => document.querySelector('.topview').planText || '{"zones":[]}'));
  await page.waitForFunction(() => (document.querySelector('.topview').planText || '').startsWith('{'), null, { timeout: 30000 });
  const crownKind = (p) => (p.zones.find((z) => z.id === 'crown') || {}).kind;
  out.vertex = { from: await page.locator('#design-from').textContent(), crown: crownKind(await vertexPlan()) };
  check(await page.locator('#treated-crown').isChecked() && out.vertex.crown === 'density' && /crown treated in full/.test(out.vertex.from)
    && /records a scar \(FUT strip scar\): draw it on the top view with “Draw scar”/.test(out.vertex.from),
    `a Norwood III-vertex design starts with the crown treated (${JSON.stringify(out.vertex)})`);
  // Unticked, the crown is the client's retained hair again (a blend zone).
  await page.locator('#treated-crown').uncheck();
  await page.waitForFunction(() => /"id": ?"crown"[^}]*"kind": ?"blend"/.test(document.querySelector('.topview').planText || ''), null, { timeout: 30000 });
  check(crownKind(await vertexPlan()) === 'blend', 'unticking “Treat in full” keeps the crown as retained hair');
  // Ticked again, then another pattern: the tick was for Norwood 3's retained crown and goes with it (probe s37:
  // a woman's Ludwig II crown came out treated at 85/cm²).
  await page.locator('#treated-crown').check();
  await page.waitForFunction(() => /"id": ?"crown"[^}]*"kind": ?"density"/.test(document.querySelector('.topview').planText || ''), null, { timeout: 30000 });
  await page.getByLabel('Pattern').selectOption('ludwig-2');
  await page.waitForFunction(() => /"id": ?"crown"[^}]*"kind": ?"blend"/.test(document.querySelector('.topview').planText || ''), null, { timeout: 30000 });
  check(!(await page.locator('#treated-crown').isChecked()), 'another pattern drops the “Treat in full” ticks made for the old one');

  // A woman recorded as one, with a scar and no hair-loss stage: her design starts on a woman's head with the
  // woman's default pattern (outside test s55: only a Ludwig stage made a woman's head).
  page.on('dialog', leave);
  await addClient(page, { name: 'Wendy Scar', reference: 'c-2025-103', dob: '1985-05-05' });
  page.off('dialog', leave);
  await page.getByLabel('Sex (the head a design starts on)').selectOption('female');
  await page.getByLabel('Scar in the area').selectOption('surgical');
  await page.getByRole('button', { name: 'Save consultation and screen' }).click();
  await page.locator('.outcome').waitFor();
  await page.getByRole('link', { name: 'Design editor' }).first().click();
  await page.getByRole('heading', { name: /Design for/ }).waitFor();
  out.woman = { from: await page.locator('#design-from').textContent(), sex: await page.getByLabel('Sex (head defaults)').inputValue(), pattern: await page.getByLabel('Pattern').inputValue() };
  // Her consultation records a scar and no hair loss: a scar repair alone (outside test s55: a scar-only case
  // blended 500 cm² of healthy hair).
  check(out.woman.sex === 'female' && out.woman.pattern === 'scars-only' && /, a woman/.test(out.woman.from) && /starts as a scar repair alone/.test(out.woman.from),
    `a woman recorded with a scar and no stage starts on a woman's head, as a scar repair (${JSON.stringify(out.woman)})`);
  // The scar drawn on the top view is then the only zone planned.
  await shot(page, 'design-scar-only-empty');
  await page.getByRole('button', { name: 'Draw scar' }).click();
  const scarView = page.locator('.topview');
  await scarView.scrollIntoViewIfNeeded();
  const sbox = await scarView.boundingBox();
  for (const [dx, dy] of [[-40, 65], [40, 65], [40, 80], [-40, 80]]) await page.mouse.click(sbox.x + sbox.width / 2 + dx, sbox.y + sbox.height / 2 + dy);
  await page.getByRole('button', { name: 'Finish zone' }).click();
  await page.waitForFunction(() => /"kind": ?"scar"/.test(document.querySelector('.topview').planText || ''), null, { timeout: 30000 });
  const scarPlan = JSON.parse(await page.evaluate(() => document.querySelector('.topview').planText));
  await shot(page, 'design-scar-only');
  out.woman.zones = scarPlan.zones.map((z) => `${z.id}:${z.kind}`);
  out.woman.impressions = scarPlan.impressions.length;
  out.woman.handles = await page.locator('.topview').getAttribute('data-handles');
  check(out.woman.handles === '[]', `a scar repair alone shows no hairline handles (${out.woman.handles})`);
  check(scarPlan.zones.length === 1 && scarPlan.zones[0].kind === 'scar' && out.woman.impressions > 50
    && scarPlan.impressions.every((d) => d.zone === scarPlan.zones[0].id), `the scar is the only zone planned (${JSON.stringify(out.woman)})`);

  // The one expected 404 is the editor asking for the new photo's marks before any were made; the one
  // expected 409 the new design refused under a name already used.
  const unexpected = problems.filter((p) => !/status of 40[49]/.test(p));
  check(unexpected.length === 0 && problems.length <= 2, `no page errors: ${problems.join('; ')}`);
  result('design', out);
  console.log(`design test passed: ${JSON.stringify(out)}`);
} catch (err) {
  await shot(page, 'design-failure', { fullPage: true }).catch(() => {});
  throw err;
} finally {
  await close();
}
