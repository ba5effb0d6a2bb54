// The clinic's premises (owner): opening hours, one opening and closing time per weekday or closed, with a break
// (e.g. lunch) within the day; closed dates (holidays) with their reasons; and the rooms it books (add, rename,
// retire, put back in use). The rules are the server's (follicle-clinic's premises and closures); this card
// shows its sentences as they come. Bookings outside the hours, in a break, on a closed date or in a room not in
// use are refused.
import { get, post, put } from '../api.js';
import { h, field, card, errorBox, replace } from '../dom.js';
import { checkText, firstProblem } from '../checks.js';

/** The opening-hours form: a row per weekday with an "open" box, the two times and a break (left empty: none).
 * A day's further breaks (entered through the API) are kept as they are. */
function hoursForm(ctx, hours) {
  const rows = hours.week.map((d) => {
    const set = hours.days.find((x) => x.weekday === d.weekday);
    const [first, ...more] = (hours.breaks || []).filter((b) => b.weekday === d.weekday);
    const bstart = h('input', { type: 'time', name: `break-starts-${d.weekday}`, value: first ? first.starts : '', step: 900, 'aria-label': `${d.name} break from` });
    const bend = h('input', { type: 'time', name: `break-ends-${d.weekday}`, value: first ? first.ends : '', step: 900, 'aria-label': `${d.name} break until` });
    const open = h('input', { type: 'checkbox', name: `open-${d.weekday}`, checked: Boolean(set), 'aria-label': `Open on ${d.name}` });
    const opens = h('input', { type: 'time', name: `opens-${d.weekday}`, value: set ? set.opens : '09:00', step: 900, 'aria-label': `${d.name} opens` });
    const closes = h('input', { type: 'time', name: `closes-${d.weekday}`, value: set ? (set.closes === '24:00' ? '23:59' : set.closes) : '17:00', step: 900, 'aria-label': `${d.name} closes` });
    return { d, open, opens, closes, bstart, bend, more, row: h('tr', { dataset: { weekday: d.weekday } }, h('th', { scope: 'row' }, d.name), h('td', {}, h('label', {}, open, ' open')), h('td', {}, opens), h('td', {}, closes),
      h('td', { class: 'break' }, bstart, ' – ', bend, more.length ? h('small', { class: 'muted' }, ` and ${more.map((b) => `${b.starts}–${b.ends}`).join(', ')}`) : null)) };
  });
  const status = h('div', { class: 'form-status', id: 'hours-status' });
  return h('form', { id: 'hours-form', noValidate: true, on: { submit: async (e) => {
    e.preventDefault();
    const days = rows.filter((r) => r.open.checked).map((r) => ({ weekday: r.d.weekday, opens: r.opens.value, closes: r.closes.value }));
    const bad = days.find((d) => !d.opens || !d.closes || d.closes <= d.opens);
    if (bad) { replace(status, errorBox(`${hours.week[bad.weekday].name}: the clinic must close after it opens.`)); return; }
    const half = rows.find((r) => r.open.checked && Boolean(r.bstart.value) !== Boolean(r.bend.value));
    if (half) { replace(status, errorBox(`${half.d.name}: give the break’s start and end, or leave both empty.`)); return; }
    const breaks = rows.filter((r) => r.open.checked).flatMap((r) => [...(r.bstart.value ? [{ weekday: r.d.weekday, starts: r.bstart.value, ends: r.bend.value }] : []),
      ...r.more.map((b) => ({ weekday: r.d.weekday, starts: b.starts, ends: b.ends }))]);
    try {
      await put('/api/clinic/hours', { days, breaks });
      ctx.toast('Opening hours saved.');
      ctx.navigate(location.hash);
    } catch (err) { replace(status, errorBox(err)); }
  } } },
  h('p', { class: 'muted' }, hours.set ? 'Bookings outside these hours are refused, and so are bookings in a break; the owner can book anyway with a written reason.' : 'No opening hours yet: any time can be booked until you enter them.'),
  h('table', { class: 'table hours' }, h('thead', {}, h('tr', {}, ['Day', '', 'Opens', 'Closes', 'Break (e.g. lunch)'].map((t) => h('th', { scope: 'col' }, t)))), h('tbody', {}, rows.map((r) => r.row))),
  h('div', { class: 'actions' }, status, h('button', { class: 'primary', type: 'submit' }, 'Save opening hours')));
}

