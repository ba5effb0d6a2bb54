// The clinic's premises (owner): opening hours, one opening and closing time per weekday or closed, with up to
// four breaks (e.g. lunch) within the day, each added or removed and checked before sending (inside the hours,
// not overlapping); closures (a holiday, or a period such as two weeks in summer) with their reasons; and the
// rooms it books (add, rename, retire, put back in use). The rules are the server's (follicle-clinic's premises
// and closures); this card shows its sentences as they come. Bookings outside the hours, in a break, on a
// closed day or in a room not in use are refused.
import { get, post, put } from '../api.js';
import { h, field, card, errorBox, replace } from '../dom.js';
import { checkText, firstProblem } from '../checks.js';

/** The most breaks a day (follicle-clinic's closures::MAX_BREAKS_PER_DAY; the server says so again). */
const MAX_BREAKS = 4;

/** One weekday's breaks: a from–until pair each with a Remove button, and "Add a break" (up to four). An empty
 * pair is no break. The first pair's fields are named break-starts-D / break-ends-D, further ones -D-N. */
function breakList(d, initial) {
  const box = h('div', { class: 'breaks', dataset: { weekday: d.weekday } });
  const pairs = [];
  const blank = () => pair({ starts: '', ends: '' });
  const add = h('button', { type: 'button', class: 'link add-break', 'aria-label': `Add a break on ${d.name}`, on: { click: () => { pairs.push(blank()); draw(); pairs[pairs.length - 1].starts.focus(); } } }, 'Add a break');
  function pair(b) {
    const p = {};
    p.starts = h('input', { type: 'time', value: b.starts, step: 900 });
    p.ends = h('input', { type: 'time', value: b.ends, step: 900 });
    p.remove = h('button', { type: 'button', class: 'link remove-break', on: { click: () => { pairs.splice(pairs.indexOf(p), 1); if (!pairs.length) pairs.push(blank()); draw(); } } }, 'Remove');
    return p;
  }
  function draw() {
    pairs.forEach((p, i) => {
      const n = i === 0 ? '' : ` ${i + 1}`;
      const suffix = i === 0 ? '' : `-${i}`;
      p.starts.name = `break-starts-${d.weekday}${suffix}`;
      p.ends.name = `break-ends-${d.weekday}${suffix}`;
      p.starts.setAttribute('aria-label', `${d.name} break${n} from`);
      p.ends.setAttribute('aria-label', `${d.name} break${n} until`);
      p.remove.setAttribute('aria-label', `Remove ${d.name} break${n}`);
    });
    replace(box, pairs.map((p) => h('div', { class: 'break-pair' }, p.starts, ' – ', p.ends, ' ', p.remove)), pairs.length < MAX_BREAKS ? add : null);
  }
  for (const b of initial) pairs.push(pair(b));
  if (!pairs.length) pairs.push(blank());
  draw();
  return { box, pairs };
}

/** The breaks of one open day as typed, or the first problem in words (before anything is sent): both times or
 * neither, ending after starting, inside the opening hours, not overlapping. The server checks them again
 * (follicle-clinic's closures) and its sentences are shown as they come. */
function dayBreaks(name, opens, closes, pairs) {
  const list = [];
  for (const p of pairs) {
    const [s, e] = [p.starts.value, p.ends.value];
    if (!s && !e) continue;
    if (!s || !e) return { problem: `${name}: give the break’s start and end, or leave both empty.` };
    if (e <= s) return { problem: `${name}: a break must end after it starts (${e} is not after ${s}).` };
    if (s <= opens || e >= closes) return { problem: `${name}: a break must lie within the opening hours (${opens}–${closes}); ${s}–${e} does not. Change the opening or closing time instead.` };
    const clash = list.find((b) => s < b.ends && b.starts < e);
    if (clash) return { problem: `${name}: the breaks ${clash.starts}–${clash.ends} and ${s}–${e} overlap.` };
    list.push({ starts: s, ends: e });
  }
  return { list };
}

/** A notice kept across the page's re-reading after a save (the bookings it stranded), by the form it came from:
 * the page shows what is now kept (the new closure, the new hours, the user's new role) and the list together. */
let carriedNotice = null;

