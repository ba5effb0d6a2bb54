// Client list: search by name or reference, pages of 25, and a form to add a client.
import { get, post } from '../api.js';
import { h, field, card, empty, errorBox, replace } from '../dom.js';
import { today } from '../format.js';
import { checkText, notFuture, firstProblem, LIMITS } from '../checks.js';

const PAGE = 25;

export async function render(ctx, params) {
  const q = params.query.get('q') || '';
  const offset = Math.max(0, Number(params.query.get('offset')) || 0);
  const search = h('input', { type: 'search', name: 'q', value: q, placeholder: 'Name or reference' });
  const list = h('div', { class: 'list-area' });
  const go = (newQ, newOffset) => ctx.navigate(`#/clients?q=${encodeURIComponent(newQ)}&offset=${newOffset}`);

  try {
    const page = await get(`/api/clients?limit=${PAGE}&offset=${offset}${q ? `&q=${encodeURIComponent(q)}` : ''}`);
    if (page.items.length === 0) {
      list.append(empty(q ? `No client matches “${q}”.` : 'No clients yet. Add the first one below.'));
    } else {
      list.append(h('table', { class: 'table' },
        h('caption', { class: 'sr-only' }, 'Clients'),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Name'), h('th', { scope: 'col' }, 'Reference'), h('th', { scope: 'col' }, 'Date of birth'), h('th', { scope: 'col' }, 'Contact'))),
        h('tbody', {}, page.items.map((c) => h('tr', {},
          h('td', {}, h('a', { href: `#/clients/${c.id}` }, c.name)),
          h('td', {}, c.reference), h('td', {}, c.date_of_birth || '—'), h('td', {}, c.email || c.phone || '—'))))));
      const last = Math.min(page.offset + page.items.length, page.total);
      list.append(h('div', { class: 'pager' },
        h('span', {}, `${page.offset + 1}–${last} of ${page.total}`),
        h('button', { type: 'button', disabled: page.offset === 0, on: { click: () => go(q, Math.max(0, page.offset - PAGE)) } }, 'Previous'),
        h('button', { type: 'button', disabled: last >= page.total, on: { click: () => go(q, page.offset + PAGE) } }, 'Next')));
    }
  } catch (e) { list.append(errorBox(e)); }

  // No maxLength: a pasted name longer than the limit is refused in words (clientProblem), never cut silently.
  const f = {
    name: h('input', { name: 'name', required: true, autocomplete: 'off' }),
    reference: h('input', { name: 'reference', required: true, autocomplete: 'off' }),
    date_of_birth: h('input', { name: 'date_of_birth', type: 'date', max: today() }),
    email: h('input', { name: 'email', type: 'email', autocomplete: 'off' }),
    phone: h('input', { name: 'phone', type: 'tel', autocomplete: 'off' }),
  };
  const status = h('div', { class: 'form-status' });
  const add = h('form', { class: 'grid-form', noValidate: true, on: { submit: async (e) => {
    e.preventDefault();
    const problem = clientProblem(f);
    if (problem) { replace(status, errorBox(problem)); return; }
    const body = {};
    for (const [k, el] of Object.entries(f)) if (el.value.trim()) body[k] = el.value.trim();
    try {
      const c = await post('/api/clients', body);
      ctx.toast(`${c.name} added.`);
      ctx.navigate(`#/clients/${c.id}`);
    } catch (err) { replace(status, errorBox(err)); }
  } } },
  // The two a client cannot be added without say so before the form is sent (outside test s53: "Please fill in
  // reference" came first, next to a date of birth that says it may be left).
  field('Full name (required)', f.name), field('Reference (required)', f.reference, 'Your studio’s client id, e.g. c-2025-014.'),
  // Outside test s51: left out here, it was asked for again at the consultation with no word before.
  field('Date of birth', f.date_of_birth, 'May be left for now: the consultation asks for it (the client’s age is part of the screening).'), field('Email', f.email), field('Phone', f.phone),
  h('div', { class: 'actions' }, status, h('button', { class: 'primary', type: 'submit' }, 'Add client')));

  return h('div', { class: 'page' },
    h('div', { class: 'page-head' }, h('h1', {}, 'Clients')),
    h('form', { class: 'searchbar', role: 'search', on: { submit: (e) => { e.preventDefault(); go(search.value.trim(), 0); } } },
      h('label', { for: 'client-search', class: 'sr-only' }, 'Search clients'), Object.assign(search, { id: 'client-search' }),
      h('button', { type: 'submit' }, 'Search'), q ? h('a', { href: '#/clients', class: 'button' }, 'Clear') : null),
    list,
    card('Add a client', add));
}

/** The first problem of a client form's fields, in words for the front desk (the server checks the same). */
export function clientProblem(f) {
  return firstProblem(
    checkText('Full name', f.name.value, LIMITS.name, true),
    checkText('Reference', f.reference.value, LIMITS.reference, true),
    f.date_of_birth.validity && f.date_of_birth.validity.badInput ? 'Date of birth is not a complete date.' : null,
    notFuture('Date of birth', f.date_of_birth.value),
    checkText('Email', f.email.value, LIMITS.name),
    checkText('Phone', f.phone.value, LIMITS.reference));
}
