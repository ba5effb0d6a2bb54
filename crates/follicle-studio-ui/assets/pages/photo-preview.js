// Preview on the client's own photo: before, shaved only, and after SMP, fresh, healed or years later, from
// the landmarks marked on the photo. The server renders each picture with the planning core and
// follicle-render; this page only fetches them, keeps them, and switches between them.
import { get } from '../api.js';
import { h, field, card, empty, errorBox, replace, select } from '../dom.js';
import { stamp } from '../format.js';

const STAGES = [['before', 'Before'], ['shaved', 'Shaved only'], ['after', 'After SMP']];
const STATES = [['fresh', 'Fresh (first days)'], ['healed', 'Healed'], ['years:5', '5 years later'], ['years:10', '10 years later']];
const DISTANCES = [['300', 'Close (30 cm)'], ['1000', 'Across the table (1 m)'], ['2000', 'Across the room (2 m)']];
const GUARDS = [['0', 'Razor (0 mm)'], ['0.5', 'Clipper, no guard (0.5 mm)'], ['1.5', 'Guard #0.5 (1.5 mm)'], ['3', 'Guard #1 (3 mm)']];

export async function render(ctx, params) {
  const id = Number(params.id);
  const client = await get(`/api/clients/${id}`);
  const [plans, photos] = await Promise.all([get(`/api/clients/${id}/plans`), get(`/api/clients/${id}/photos`)]);
  const head = h('div', { class: 'page-head' },
    h('div', {}, h('p', { class: 'crumbs' }, h('a', { href: '#/clients' }, 'Clients'), ' / ', h('a', { href: `#/clients/${id}` }, client.reference), ' / preview'),
      h('h1', {}, `${client.name}: preview on the photo`)));
  if (!plans.length || !photos.length) {
    return h('div', { class: 'page' }, head, card('Preview', empty(!plans.length
      ? 'Generate a plan in the design editor first.'
      : 'Upload a photo and mark the glabella and the outer eye corners on it in the design editor first.')));
  }
  const plan = h('select', { name: 'plan' }, plans.map((p) => h('option', { value: p.id }, `${p.label} (${stamp(p.created_at)}, ${p.impressions.toLocaleString('en-GB')} impressions)`)));
  const photo = h('select', { name: 'photo' }, photos.map((p) => h('option', { value: p.id }, p.caption || `Photo ${p.id} (${p.width}×${p.height})`)));
  const stage = h('input', { type: 'range', name: 'stage', min: 0, max: 2, step: 1, value: 2, 'aria-valuetext': 'After SMP' });
  const stageLabel = h('span', { class: 'stage-label' }, 'After SMP');
  const state = select('state', STATES, 'healed');
  const distance = select('distance', DISTANCES, '1000');
  const guard = select('guard', GUARDS, '0.5');
  const session = h('select', { name: 'session' });
  const zoom = h('input', { type: 'checkbox', name: 'zoom' });
  const img = h('img', { class: 'photo-preview-img', alt: 'The client’s photo with the design' });
  const status = h('p', { class: 'muted', 'aria-live': 'polite' });
  const problem = h('div', { class: 'form-status' });

  const cache = new Map(); // picture key → object URL
  let generation = 0;
  const chosen = () => plans.find((p) => String(p.id) === plan.value);
  const fillSessions = () => {
    const n = chosen().sessions;
    replace(session, Array.from({ length: n }, (_, k) => h('option', { value: k + 1, selected: k + 1 === n ? true : null }, `After session ${k + 1} of ${n}`)));
  };
  fillSessions();
  const base = () => `/api/plans/${plan.value}/photos/${photo.value}/preview.png?session=${session.value}&distance=${distance.value}&guard=${guard.value}&zoom=${zoom.checked}`;
  const url = (st, stt) => `${base()}&stage=${st}&state=${encodeURIComponent(stt)}`;
  const fetchPicture = async (u) => {
    if (!cache.has(u)) cache.set(u, get(u, { as: 'blob' }).then((b) => URL.createObjectURL(b)));
    return cache.get(u);
  };
  /** Shows the picture the controls ask for; resolves once it is on screen. */
  const show = async () => {
    const [st, label] = STAGES[Number(stage.value)];
    stage.setAttribute('aria-valuetext', label);
    replace(stageLabel, label);
    const mine = ++generation;
    try {
      const src = await fetchPicture(url(st, state.value));
      if (mine !== generation) return;
      img.src = src;
      await img.decode();
      replace(problem);
      replace(status, `${label}, ${STATES.find(([v]) => v === state.value)[1].toLowerCase()}, seen from ${DISTANCES.find(([v]) => v === distance.value)[1].toLowerCase()}.`);
    } catch (err) {
      cache.delete(url(st, state.value));
      if (mine === generation) replace(problem, errorBox(err));
    }
  };
  /** Fetches every stage and state for the current photo, plan and distance, so switching is instant. */
  const preload = async () => {
    const mine = generation;
    for (const [stt] of STATES) {
      for (const [st] of STAGES) {
        if (mine !== generation) return;
        await fetchPicture(url(st, stt)).catch(() => {});
      }
    }
    if (mine === generation) document.body.dataset.previewReady = 'true';
  };
  const reshow = async () => { delete document.body.dataset.previewReady; await show(); preload(); };
  // Time from a control's input to its picture on screen (read by the browser test).
  window.__previewSwitchMs = [];
  const timed = (fn) => async (e) => { const t0 = performance.now(); await fn(e); window.__previewSwitchMs.push(performance.now() - t0); };
  stage.addEventListener('input', timed(show));
  state.addEventListener('change', timed(show));
  for (const el of [photo, distance, guard, session, zoom]) el.addEventListener('change', reshow);
  plan.addEventListener('change', () => { fillSessions(); reshow(); });
  reshow();

  const controls = h('div', { class: 'preview-controls' },
    field('Plan', plan), field('Photo', photo),
    field('Before · shaved · after', stage), stageLabel,
    field('Time', state), field('Session', session), field('Seen from', distance), field('Retained hair clipped to', guard),
    h('label', { class: 'check' }, zoom, ' Enlarge the scalp (single impressions)'));
  return h('div', { class: 'page' }, head,
    card('Preview on the photo', controls, problem, h('div', { class: 'photo-preview' }, img), status,
      h('p', { class: 'muted' }, 'The retained hair is shown clipped as the client will keep it; pigment is drawn on the visible scalp only. A photo with less than 2 pixels per millimetre of scalp shows the combined shade: use “Enlarge the scalp” or a closer photo to see single impressions.')));
}
