// Pigments and lots in stock: the catalogue with its REACH label fields, lot expiry status, forms to add both.
import { get, post } from '../api.js';
import { deleteButton } from './rights.js';
import { correctPanel } from './edit-record.js';
import { checkText, notFuture, firstProblem, LIMITS } from '../checks.js';
import { h, field, card, empty, errorBox, replace, select } from '../dom.js';
import { today } from '../format.js';
import { load } from '../editor/wasm.js';

const STATEMENT = 'Mixture for use in tattoos or permanent make-up';
const lines = (s) => s.split('\n').map((x) => x.trim()).filter(Boolean);

/**
 * The core (follicle-wasm) answering `pigment_colour`: { lab, swatch, problem } for a pigment's colour given as the
 * maker's CIELAB numbers (`lab`) or a screen colour (`screen`, #rrggbb). Every rule is the core's: the conversion,
 * the swatch and the refusal sentence (follicle-core's pigment_colour, the one the server applies). Null when the
 * core cannot be loaded (the server still checks the colour when the form is sent).
 */
let core = null;
async function colourOf(request) {
  if (!core) core = load().catch(() => null);
  const call = await core;
  return call ? JSON.parse(call({ op: 'pigment_colour', ...request })) : null;
}

/** A swatch of a pigment's colour (a canvas: the CSP allows no inline styles). */
function colourSwatch(hex, label) {
  const c = h('canvas', { class: 'swatch pigment-swatch', width: 48, height: 44, role: 'img', 'aria-label': label, title: label });
  const g = c.getContext('2d');
  g.fillStyle = hex; g.fillRect(0, 0, 48, 44);
  c.dataset.colour = hex;
  return c;
}

/** The colour recorded for a pigment, as its numbers and a swatch (the swatch from the core). */
function recordedColour(p) {
  const [l, a, b] = p.lab;
  const words = `Colour L* ${l}, a* ${a}, b* ${b}`;
  const el = h('div', { class: 'muted pigment-colour', dataset: { pigment: p.id } }, words);
  colourOf({ pigment: `${p.brand} ${p.name}`, lab: p.lab }).then((c) => {
    if (c && c.swatch) el.prepend(colourSwatch(c.swatch, `${p.brand} ${p.name}: ${words}`), ' ');
  });
  return el;
}

/** A "Correct" panel for a pigment's description (its key stays), with the record's history. */
function pigmentCorrection(ctx, rec) {
  const p = rec.pigment;
  return correctPanel(ctx, {
    path: `/api/pigments/${rec.id}`, entity: 'pigment', id: rec.id, what: 'pigment', revision: rec.revision,
    fields: [
      { name: 'brand', label: 'Brand', value: p.brand, max: LIMITS.name },
      { name: 'name', label: 'Name', value: p.name, max: LIMITS.name },
      { name: 'supplier', label: 'Supplier', value: p.supplier, max: LIMITS.name },
      { name: 'ingredients', label: 'Ingredients (one per line)', type: 'textarea', rows: 4, value: p.ingredients.join('\n') },
      { name: 'ph_regulators', label: 'pH regulators (one per line)', type: 'textarea', rows: 2, value: (p.ph_regulators || []).join('\n') },
      { name: 'safety', label: 'Safety instructions (one per line)', type: 'textarea', rows: 3, value: p.safety_instructions.join('\n') },
      { name: 'nickel', label: 'Label says it contains nickel', type: 'checkbox', value: p.contains_nickel },
      { name: 'chromium', label: 'Label says it contains chromium(VI)', type: 'checkbox', value: p.contains_chromium_vi },
    ],
    body: (v) => ({ pigment: { ...p, brand: v.brand, name: v.name, supplier: v.supplier, ingredients: lines(v.ingredients),
      ph_regulators: lines(v.ph_regulators), safety_instructions: lines(v.safety), contains_nickel: v.nickel, contains_chromium_vi: v.chromium } }),
    check: (v) => firstProblem(checkText('The brand', v.brand, LIMITS.name, true), checkText('The name', v.name, LIMITS.name, true),
      checkText('The supplier', v.supplier, LIMITS.name, true), lines(v.ingredients).length ? null : 'Please list the ingredients, one per line.',
      lines(v.safety).length ? null : 'Please list the safety instructions, one per line.'),
    done: () => ctx.navigate('#/lots'),
  });
}

