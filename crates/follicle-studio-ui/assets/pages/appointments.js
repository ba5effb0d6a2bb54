// Appointments: the day and week views of the clinic's bookings, and the booking form (front desk may book).
// Every rule is the server's (follicle-clinic's): the slot on the clinic's clocks, clashes of a practitioner or a
// room, the screening gate; this page shows its sentences as they come.
import { get, post, put } from '../api.js';
import { h, field, select, card, empty, errorBox, replace } from '../dom.js';
import { addDays } from '../format.js';

const KINDS = [['session', 'Session'], ['consultation', 'Consultation'], ['touch-up', 'Touch-up']];

/** Monday of a YYYY-MM-DD day's week. */
function monday(day) {
  const d = new Date(`${day}T00:00:00Z`);
  return addDays(day, -((d.getUTCDay() + 6) % 7));
}

export async function render(ctx, params) {
  const view = params.query.get('view') === 'week' ? 'week' : 'day';
  const [list, people, clients] = await Promise.all([
    params.query.get('from') ? Promise.resolve(null) : get('/api/appointments'),
    get('/api/practitioners'),
    get('/api/clients?limit=500'),
  ]);
  // The booking form lists the first 500 clients; the client this page was opened for is always among them
  // (probe s7 N15: with more clients, "Book another time" preselected someone else).
  const wanted = params.query.get('client');
  if (wanted && !clients.items.some((c) => String(c.id) === wanted)) {
    try {
      clients.items = [await get(`/api/clients/${encodeURIComponent(wanted)}`), ...clients.items];
    } catch { /* not in this clinic: the form asks for a client */ }
  }
  const today = list ? list.today : params.query.get('from');
  let from = view === 'week' ? monday(params.query.get('from') || today) : (params.query.get('from') || today);
  const days = view === 'week' ? 7 : 1;
  // Cancelled bookings stay listed, marked (docs/appointments.md; probe s31c: they vanished from both views).
  const data = await get(`/api/appointments?from=${from}&days=${days}&cancelled=true`);
  data.people = people;
  const go = (v, f) => ctx.navigate(`#/appointments?view=${v}&from=${f}`);
  const step = view === 'week' ? 7 : 1;
  const dayInput = h('input', { type: 'date', name: 'view_day', value: from, 'aria-label': 'Show day', on: { change: (e) => e.target.value && go(view, e.target.value) } });
  const head = h('div', { class: 'page-head' },
    h('div', {}, h('h1', {}, 'Appointments'), h('p', { class: 'muted' }, `Times on the clinic’s clocks (${data.zone}).`)),
    h('div', { class: 'head-actions' },
      h('button', { type: 'button', on: { click: () => go(view, addDays(from, -step)) } }, view === 'week' ? 'Previous week' : 'Previous day'),
      dayInput,
      h('button', { type: 'button', on: { click: () => go(view, addDays(from, step)) } }, view === 'week' ? 'Next week' : 'Next day'),
      h('button', { type: 'button', 'aria-pressed': String(view === 'day'), on: { click: () => go('day', from) } }, 'Day'),
      h('button', { type: 'button', 'aria-pressed': String(view === 'week'), on: { click: () => go('week', from) } }, 'Week'),
      h('a', { class: 'button', href: `/api/appointments.ics?from=${from}&days=31`, download: 'appointments.ics' }, 'Calendar (.ics)')));
  const calendarCard = card(view === 'week' ? `Week of ${from}` : from, calendar(ctx, data, from, days));
  calendarCard.id = 'calendar-card';
  // The day view follows the day typed into the booking form, so the receptionist sees that day's bookings
  // and any clash beside the form (probe s30: after a refused booking the view still showed today).
  const showDay = async (day) => {
    if (view !== 'day' || !day || day === from) return;
    try {
      const d = await get(`/api/appointments?from=${day}&days=1&cancelled=true`);
      d.people = people;
      from = day;
      dayInput.value = day;
      replace(calendarCard, h('h2', {}, day), calendar(ctx, d, day, 1));
      const client = params.query.get('client');
      history.replaceState(null, '', `#/appointments?view=day&from=${day}${client ? `&client=${encodeURIComponent(client)}` : ''}`);
    } catch (_) { /* the form still books; the view stays where it was */ }
  };
  return h('div', { class: 'page' }, head,
    h('div', { class: 'record' },
      calendarCard,
      card('Book an appointment', bookingForm(ctx, clients.items, people, params.query.get('client'), from, data.rooms, showDay))));
}