/** The room list with its actions and the form to add one. */
function roomsPart(ctx, rooms) {
  const status = h('div', { class: 'form-status', id: 'rooms-status' });
  const act = (r) => {
    const name = h('input', { name: `room-name-${r.id}`, value: r.name, maxLength: 60, 'aria-label': `New name for ${r.name}` });
    const rename = h('form', { class: 'mini', on: { submit: async (e) => {
      e.preventDefault();
      const problem = checkText('The room’s name', name.value, 60, true);
      if (problem) { replace(status, errorBox(problem)); return; }
      try { await put(`/api/rooms/${r.id}`, { name: name.value.trim() }); ctx.toast('Room renamed.'); ctx.navigate(location.hash); } catch (err) { replace(status, errorBox(err)); }
    } } }, name, h('button', { type: 'submit' }, 'Rename'));
    const toggle = h('button', { type: 'button', dataset: { room: r.name }, on: { click: async () => {
      try {
        await put(`/api/rooms/${r.id}`, { retired: !r.retired_at });
        ctx.toast(r.retired_at ? `${r.name} is in use again.` : `${r.name} is retired: it can no longer be booked.`);
        ctx.navigate(location.hash);
      } catch (err) { replace(status, errorBox(err)); }
    } } }, r.retired_at ? 'Put back in use' : 'Retire');
    return h('li', { dataset: { room: r.name } }, h('strong', {}, r.name), ' ', r.retired_at ? h('span', { class: 'badge' }, 'retired') : h('span', { class: 'badge ok' }, 'in use'), ' ', toggle, rename);
  };
  const name = h('input', { name: 'new_room', maxLength: 60, placeholder: 'e.g. Room 1', required: true });
  const add = h('form', { class: 'mini', id: 'room-form', noValidate: true, on: { submit: async (e) => {
    e.preventDefault();
    const problem = firstProblem(checkText('The room’s name', name.value, 60, true));
    if (problem) { replace(status, errorBox(problem)); return; }
    try { await post('/api/rooms', { name: name.value.trim() }); ctx.toast(`${name.value.trim()} added.`); ctx.navigate(location.hash); } catch (err) { replace(status, errorBox(err)); }
  } } }, field('Add a room', name), h('button', { type: 'submit' }, 'Add room'));
  return [
    h('p', { class: 'muted' }, rooms.length ? 'Bookings name one of the rooms in use.' : 'No rooms yet: any room name can be typed until you add the first one.'),
    rooms.length ? h('ul', { class: 'plain rooms', id: 'rooms' }, rooms.map(act)) : null,
    add, status,
  ];
}

/** Closed dates (holidays, training days): the list with a Remove button each, and a form to add one. The whole
 * list is sent back each time (PUT /api/clinic/closed-dates). */
function closedPart(ctx, closed) {
  const status = h('div', { class: 'form-status', id: 'closed-status' });
  const save = async (dates, said) => {
    try { await put('/api/clinic/closed-dates', { dates }); ctx.toast(said); ctx.navigate(location.hash); } catch (err) { replace(status, errorBox(err)); }
  };
  const list = closed.dates.length ? h('ul', { class: 'plain closed-dates', id: 'closed-dates' }, closed.dates.map((d) => h('li', { dataset: { date: d.date } },
    h('strong', {}, d.date), ` ${d.reason} `, h('button', { type: 'button', class: 'link', on: { click: () => save(closed.dates.filter((x) => x.date !== d.date), `The clinic is open again on ${d.date}.`) } }, 'Remove')))) : null;
  const date = h('input', { type: 'date', name: 'closed_date', required: true });
  const reason = h('input', { name: 'closed_reason', maxLength: 100, placeholder: 'e.g. Christmas Day', required: true });
  const add = h('form', { class: 'mini', id: 'closed-form', noValidate: true, on: { submit: async (e) => {
    e.preventDefault();
    const problem = firstProblem(date.value ? null : 'Please choose the date the clinic is closed.', checkText('The reason', reason.value, 100, true),
      closed.dates.some((d) => d.date === date.value) ? `${date.value} is already a closed date.` : null);
    if (problem) { replace(status, errorBox(problem)); return; }
    await save([...closed.dates, { date: date.value, reason: reason.value.trim() }], `The clinic is closed on ${date.value}.`);
  } } }, field('Closed on', date), field('Why', reason), h('button', { type: 'submit' }, 'Add closed date'));
  return [
    h('p', { class: 'muted' }, closed.dates.length ? 'No bookings on these dates; proposed follow-ups move to the next open day.' : 'No closed dates yet (holidays, training days).'),
    list, add, status,
  ];
}

/** The owner's card: opening hours with breaks, closed dates and rooms. */
export async function premisesCard(ctx) {
  const [hours, closed, rooms] = await Promise.all([get('/api/clinic/hours'), get('/api/clinic/closed-dates'), get('/api/rooms')]);
  return card('Opening hours and rooms', hoursForm(ctx, hours), h('h3', {}, 'Closed dates'), closedPart(ctx, closed), h('h3', {}, 'Rooms'), roomsPart(ctx, rooms));
}