export async function render(ctx) {
  const medical = ctx.me.user.role !== 'front_desk';
  const [pigments, lots, records] = await Promise.all([get('/api/pigments'), get('/api/lots'), medical ? get('/api/pigment-records') : []]);
  const day = today();
  const lotTable = lots.length ? h('table', { class: 'table' },
    h('thead', {}, h('tr', {}, ['Lot', 'Pigment', 'Use by', 'Received', 'Status'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, [...lots].sort((a, b) => a.expiry.localeCompare(b.expiry)).map((l) => {
      const p = pigments.find((x) => x.id === l.pigment);
      const expired = l.expiry < day;
      return h('tr', {}, h('td', {}, l.number), h('td', {}, p ? `${p.brand} ${p.name}` : l.pigment), h('td', {}, l.expiry), h('td', {}, l.received || '—'),
        h('td', {}, h('span', { class: `badge ${expired ? 'stop' : 'ok'}` }, expired ? 'expired' : 'in date'), medical ? [' ', deleteButton(ctx, `/api/lots/${l.id}`, 'lot', () => ctx.navigate('#/lots')), correctPanel(ctx, {
          path: `/api/lots/${l.id}`, entity: 'lot', id: l.id, what: 'lot', revision: l.revision,
          fields: [{ name: 'expiry', label: 'Corrected use-by date', type: 'date', value: l.expiry }, { name: 'received', label: 'Corrected received date', type: 'date', value: l.received || '' }],
          body: (v) => ({ expiry: v.expiry, received: v.received || null }),
          check: (v) => firstProblem(v.expiry ? null : 'Please fill in the use-by date.', notFuture('The received date', v.received)),
          done: () => ctx.navigate('#/lots'),
        })] : null));
    }))) : empty('No lots in stock yet.');
  const pigmentList = pigments.length ? h('ul', { class: 'plain pigments' }, pigments.map((p) => h('li', {},
    h('strong', {}, `${p.brand} ${p.name}`), h('small', { class: 'muted' }, ` (${p.id})`),
    h('div', { class: 'muted' }, p.ingredients.join(', ')),
    p.lab ? recordedColour(p) : null,
    p.contains_nickel ? h('span', { class: 'badge warn' }, 'contains nickel') : null,
    p.contains_chromium_vi ? h('span', { class: 'badge warn' }, 'contains chromium(VI)') : null,
    medical ? records.filter((r) => r.key === p.id).map((r) => pigmentCorrection(ctx, r)) : null))) : empty('No pigments in the catalogue yet.');
  const parts = [h('div', { class: 'page-head' }, h('h1', {}, 'Pigment lots')), card('Lots', lotTable, medical && pigments.length ? lotForm(ctx, pigments) : null), card('Pigments', pigmentList, medical ? pigmentForm(ctx) : null)];
  return h('div', { class: 'page' }, parts);
}

function lotForm(ctx, pigments) {
  const pigment = select('pigment', pigments.map((p) => [p.id, `${p.brand} ${p.name}`]));
  const number = h('input', { name: 'number', required: true, maxLength: LIMITS.reference });
  const expiry = h('input', { name: 'expiry', type: 'date', required: true });
  const received = h('input', { name: 'received', type: 'date', value: today(), max: today() });
  const status = h('div', { class: 'form-status' });
  return h('form', { class: 'grid-form', noValidate: true, on: { submit: async (e) => {
    e.preventDefault();
    const problem = firstProblem(checkText('Lot number', number.value, LIMITS.reference, true), expiry.value ? null : 'Please fill in the use-by date.', notFuture('The received date', received.value));
    if (problem) { replace(status, errorBox(problem)); return; }
    const body = { pigment: pigment.value, number: number.value.trim(), expiry: expiry.value };
    if (received.value) body.received = received.value;
    try { await post('/api/lots', body); ctx.toast(`Lot ${body.number} added.`); ctx.navigate('#/lots'); } catch (err) { replace(status, errorBox(err)); }
  } } }, h('h3', { class: 'span' }, 'Add a lot'), field('Pigment', pigment), field('Lot (batch) number', number), field('Use by', expiry), field('Received', received),
  h('div', { class: 'actions' }, status, h('button', { class: 'primary', type: 'submit' }, 'Add lot')));
}

/**
 * The colour fields of the pigment form: the maker's CIELAB numbers (L*, a*, b* of the undiluted drawdown, from
 * the product's sheet), or a screen colour converted to them by the core; a swatch and the core's sentence when the
 * numbers are not a CIELAB colour. `value(name)` answers { lab } (null when left empty) or { problem }.
 */
function colourFields() {
  const num = (name) => h('input', { name, type: 'text', inputMode: 'decimal', autocomplete: 'off', class: 'lab-number' });
  const l = num('lab_l'), a = num('lab_a'), b = num('lab_b');
  const labField = (label, x) => { const el = field(label, x); el.classList.add('lab-field'); return el; };
  const screen = h('input', { name: 'screen_colour', id: 'p-screen', placeholder: '#262626', autocomplete: 'off' });
  const convert = h('button', { type: 'button', id: 'p-convert' }, 'Convert to CIELAB');
  const shown = h('span', { id: 'p-swatch', class: 'pigment-swatch-slot' });
  const said = h('div', { id: 'p-colour-status', class: 'form-status', 'aria-live': 'polite' });
  const numbers = () => [l, a, b].map((x) => x.value.trim());
  const empty = () => numbers().every((x) => x === '');
  const value = async (pigment) => {
    // A screen colour typed without pressing "Convert" is converted here: saved without it, the colour was lost
    // without a word (outside probe s31c).
    if (empty() && screen.value.trim()) {
      const c = await colourOf({ pigment, screen: screen.value });
      if (!c) return { problem: 'The colour converter could not be loaded: enter the CIELAB numbers.' };
      return c.problem ? { problem: c.problem } : { lab: c.lab, swatch: c.swatch };
    }
    if (empty()) return { lab: null };
    const v = numbers();
    if (v.some((x) => x === '')) return { problem: 'Please give all three colour numbers, L*, a* and b*, or none.' };
    const lab = v.map((x) => Number(x.replace(',', '.')));
    if (lab.some((x) => !Number.isFinite(x))) return { problem: `The colour numbers must be numbers: ${v.join(', ')} is not.` };
    const c = await colourOf({ pigment, lab });
    return c && c.problem ? { problem: c.problem, lab } : { lab, swatch: c && c.swatch };
  };
  let name = () => '';
  let changed = () => {};
  let asked = 0;
  const show = async () => {
    const mine = ++asked;
    const v = await value(name());
    if (mine !== asked) return; // a later edit is being answered
    replace(shown, v.swatch ? colourSwatch(v.swatch, `L* ${v.lab[0]}, a* ${v.lab[1]}, b* ${v.lab[2]}`) : null);
    replace(said, v.problem ? errorBox(v.problem) : null);
    changed();
  };
  for (const x of [l, a, b]) x.addEventListener('input', show);
  convert.addEventListener('click', async () => {
    const c = await colourOf({ pigment: name(), screen: screen.value });
    if (!c) { replace(said, errorBox('The colour converter could not be loaded: enter the CIELAB numbers.')); return; }
    if (c.problem) { replace(said, errorBox(c.problem)); return; }
    [l.value, a.value, b.value] = c.lab.map(String);
    await show();
  });
  const el = h('fieldset', { class: 'span colour-fields' }, h('legend', {}, 'Colour (optional)'),
    h('p', { class: 'muted' }, 'The colour at full strength as the maker’s sheet gives it: CIELAB L*, a*, b* (D65) of the undiluted dried drawdown. With it, new designs can start from this pigment and previews draw it.'),
    h('div', { class: 'inline-form' }, labField('L*', l), labField('a*', a), labField('b*', b), shown),
    h('div', { class: 'inline-form' }, field('Or a screen colour (#rrggbb)', screen,
      'Only when the sheet gives no CIELAB: a colour picked on a screen is an approximation of the drawdown.'), convert),
    said);
  return { el, value, show, named(fn) { name = fn; }, onChange(fn) { changed = fn; } };
}

function pigmentForm(ctx) {
  const f = {
    id: h('input', { name: 'pigment_id', required: true, placeholder: 'e.g. nocturne-carbon-1' }),
    brand: h('input', { name: 'brand', required: true }),
    name: h('input', { name: 'pigment_name', required: true }),
    supplier: h('input', { name: 'supplier', required: true, placeholder: 'Name and address' }),
    ingredients: h('textarea', { name: 'ingredients', rows: 4, required: true, placeholder: 'One per line, with CI/CAS numbers' }),
    ph: h('textarea', { name: 'ph_regulators', rows: 2, placeholder: 'One per line (each also in the ingredients)' }),
    safety: h('textarea', { name: 'safety', rows: 3, required: true, placeholder: 'One instruction per line' }),
  };
  const nickel = h('input', { type: 'checkbox', id: 'p-nickel' });
  const chromium = h('input', { type: 'checkbox', id: 'p-chromium' });
  const status = h('div', { class: 'form-status' });
  const colour = colourFields();
  colour.named(() => `${f.brand.value.trim()} ${f.name.value.trim()}`.trim());
  colour.onChange(() => replace(status)); // an earlier refusal of the colour goes once it is edited
  return h('details', {}, h('summary', {}, 'Add a pigment'), h('form', { class: 'grid-form', on: { submit: async (e) => {
    e.preventDefault();
    const body = { id: f.id.value.trim(), brand: f.brand.value.trim(), name: f.name.value.trim(), supplier: f.supplier.value.trim(), statement: STATEMENT,
      ingredients: lines(f.ingredients.value), ph_regulators: lines(f.ph.value), contains_nickel: nickel.checked, contains_chromium_vi: chromium.checked,
      safety_instructions: lines(f.safety.value) };
    const c = await colour.value(`${body.brand} ${body.name}`);
    if (c.problem) { await colour.show(); replace(status, errorBox(c.problem)); return; }
    if (c.lab) body.lab = c.lab;
    try { await post('/api/pigments', body); ctx.toast(`${body.brand} ${body.name} added.`); ctx.navigate('#/lots'); } catch (err) { replace(status, errorBox(err)); }
  } } }, field('Id', f.id), field('Brand', f.brand), field('Name', f.name), field('Supplier', f.supplier),
  field('Ingredients', f.ingredients), field('pH regulators', f.ph), field('Safety instructions', f.safety),
  h('div', {}, h('div', { class: 'check' }, nickel, h('label', { for: 'p-nickel' }, 'Label says it contains nickel')),
    h('div', { class: 'check' }, chromium, h('label', { for: 'p-chromium' }, 'Label says it contains chromium(VI)'))),
  colour.el,
  h('p', { class: 'muted span' }, `The label statement is recorded as “${STATEMENT}” (REACH Annex XVII entry 75).`),
  h('div', { class: 'actions' }, status, h('button', { class: 'primary', type: 'submit' }, 'Add pigment'))));
}
