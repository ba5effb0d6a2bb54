// The clinic's premises (owner): opening hours, one opening and closing time per weekday or closed, and the rooms
// it books (add, rename, retire, put back in use). The rules are the server's (follicle-clinic's premises); this
// card shows its sentences as they come. Bookings outside the hours or in a room not in use are refused.
import { get, post, put } from '../api.js';
import { h, field, card, errorBox, replace } from '../dom.js';
import { checkText, firstProblem } from '../checks.js';

/** The opening-hours form: a row per weekday with an "open" box and the two times. */
function hoursForm(ctx, hours) {
  const rows = hours.week.map((d) => {
    const set = hours.days.find((x) => x.weekday === d.weekday);
    const open = h('input', { type: 'checkbox', name: `open-${d.weekday}`, checked: Boolean(set), 'aria-label': `Open on ${d.name}` });
    const opens = h('input', { type: 'time', name: `opens-${d.weekday}`, value: set ? set.opens : '09:00', step: 900, 'aria-label': `${d.name} opens` });
    const closes = h('input', { type: 'time', name: `closes-${d.weekday}`, value: set ? (set.closes === '24:00' ? '23:59' : set.closes) : '17:00', step: 900, 'aria-label': `${d.name} closes` });
    return { d, open, opens, closes, row: h('tr', { dataset: { weekday: d.weekday } }, h('th', { scope: 'row' }, d.name), h('td', {}, h('label', {}, open, ' open')), h('td', {}, opens), h('td', {}, closes)) };
  });
  const status = h('div', { class: 'form-status', id: 'hours-status' });
  return h('form', { id: 'hours-form', noValidate: true, on: { submit: async (e) => {
    e.preventDefault();
    const days = rows.filter((r) => r.open.checked).map((r) => ({ weekday: r.d.weekday, opens: r.opens.value, closes: r.closes.value }));
    const bad = days.find((d) => !d.opens || !d.closes || d.closes <= d.opens);
    if (bad) { replace(status, errorBox(`${hours.week[bad.weekday].name}: the clinic must close after it opens.`)); return; }
    try {
      await put('/api/clinic/hours', { days });
      ctx.toast('Opening hours saved.');
      ctx.navigate(location.hash);
    } catch (err) { replace(status, errorBox(err)); }
  } } },
  h('p', { class: 'muted' }, hours.set ? 'Bookings outside these hours are refused; the owner can book anyway with a written reason.' : 'No opening hours yet: any time can be booked until you enter them.'),
  h('table', { class: 'table hours' }, h('thead', {}, h('tr', {}, ['Day', '', 'Opens', 'Closes'].map((t) => h('th', { scope: 'col' }, t)))), h('tbody', {}, rows.map((r) => r.row))),
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

/** The owner's card: opening hours and rooms. */
export async function premisesCard(ctx) {
  const [hours, rooms] = await Promise.all([get('/api/clinic/hours'), get('/api/rooms')]);
  return card('Opening hours and rooms', hoursForm(ctx, hours), h('h3', {}, 'Rooms'), roomsPart(ctx, rooms));
}
