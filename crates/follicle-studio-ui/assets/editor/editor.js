// The design editor page: photo with landmarks and hairline, live top view, design controls, plan generation.
import { get, post } from '../api.js';
import { h, field, select, card, empty, errorBox, replace } from '../dom.js';
import { num, hours } from '../format.js';
import { PhotoPane } from './photo-pane.js';
import { TopView } from './topview.js';
import { BeforeAfter } from './beforeafter.js';
import { defaults, toToml, fromToml } from './case.js';
import { uploadForm } from '../pages/client.js';

const PATTERNS = ['norwood-2', 'norwood-3', 'norwood-4', 'norwood-5', 'norwood-6', 'norwood-7', 'ludwig-1', 'ludwig-2', 'ludwig-3', 'full-scalp'];
/** Needle-time rates of docs/case-format.md (impressions per hour). */
const RATE = { '1RL': 900, '3RL': 1300 };

export async function render(ctx, params) {
  const id = Number(params.id);
  const [client, photos, plans] = await Promise.all([get(`/api/clients/${id}`), get(`/api/clients/${id}/photos`), get(`/api/clients/${id}/plans`)]);
  const wanted = Number(params.query.get('plan')) || (plans[0] && plans[0].id);
  const record = plans.find((p) => p.id === wanted) || null;
  const plan = record ? await get(`/api/plans/${record.id}/plan.json`) : null;
  // A touch-up plan has no case of its own: the design comes from the plan it extends.
  const parent = record && plans.find((p) => p.id === record.parent_id);
  const state = Object.assign(defaults(plan), (record && (fromToml(record.case_toml) || fromToml(parent?.case_toml))) || {});
  state.mode = 'move';
  let plan_ = plan;

  const dirtyNote = h('span', { class: 'dirty', 'aria-live': 'polite' });
  const results = h('div', { class: 'results' });
  const genStatus = h('div', { class: 'form-status' });
  const changed = (what, t0) => {
    dirtyNote.textContent = 'Unsaved changes: the preview shows them on the last plan; generate to replan.';
    if (what === 'landmarks' || what === 'hairline') { pane.draw(); syncControls(); }
    if (what === 'zones') drawZoneList();
    top.render(t0 ?? performance.now());
  };
  const pane = new PhotoPane(state, changed);
  const top = new TopView(state, changed);

  // Photo choice.
  const photoSel = select('photo', [['', photos.length ? 'Choose a photo' : 'No photos yet'], ...photos.map((p) => [p.id, p.caption || `Photo ${p.id}`])], state.photoId || '');
  photoSel.id = 'photo-select';
  const showPhoto = async (pid) => {
    if (!pid) return;
    if (state.photoId && Number(pid) !== state.photoId) state.landmarks = {};
    state.photoId = Number(pid);
    const blob = await get(`/api/photos/${pid}`, { as: 'blob' });
    pane.show(URL.createObjectURL(blob));
  };
  photoSel.addEventListener('change', () => showPhoto(photoSel.value).catch((e) => ctx.toast(e.message)));
  const upload = uploadForm(ctx, client, (p) => {
    photos.push(p);
    photoSel.append(h('option', { value: p.id }, p.caption || `Photo ${p.id}`));
    photoSel.value = String(p.id);
    showPhoto(p.id);
  });
  if (state.photoId) showPhoto(state.photoId).catch(() => {});
  else if (photos.length) { photoSel.value = String(photos[photos.length - 1].id); showPhoto(photoSel.value).catch(() => {}); }

  // Design controls.
  const range = (name, min, max, step, get_, set) => {
    const out = h('output', {});
    const el = h('input', { type: 'range', name, min, max, step });
    const sync = () => { el.value = get_(); out.textContent = num(get_(), step < 1 ? 1 : 0); };
    el.addEventListener('input', (e) => { set(Number(el.value)); sync(); changed('hairline', e.timeStamp); });
    sync();
    return { el, out, sync };
  };
  const hl = state.hairline;
  const height = range('mid_frontal_height_mm', 60, 110, 0.5, () => hl.mid_frontal_height_mm, (v) => { hl.mid_frontal_height_mm = v; });
  const recession = range('recession_mm', 0, 30, 0.5, () => hl.recession_mm, (v) => { hl.recession_mm = v; });
  const irregularity = range('irregularity', 0, 1, 0.05, () => hl.irregularity, (v) => { hl.irregularity = v; });
  const syncControls = () => [height, recession, irregularity].forEach((r) => r.sync());
  const bind = (el, fn, what = 'hairline') => { el.addEventListener('change', (e) => { fn(el.value); changed(what, e.timeStamp); }); return el; };
  const style = bind(select('style', [['mature', 'Mature (rounded centre, receded corners)'], ['juvenile', 'Juvenile (low, flat)'], ['straight', 'Straight']], hl.style), (v) => { hl.style = v; });
  const edge = bind(select('edge', [['soft', 'Soft'], ['defined', 'Defined']], hl.edge), (v) => { hl.edge = v; });
  const pattern = bind(select('pattern', PATTERNS.map((p) => [p, p]), state.pattern), (v) => { state.pattern = v; }, 'design');
  const sessions = bind(select('sessions', [1, 2, 3, 4].map((n) => [n, `${n}`]), state.sessions), (v) => { state.sessions = Number(v); }, 'design');
  const sex = bind(select('sex', [['male', 'Male'], ['female', 'Female']], state.sex), (v) => { state.sex = v; state.ipd = v === 'male' ? 64 : 62; ipd.value = state.ipd; }, 'landmarks');
  const ipd = bind(h('input', { type: 'number', name: 'ipd', min: 50, max: 80, step: 0.5, value: state.ipd }), (v) => { state.ipd = Number(v); }, 'landmarks');
  const resetPoints = h('button', { type: 'button', on: { click: (e) => { hl.control_points = null; changed('control_points', e.timeStamp); } } }, 'Reset hairline points');

  // Preview toolbar.
  const sessionRange = h('input', { type: 'range', id: 'preview-session', min: 1, max: plan ? plan.sessions.length : 3, step: 1, value: plan ? plan.sessions.length : 3 });
  const sessionOut = h('output', { for: 'preview-session' }, sessionRange.value);
  sessionRange.addEventListener('input', (e) => { state.previewSession = Number(sessionRange.value); sessionOut.textContent = sessionRange.value; top.render(e.timeStamp); });
  const colour = h('input', { type: 'checkbox', id: 'colour-sessions', checked: state.colourBySession });
  colour.addEventListener('change', (e) => { state.colourBySession = colour.checked; top.render(e.timeStamp); });
  const modeButtons = ['move', 'scar', 'exclusion'].map((m) => h('button', { type: 'button', class: 'mode', dataset: { mode: m }, 'aria-pressed': String(state.mode === m), on: { click: () => {
    state.mode = m; top.draft = null;
    modeButtons.forEach((b) => b.setAttribute('aria-pressed', String(b.dataset.mode === m)));
    top.render();
  } } }, { move: 'Move points', scar: 'Draw scar', exclusion: 'Draw exclusion' }[m]));
  const finish = h('button', { type: 'button', on: { click: () => { top.finish(); modeButtons.forEach((b) => b.setAttribute('aria-pressed', String(b.dataset.mode === 'move'))); } } }, 'Finish zone');

  // Zones: per-zone density, needle, shade; user zones.
  const zoneTable = h('div', {});
  const drawZoneTable = () => {
    const zones = plan_ ? plan_.zones.filter((z) => !state.userZones.some((u) => u.id === z.id)) : [];
    if (!zones.length) { replace(zoneTable, empty('Zone settings appear after the first plan.')); return; }
    // One meaning of density everywhere (docs/case-format.md): the box holds the design's density at 100 %
    // before existing hair (the case file's density_cm2); what the plan adds after the existing hair's
    // coverage is the plan's own target_density_cm2, shown read-only beside it.
    const designed = (id) => (plan_.design && plan_.design.zones || []).find((d) => d.id === id);
    replace(zoneTable, h('table', { class: 'table compact' }, h('thead', {}, h('tr', {}, ['Zone', 'Density at 100 % /cm²', 'Added by SMP /cm²', 'Needle', 'Shade'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, zones.map((z) => {
        const o = state.zones[z.id] || (state.zones[z.id] = {});
        const d = designed(z.id);
        const dens = h('input', { type: 'number', min: 1, max: 200, step: 1, value: o.density_cm2 ?? (d ? d.density_cm2 : ''), name: `density-${z.id}`, 'aria-label': `${z.id} density per cm² at 100 %, before existing hair` });
        dens.addEventListener('input', (e) => { o.density_cm2 = Number(dens.value); changed('density', e.timeStamp); });
        const needle = select(`needle-${z.id}`, [['1RL', '1RL'], ['3RL', '3RL']], o.needle ?? z.needle);
        needle.setAttribute('aria-label', `${z.id} needle`);
        needle.addEventListener('change', () => { o.needle = needle.value; changed('needle'); });
        const shade = h('input', { value: o.shade ?? z.shade, name: `shade-${z.id}`, 'aria-label': `${z.id} shade` });
        shade.addEventListener('change', () => { o.shade = shade.value.trim(); changed('shade'); });
        return h('tr', {}, h('th', { scope: 'row' }, z.id), h('td', {}, dens), h('td', { class: 'num', dataset: { added: z.id } }, num(z.target_density_cm2, 1)), h('td', {}, needle), h('td', {}, shade));
      }))));
  };
  const zoneList = h('div', {});
  const drawZoneList = () => {
    replace(zoneList, state.userZones.length ? h('ul', { class: 'plain' }, state.userZones.map((z, i) => h('li', { class: 'zone-item' },
      h('span', { class: `badge ${z.kind === 'scar' ? 'warn' : 'stop'}` }, z.kind), ` ${z.id} (${z.polygon.length} points)`,
      z.kind === 'scar' ? h('label', {}, ' density ', h('input', { type: 'number', min: 1, max: 200, value: z.density_cm2, class: 'short', on: { change: (e) => { z.density_cm2 = Number(e.target.value); changed('zones'); } } }), ' /cm²') : null,
      ' ', h('button', { type: 'button', class: 'link', on: { click: () => { state.userZones.splice(i, 1); changed('zones'); } } }, 'Remove'))))
      : h('p', { class: 'muted' }, 'No scar or exclusion zone. Choose “Draw scar” or “Draw exclusion”, click the outline on the top view, then “Finish zone”.'));
    drawZoneTable();
  };
  drawZoneList();

  // Before/after on the mannequin and the printable stencil and client report, for the plan shown.
  const beforeAfter = new BeforeAfter();
  const printLinks = h('div', { class: 'actions print-links' });
  const showPlanLinks = (pid) => replace(printLinks,
    h('a', { class: 'button', href: `/api/plans/${pid}/stencil.svg`, target: '_blank', rel: 'noopener', id: 'print-stencil' }, 'Print stencil'),
    h('a', { class: 'button', href: `/api/clients/${id}/report?plan=${pid}`, target: '_blank', rel: 'noopener', id: 'client-report' }, 'Client report'));
  const baCard = h('section', { class: 'card', id: 'before-after' }, h('h2', {}, 'Before / after on the mannequin'),
    record ? beforeAfter.el : empty('Generate a plan to see it on the mannequin before and after treatment.'));

  const showResults = (p) => {
    const zoneHours = (z) => z.impressions / (RATE[z.needle] || RATE['3RL']);
    replace(results,
      h('h3', {}, 'Sessions'),
      h('table', { class: 'table compact', id: 'session-table' }, h('thead', {}, h('tr', {}, ['Session', 'Cumulative density', 'Impressions', 'Needle time'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, p.sessions.map((s) => h('tr', {}, h('td', {}, s.index), h('td', {}, `${num(s.cumulative_fraction * 100)} %`), h('td', {}, num(s.impressions)), h('td', {}, hours(s.hours ?? 0))))),
        h('tfoot', {}, h('tr', {}, h('th', { scope: 'row' }, 'Total'), h('td', {}), h('td', {}, num(p.impressions.length)), h('td', {}, hours(p.sessions.reduce((a, s) => a + (s.hours ?? 0), 0)))))),
      h('h3', {}, 'Zones'),
      h('table', { class: 'table compact', id: 'zone-table' }, h('thead', {}, h('tr', {}, ['Zone', 'Kind', 'Area', 'Density', 'Needle', 'Impressions', 'Needle time'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, p.zones.map((z) => h('tr', {}, h('td', {}, z.id), h('td', {}, z.kind), h('td', {}, `${num(z.area_cm2, 1)} cm²`), h('td', {}, `${num(z.target_density_cm2)} /cm²`),
          h('td', {}, z.needle || '—'), h('td', {}, num(z.impressions)), h('td', {}, hours(zoneHours(z))))))),
      h('p', { class: 'muted' }, 'Needle time only (900 impressions/h with 1RL, 1,300/h with 3RL), not appointment length.'),
      printLinks);
  };
  if (record) showPlanLinks(record.id);
  if (plan) showResults(plan);
  else replace(results, empty('No plan yet for this client.'));

  const generate = h('button', { class: 'primary', type: 'button', id: 'generate', on: { click: async () => {
    replace(genStatus, h('span', { class: 'muted' }, 'Planning…'));
    generate.disabled = true;
    const t = performance.now();
    try {
      const rec = await post(`/api/clients/${id}/plans`, { case: toToml(state, client.name), label: `${state.pattern}, B ${state.hairline.mid_frontal_height_mm} mm` });
      const p = await get(`/api/plans/${rec.id}/plan.json`);
      const tr = performance.now() - t;
      top.setPlan(p);
      sessionRange.max = p.sessions.length; sessionRange.value = p.sessions.length; sessionOut.textContent = sessionRange.value;
      state.previewSession = p.sessions.length;
      plan_ = p;
      drawZoneTable();
      showResults(p);
      dirtyNote.textContent = '';
      showPlanLinks(rec.id);
      replace(baCard, h('h2', {}, 'Before / after on the mannequin'), beforeAfter.el);
      beforeAfter.setPlan(rec.id);
      replace(genStatus, h('span', { id: 'generated', dataset: { planId: rec.id, roundTripMs: tr.toFixed(0) } }, `Plan generated: ${num(p.impressions.length)} impressions.`));
      ctx.toast('Plan generated.');
      history.replaceState(null, '', `#/clients/${id}/design?plan=${rec.id}`);
    } catch (err) { replace(genStatus, errorBox(err)); }
    generate.disabled = false;
  } } }, 'Generate plan');

  const view = h('div', { class: 'page editor' },
    h('div', { class: 'page-head' }, h('div', {}, h('p', { class: 'crumbs' }, h('a', { href: '#/clients' }, 'Clients'), ' / ', h('a', { href: `#/clients/${id}` }, client.name), ' / design'),
      h('h1', {}, `Design for ${client.name}`), record ? h('p', { class: 'muted' }, `Opened plan ${record.id}: ${record.label}`) : null)),
    h('div', { class: 'editor-grid' },
      h('section', { class: 'card' }, h('h2', {}, 'Photo and landmarks'),
        h('div', { class: 'inline-form' }, field('Photo', photoSel)), pane.el, h('details', {}, h('summary', {}, 'Upload a photo'), upload)),
      h('section', { class: 'card' }, h('div', { class: 'card-head' }, h('h2', {}, 'Live preview (top view)'), top.badge),
        h('div', { class: 'toolbar' }, modeButtons, finish, resetPoints),
        top.canvas,
        h('div', { class: 'toolbar' }, h('label', { for: 'preview-session' }, 'After session'), sessionRange, sessionOut,
          h('span', { class: 'check' }, colour, h('label', { for: 'colour-sessions' }, 'Colour by session'))),
        dirtyNote)),
    h('div', { class: 'editor-grid' },
      card('Design',
        h('div', { class: 'grid-form' },
          h('div', { class: 'field' }, h('label', { for: 'r-height' }, 'Mid-frontal height (mm)'), Object.assign(height.el, { id: 'r-height' }), height.out),
          h('div', { class: 'field' }, h('label', { for: 'r-rec' }, 'Recession (mm)'), Object.assign(recession.el, { id: 'r-rec' }), recession.out),
          h('div', { class: 'field' }, h('label', { for: 'r-irr' }, 'Irregularity'), Object.assign(irregularity.el, { id: 'r-irr' }), irregularity.out),
          field('Style', style), field('Edge', edge), field('Pattern', pattern), field('Sessions', sessions), field('Sex (head defaults)', sex),
          field('Interpupillary distance (mm)', ipd, 'Scales the photo: the lateral canthi lie IPD + 26 mm apart.')),
        h('h3', {}, 'Zones'), zoneTable, h('h3', {}, 'Scar and exclusion zones'), zoneList,
        h('div', { class: 'actions' }, genStatus, generate)),
      card('Plan', results)),
    baCard);

  requestAnimationFrame(() => { if (plan_) top.setPlan(plan_); else top.render(); pane.draw(); });
  if (record) beforeAfter.setPlan(record.id);
  return view;
}
