// Client rights on the client record: "export everything about this client" (a zip archive, owner and
// practitioners) and "erase on request" (owner only; confirmed by typing the reference; the server keeps the
// treatment records under a pseudonym while the clinic's retention period runs). Also a photo's delete button.
import { post, del } from '../api.js';
import { h, field, card, errorBox, replace } from '../dom.js';
import { checkText } from '../checks.js';

/** The export link: the browser downloads the archive with the session cookie. */
export function exportLink(client) {
  return h('a', { class: 'button', href: `/api/clients/${client.id}/export`, download: `${client.reference}-records.zip`, id: 'export-link' }, 'Export everything');
}

/** The "Erase on request" card (owner only). */
export function eraseCard(ctx, client) {
  if (ctx.me.user.role !== 'owner') return null;
  const reason = h('textarea', { name: 'erase_reason', rows: 2, required: true, maxLength: 2000, placeholder: 'e.g. asked by e-mail on 2 March' });
  const confirm = h('input', { name: 'erase_confirm', required: true, autocomplete: 'off' });
  const status = h('div', { class: 'form-status', id: 'erase-status' });
  const form = h('form', { class: 'grid-form', on: { submit: async (e) => {
    e.preventDefault();
    const problem = checkText('Reason', reason.value, 2000, true) || (confirm.value.trim() !== client.reference ? `Type the client’s reference, ${client.reference}, to confirm.` : null);
    if (problem) { replace(status, errorBox(problem)); return; }
    try {
      const done = await post(`/api/clients/${client.id}/erase`, { reason: reason.value.trim(), confirm: confirm.value.trim() });
      replace(status, h('p', { class: 'notice', role: 'status', id: 'erase-done' }, done.message));
      ctx.toast('Client erased.');
    } catch (err) { replace(status, errorBox(err)); }
  } } },
  h('p', { class: 'muted span' }, 'Removes the client’s name, date of birth, contact details and photos. Treatment records that the clinic must keep stay under a pseudonym until the retention period ends. This cannot be undone: export the client’s records first if they asked for a copy.'),
  field('Why', reason, 'Do not write the client’s name here: the reason is kept in the audit log.'),
  field(`Type the reference (${client.reference}) to confirm`, confirm),
  h('div', { class: 'actions' }, status, h('button', { class: 'danger', type: 'submit' }, 'Erase this client')));
  return h('details', { class: 'card', id: 'erase-card' }, h('summary', {}, 'Erase on request'), form);
}

/** A small "Delete" form for a record that asks for the reason first. */
export function deleteButton(ctx, path, what, done) {
  const status = h('span', { class: 'form-status' });
  return h('button', { type: 'button', class: 'link', on: { click: async () => {
    const why = window.prompt(`Why delete this ${what}? (kept in the audit log)`);
    if (why === null) return;
    if (!why.trim()) { replace(status, errorBox('Please write down why.')); return; }
    try { await del(path, { reason: why.trim() }); ctx.toast(`The ${what} was deleted.`); done(); } catch (err) { replace(status.parentNode || status, errorBox(err)); }
  } } }, 'Delete');
}

/** The card of a client's rights: export and erase. */
export function rightsCard(ctx, client) {
  return card('Client’s data', h('p', {}, 'Give the client a copy of everything the clinic holds about them: details, consultations, plans, sessions, consents, photos and their documents as PDF, in one archive.'),
    h('p', {}, exportLink(client)), eraseCard(ctx, client));
}
