// The editor's design bar: the client's named designs with their versions, the one chosen for the sessions, and where a new design starts from (the latest consultation), all kept through the API.
import { get, post } from '../api.js';
import { h, replace, errorBox, select } from '../dom.js';
import { stamp } from '../format.js';

/** Version number of each design: its place in the chain of versions it follows. */
export function versions(list) {
  const byId = new Map(list.map((d) => [d.id, d]));
  const out = new Map();
  for (const d of list) {
    let n = 1, p = d.previous_id, guard = 0;
    while (p && byId.has(p) && guard++ < list.length) { n++; p = byId.get(p).previous_id; }
    out.set(d.id, n);
  }
  return out;
}

/**
 * Loads the client's designs and the one asked for (`?design=ID`; without one and without `?plan`, the chosen
 * design, else the newest; `?new=1`: none). Returns { el, opened, start, shade, bind }: `opened` is the design record opened, `start` the editor
 * settings a new design starts from (the latest consultation's pattern, sex and each zone's starting shade) or null, `shade`
 * the server's starting shade (with `by_kind`, the shade of a zone by its kind) or null, and
 * `bind({ caseText, label, saved, unchanged })` connects the buttons to the editor (`unchanged`: no edit since the
 * design was opened or saved).
 */
export async function designBar(ctx, client, params, plans = []) {
  const list = await get(`/api/clients/${client.id}/designs`);
  const wanted = Number(params.query.get('design'));
  const fresh = Boolean(params.query.get('new'));
  // Without a design or plan asked for: the one chosen for the sessions, else the newest saved (probe s30: the
  // editor opened a blank default beside three saved designs, and the next save started a fourth).
  const newer = (a, d) => (!a || d.created_at > a.created_at || (d.created_at === a.created_at && d.id > a.id) ? d : a);
  const newest = list.reduce(newer, null);
  // A plan asked for opens the design it was planned from (its case, or its parent's for a touch-up): the
  // chosen one among equals, else the newest (probe s35: a plan opened from the record left the name empty
  // and "Choose for the sessions" greyed although its design was chosen).
  const planId = Number(params.query.get('plan'));
  const plan = planId ? plans.find((p) => p.id === planId) : null;
  const planCase = plan && (plan.case_toml || plans.find((p) => p.id === plan.parent_id)?.case_toml);
  const ofPlan = planCase ? list.filter((d) => d.case_toml === planCase) : [];
  const planDesign = ofPlan.find((d) => d.chosen) || ofPlan.reduce(newer, null);
  const opened = fresh ? null : list.find((d) => d.id === wanted) || (!wanted && (planId ? planDesign : list.find((d) => d.chosen) || newest)) || null;
  let start = null;
  let from = null;
  let shade = null;
  let shadeNote = null;
  if (!opened) {
    const s = await get(`/api/clients/${client.id}/designs/start`);
    if (s.consultation_id) {
      start = {};
      // Without a recorded stage: the core's default for the sex (a woman's Ludwig II, a man's Norwood 6).
      start.pattern = s.pattern || s.default_pattern;
      if (s.sex) start.sex = s.sex;
      // The starting shade comes from the server (follicle_render::start_shade): each zone's pigment and
      // strength per session as the case file writes them, and per zone kind for zones added later.
      if (s.shade) {
        start.zones = {};
        for (const [id, z] of Object.entries(s.shade.zones)) start.zones[id] = { shade: z.shade, dilution: z.dilution.slice(), fromStart: true };
        shade = s.shade;
      }
      // A vertex stage treats the crown its pattern keeps as hair (follicle_case::treated_for_stage).
      for (const id of s.treated || []) {
        start.zones = start.zones || {};
        start.zones[id] = Object.assign(start.zones[id] || {}, { treated: true });
      }
      const treats = (s.treated || []).length ? ` (${s.treated.join(', ')} treated in full)` : '';
      const head = s.sex_recorded ? `, a ${s.sex === 'female' ? 'woman' : 'man'}` : '';
      from = `Starts from the consultation of ${s.held_on}${head}${s.hair_loss ? `: ${s.hair_loss}${treats}` : ''}${s.fitzpatrick ? `, Fitzpatrick ${s.fitzpatrick}` : ''}${s.hair_colour ? `, ${s.hair_colour.replace('-', ' ')} hair` : ''}.`;
      // Without a recorded stage the design starts from the house default: say so (probe s37).
      if (!s.pattern) {
        from += s.default_pattern === 'scars-only'
          ? ' No hair-loss stage is recorded: it starts as a scar repair alone, scars-only (choose a pattern below to treat hair loss too).'
          : ` No hair-loss stage is recorded: it starts from the default${s.sex === 'female' ? ' for a woman' : ''}, ${s.default_pattern} (choose the pattern below).`;
      }
      // A scar the consultation records is drawn by the practitioner where it lies (probe s37: no trace of it).
      if ((s.scars || []).length) from += ` The consultation records ${s.scars.length > 1 ? 'scars' : 'a scar'} (${s.scars.join('; ')}): draw ${s.scars.length > 1 ? 'them' : 'it'} on the top view with “Draw scar”.`;
      // The paragraphs are separated by a space too, so the block's text (copied, read out, tested) keeps
      // its sentences apart: "…lighter). From the built-in catalogue…".
      shadeNote = s.shade
        ? h('div', { id: 'design-shade', class: 'design-shade', dataset: { fit: s.shade.fit } },
          h('p', {}, h('strong', {}, 'Starting shade: '), s.shade.why),
          s.shade.catalogue_note ? [' ', h('p', { class: 'muted', dataset: { catalogue: s.shade.catalogue } }, s.shade.catalogue_note)] : null,
          s.shade.caution ? [' ', h('p', { class: 'warn', role: 'note' }, s.shade.caution)] : null)
        : h('p', { id: 'design-shade', class: 'muted' }, s.shade_missing);
    } else {
      // No consultation yet: the house default is said, so a woman's record is not designed as a man's
      // Norwood 6 unnoticed (outside test s53).
      from = 'No consultation is recorded yet: this design starts from the default, a man’s head with a Norwood 6 pattern. Hold the consultation first, or choose the sex and pattern below.';
    }
  }
  const n = versions(list);
  const status = h('span', { class: 'form-status', id: 'design-status', 'aria-live': 'polite' });
  const name = h('input', { name: 'design-label', id: 'design-label', value: opened ? opened.label : '', placeholder: 'e.g. conservative hairline', 'aria-label': 'Design name' });
  const optionText = (d) => `${d.label}, version ${n.get(d.id)} (${stamp(d.created_at)})${d.chosen ? ', chosen for the sessions' : ''}`;
  const pick = select('design-open', [['', list.length ? 'Open a saved design' : 'No saved design yet'],
    ...list.map((d) => [d.id, optionText(d)])], opened ? opened.id : '');
  pick.id = 'design-open';
  pick.setAttribute('aria-label', 'Open a saved design');
  pick.addEventListener('change', () => { if (pick.value) location.hash = `#/clients/${client.id}/design?design=${pick.value}`; });
  const save = h('button', { type: 'button', id: 'save-design' }, opened ? 'Save as a new version' : 'Save design');
  const saveNew = h('button', { type: 'button', id: 'save-new-design', hidden: !opened }, 'Save as a new design');
  const choose = h('button', { type: 'button', id: 'choose-design', disabled: !opened || opened.chosen }, opened && opened.chosen ? 'Chosen for the sessions' : 'Choose for the sessions');
  const history = h('div', { id: 'design-history' });
  if (opened) {
    const chain = await get(`/api/designs/${opened.id}/history`);
    replace(history, h('details', {}, h('summary', {}, `History: ${chain.length} version${chain.length === 1 ? '' : 's'}`),
      h('ol', { reversed: true, class: 'plain' }, chain.map((d) => h('li', {}, h('a', { href: `#/clients/${client.id}/design?design=${d.id}` }, `${d.label} (${stamp(d.created_at)})`), d.chosen ? ' — chosen' : '')))));
  }
  // A name other than the opened design's renames it in the new version (outside test s51: an empty name was
  // saved under an automatic one, and the name typed next read as another design's in the list).
  const renameNote = h('p', { class: 'muted', id: 'design-rename', 'aria-live': 'polite' });
  name.addEventListener('input', () => {
    const typed = name.value.trim();
    renameNote.textContent = opened && typed && typed !== opened.label
      ? `“Save as a new version” renames “${opened.label}” to “${typed}”; its earlier versions keep their names in the history. “Save as a new design” starts a separate design instead.`
      : '';
  });
  const openedNote = opened ? h('p', { class: 'muted', id: 'design-opened' }) : null;
  const sayOpened = () => { if (openedNote) openedNote.textContent = `Design “${opened.label}”, version ${n.get(opened.id)}${opened.chosen ? ', chosen for the sessions' : ''}.`; };
  sayOpened();
  const el = h('section', { class: 'card design-bar', id: 'design-bar' },
    h('div', { class: 'inline-form' }, pick, name, save, saveNew, choose, status),
    renameNote,
    from ? h('p', { class: 'muted', id: 'design-from' }, from) : null,
    shadeNote,
    openedNote,
    history);
  return {
    el, opened, start, fresh, shade,
    /** The design's name as typed in the bar (empty when none). */
    name: () => name.value.trim(),
    bind({ caseText, label, saved, unchanged }) {
      const store = async (previous) => {
        save.disabled = saveNew.disabled = true;
        try {
          const typed = name.value.trim();
          const body = { label: typed || label(), case: caseText() };
          // The opened version again, unchanged: no identical version (outside test s52: "version 3" equal to 2).
          if (previous && opened && previous === opened.id && body.label === opened.label && (unchanged() || body.case === opened.case_toml)) {
            replace(status, h('span', { id: 'design-unchanged' }, `Nothing has changed since version ${n.get(opened.id)}: it is not saved again.`));
            save.disabled = saveNew.disabled = false;
            return;
          }
          if (previous) body.previous_id = previous;
          const rec = await post(`/api/clients/${client.id}/designs`, body);
          replace(status, h('span', { id: 'design-saved', dataset: { designId: rec.id } }, `Saved “${rec.label}”${previous ? ' as a new version' : ''}.`));
          saved();
          // The name given for an empty box is said where it outlives the page's redraw.
          if (!typed) ctx.toast(`Saved as “${rec.label}”: the name box was empty, so the design is named after its pattern and B height. Type a name and save to rename it.`);
          location.hash = `#/clients/${client.id}/design?design=${rec.id}`;
        } catch (err) {
          replace(status, errorBox(err));
          // A new design under a name the client already has (the server says so): the name is what to change.
          if (!previous && err.status === 409) { name.focus(); name.select(); }
        }
        save.disabled = saveNew.disabled = false;
      };
      save.addEventListener('click', () => store(opened ? opened.id : null));
      saveNew.addEventListener('click', () => store(null));
      choose.addEventListener('click', async () => {
        try {
          // The choice this page shows: one made since in another window is refused in words, not replaced.
          const before = list.find((d) => d.chosen);
          await post(`/api/designs/${opened.id}/choose?chosen_before=${before ? before.id : 'none'}`, {});
          choose.disabled = true;
          choose.textContent = 'Chosen for the sessions';
          // The list and the note say so at once (probe s32b: only after a reload); one design is chosen.
          for (const d of list) d.chosen = d.id === opened.id;
          opened.chosen = true;
          for (const o of pick.options) { const d = list.find((x) => String(x.id) === o.value); if (d) o.textContent = optionText(d); }
          sayOpened();
          ctx.toast('Design chosen for the sessions.');
        } catch (err) { replace(status, errorBox(err)); }
      });
    },
  };
}
