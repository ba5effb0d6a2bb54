// Browser test: landmarks proposed automatically on a real photo (../shared/photos, never copied into the
// repository), compared with the hand-marked points in its README, and a photo without a face refused in
// plain words. Runs the face finder exactly as the studio serves it (CSP included).
import fs from 'node:fs';
import path from 'node:path';
import { BASE, launch, check, result, setUp, signIn, addClient, photoPoint, shot } from './lib.mjs';

const PHOTOS = path.resolve('../../../../shared/photos');
const photo = path.join(PHOTOS, 'shaved-norwood-front.jpg');
// Hand marks from ../shared/photos/README.md (image pixels).
const HAND = { glabella: [202, 195], lateral_canthus_right: [141, 210], lateral_canthus_left: [276, 228] };
// The scale follicle's registration finds on this photo (follicle render: 1.6 px/mm; the README says about
// 1.7 px/mm on the scalp); errors are reported in mm at this scale.
const PX_PER_MM = 1.6;

if (!fs.existsSync(photo)) {
  console.log(`SKIPPED: ${photo} is absent`);
  result('landmarks', { skipped: true });
  process.exit(0);
}

const { page, problems, close } = await launch();
try {
  await page.goto(BASE);
  const dataUrl = `data:image/jpeg;base64,${fs.readFileSync(photo).toString('base64')}`;
  const r = await page.evaluate(async (src) => {
    const { proposeLandmarks } = await import('/ui/editor/landmark-proposal.js');
    const img = new Image();
    img.src = src;
    await img.decode();
    let t = performance.now();
    const first = await proposeLandmarks(img);
    const firstMs = performance.now() - t;
    t = performance.now();
    const again = await proposeLandmarks(img);
    const againMs = performance.now() - t;
    // A photo without a face: a plain skin-coloured gradient.
    const c = document.createElement('canvas');
    c.width = 400; c.height = 400;
    const g = c.getContext('2d');
    const grad = g.createLinearGradient(0, 0, 0, 400);
    grad.addColorStop(0, '#d9b49a'); grad.addColorStop(1, '#8a6a55');
    g.fillStyle = grad; g.fillRect(0, 0, 400, 400);
    const none = await proposeLandmarks(c);
    // The same photo on a larger grey canvas: the detector's box lands elsewhere relative to the face,
    // and the refined marks must not follow it (the proposal minus the shift, mm at the photo's scale).
    const shifted = [];
    for (const [dx, dy] of [[0, 120], [90, 0], [240, 200]]) {
      const pad = document.createElement('canvas');
      pad.width = img.naturalWidth + dx + 40; pad.height = img.naturalHeight + dy + 30;
      const pg = pad.getContext('2d');
      pg.fillStyle = '#c8c8c8'; pg.fillRect(0, 0, pad.width, pad.height);
      pg.drawImage(img, dx, dy);
      const r = await proposeLandmarks(pad);
      shifted.push({ dx, dy, ok: r.ok, unsure: r.unsure, landmarks: r.landmarks });
    }
    // The face filling the photo (a close phone portrait): the photo cut to the face, 220 × 240 px from
    // (100, 140), shown at twice its size. The detector alone (one try at 416) found no face on it (probe
    // s24, and on a real portrait that fills its photo); the marks must agree with those on the whole photo.
    const tight = document.createElement('canvas');
    tight.width = 440; tight.height = 480;
    tight.getContext('2d').drawImage(img, 100, 140, 220, 240, 0, 0, 440, 480);
    const close = await proposeLandmarks(tight);
    // Two people on the photo: a smaller copy of him on the left, him on the right (probe s36: the finder
    // silently marked the smaller face). The marks go on the largest face, and the proposal says so.
    const two = document.createElement('canvas');
    const small = 0.6;
    two.width = Math.round(img.naturalWidth * (1 + small)); two.height = img.naturalHeight;
    const tg = two.getContext('2d');
    tg.fillStyle = '#c8c8c8'; tg.fillRect(0, 0, two.width, two.height);
    tg.drawImage(img, 0, 0, img.naturalWidth * small, img.naturalHeight * small);
    const dx = Math.round(img.naturalWidth * small);
    tg.drawImage(img, dx, 0);
    const twoFaces = { dx, ...(await proposeLandmarks(two)) };
    return { first, firstMs, again, againMs, none, shifted, close, twoFaces };
  }, dataUrl);
  check(r.first.ok, `a face is found on the real photo: ${JSON.stringify(r.first)}`);
  check(JSON.stringify(r.first.landmarks) === JSON.stringify(r.again.landmarks), 'the proposal is repeatable');
  const errors_mm = {};
  for (const [k, [x, y]] of Object.entries(HAND)) {
    const p = r.first.landmarks[k];
    errors_mm[k] = Math.round((Math.hypot(p.x - x, p.y - y) / PX_PER_MM) * 10) / 10;
  }
  check(!r.none.ok && /no face/i.test(r.none.message), `a photo without a face is refused in words: ${JSON.stringify(r.none)}`);
  check(r.first.unsure === false, `a clear front photo is not flagged unsure: ${JSON.stringify(r.first)}`);
  const shift_mm = r.shifted.map((s) => {
    check(s.ok, `a face is found on the photo moved by (${s.dx}, ${s.dy})`);
    return Math.max(...Object.keys(HAND).map((k) => Math.hypot(
      s.landmarks[k].x - s.dx - r.first.landmarks[k].x, s.landmarks[k].y - s.dy - r.first.landmarks[k].y) / PX_PER_MM));
  });
  // Before the refinement the marks moved 0.9–1.8 mm with the detector's box on these canvases (and 13–16 mm
  // on a clear portrait whose box sat off the face).
  check(Math.max(...shift_mm) < 1, `the proposal follows the face, not the detector's box: ${shift_mm.map((v) => v.toFixed(2)).join(', ')} mm`);
  check(r.close.ok, `a face that fills the photo is found: ${JSON.stringify(r.close)}`);
  const close_mm = Math.max(...Object.keys(HAND).map((k) => Math.hypot(
    r.close.landmarks[k].x / 2 + 100 - r.first.landmarks[k].x, r.close.landmarks[k].y / 2 + 140 - r.first.landmarks[k].y) / PX_PER_MM));
  check(close_mm < 3, `the marks on the face that fills the photo agree with the whole photo's: ${close_mm.toFixed(2)} mm`);
  const t = r.twoFaces;
  check(t.ok && /^Two faces were found on this photo: the marks are proposed on the largest, on the right of the photo\./.test(t.others || ''), `two faces are said, and which one is marked: ${JSON.stringify(t)}`);
  const two_mm = Math.max(...Object.keys(HAND).map((k) => Math.hypot(t.landmarks[k].x - t.dx - r.first.landmarks[k].x, t.landmarks[k].y - r.first.landmarks[k].y) / PX_PER_MM));
  check(two_mm < 2.5, `the marks are on the larger face: ${two_mm.toFixed(2)} mm from its marks alone`);
  check(r.first.others === null, 'one face: nothing said of others');
  const out = {
    backend: r.first.backend,
    two_faces: t.others,
    two_faces_mm: Math.round(two_mm * 100) / 100,
    score: r.first.score,
    proposed: r.first.landmarks,
    hand: HAND,
    px_per_mm: PX_PER_MM,
    errors_mm,
    first_ms: Math.round(r.firstMs),
    again_ms: Math.round(r.againMs),
    no_face_message: r.none.message,
    shift_mm: shift_mm.map((v) => Math.round(v * 100) / 100),
    close_mm: Math.round(close_mm * 100) / 100,
  };
  // In the design editor: "Find the face" places the three face marks on the photo, the practitioner drags
  // one, and the marks are kept with the photo.
  await setUp(page, { clinic: 'Face Clinic', name: 'Fay Finder', username: 'fay', password: 'a long face finder password 7' });
  await addClient(page, { name: 'Face Client', reference: 'FC-1' });
  const clientId = Number(page.url().match(/#\/clients\/(\d+)/)[1]);
  // On the client record: uploading a front photo proposes the face marks at once and keeps them with the
  // photo, marked as proposed until the practitioner confirms them; a photo without a face is said so.
  const uploadOnRecord = async (file) => {
    await page.getByLabel('Photo (PNG or JPEG)').setInputFiles(file);
    await page.evaluate(() => document.querySelector('#upload-proposal')?.remove());
    await page.getByRole('button', { name: 'Upload' }).click();
    await page.waitForFunction(() => { const n = document.querySelector('#upload-proposal'); return n && !/Looking/.test(n.textContent); }, null, { timeout: 120000 });
    return page.locator('#upload-proposal').innerText();
  };
  const photosOf = () => page.evaluate((id) => fetch(`/api/clients/${id}/photos`).then((x) => x.json()), clientId);
  out.record_upload = await uploadOnRecord(photo);
  check(/face was found/i.test(out.record_upload), `the client record says the face marks were proposed: ${out.record_upload}`);
  const recordPhoto = (await photosOf())[0].id;
  // The very same file again (outside test s38: answered as a new upload, the view and caption asked for
  // dropped without a word): the record says the picture is stored already, and no photo is added.
  await page.getByLabel('Photo (PNG or JPEG)').setInputFiles(photo);
  await page.getByRole('button', { name: 'Upload' }).click();
  await page.locator('#upload-already').waitFor({ timeout: 60000 });
  out.upload_again = await page.locator('#upload-already').innerText();
  check(/already on the client's record, as the front photo/.test(out.upload_again) && (await photosOf()).length === 1,
    `the same picture uploaded again is said to be stored already: ${out.upload_again}`);
  const proposedOnRecord = await page.evaluate((id) => fetch(`/api/photos/${id}/landmarks`).then((x) => x.json()), recordPhoto);
  for (const k of Object.keys(HAND)) {
    const [x, y] = proposedOnRecord.landmarks[k];
    check(Math.hypot(x - r.first.landmarks[k].x, y - r.first.landmarks[k].y) < 1, `${k} proposed on upload and kept with the photo: ${JSON.stringify(proposedOnRecord)}`);
  }
  check(await page.getByText('face marks proposed: confirm them in the design editor').count() === 1, 'the photo is marked as having proposed marks');
  const FACE = ['glabella', 'lateral_canthus_right', 'lateral_canthus_left'];
  check([...proposedOnRecord.proposed].sort().join() === [...FACE].sort().join(), `the server keeps the three marks as proposed: ${JSON.stringify(proposedOnRecord.proposed)}`);
  check(await page.evaluate(() => localStorage.length) === 0, 'nothing about the proposal is kept in this browser');
  // Another tablet (a fresh browser, nothing in its storage) sees the same proposal: the badge on the
  // record and the dashed, unconfirmed marks in the design editor.
  const other = await launch({ width: 1024, height: 768 });
  try {
    await signIn(other.page, 'fay', 'a long face finder password 7');
    await other.page.goto(`${BASE}/#/clients/${clientId}`);
    await other.page.getByText('face marks proposed: confirm them in the design editor').waitFor({ timeout: 20000 });
    await other.page.getByRole('link', { name: 'Design editor' }).first().click();
    await other.page.getByRole('heading', { name: /Design for/ }).waitFor();
    await other.page.selectOption('#photo-select', String(recordPhoto));
    await other.page.waitForFunction(() => document.querySelector('.photo-img').naturalWidth === 420 && document.querySelector('.photo-overlay').dataset.unconfirmed === 'glabella,lateral_canthus_right,lateral_canthus_left', null, { timeout: 60000 });
    await shot(other.page, 'landmarks-other-tablet');
    out.other_tablet = { unconfirmed: await other.page.evaluate(() => document.querySelector('.photo-overlay').dataset.unconfirmed), local_storage: await other.page.evaluate(() => localStorage.length) };
    check(other.problems.filter((p) => !/404/.test(p)).length === 0, other.problems.join('; '));
  } finally {
    await other.close();
  }
  const wallPng = Buffer.from((await page.evaluate(() => {
    const c = document.createElement('canvas'); c.width = 320; c.height = 320;
    const g = c.getContext('2d'); const grad = g.createLinearGradient(0, 0, 0, 320);
    grad.addColorStop(0, '#d9b49a'); grad.addColorStop(1, '#8a6a55'); g.fillStyle = grad; g.fillRect(0, 0, 320, 320);
    return c.toDataURL('image/png');
  })).split(',')[1], 'base64');
  out.record_no_face = await uploadOnRecord({ name: 'wall.png', mimeType: 'image/png', buffer: wallPng });
  check(/no face was found/i.test(out.record_no_face), `a photo without a face is refused in words on upload: ${out.record_no_face}`);
  const wallPhoto = (await photosOf()).find((p) => p.id !== recordPhoto).id;
  check((await page.evaluate((id) => fetch(`/api/photos/${id}/landmarks`).then((x) => x.status), wallPhoto)) === 404, 'nothing is marked on the photo without a face');
  // In the design editor: the photo proposed on the record shows its marks as proposed (dashed, unconfirmed).
  await page.getByRole('link', { name: 'Design editor' }).first().click();
  await page.getByRole('heading', { name: /Design for/ }).waitFor();
  // No consultation is held on this record: the editor says which default it starts from (outside test s53).
  out.editor_from = await page.locator('#design-from').textContent();
  check(/No consultation is recorded yet/.test(out.editor_from) && /Norwood 6/.test(out.editor_from), `the editor says it starts from the default (${out.editor_from})`);
  await page.selectOption('#photo-select', String(wallPhoto));
  await page.waitForFunction(() => document.querySelector('.photo-img').naturalWidth === 320 && /No face/.test(document.querySelector('#proposal-note')?.textContent || ''), null, { timeout: 120000 });
  out.editor_no_face = await page.locator('#proposal-note').innerText();
  // Face marks placed by hand on the photo without a face: the photo cannot be used as marked, and it takes no
  // hairline marks, which would shape nothing (outside test s50: B and C placed on a refused photo were said to
  // start the hairline, and the design planned from its defaults).
  for (const m of [[160, 170], [110, 190], [210, 190]]) {
    const [x, y] = await photoPoint(page, m);
    await page.mouse.click(x, y);
  }
  await page.getByText('This photo cannot be used as marked.').waitFor({ timeout: 30000 });
  {
    const [x, y] = await photoPoint(page, [160, 60]);
    await page.mouse.click(x, y);
    // (A mark placed would be saved within this time: the check below is that none was.)
    await page.waitForTimeout(1500);
  }
  await page.waitForFunction((id) => fetch(`/api/photos/${id}/landmarks`).then((x) => x.ok ? x.json() : null).then((l) => l && Object.keys(l.landmarks).length === 3), wallPhoto, { timeout: 20000 });
  out.refused_photo = {
    kept: Object.keys((await page.evaluate((id) => fetch(`/api/photos/${id}/landmarks`).then((x) => x.json()), wallPhoto)).landmarks).sort(),
    status: await page.locator('#marks-status').textContent(),
    said: await page.locator('#proposal-note').textContent(),
  };
  check(out.refused_photo.kept.join() === 'glabella,lateral_canthus_left,lateral_canthus_right' && !/start the hairline/.test(out.refused_photo.status)
    && /B and C are not marked on a photo that cannot be used/.test(out.refused_photo.said),
    `a photo that cannot be used takes no hairline marks and says none start the hairline: ${JSON.stringify(out.refused_photo)}`);
  await page.selectOption('#photo-select', String(recordPhoto));
  await page.waitForFunction(() => document.querySelector('.photo-img').naturalWidth === 420 && document.querySelector('.photo-overlay').dataset.unconfirmed === 'glabella,lateral_canthus_right,lateral_canthus_left', null, { timeout: 60000 });
  await page.locator('#confirm-marks').click();
  check(await page.evaluate(() => document.querySelector('.photo-overlay').dataset.unconfirmed) === '', 'confirmed marks are no longer proposals');
  await page.waitForFunction((id) => fetch(`/api/photos/${id}/landmarks`).then((x) => x.json()).then((l) => l.proposed.length === 0), recordPhoto, { timeout: 20000 });
  out.confirmed_on_server = true;
  // The head's breadth on the photo against the design's, beside the "Head breadth" box, in the preview page's
  // words (outside test s54: said on the preview page only); this photo's head reads far wider than 154 mm.
  await page.locator('#head-size-note').waitFor({ timeout: 20000 });
  out.editor_head_note = await page.locator('#head-size-note').innerText();
  check(/The head reads about \d+ mm across on this photo \(the design.s head: 154 mm\)/.test(out.editor_head_note), `the editor says the head's size: ${out.editor_head_note}`);
  // Uploaded in the editor: the face is found without pressing anything.
  await page.getByText('Upload a photo').click();
  // A second shot of the pose (the same picture with a JPEG comment in it: other bytes). The very same file sent
  // again would be the photo already on the record (stored once: probe s29).
  const jpeg = fs.readFileSync(photo);
  const secondShot = Buffer.concat([jpeg.subarray(0, 2), Buffer.from([0xff, 0xfe, 0x00, 0x0a]), Buffer.from('2nd shot'), jpeg.subarray(2)]);
  await page.getByLabel('Photo (PNG or JPEG)').setInputFiles({ name: 'front-2.jpg', mimeType: 'image/jpeg', buffer: secondShot });
  await page.getByLabel('Caption').fill('front');
  await page.getByRole('button', { name: 'Upload' }).click();
  await page.waitForFunction(() => document.querySelector('.photo-img').naturalWidth === 420 && document.querySelector('.photo-overlay').dataset.ready === '420' && document.querySelector('.photo-overlay').dataset.unconfirmed === 'glabella,lateral_canthus_right,lateral_canthus_left', null, { timeout: 120000 });
  check(/Proposed from the face/.test(await page.locator('#proposal-note').textContent()), 'the editor says the marks were proposed');
  await shot(page, 'landmarks-proposed');
  // Drag the proposed glabella onto the hand mark.
  const g = r.first.landmarks.glabella;
  const [x0, y0] = await photoPoint(page, [g.x, g.y]);
  const [x1, y1] = await photoPoint(page, HAND.glabella);
  await page.mouse.move(x0, y0); await page.mouse.down();
  await page.mouse.move((x0 + x1) / 2, (y0 + y1) / 2); await page.mouse.move(x1, y1); await page.mouse.up();
  const photoId = (await photosOf()).map((p) => p.id).sort((a, b) => b - a)[0];
  await page.waitForTimeout(500);
  const kept = await page.evaluate((id) => fetch(`/api/photos/${id}/landmarks`).then((x) => x.json()), photoId);
  const km = kept.landmarks;
  check(km && km.lateral_canthus_left && Math.hypot(km.lateral_canthus_left[0] - r.first.landmarks.lateral_canthus_left.x, km.lateral_canthus_left[1] - r.first.landmarks.lateral_canthus_left.y) < 1,
    `the proposed eye corner is kept with the photo: ${JSON.stringify(km)}`);
  check(Math.hypot(km.glabella[0] - HAND.glabella[0], km.glabella[1] - HAND.glabella[1]) < 3, `the dragged glabella is kept where it was dropped: ${JSON.stringify(km.glabella)}`);
  const left = await page.evaluate(() => document.querySelector('.photo-overlay').dataset.unconfirmed);
  check(left === 'lateral_canthus_right,lateral_canthus_left', `a dragged mark is the practitioner's own, the others stay proposed: ${left}`);
  check(kept.proposed.join() === 'lateral_canthus_right,lateral_canthus_left', `the server keeps the dragged mark as confirmed, the others as proposed: ${JSON.stringify(kept.proposed)}`);
  // A reload reads the proposal back from the server (this browser keeps nothing of it).
  await page.reload();
  await page.getByRole('heading', { name: /Design for/ }).waitFor();
  await page.selectOption('#photo-select', String(photoId));
  await page.waitForFunction(() => document.querySelector('.photo-img').naturalWidth === 420 && document.querySelector('.photo-overlay').dataset.unconfirmed === 'lateral_canthus_right,lateral_canthus_left', null, { timeout: 60000 });
  out.after_reload = await page.evaluate(() => document.querySelector('.photo-overlay').dataset.unconfirmed);
  out.editor_marks = km;
  // Last, on the client record again (after the editor's steps, which read the photos uploaded before):
  // a photo stored upside down (no orientation tag): the face is found on it turned, the photo is kept
  // upright and its face marks are proposed where the upright photo has them (outside probe s34: "No face
  // was found" and nothing more).
  const upsideDown = Buffer.from(await page.evaluate(async (b64) => {
    const bytes = Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
    const url = URL.createObjectURL(new Blob([bytes], { type: 'image/jpeg' }));
    const img = new Image(); img.src = url; await img.decode(); URL.revokeObjectURL(url);
    const c = document.createElement('canvas'); c.width = img.naturalWidth; c.height = img.naturalHeight;
    const g = c.getContext('2d'); g.translate(c.width, c.height); g.rotate(Math.PI); g.drawImage(img, 0, 0);
    return c.toDataURL('image/jpeg', 0.95).split(',')[1];
  }, fs.readFileSync(photo).toString('base64')), 'base64');
  await page.goto(`${BASE}/#/clients/${clientId}`);
  await page.getByLabel('Photo (PNG or JPEG)').waitFor();
  out.record_turned = await uploadOnRecord({ name: 'upside-down.jpg', mimeType: 'image/jpeg', buffer: upsideDown });
  check(/upside down: it was turned half a turn/.test(out.record_turned) && /face was found/i.test(out.record_turned), `a photo stored upside down is kept upright, its face found: ${out.record_turned}`);
  const turnedPhoto = (await photosOf()).map((p) => p.id).sort((a, b) => b - a)[0];
  const turnedMarks = await page.evaluate((id) => fetch(`/api/photos/${id}/landmarks`).then((x) => x.json()), turnedPhoto);
  for (const k of FACE) {
    const [x, y] = turnedMarks.landmarks[k];
    check(Math.hypot(x - r.first.landmarks[k].x, y - r.first.landmarks[k].y) < 4, `${k} proposed on the photo turned upright where the upright photo has it: ${JSON.stringify(turnedMarks.landmarks)}`);
  }
  // And in the design editor's own upload: a photo stored on its side is kept upright, said so, and the editor
  // proposes its marks where the upright photo has them (outside probe s35: only the record's upload turned it).
  const onItsSide = Buffer.from(await page.evaluate(async (b64) => {
    const bytes = Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
    const url = URL.createObjectURL(new Blob([bytes], { type: 'image/jpeg' }));
    const img = new Image(); img.src = url; await img.decode(); URL.revokeObjectURL(url);
    const c = document.createElement('canvas'); c.width = img.naturalHeight; c.height = img.naturalWidth;
    const g = c.getContext('2d'); g.translate(c.width, 0); g.rotate(Math.PI / 2); g.drawImage(img, 0, 0);
    return c.toDataURL('image/jpeg', 0.95).split(',')[1];
  }, fs.readFileSync(photo).toString('base64')), 'base64');
  await page.goto(`${BASE}/#/clients/${clientId}/design`);
  await page.getByRole('heading', { name: /Design for/ }).waitFor();
  await page.getByText('Upload a photo').click();
  await page.getByLabel('Photo (PNG or JPEG)').setInputFiles({ name: 'on-its-side.jpg', mimeType: 'image/jpeg', buffer: onItsSide });
  await page.getByRole('button', { name: 'Upload' }).click();
  await page.locator('#upload-turned').waitFor({ timeout: 120000 });
  out.editor_turned = await page.locator('#upload-turned').innerText();
  check(/on its side/.test(out.editor_turned) && /a quarter turn to the left/.test(out.editor_turned), `the editor's upload keeps a photo stored on its side upright: ${out.editor_turned}`);
  await page.waitForFunction(() => document.querySelector('.photo-img').naturalWidth === 420 && document.querySelector('.photo-overlay').dataset.unconfirmed === 'glabella,lateral_canthus_right,lateral_canthus_left', null, { timeout: 120000 });
  const photoCount = (await photosOf()).length;
  const sidePhoto = (await photosOf()).map((p) => p.id).sort((a, b) => b - a)[0];
  // The marks reach the server after the editor proposes them: asked until they are there (CI s36: asked once,
  // the 404 came back before the save).
  let sideMarks = null;
  for (let i = 0; i < 100 && !sideMarks; i++) {
    sideMarks = await page.evaluate((id) => fetch(`/api/photos/${id}/landmarks`).then((x) => (x.ok ? x.json() : null)), sidePhoto);
    if (!sideMarks) await page.waitForTimeout(200);
  }
  check(sideMarks, 'the proposed marks of the photo uploaded in the editor are kept with it');
  for (const k of FACE) {
    const [x, y] = sideMarks.landmarks[k];
    check(Math.hypot(x - r.first.landmarks[k].x, y - r.first.landmarks[k].y) < 4, `${k} proposed in the editor on the photo turned upright where the upright photo has it: ${JSON.stringify(sideMarks.landmarks)}`);
  }
  // Turned by hand in the editor (a photo whose face nobody could find to turn it, outside probe s36): a quarter
  // turn to the left stores it on its side, its marks with it; a quarter turn to the right brings it back.
  const [w0, h0] = await page.evaluate(() => [document.querySelector('.photo-img').naturalWidth, document.querySelector('.photo-img').naturalHeight]);
  const marksNow = () => page.evaluate((id) => fetch(`/api/photos/${id}/landmarks`).then((x) => x.json()), sidePhoto);
  const m0 = (await marksNow()).landmarks;
  await page.locator('#turn-left').click();
  await page.waitForFunction((w) => document.querySelector('.photo-img').naturalWidth === w && document.querySelector('.photo-overlay').dataset.ready === String(w), h0, { timeout: 60000 });
  const m1 = (await marksNow()).landmarks;
  for (const k of Object.keys(m0)) check(Math.hypot(m1[k][0] - m0[k][1], m1[k][1] - (w0 - m0[k][0])) < 1e-6, `${k} turned with the photo: ${m1[k]} from ${m0[k]}`);
  await page.locator('#turn-right').click();
  await page.waitForFunction((w) => document.querySelector('.photo-img').naturalWidth === w && document.querySelector('.photo-overlay').dataset.ready === String(w), w0, { timeout: 60000 });
  const m2 = (await marksNow()).landmarks;
  for (const k of Object.keys(m0)) check(Math.hypot(m2[k][0] - m0[k][0], m2[k][1] - m0[k][1]) < 1e-6, `${k} back where it was after a turn each way: ${m2[k]} from ${m0[k]}`);
  out.turned_by_hand = { sideways: [h0, w0], marks: m2 };
  check((await photosOf()).length === photoCount, 'turning keeps one photo, adds none');
  // On the client record, any photo turns (the editor shows front photos only).
  await page.goto(`${BASE}/#/clients/${clientId}`);
  await page.locator(`figure[data-photo="${sidePhoto}"]`).waitFor();
  await shot(page, 'record-turn', { fullPage: true });
  await page.getByRole('button', { name: `Turn photo ${sidePhoto} a quarter turn to the left` }).click();
  await page.waitForFunction(([id, size]) => (document.querySelector(`figure[data-photo="${id}"] figcaption`)?.textContent || '').includes(size), [sidePhoto, `${h0}×${w0}`], { timeout: 60000 });
  const m3 = (await marksNow()).landmarks;
  for (const k of Object.keys(m0)) check(Math.hypot(m3[k][0] - m0[k][1], m3[k][1] - (w0 - m0[k][0])) < 1e-6, `${k} turned with the photo on the record: ${m3[k]} from ${m0[k]}`);
  out.record_turned_by_hand = (await photosOf()).find((p) => p.id === sidePhoto);
  // A face photo uploaded as the top of the head (outside test s53: taken without a word, its preview then asked
  // for the top's landmarks): the record says it shows a face from the front and offers to make it the front
  // view; pressed, the photo is the front view. Another copy of the photo (saved again), so it is a new upload.
  const copy = Buffer.from(await page.evaluate(async (b64) => {
    const url = URL.createObjectURL(new Blob([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], { type: 'image/jpeg' }));
    const img = new Image(); img.src = url; await img.decode(); URL.revokeObjectURL(url);
    const c = document.createElement('canvas'); c.width = img.naturalWidth; c.height = img.naturalHeight;
    c.getContext('2d').drawImage(img, 0, 0);
    return c.toDataURL('image/jpeg', 0.9).split(',')[1];
  }, fs.readFileSync(photo).toString('base64')), 'base64');
  await page.selectOption('select[name=view]', 'top');
  await page.getByLabel('Photo (PNG or JPEG)').setInputFiles({ name: 'face-as-top.jpg', mimeType: 'image/jpeg', buffer: copy });
  await page.getByRole('button', { name: 'Upload' }).click();
  await page.locator('#view-doubt').waitFor({ timeout: 120000 });
  out.view_doubt = await page.locator('#view-doubt').innerText();
  check(/uploaded as the top of the head.*shows a face from the front/.test(out.view_doubt), `a face photo uploaded as the top is said: ${out.view_doubt}`);
  const newest = async () => (await photosOf()).reduce((a, p) => (!a || p.id > a.id ? p : a), null);
  check((await newest()).view === 'top', 'kept as given until the practitioner says');
  await page.locator('#make-front').click();
  await page.waitForFunction(async (id) => {
    const ps = await fetch(`/api/clients/${id}/photos`).then((x) => x.json());
    return ps.reduce((a, p) => (!a || p.id > a.id ? p : a), null).view === 'front';
  }, clientId, { timeout: 60000 });
  check(problems.filter((p) => !/404/.test(p)).length === 0, problems.join('; '));
  console.log(JSON.stringify(out));
  result('landmarks', out);
} finally {
  await close();
}