/** Keeps `notice` for the form `where` until the page is drawn again. */
export function carry(where, notice) { carriedNotice = { where, notice }; }

/** The notice kept for the form `where` (once), or `null`. */
export function carried(where) {
  if (!carriedNotice || carriedNotice.where !== where) return null;
  const { notice } = carriedNotice;
  carriedNotice = null;
  return notice;
}

/** The bookings ahead a change left stranded (new hours or breaks, a closed date, a practitioner who can no
 * longer be booked: the server's `bookings_to_move`), each with why and a link to its day, so the owner can move
 * them; `null` when there are none. */
export function toMoveNotice(list, saved) {
  if (!list || !list.length) return null;
  return h('div', { class: 'notice', role: 'status', id: 'bookings-to-move' },
    h('p', {}, `${saved} ${list.length === 1 ? 'One booking ahead needs' : `${list.length} bookings ahead need`} another day or practitioner:`),
    h('ul', { class: 'plain' }, list.map((a) => h('li', { dataset: { appointment: a.id } },
      h('a', { href: `#/appointments?view=day&from=${a.date}` }, `${a.date} ${a.time}–${a.end_time}`), ` ${a.client_name} with ${a.practitioner_name} (${a.room}). ${a.why}`))));
}

/** The opening-hours form: a row per weekday with an "open" box, the two times and its breaks (up to four, each
 * added or removed; left empty: none). */
