// Preview on the client's own photo: before, shaved only, and after SMP, fresh, healed or years later, from
// the landmarks marked on the photo. The server renders each picture with the planning core and
// follicle-render; this page only fetches them, keeps them, and switches between them.
import { get } from '../api.js';
import { h, field, card, empty, errorBox, replace, select } from '../dom.js';
import { stamp, VIEWING_DISTANCES } from '../format.js';
import { marksEditor, photoViews, viewWords } from './photo-marks.js';
import { fromToml } from '../editor/case.js';

/** A photo in the list, told apart from the others where the box cuts it short: its caption (or number) first,
 * then the view, size and when it was taken in (outside test s52: "the face, from the fron…" for all three). */
const photoChoice = (views, p) => `${p.caption || `Photo ${p.id}`} · ${viewWords(views, p.view || 'front')} · ${p.width}×${p.height}${p.created_at ? ` · ${stamp(p.created_at)}` : ''}`;
const STAGES = [['before', 'Before'], ['shaved', 'Shaved only'], ['after', 'After SMP']];
const STATES = [['fresh', 'Fresh (first days)'], ['healed', 'Healed'], ['years:5', '5 years later'], ['years:10', '10 years later']];
const DISTANCES = VIEWING_DISTANCES;
// '' lets the library choose: the longest guard whose clipped sides match the treated top on this photo.
const GUARDS = [['', 'To match the pigment (recommended)'], ['0', 'Razor or foil shaver (0 guard)'], ['0.5', 'Clipper, no guard (0.5 mm)'], ['1.5', 'Guard #0.5 (1.5 mm)'], ['3', 'Guard #1 (3 mm)']];

