// Corrections with a reason: a "Correct" panel for one record (photo caption, pigment lot, pigment) with its fields, a
// required reason, and the record's history (who created, corrected or deleted it, with the reasons; GET
// /api/history). The server keeps the previous version and writes the audit row; its sentence is shown as it
// comes.
import { get, put } from '../api.js';
import { h, field, errorBox, replace } from '../dom.js';
import { stamp } from '../format.js';
import { checkText, firstProblem } from '../checks.js';

/** The history list of a record (client, consultation, photo, lot, pigment), loaded into `into`. */
export async function history(entity, id, into) {
  try {
    const r = await get(`/api/history?entity=${entity}&id=${id}`);
    // A client's earlier identity, as each correction kept it (name, date of birth, reference).
    const earlier = entity === 'client' ? r.versions.map((v) => {
      const old = JSON.parse(v.previous_json);
      return h('li', {}, h('small', { class: 'muted' }, stamp(v.changed_at)), ` before: ${old.name}, born ${old.date_of_birth || 'not given'}, reference ${old.reference} — ${v.reason}`);
    }) : [];
    replace(into, r.changes.length
      ? h('ul', { class: 'plain history' }, r.changes.map((c) => h('li', {}, h('small', { class: 'muted' }, stamp(c.at)), ` ${c.by || 'command line'}: ${c.action} — ${c.detail}`)), earlier)
      : h('p', { class: 'empty' }, 'No changes recorded yet.'));
  } catch (err) { replace(into, errorBox(err)); }
}

/** One field of a Correct panel: a text, date or number input, a textarea (`type: 'textarea'`) or a checkbox. */
function input(f, id) {
  const name = `${f.name}-${id}`;
  if (f.type === 'textarea') return h('textarea', { name, rows: f.rows || 3, maxLength: f.max || 2000 }, f.value || '');
  if (f.type === 'checkbox') return h('input', { name, id: name, type: 'checkbox', checked: !!f.value });
  return h('input', { name, type: f.type || 'text', value: f.value || '', maxLength: f.max || 200 });
}

/**
 * A "Correct" panel: `fields` is a list of { name, label, value, type?, max?, rows? }; `body(values)` makes the PUT
 * body without the reason (a checkbox's value is true or false, the others' their trimmed text); `check(values)`
 * returns a sentence or null before sending; `revision` is the record's revision as loaded (sent back, so that a
 * change someone else saved since is refused with their name and time instead of being overwritten).
 */
export function correctPanel(ctx, { path, entity, id, what, fields, body, revision, check = () => null, done }) {
  const inputs = fields.map((f) => ({ f, el: input(f, id) }));
  const reason = h('textarea', { name: `reason-${entity}-${id}`, rows: 2, maxLength: 2000, placeholder: 'Why, e.g. a typing error when it was first entered' });
  const status = h('div', { class: 'form-status' });
  const past = h('div', { class: 'history-list' });
  const values = () => Object.fromEntries(inputs.map(({ f, el }) => [f.name, f.type === 'checkbox' ? el.checked : el.value.trim()]));
  const form = h('form', { class: 'grid-form correct-form', noValidate: true, on: { submit: async (e) => {
    e.preventDefault();
    const v = values();
    const problem = firstProblem(checkText('The reason', reason.value, 2000, true), check(v));
    if (problem) { replace(status, errorBox(problem)); return; }
    try {
      // The record's revision as loaded: a change saved by someone else since is refused, not overwritten.
      await put(path, { ...body(v), reason: reason.value.trim(), ...(revision ? { revision } : {}) });
      ctx.toast(`The ${what} was corrected.`);
      done();
    } catch (err) { replace(status, errorBox(err)); }
  } } }, inputs.map(({ f, el }) => (f.type === 'checkbox' ? h('div', { class: 'check' }, el, h('label', { for: el.id }, f.label)) : field(f.label, el))), field('Reason for the correction', reason, 'Required; kept with the previous version in the record’s history.'),
  h('div', { class: 'actions' }, status, h('button', { type: 'submit' }, 'Save correction')));
  const panel = h('details', { class: 'correct', dataset: { entity, id } }, h('summary', {}, 'Correct'), form, h('h4', {}, 'History'), past);
  panel.addEventListener('toggle', () => { if (panel.open) history(entity, id, past); });
  return panel;
}
