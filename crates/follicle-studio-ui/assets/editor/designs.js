// The editor's design bar: the client's named designs (open one, save the current design under a name), kept through the API.
import { get, post } from '../api.js';
import { h, replace, errorBox, select } from '../dom.js';
import { stamp } from '../format.js';

/**
 * Loads the client's designs and the one asked for (`?design=ID`). Returns { el, opened, start, bind }:
 * `opened` is the design record opened, `start` the editor state a new design starts from (or null), and
 * `bind({ caseText, label, saved })` connects the save button to the editor.
 */
export async function designBar(ctx, client, params) {
  const list = await get(`/api/clients/${client.id}/designs`);
  const wanted = Number(params.query.get('design'));
  const opened = list.find((d) => d.id === wanted) || null;
  const status = h('span', { class: 'form-status', id: 'design-status', 'aria-live': 'polite' });
  const name = h('input', { name: 'design-label', id: 'design-label', value: opened ? opened.label : '', placeholder: 'e.g. conservative hairline', 'aria-label': 'Design name' });
  const pick = select('design-open', [['', list.length ? 'Open a saved design' : 'No saved design yet'], ...list.map((d) => [d.id, `${d.label} (${stamp(d.created_at)})`])], opened ? opened.id : '');
  pick.id = 'design-open';
  pick.setAttribute('aria-label', 'Open a saved design');
  pick.addEventListener('change', () => { if (pick.value) location.hash = `#/clients/${client.id}/design?design=${pick.value}`; });
  const save = h('button', { type: 'button', id: 'save-design' }, 'Save design');
  const el = h('section', { class: 'card design-bar', id: 'design-bar' }, h('div', { class: 'inline-form' }, pick, name, save, status));
  return {
    el, opened, start: null,
    bind({ caseText, label, saved }) {
      save.addEventListener('click', async () => {
        save.disabled = true;
        try {
          const rec = await post(`/api/clients/${client.id}/designs`, { label: name.value.trim() || label(), case: caseText() });
          replace(status, h('span', { id: 'design-saved', dataset: { designId: rec.id } }, `Saved as “${rec.label}”.`));
          saved();
          history.replaceState(null, '', `#/clients/${client.id}/design?design=${rec.id}`);
        } catch (err) { replace(status, errorBox(err)); }
        save.disabled = false;
      });
    },
  };
}
