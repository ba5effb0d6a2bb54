// The owner's retention purge (Users page; the command line has `follicle records purge`): first what a purge
// would remove (GET /api/records/retention, nothing changes), then the purge itself, confirmed with the exact
// list of clients shown, by their ids (POST /api/records/purge: the server deletes nobody when the list has
// changed in between and says what changed, and refuses every role but the owner). The rule (who has reached
// the end of the retention period) is the store's.
import { get, post } from '../api.js';
import { h, field, card, errorBox, replace } from '../dom.js';
import { checkText } from '../checks.js';

function list(clients) {
  return h('table', { class: 'table', id: 'purge-list' },
    h('thead', {}, h('tr', {}, ['Client', 'Last treatment or visit', 'Retention ended'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, clients.map((c) => h('tr', {}, h('td', {}, c.reference, c.pseudonymised ? h('small', { class: 'muted' }, ' (erased on request)') : null),
      h('td', {}, c.last_treatment), h('td', {}, c.retain_until)))));
}

// Clients whose retention has ended but who are booked again: kept out of the purge, each with why.
function kept(r) {
  if (!r.kept || r.kept.length === 0) return null;
  return h('div', { id: 'purge-kept' }, h('p', {}, `${r.kept.length} more client(s) reached the end of the retention period but are kept because they are booked again:`),
    h('ul', {}, r.kept.map((c) => h('li', {}, `${c.reference}: ${c.why}`))));
}

/** The "Retention purge" card (owner only; other roles get nothing). */
export function purgeCard(ctx) {
  if (ctx.me.user.role !== 'owner') return null;
  const body = h('div', { id: 'purge-body' });
  const look = h('button', { type: 'button', id: 'purge-look', on: { click: async () => {
    try { show(await get('/api/records/retention')); } catch (err) { replace(body, errorBox(err)); }
  } } }, 'Show what a purge would remove');
  function show(r) {
    if (r.count === 0) {
      replace(body, h('p', { class: 'notice', role: 'status', id: 'purge-none' }, `No client’s ${r.retention_years}-year retention period has ended by ${r.today}: there is nothing to purge.`), kept(r));
      return;
    }
    const reason = h('textarea', { name: 'purge_reason', rows: 2, maxLength: 2000 }, 'the clinic’s retention period ended');
    const sure = h('input', { type: 'checkbox', id: 'purge-sure' });
    const status = h('div', { class: 'form-status', id: 'purge-status' });
    const more = r.count > r.purge_now ? ` One purge removes ${r.purge_now}; purge again for the rest.` : '';
    const form = h('form', { class: 'grid-form', noValidate: true, on: { submit: async (e) => {
      e.preventDefault();
      const problem = !sure.checked ? 'Please tick the box to confirm that these clients’ records may be deleted.' : checkText('The reason', reason.value, 2000);
      if (problem) { replace(status, errorBox(problem)); return; }
      try {
        const done = await post('/api/records/purge', { clients: r.clients.slice(0, r.purge_now).map((c) => c.id), reason: reason.value.trim() });
        replace(body, h('p', { class: 'notice', role: 'status', id: 'purge-done' }, done.message));
        ctx.toast(done.message);
      } catch (err) { replace(status, errorBox(err)); }
    } } },
    field('Why (kept in the audit log)', reason),
    h('div', { class: 'check span' }, sure, h('label', { for: 'purge-sure' }, `I understand that every record of these ${r.purge_now} client(s) will be deleted and cannot be brought back.`)),
    h('div', { class: 'actions' }, status, h('button', { class: 'danger', type: 'submit' }, `Purge ${r.purge_now} client(s)`)));
    replace(body, h('p', {}, `${r.count} client(s) reached the end of the clinic’s ${r.retention_years}-year retention period by ${r.today}.${more} Nothing has been deleted yet.`),
      list(r.clients), kept(r), form);
  }
  return card('Retention purge', h('p', { class: 'muted' }, 'Medical records are kept for the retention period after a client’s last visit or treatment. Once it has ended, the clinic should delete them. Look at the list first: nothing is deleted until you confirm.'),
    h('p', {}, look), body);
}