export async function render(ctx, params) {
  const id = Number(params.id);
  const client = await get(`/api/clients/${id}`);
  const [plans, photos] = await Promise.all([get(`/api/clients/${id}/plans`), get(`/api/clients/${id}/photos`)]);
  const head = h('div', { class: 'page-head' },
    h('div', {}, h('p', { class: 'crumbs' }, h('a', { href: '#/clients' }, 'Clients'), ' / ', h('a', { href: `#/clients/${id}` }, client.name), ' / preview'),
      h('h1', {}, `${client.name}: preview on the photo`)));
  if (!plans.length || !photos.length) {
    // A design saved, even chosen for the sessions, is not yet a plan (outside test s53: "Generate a plan in the
    // design editor first" after "Choose for the sessions", with the button further down the editor).
    const saved = plans.length ? [] : await get(`/api/clients/${id}/designs`).catch(() => []);
    const design = saved.find((d) => d.chosen) || saved.reduce((a, d) => (!a || d.created_at >= a.created_at ? d : a), null);
    const editor = h('a', { href: `#/clients/${id}/design${design ? `?design=${design.id}` : ''}` }, 'the design editor');
    return h('div', { class: 'page' }, head, card('Preview', empty(!plans.length
      ? (design
        ? h('span', {}, `The design “${design.label}” is saved${design.chosen ? ' and chosen for the sessions' : ''}, but no plan of it is stored yet: open it in `, editor, ' and press “Generate plan” under the picture, then come back here.')
        : h('span', {}, 'No plan yet: design one in ', editor, ' and press “Generate plan”.'))
      : 'Upload a photo of the client first (front, top, sides or back).')));
  }
  const views = await photoViews();
  // The plan the sessions follow (the chosen design's, marked by the server) is the one shown first and says
  // so (outside test s48: the page opened on a newer plan from an unsaved edit, of the same name).
  const plan = h('select', { name: 'plan' }, plans.map((p) => h('option', { value: p.id, selected: p.for_sessions ? true : null },
    `${p.label} (${stamp(p.created_at)}, ${p.impressions.toLocaleString('en-GB')} impressions${p.for_sessions ? ', followed by the sessions' : ''})`)));
  const photo = h('select', { name: 'photo' }, photos.map((p) => h('option', { value: p.id, dataset: { view: p.view || 'front' } }, photoChoice(views, p))));
  // The photo the plan was designed on (the editor keeps it with the design) is the one shown first (probe s33:
  // the page opened on another photo whose marks were only proposed).
  const designedOn = (p) => (fromToml(p && p.case_toml) || {}).photoId;
  const pickDesigned = () => {
    const pid = designedOn(plans.find((p) => String(p.id) === plan.value));
    if (pid && photos.some((p) => p.id === pid)) photo.value = String(pid);
  };
  pickDesigned();
  const marksHere = h('div', { class: 'marks-here' });
  const stage = h('input', { type: 'range', name: 'stage', min: 0, max: 2, step: 1, value: 2, 'aria-valuetext': 'After SMP' });
  const stageLabel = h('span', { class: 'stage-label' }, 'After SMP');
  const state = select('state', STATES, 'healed');
  const distance = select('distance', DISTANCES, '1000');
  const guard = select('guard', GUARDS, '');
  const session = h('select', { name: 'session' });
  const zoom = h('input', { type: 'checkbox', name: 'zoom' });
  // Hidden until its first picture is there (probe s36: a broken-image icon for a second while it rendered).
  const img = h('img', { class: 'photo-preview-img', alt: 'The client’s photo with the design', hidden: true });
  // While a picture is being drawn, the one shown is dimmed under "Rendering…" (probe s36: the label already
  // named the new stage over the old picture for a second, with no sign of work).
  const loading = h('div', { class: 'pp-loading', 'aria-hidden': 'true' }, 'Rendering on the server…');
  const pictureBox = h('div', { class: 'photo-preview', id: 'photo-preview-box', 'aria-busy': 'false' }, img, loading);
  const busy = (on) => { pictureBox.classList.toggle('busy', on); pictureBox.setAttribute('aria-busy', String(on)); };
  const status = h('p', { class: 'muted', 'aria-live': 'polite' });
  const problem = h('div', { class: 'form-status' });
  const advice = h('div', { class: 'preview-advice', 'aria-live': 'polite' });
  const marksWarning = h('div', { class: 'marks-warning' });
  const SEEN_NOTE = 'The retained hair is shown clipped as the client will keep it; pigment is drawn on the visible scalp only. A photo with less than 2 pixels per millimetre of scalp shows the combined shade: use “Enlarge the scalp” or a closer photo to see single impressions.';
  const pictureNote = h('p', { class: 'muted', id: 'picture-note' }, SEEN_NOTE);

  const cache = new Map(); // picture key → object URL
  const drawn = new Set(); // picture keys whose picture has arrived (a switch to one shows no "Rendering…")
  let generation = 0;
  // The middle picture's name: the retained hair clipped, or, for a design that keeps the client's own hair
  // (the advice says so), that hair as worn.
  let middleWords = STAGES[1][1];
  const stageWords = (i) => (i === 1 ? middleWords : STAGES[i][1]);
  const chosen = () => plans.find((p) => String(p.id) === plan.value);
  const fillSessions = () => {
    const n = chosen().sessions;
    replace(session, Array.from({ length: n }, (_, k) => h('option', { value: k + 1, selected: k + 1 === n ? true : null }, `After session ${k + 1} of ${n}`)));
  };
  fillSessions();
  // The picture's settings are kept in the page's address, so a reload or a link shows the same picture (outside
  // test s54: a reload came back on the first photo and the defaults).
  const asked = params.query || new URLSearchParams();
  const restore = (el, v) => { if (v !== null && [...el.options].some((o) => o.value === v)) el.value = v; };
  if (asked.get('plan') !== null && [...plan.options].some((o) => o.value === asked.get('plan'))) {
    plan.value = asked.get('plan');
    fillSessions();
    pickDesigned();
  }
  for (const [el, key] of [[photo, 'photo'], [state, 'state'], [session, 'session'], [distance, 'distance'], [guard, 'guard']]) restore(el, asked.get(key));
  zoom.checked = asked.get('zoom') === 'true';
  if (['0', '1', '2'].includes(asked.get('stage'))) stage.value = asked.get('stage');
  const remember = () => {
    const q = new URLSearchParams({ plan: plan.value, photo: photo.value, stage: stage.value, state: state.value, session: session.value, distance: distance.value, guard: guard.value, zoom: String(zoom.checked) });
    history.replaceState(null, '', `#/clients/${id}/preview?${q}`);
  };
  const guardQ = (g = guard.value) => (g === '' ? '' : `&guard=${g}`);
  // The picture's address for the controls as they stand, or as `o` changes them (d distance, k session,
  // g guard, z enlarged, ph photo).
  const base = ({ d = distance.value, k = session.value, g = guard.value, z = zoom.checked, ph = photo.value } = {}) => `/api/plans/${plan.value}/photos/${ph}/preview.png?session=${k}&distance=${d}${guardQ(g)}&zoom=${z}`;
  let adviceGeneration = 0;
  /** The guard, resolution and shade advice for the current plan, photo, session, state and guard. */
  const showAdvice = async () => {
    const mine = ++adviceGeneration;
    // The advice shown is the last picture's until this one's arrives: said by dimming it (outside test s38:
    // the tone table showed the previous state's figures for 1–2 s beside the new picture).
    advice.setAttribute('aria-busy', 'true');
    advice.style.opacity = '0.45';
    const settled = () => { if (mine === adviceGeneration) { advice.removeAttribute('aria-busy'); advice.style.opacity = ''; } };
    try {
      const a = await get(`/api/plans/${plan.value}/photos/${photo.value}/advice?session=${session.value}&state=${encodeURIComponent(state.value)}${guardQ()}`);
      if (mine === adviceGeneration) {
        replace(advice, adviceView(a, guard.value === ''));
        // No retained hair on this photo (a fully bald or already shaved head): the middle picture is the
        // photo as it is, and says so (studio probe s34: "Shaved only" equal to "Before" looked broken).
        middleWords = a.hair_as_worn ? 'Hair as worn'
          : a.guard_words === null ? 'Shaved only (no hair found to clip: as before)' : STAGES[1][1];
        if (Number(stage.value) === 1) replace(stageLabel, middleWords);
        // A preview made from marks proposed from the face and not yet confirmed says so, beside the picture.
        replace(marksWarning, a.marks_warning ? h('p', { class: 'outcome warn', id: 'marks-warning', role: 'status' }, `This preview is ${a.marks_warning}.`) : '');
        // Under the picture, what this photo can show (probe s34: a generic sentence under every photo did
        // not say that this one, at 1.2 px/mm, shows only the combined shade and little change).
        replace(pictureNote, a.resolution_warning
          ? h('span', { id: 'picture-resolution' }, `${a.resolution_warning[0].toUpperCase()}${a.resolution_warning.slice(1)}. The time points differ little at this size; “Enlarge the scalp” shows them.`)
          : SEEN_NOTE);
      }
    } catch (err) {
      // The same refusal as the picture's (no marks yet, marks that do not fit) is said once, above the picture
      // (probe s36: it stood twice on the page).
      if (mine === adviceGeneration) {
        replace(advice, err.status === 422
          ? h('p', { class: 'muted', id: 'advice-waits' }, 'The advice for this photo appears once the photo can be previewed: see the reason above the picture.')
          : errorBox(err));
        // Nothing of the photo shown before stays (outside test s38: its "1.5 px/mm" note stood under a
        // refused photo of 2.1 px/mm).
        replace(marksWarning, '');
        replace(pictureNote, SEEN_NOTE);
      }
    }
    settled();
  };
  const url = (st, stt, o = {}) => `${base(o)}&stage=${st}&state=${encodeURIComponent(stt)}`;
  const fetchPicture = async (u) => {
    if (!cache.has(u)) cache.set(u, get(u, { as: 'blob' }).then((b) => { drawn.add(u); return URL.createObjectURL(b); }));
    return cache.get(u);
  };
  /** Shows the picture the controls ask for; resolves once it is on screen, to false where it was refused. */
  const show = async () => {
    remember();
    const [st] = STAGES[Number(stage.value)];
    const label = stageWords(Number(stage.value));
    stage.setAttribute('aria-valuetext', label);
    replace(stageLabel, label);
    const mine = ++generation;
    if (!drawn.has(url(st, state.value))) {
      busy(true);
      replace(status, `Rendering: ${label.toLowerCase()}…`);
    }
    try {
      const src = await fetchPicture(url(st, state.value));
      if (mine !== generation) return true;
      img.src = src;
      await img.decode();
      img.hidden = false;
      busy(false);
      replace(problem);
      // The time point is the pigment's: said of the after picture only (outside test s52: "Before, 10 years later").
      // An earlier session is said too (outside test s53: "After SMP, healed" after session 1 of 3).
      const k = Number(session.value);
      const of = session.options.length;
      const when = st === 'after' ? `${k < of ? ` (session ${k} of ${of})` : ''}, ${STATES.find(([v]) => v === state.value)[1].toLowerCase()}` : '';
      replace(status, `${label}${when}, seen from ${DISTANCES.find(([v]) => v === distance.value)[1].toLowerCase()}.`);
      return true;
    } catch (err) {
      cache.delete(url(st, state.value));
      drawn.delete(url(st, state.value));
      if (mine === generation) {
        busy(false);
        // No picture for these marks or this plan: the last one drawn is not left showing under the reason
        // (probe s32: the refusal stood over the previous, wrong picture).
        img.hidden = true;
        img.removeAttribute('src');
        replace(status, '');
        replace(problem, errorBox(err));
      }
      return false;
    }
  };
  /** Fetches every stage and state for the current photo, plan and distance, so switching is instant. */
  let preloads = 0; // a new photo, plan, distance, guard, session or zoom starts the fetching over
  const preload = async () => {
    const mine = ++preloads;
    for (const [stt] of STATES) {
      for (const [st] of STAGES) {
        if (mine !== preloads) return;
        // A photo not marked yet (or marks that do not fit) fails every picture alike: ask once.
        if (!await fetchPicture(url(st, stt)).then(() => true, () => { cache.delete(url(st, stt)); return false; })) return;
      }
    }
    if (mine === preloads) document.body.dataset.previewReady = 'true';
    // Then the picture shown, seen from the other distances: the next switch a client asks for (probe s37:
    // a distance switch waited 1–3.5 s for the server). Only the shown stage and state, so a page view asks
    // the server for a few pictures more, not every stage and state at every distance.
    const [st] = STAGES[Number(stage.value)];
    // One picture fetched ahead; one the server refuses is simply not kept.
    const ahead = (o) => fetchPicture(url(st, state.value, o)).catch(() => cache.delete(url(st, state.value, o)));
    for (const [d] of DISTANCES) {
      if (mine !== preloads) return;
      if (d !== distance.value) await ahead({ d });
    }
    if (mine === preloads) document.body.dataset.distancesReady = 'true';
    // Then the picture shown after each other session, with each other guard, enlarged or not, and on the
    // client's other photos (outside tests s49 and s53: a session, guard or enlarge switch waited 0.4–2.7 s, a
    // photo switch 1–2.9 s); the server draws each on the photo's kept scene, its stages at once.
    for (const opt of session.options) {
      if (mine !== preloads) return;
      if (opt.value !== session.value) await ahead({ k: opt.value });
    }
    for (const [g] of GUARDS) {
      if (mine !== preloads) return;
      if (g !== guard.value) await ahead({ g });
    }
    if (mine !== preloads) return;
    await ahead({ z: !zoom.checked });
    // Two other photos at most: the server keeps three photos' scenes, and this one's must stay among them. Only
    // photos with marks: one without is refused (outside test s54: a 422 in the console on every switch).
    const marked = (o) => photos.find((p) => String(p.id) === o.value)?.marks?.count > 0;
    for (const opt of [...photo.options].filter((o) => o.value !== photo.value && marked(o)).slice(0, 2)) {
      if (mine !== preloads) return;
      await ahead({ ph: opt.value });
    }
    if (mine === preloads) document.body.dataset.othersReady = 'true';
  };
  // A new photo, plan, distance, guard, session or zoom stops the fetching ahead for the old one at once, before
  // its first picture (its loop would go on asking with the new photo's controls: 422s on a photo not marked).
  const reshow = async () => { preloads++; delete document.body.dataset.previewReady; delete document.body.dataset.distancesReady; delete document.body.dataset.othersReady; showAdvice(); if (await show()) preload(); };
  /** The marks editor of the chosen photo; saving marks drops the pictures drawn with the old ones. */
  // A later choice wins: the editor of a photo chosen before is dropped if it arrives after this one's.
  let marksGeneration = 0;
  const showMarks = async () => {
    const mine = ++marksGeneration;
    const p = photos.find((x) => String(x.id) === photo.value);
    try {
      const editor = await marksEditor({ photo: p, planId: plan.value, saved: () => { cache.clear(); drawn.clear(); reshow(); } });
      if (mine === marksGeneration) replace(marksHere, editor);
    } catch (err) { if (mine === marksGeneration) replace(marksHere, errorBox(err)); }
  };
  // Time from a control's input to its picture on screen (read by the browser test).
  window.__previewSwitchMs = [];
  const timed = (fn) => async (e) => { const t0 = performance.now(); await fn(e); window.__previewSwitchMs.push(performance.now() - t0); };
  stage.addEventListener('input', timed(show));
  state.addEventListener('change', timed(show));
  state.addEventListener('change', showAdvice);
  // A session, guard, enlarge or photo switch is timed like the others (outside tests s49 and s53: they were not).
  for (const el of [guard, session, zoom, photo]) el.addEventListener('change', timed(reshow));
  // A distance switch is timed like a stage or state switch: the picture at the new distance is on screen.
  distance.addEventListener('change', timed(reshow));
  plan.addEventListener('change', () => { fillSessions(); pickDesigned(); reshow(); showMarks(); });
  photo.addEventListener('change', showMarks);
  reshow();
  showMarks();

  const controls = h('div', { class: 'preview-controls' },
    field('Plan', plan), field('Photo', photo),
    field('Before · shaved · after', stage), stageLabel,
    field('Time', state), field('Session', session), field('Seen from', distance), field('Retained hair clipped to', guard),
    h('label', { class: 'check' }, zoom, ' Enlarge the scalp (single impressions)'));
  return h('div', { class: 'page' }, head,
    card('Preview on the photo', controls, problem, marksWarning, pictureBox, status, pictureNote),
    card('Marks on this photo', marksHere),
    card('Advice for this client', advice));
}