function hoursForm(ctx, hours) {
  const rows = hours.week.map((d) => {
    const set = hours.days.find((x) => x.weekday === d.weekday);
    const breaks = breakList(d, (hours.breaks || []).filter((b) => b.weekday === d.weekday));
    const open = h('input', { type: 'checkbox', name: `open-${d.weekday}`, checked: Boolean(set), 'aria-label': `Open on ${d.name}` });
    const opens = h('input', { type: 'time', name: `opens-${d.weekday}`, value: set ? set.opens : '09:00', step: 900, 'aria-label': `${d.name} opens` });
    const closes = h('input', { type: 'time', name: `closes-${d.weekday}`, value: set ? (set.closes === '24:00' ? '23:59' : set.closes) : '17:00', step: 900, 'aria-label': `${d.name} closes` });
    return { d, open, opens, closes, breaks, row: h('tr', { dataset: { weekday: d.weekday } }, h('th', { scope: 'row' }, d.name), h('td', {}, h('label', {}, open, ' open')), h('td', {}, opens), h('td', {}, closes),
      h('td', { class: 'break' }, breaks.box)) };
  });
  const status = h('div', { class: 'form-status', id: 'hours-status' }, carried('hours'));
  return h('form', { id: 'hours-form', noValidate: true, on: { submit: async (e) => {
    e.preventDefault();
    const ticked = rows.filter((r) => r.open.checked);
    // Once hours are kept, an unticked day is sent as closed (every day unticked: the clinic is closed all week,
    // not "no hours"); before any are kept, saving nothing ticked keeps "no hours".
    const days = hours.set || ticked.length
      ? rows.map((r) => (r.open.checked ? { weekday: r.d.weekday, opens: r.opens.value, closes: r.closes.value } : { weekday: r.d.weekday, closed: true }))
      : [];
    const bad = days.find((d) => !d.closed && (!d.opens || !d.closes || d.closes <= d.opens));
    if (bad) { replace(status, errorBox(`${hours.week[bad.weekday].name}: the clinic must close after it opens.`)); return; }
    const breaks = [];
    for (const r of rows.filter((x) => x.open.checked)) {
      const { problem, list } = dayBreaks(r.d.name, r.opens.value, r.closes.value, r.breaks.pairs);
      if (problem) { replace(status, errorBox(problem)); return; }
      breaks.push(...list.map((b) => ({ weekday: r.d.weekday, ...b })));
    }
    try {
      const saved = await put('/api/clinic/hours', { days, breaks });
      const notice = toMoveNotice(saved.bookings_to_move, 'Opening hours saved.');
      if (notice) carry('hours', notice); else ctx.toast('Opening hours saved.');
      ctx.navigate(location.hash);
    } catch (err) { replace(status, errorBox(err)); }
  } } },
  h('p', { class: 'muted' }, hours.set ? 'Bookings outside these hours are refused, and so are bookings in a break; the owner can book anyway with a written reason. A day left unticked is closed.' : 'No opening hours set: any time can be booked until you enter them.'),
  h('table', { class: 'table hours' }, h('thead', {}, h('tr', {}, ['Day', '', 'Opens', 'Closes', `Breaks (e.g. lunch; up to ${MAX_BREAKS} a day)`].map((t) => h('th', { scope: 'col' }, t)))), h('tbody', {}, rows.map((r) => r.row))),
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

/** A closure in words: "2026-12-25" or "2027-07-01 to 2027-07-14 (14 days)". */
function closureWords(d) {
  return d.from === d.to ? d.from : `${d.from} to ${d.to} (${d.days} days)`;
}

/** Closures (holidays, training days, a fortnight in summer): the list with a Remove button each, and a form to
 * add one day or a period (first and last day). The whole list is sent back each time (PUT
 * /api/clinic/closed-dates); the server checks the days (real days, in order, at most a year, not overlapping)
 * and its sentences are shown as they come. */
function closedPart(ctx, closed) {
  const status = h('div', { class: 'form-status', id: 'closed-status' }, carried('closed'));
  const dates = closed.dates.map((d) => ({ from: d.from, to: d.to, reason: d.reason }));
  const save = async (list, said) => {
    try {
      const r = await put('/api/clinic/closed-dates', { dates: list });
      const notice = toMoveNotice(r.bookings_to_move, said);
      if (notice) carry('closed', notice); else ctx.toast(said);
      ctx.navigate(location.hash);
    } catch (err) { replace(status, errorBox(err)); }
  };
  const list = closed.dates.length ? h('ul', { class: 'plain closed-dates', id: 'closed-dates' }, closed.dates.map((d) => h('li', { dataset: { date: d.from, from: d.from, to: d.to } },
    h('strong', {}, closureWords(d)), ` ${d.reason} `, h('button', { type: 'button', class: 'link', 'aria-label': `Remove the closure ${closureWords(d)}`, on: { click: () => save(dates.filter((x) => x.from !== d.from), d.from === d.to ? `The clinic is open again on ${d.from}.` : `The clinic is open again from ${d.from} to ${d.to}.`) } }, 'Remove')))) : null;
  const date = h('input', { type: 'date', name: 'closed_date', required: true });
  const until = h('input', { type: 'date', name: 'closed_until' });
  const reason = h('input', { name: 'closed_reason', maxLength: 100, placeholder: 'e.g. Christmas Day, Summer holiday', required: true });
  const add = h('form', { class: 'mini', id: 'closed-form', noValidate: true, on: { submit: async (e) => {
    e.preventDefault();
    const problem = firstProblem(date.value ? null : 'Please choose the day the clinic is closed (the first day of a longer closure).', checkText('The reason', reason.value, 100, true));
    if (problem) { replace(status, errorBox(problem)); return; }
    const to = until.value && until.value !== date.value ? until.value : undefined;
    await save([...dates, { from: date.value, ...(to ? { to } : {}), reason: reason.value.trim() }], to ? `The clinic is closed from ${date.value} to ${to}.` : `The clinic is closed on ${date.value}.`);
  } } }, field('Closed from', date), field('Until (for more than one day)', until), field('Why', reason), h('button', { type: 'submit' }, 'Add closed dates'));
  return [
    h('p', { class: 'muted' }, closed.dates.length ? 'No bookings on these days; proposed follow-ups move to the next open day.' : `No closed dates yet (holidays, training days; a closure can last up to ${closed.max_days} days).`),
    list, add, status,
  ];
}

/** The owner's card: opening hours with breaks, closed dates and rooms. */
export async function premisesCard(ctx) {
  const [hours, closed, rooms] = await Promise.all([get('/api/clinic/hours'), get('/api/clinic/closed-dates'), get('/api/rooms')]);
  return card('Opening hours and rooms', hoursForm(ctx, hours), h('h3', {}, 'Closed dates'), closedPart(ctx, closed), h('h3', {}, 'Rooms'), roomsPart(ctx, rooms));
}