/** The bookings, one column per day. */
function calendar(ctx, data, from, days) {
  const cols = [];
  for (let i = 0; i < days; i++) {
    const day = addDays(from, i);
    const todays = data.appointments.filter((a) => a.date === day);
    const open = (data.hours || []).find((x) => x.date === day);
    // A closed date (holiday) first; else the day's hours and its breaks (the server's words).
    const hours = open && open.closed ? h('p', { class: 'hours closed' }, `Closed: ${open.closed}`)
      : open && open.hours ? h('p', { class: open.hours === 'closed' ? 'hours closed' : 'hours' }, open.hours === 'closed' ? 'Closed' : `Open ${open.hours}`,
        open.hours !== 'closed' && open.breaks && open.breaks.length ? h('span', { class: 'breaks' }, ` · break ${open.breaks.join(', ')}`) : null)
        : open && open.breaks && open.breaks.length ? h('p', { class: 'hours' }, `Break ${open.breaks.join(', ')}`) : null;
    cols.push(h('section', { class: 'day-col', 'aria-label': day },
      days > 1 ? h('h3', {}, new Date(`${day}T00:00:00Z`).toLocaleDateString('en-GB', { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' })) : null,
      hours,
      todays.length ? h('ul', { class: 'plain appointments' }, todays.map((a) => entry(ctx, a, data.people || [], data.rooms || []))) : empty('Nothing booked.')));
  }
  return h('div', { class: days > 1 ? 'week-grid' : 'day-list' }, cols);
}

/** One booking with its move and cancel actions. Moving can also give it another practitioner or room (a
 * practitioner who left, a room retired: the owner is told to move those bookings, probe s7 N2/N9). */
function entry(ctx, a, people, rooms) {
  if (a.status === 'cancelled') {
    return h('li', { class: 'appointment cancelled', dataset: { id: a.id, status: 'cancelled' } },
      h('s', {}, h('strong', {}, `${a.time}–${a.end_time}`), ' ', a.client_name, ` · ${a.purpose} · ${a.practitioner_name} · ${a.room}`),
      h('span', { class: 'muted' }, ` — cancelled${a.cancel_reason ? `: ${a.cancel_reason}` : ''}`));
  }
  const status = h('div', { class: 'form-status' });
  const time = h('input', { type: 'time', name: `move-time-${a.id}`, value: a.time, step: 300, 'aria-label': 'New start time' });
  const date = h('input', { type: 'date', name: `move-date-${a.id}`, value: a.date, 'aria-label': 'New day' });
  // The booking's own practitioner and room stay offered (chosen) even when they can no longer be booked, so
  // that a plain move of the time keeps them and the server says why when they cannot stay.
  const whoOptions = people.map((p) => [p.id, p.display_name]);
  if (!people.some((p) => p.id === a.practitioner_id)) whoOptions.unshift([a.practitioner_id, `${a.practitioner_name} (can no longer be booked)`]);
  const who = select(`move-practitioner-${a.id}`, whoOptions, a.practitioner_id);
  who.setAttribute('aria-label', 'Practitioner');
  const roomOptions = rooms.map((r) => [r, r]);
  if (!rooms.includes(a.room)) roomOptions.unshift([a.room, `${a.room} (no longer in use)`]);
  const where = select(`move-room-${a.id}`, roomOptions, a.room);
  where.setAttribute('aria-label', 'Room');
  const reason = h('input', { name: `cancel-reason-${a.id}`, placeholder: 'Reason, e.g. client phoned', maxlength: 200, 'aria-label': 'Reason for cancelling' });
  const move = h('form', { class: 'mini', on: { submit: async (e) => {
    e.preventDefault();
    try {
      await put(`/api/appointments/${a.id}`, { date: date.value, time: time.value, minutes: a.minutes, practitioner_id: Number(who.value), room: where.value, revision: a.revision });
      ctx.toast('Appointment moved.');
      ctx.navigate(location.hash);
    } catch (err) { replace(status, errorBox(err)); }
  } } }, date, time, who, where, h('button', { type: 'submit' }, 'Move'));
  const cancel = h('form', { class: 'mini', on: { submit: async (e) => {
    e.preventDefault();
    if (!reason.value.trim()) { replace(status, errorBox(new Error('Write why the appointment is cancelled.'))); return; }
    try {
      await post(`/api/appointments/${a.id}/cancel`, { reason: reason.value.trim() });
      ctx.toast('Appointment cancelled.');
      ctx.navigate(location.hash);
    } catch (err) { replace(status, errorBox(err)); }
  } } }, reason, h('button', { type: 'submit' }, 'Cancel appointment'));
  return h('li', { class: 'appointment', dataset: { id: a.id } },
    h('strong', {}, `${a.time}–${a.end_time}`), ' ',
    h('a', { href: `#/clients/${a.client_id}` }, a.client_name), ` · ${a.purpose} · ${a.practitioner_name} · ${a.room}`,
    a.override ? overrideNote(a.override) : null,
    h('details', {}, h('summary', {}, 'Move or cancel'), move, cancel), status);
}

/** The owner's override shown on a booking: who, when and why (the front desk is not given the reason, which
 * can be medical: it sees that the owner approved the booking). */
export function overrideNote(o) {
  const why = o.reason == null ? ': approved by the owner' : `: “${o.reason}”`;
  return h('p', { class: 'override-note' }, h('span', { class: 'badge warn' }, 'Owner override'), ` ${o.by || 'The owner'}${o.at ? `, ${o.at.slice(0, 16).replace('T', ' ')} UTC` : ''}${why}`);
}

/** The booking form; the server decides and its sentence is shown as it comes. When the owner's booking is
 * refused by the screening or the opening hours, a reason field offers to book anyway. */
export function bookingForm(ctx, clients, people, clientId, day, rooms = [], onDay = null) {
  // Never a silent default: without a client asked for, or when it cannot be listed, the front desk chooses.
  const known = clientId && clients.some((c) => String(c.id) === String(clientId));
  const client = select('client_id', [['', 'Choose the client…'], ...clients.map((c) => [c.id, `${c.name} (${c.reference})`])], known ? clientId : '');
  client.required = true;
  const date = h('input', { type: 'date', name: 'date', value: day, required: true });
  if (onDay) date.addEventListener('change', () => onDay(date.value));
  const time = h('input', { type: 'time', name: 'time', value: '10:00', step: 300, required: true });
  const minutes = h('input', { type: 'number', name: 'minutes', min: 15, max: 600, step: 15, value: 120, required: true });
  const who = select('practitioner_id', people.map((p) => [p.id, p.display_name]), ctx.me.user.role === 'front_desk' ? undefined : ctx.me.user.id);
  const room = rooms.length ? select('room', rooms.map((r) => [r, r]), rooms[0]) : h('input', { name: 'room', value: 'Room 1', maxlength: 200, required: true });
  const owner = ctx.me.user.role === 'owner';
  const reason = h('textarea', { name: 'override_reason', rows: 2, maxLength: 2000, placeholder: 'Why this booking goes ahead anyway (at least 15 characters)' });
  const refused = h('div', { id: 'override-refused' });
  const overrideBox = h('div', { class: 'override', id: 'override-box', hidden: true }, refused,
    field('Book anyway: the owner’s reason', reason, 'Kept with the booking and in the audit log.'));
  const kind = select('kind', KINDS, 'session');
  const status = h('div', { class: 'form-status', id: 'booking-status' });
  return h('form', { class: 'grid-form', id: 'booking-form', on: { submit: async (e) => {
    e.preventDefault();
    replace(status);
    const m = Number(minutes.value);
    if (!(m >= 15 && m <= 600)) { replace(status, errorBox(new Error('An appointment lasts 15 minutes to 10 hours.'))); return; }
    const body = { client_id: Number(client.value), date: date.value, time: time.value, minutes: m,
      practitioner_id: Number(who.value), room: room.value.trim(), kind: kind.value };
    if (!overrideBox.hidden) {
      if ([...reason.value.trim()].length < 15) { replace(status, errorBox(new Error('Write why the booking goes ahead anyway (at least 15 characters).'))); return; }
      body.override_reason = reason.value.trim();
    }
    try {
      const a = await post('/api/appointments', body);
      ctx.toast(`Booked ${a.client_name} on ${a.date} at ${a.time}.`);
      // The client stays chosen for the next booking (the form never falls back to another client).
      ctx.navigate(`#/appointments?view=day&from=${a.date}&client=${a.client_id}`);
    } catch (err) {
      replace(status, errorBox(err));
      // A refusal the owner may lift (a deferral, a missing clearance, outside the opening hours; the server
      // says so by its code): offer the reason field, with the refusal kept beside it, so the owner reads what
      // they lift (probe s30: the second try's "write why" replaced it). Never for "not suitable".
      if (owner && err.code === 'owner_may_override') {
        replace(refused, h('p', { class: 'outcome warn' }, `Refused: ${err.message}`));
        overrideBox.hidden = false;
      } else {
        overrideBox.hidden = true;
      }
    }
  } } },
  field('Client', client), field('Day', date), field('Start', time, 'On the clinic’s clocks.'), field('Minutes', minutes),
  field('Practitioner', who), field('Room', room), field('Kind', kind, 'Sessions and touch-ups follow the screening.'), overrideBox,
  h('div', { class: 'actions' }, status, h('button', { type: 'submit', class: 'primary' }, 'Book')));
}