/** A swatch: the client's own skin (sampled from the photo) with healed impressions of `dot` on it (a canvas: the CSP allows no inline styles). */
function swatch(skin, dot, label) {
  const c = h('canvas', { class: 'swatch', width: 48, height: 44, role: 'img', 'aria-label': label, title: label });
  const g = c.getContext('2d');
  g.fillStyle = skin; g.fillRect(0, 0, 48, 44);
  g.fillStyle = dot;
  for (const [x, y] of [[10, 10], [26, 8], [18, 22], [34, 24], [8, 32], [28, 36], [41, 12], [42, 36]]) {
    g.beginPath(); g.arc(x, y, 2.6, 0, 2 * Math.PI); g.fill();
  }
  c.dataset.skin = skin; c.dataset.dot = dot;
  return c;
}

/** The advice from the library, in words: guard, resolution, shade per zone with swatches. */
function adviceView(a, auto) {
  const parts = [];
  // No retained hair on the photo: no guard is named (guard_note says why).
  const guardLine = a.guard_words === null ? a.guard_note
    : auto && a.matching_guard_mm !== null
      ? `Retained hair shown clipped to ${a.guard_words}: the longest guard whose sides match the treated top on this photo.`
      : `Retained hair shown clipped to ${a.guard_words}.`;
  parts.push(h('p', { id: 'guard-advice' }, guardLine));
  // Which pigments the picture and the shade match use: the clinic's own (recorded colours) or the built-in ones.
  if (a.catalogue_note) parts.push(h('p', { class: 'muted', id: 'catalogue-note', dataset: { catalogue: a.catalogue } }, a.catalogue_note));
  if (a.tone_warning) parts.push(h('p', { class: 'outcome warn', id: 'tone-warning', role: 'status' }, `The sides will not match: ${a.tone_warning}.`));
  if (a.tone) {
    parts.push(h('table', { class: 'table compact', id: 'tone-table' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Sides clipped to'), h('th', {}, 'Tone gap to the treated top'), h('th', {}, 'Reads as one head'))),
      h('tbody', {}, a.tone.guards.map((g) => h('tr', {}, h('td', {}, g.words), h('td', {}, g.gap_words), h('td', {}, g.matches ? 'yes' : 'no')))),
      h('tfoot', {}, h('tr', {}, h('td', {}, 'As photographed'), h('td', {}, a.tone.gap_before_words), h('td', {}, '')))));
  }
  if (a.resolution_warning) parts.push(h('p', { class: 'outcome warn' }, `Resolution: ${a.resolution_warning}.`));
  if (a.placement_warning) parts.push(h('p', { class: 'outcome warn' }, `Not for the client: ${a.placement_warning}.`));
  if (a.coverage_warning) parts.push(h('p', { class: 'outcome warn', id: 'coverage-warning' }, `Little of the design shows: ${a.coverage_warning}.`));
  if (a.object_on_head_warning) parts.push(h('p', { class: 'outcome warn', id: 'object-on-head-warning' }, `${a.object_on_head_warning[0].toUpperCase()}${a.object_on_head_warning.slice(1)}.`));
  if (a.warm_hair_warning) parts.push(h('p', { class: 'outcome warn', id: 'warm-hair-warning' }, `${a.warm_hair_warning[0].toUpperCase()}${a.warm_hair_warning.slice(1)}.`));
  if (a.edge_hair_warning) parts.push(h('p', { class: 'outcome warn', id: 'edge-hair-warning' }, `${a.edge_hair_warning[0].toUpperCase()}${a.edge_hair_warning.slice(1)}.`));
  if (a.enclosed_dark_warning) parts.push(h('p', { class: 'outcome warn', id: 'enclosed-dark-warning' }, `${a.enclosed_dark_warning[0].toUpperCase()}${a.enclosed_dark_warning.slice(1)}.`));
  if (a.compression_warning) parts.push(h('p', { class: 'outcome warn', id: 'compression-warning' }, `${a.compression_warning[0].toUpperCase()}${a.compression_warning.slice(1)}.`));
  if (a.outline_warning) parts.push(h('p', { class: 'outcome warn', id: 'outline-warning' }, `${a.outline_warning[0].toUpperCase()}${a.outline_warning.slice(1)}.`));
  // What the client will not see of the design on this picture, and what to change (probe s30: a faint
  // after-picture with nothing on the page saying the plan's strength was under the advice).
  for (const w of a.design_advice || []) parts.push(h('p', { class: 'outcome warn design-advice' }, `On this picture ${w}.`));
  if (a.shade) {
    const sh = a.shade;
    parts.push(h('h3', {}, 'Shade on the client’s own skin'),
      h('p', { class: 'muted' }, 'Skin ', swatch(sh.skin, sh.skin, `skin ${sh.skin}`), ' and hair ', swatch(sh.hair, sh.hair, `hair ${sh.hair}`), ' as sampled from the photo; the healed impressions should match the shade of a shaved hair dot on this skin (', swatch(sh.skin, sh.target, `target ${sh.target}`), ').'),
      // The library's words when the skin colour read is unsure (an underexposed photo, a burnt-out forehead).
      sh.skin_warning ? h('p', { class: 'outcome warn', id: 'skin-warning', role: 'status' }, `Skin colour unsure: ${sh.skin_warning}.`) : null,
      h('table', { class: 'table compact', id: 'shade-table' },
        h('thead', {}, h('tr', {}, h('th', {}, 'Zone'), h('th', {}, 'Pigment'), h('th', {}, 'Recommended'), h('th', {}, 'Healed on this skin'), h('th', {}, 'ΔE00'), h('th', {}, 'Plan now'))),
        h('tbody', {}, sh.zones.map((z) => h('tr', { class: z.matched ? null : 'unmatched' },
          h('td', {}, z.zone_words || z.zone), h('td', {}, z.pigment),
          h('td', {}, z.strength_percent > z.band_percent[1] ? `${z.strength_percent} % (above the usual ${z.band_percent[0]}–${z.band_percent[1]} %)`
            : z.strength_percent < z.band_percent[0] ? `${z.strength_percent} % (below the usual ${z.band_percent[0]}–${z.band_percent[1]} %)`
              : `${z.strength_percent} % (usual ${z.band_percent[0]}–${z.band_percent[1]} %)`),
          h('td', {}, swatch(sh.skin, z.healed, `${z.pigment} at ${z.strength_percent} %`)),
          h('td', {}, z.matched ? `${z.delta_e}` : h('span', { class: 'badge warn' }, `${z.delta_e}: above ${sh.match_delta_e}`)),
          h('td', {}, `${z.plan_strength_percent} % `, swatch(sh.skin, z.plan_healed, `plan: ${z.pigment} at ${z.plan_strength_percent} %`)))))),
      // The photo's skin against the consultation's Fitzpatrick type, when their usual strengths differ (probe
      // s31c: the editor said 26–59 %, this page 15–40 %, with no word why).
      sh.band_note ? h('p', { class: 'outcome warn', id: 'band-note', role: 'status' }, sh.band_note) : null,
      // Why a recommendation lies outside the usual strengths (probe s30: "52 % (range 15–40 %)" said nothing).
      // One sentence for the zones it is the same for (probe s32: one paragraph repeated for seven zones).
      (sh.beyond_band_notes || []).map((n) => h('p', { class: 'muted beyond-band' }, `${n[0].toUpperCase()}${n.slice(1)}.`)),
      sh.caution ? h('p', { class: 'outcome warn', id: 'shade-caution' }, sh.caution) : null,
      sh.notes.map((n) => h('p', { class: 'outcome warn shade-note' }, `${n[0].toUpperCase()}${n.slice(1)}.`)),
      sh.plan_differs ? h('p', { class: 'muted', id: 'shade-plan-differs' }, `${sh.plan_differs[0].toUpperCase()}${sh.plan_differs.slice(1)}.`) : null);
  } else if (a.shade_missing) {
    parts.push(h('p', { class: 'muted', id: 'shade-missing' }, a.shade_missing));
    // The shade a new design starts from after the consultation (the same answer as the design editor's).
    if (a.consultation_shade) parts.push(h('p', { id: 'consultation-shade' }, a.consultation_shade.why));
  }
  return parts;
}
