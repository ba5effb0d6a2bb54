// The appointments section of a client record (every role): the client's bookings, their reminders (.ics), and
// the proposed follow-up sessions (the server's course, as the screening allows it) each booked with one click.
import { get, post } from '../api.js';
import { h, field, select, card, empty, errorBox, replace } from '../dom.js';
import { overrideNote } from './appointments.js';

export async function section(ctx, client, reload) {
  let list, proposals, people, rooms;
  try {
    [list, proposals, people, rooms] = await Promise.all([
      get(`/api/clients/${client.id}/appointments`), get(`/api/clients/${client.id}/proposals`), get('/api/practitioners'), get('/api/rooms')]);
  } catch (e) { return card('Appointments', errorBox(e)); }
  const status = h('div', { class: 'form-status', id: 'proposal-status' });
  const who = select('proposal_practitioner', people.map((p) => [p.id, p.display_name]), ctx.me.user.role === 'front_desk' ? undefined : ctx.me.user.id);
  const time = h('input', { type: 'time', name: 'proposal_time', value: '10:00', step: 300 });
  const minutes = h('input', { type: 'number', name: 'proposal_minutes', min: 15, max: 600, step: 15, value: 120 });
  const inUse = rooms.filter((r) => !r.retired_at).map((r) => r.name);
  const room = inUse.length ? select('proposal_room', inUse.map((r) => [r, r]), inUse[0]) : h('input', { name: 'proposal_room', value: 'Room 1', maxlength: 200 });
  const book = async (v) => {
    replace(status);
    try {
      const a = await post('/api/appointments', { client_id: client.id, date: v.book_on, time: time.value, minutes: Number(minutes.value),
        practitioner_id: Number(who.value), room: room.value.trim(), kind: v.kind, purpose: v.purpose });
      ctx.toast(`${v.purpose} booked on ${a.date} at ${a.time}.`);
      reload();
    } catch (err) { replace(status, errorBox(err)); }
  };
  const rows = proposals.visits.map((v) => h('tr', {},
    h('td', {}, v.purpose), h('td', {}, v.proposed, v.overdue ? h('span', { class: 'badge stop' }, ' overdue') : null),
    h('td', {}, `${v.earliest} – ${v.latest}`),
    h('td', {}, v.booked ? h('span', { class: 'muted' }, 'Booked')
      : !v.book_on ? h('span', { class: 'muted' }, v.book_note)
      : h('button', { type: 'button', class: 'primary', 'aria-label': `Book ${v.purpose} on ${v.book_on}`, on: { click: () => book(v) } }, `Book ${v.book_on}`))));
  const upcoming = list.length
    ? h('ul', { class: 'plain', id: 'client-appointments' }, list.map((a) => h('li', {},
      h('strong', {}, `${a.date} ${a.time}–${a.end_time}`), ` ${a.purpose} · ${a.practitioner_name} · ${a.room}`,
      a.status === 'cancelled' ? h('span', { class: 'muted' }, ` (cancelled: ${a.cancel_reason || ''})`) : null,
      a.override ? overrideNote(a.override) : null)))
    : empty('No appointment booked.');
  return card('Appointments', upcoming,
    h('p', {}, h('a', { class: 'button', href: `#/appointments?view=day&client=${client.id}` }, 'Book another time'), ' ',
      h('a', { class: 'button', href: `/api/clients/${client.id}/appointments.ics`, download: `${client.reference}-appointments.ics`, id: 'appointments-ics' }, 'Reminders (.ics)')),
    h('h3', {}, 'Proposed follow-ups'),
    rows.length ? h('div', {}, h('div', { class: 'grid-form' }, field('Practitioner', who), field('Start', time), field('Minutes', minutes), field('Room', room)),
      h('table', { class: 'table', id: 'proposals' }, h('thead', {}, h('tr', {}, ['Visit', 'Proposed', 'Window', ''].map((t) => h('th', { scope: 'col' }, t)))), h('tbody', {}, rows)))
      : empty(proposals.held_back ? `Nothing to propose: ${proposals.held_back}` : 'Nothing to propose: no consultation is recorded yet, or the course is complete.'),
    status);
}
