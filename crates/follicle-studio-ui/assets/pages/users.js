// Clinic users (owner only): the accounts with their roles and the owner's controls (a role to choose; disable or
// enable, which also ends the user's sessions; a one-time password reset code; the bookings a change strands
// listed after the page is read again), the clinic's settings for client documents
// and record keeping (name, address, logo, retention period, the retention purge), a form to add a user, the recent audit log; and
// for every user, their own password change (#/account).
import { get, post, put, api } from '../api.js';
import { h, field, select, card, errorBox, replace } from '../dom.js';
import { stamp } from '../format.js';
import { checkText, firstProblem } from '../checks.js';
import { premisesCard, toMoveNotice, carry, carried } from './premises.js';
import { purgeCard } from './purge.js';

const ROLES = [['practitioner', 'Practitioner'], ['front_desk', 'Front desk'], ['owner', 'Owner']];
const roleName = (r) => (ROLES.find(([v]) => v === r) || [r, r])[1];

/** After a change to an account: the page read again, with the bookings it stranded (if any) listed under the
 * accounts until the owner leaves the page, else a toast. */
function changed(ctx, r, said) {
  const notice = toMoveNotice(r.bookings_to_move, said);
  if (notice) carry('accounts', notice); else ctx.toast(said);
  ctx.navigate('#/users');
}

/** The role of one account: the owner's choice for the others (what they may see and whether they can be booked),
 * plain text for the owner's own. */
function roleCell(ctx, u, status) {
  if (u.id === ctx.me.user.id) return h('td', {}, roleName(u.role));
  const choice = select(`role-${u.id}`, ROLES, u.role);
  choice.setAttribute('aria-label', `${u.display_name} works as`);
  choice.addEventListener('change', async () => {
    try {
      const r = await put(`/api/users/${u.id}`, { role: choice.value });
      changed(ctx, r, `${u.display_name} is now ${roleName(r.role).toLowerCase()}.`);
    } catch (err) { choice.value = u.role; replace(status, errorBox(err)); }
  });
  return h('td', {}, choice);
}

/** The owner's buttons for one account. */
function accountActions(ctx, u, status) {
  const toggle = h('button', { type: 'button', dataset: { user: u.username }, on: { click: async () => {
    try {
      const r = await put(`/api/users/${u.id}`, { active: !u.active });
      changed(ctx, r, u.active ? `${u.display_name} can no longer sign in; their sessions have ended.` : `${u.display_name} can sign in again.`);
    } catch (err) { replace(status, errorBox(err)); }
  } } }, u.active ? 'Disable' : 'Enable');
  const reset = u.active && u.id !== ctx.me.user.id ? h('button', { type: 'button', on: { click: async () => {
    try {
      const r = await post(`/api/users/${u.id}/password-reset`);
      replace(status, h('p', { class: 'notice', role: 'status' }, `Give ${u.display_name} this one-time code to choose a new password under “I have a reset code” on the sign-in page: `,
        h('code', { class: 'reset-code' }, r.token), ` (valid until ${stamp(r.expires_at)}).`));
    } catch (err) { replace(status, errorBox(err)); }
  } } }, 'Reset password') : null;
  return h('td', { class: 'row-actions' }, u.id === ctx.me.user.id ? h('small', { class: 'muted' }, 'you') : [toggle, ' ', reset], status);
}

/** The clinic's settings: name, address and logo on client documents; how long records are kept. */
async function clinicCard(ctx) {
  const s = await get('/api/clinic/settings');
  const name = h('input', { name: 'clinic_name', value: s.name, required: true, maxLength: 200 });
  const address = h('textarea', { name: 'clinic_address', rows: 3, maxLength: 400 }, s.address);
  const years = h('input', { name: 'retention_years', type: 'number', min: 1, max: 100, value: s.retention_years, required: true });
  const zone = h('input', { name: 'time_zone', value: s.time_zone || '', maxLength: 64, placeholder: 'Europe/Warsaw', autocomplete: 'off' });
  const logo = h('input', { name: 'logo', type: 'file', accept: 'image/png,image/jpeg' });
  const status = h('div', { class: 'form-status' });
  const form = h('form', { class: 'grid-form', noValidate: true, on: { submit: async (e) => {
    e.preventDefault();
    const y = Number(years.value);
    const problem = firstProblem(checkText('The clinic’s name', name.value, 200, true), checkText('The address', address.value, 400),
      Number.isInteger(y) && y >= 1 && y <= 100 ? null : 'The retention period must be a whole number of years, 1 to 100.');
    if (problem) { replace(status, errorBox(problem)); return; }
    try {
      const update = { name: name.value.trim(), address: address.value.trim(), retention_years: y };
      if (zone.value.trim()) update.time_zone = zone.value.trim();
      await put('/api/clinic/settings', update);
      if (logo.files[0]) await api('PUT', '/api/clinic/logo', logo.files[0]);
      ctx.toast('Clinic settings saved.');
      ctx.navigate('#/users');
    } catch (err) { replace(status, errorBox(err)); }
  } } }, field('Clinic name', name), field('Address', address, 'Printed on client documents.'),
  field('Time zone', zone, 'The clinic’s clocks: “today”, appointment times, opening hours and closed dates. A name such as Europe/Warsaw or America/New_York.'),
  field('Keep medical records for (years)', years, 'After the last treatment. Erasure on request keeps treatment records, without the client’s identity, this long.'),
  field('Logo (PNG or JPEG, at most 512 KB)', logo, s.has_logo ? 'A logo is stored; choose a file to replace it.' : 'No logo yet.'),
  h('div', { class: 'actions' }, status, h('button', { class: 'primary', type: 'submit' }, 'Save clinic settings')));
  return card('Clinic', form);
}

/** Every user's own password change. */
export function passwordCard(ctx) {
  const current = h('input', { name: 'current_password', type: 'password', required: true, autocomplete: 'current-password' });
  const next = h('input', { name: 'new_password', type: 'password', required: true, minLength: 10, autocomplete: 'new-password' });
  const again = h('input', { name: 'new_password_again', type: 'password', required: true, autocomplete: 'new-password' });
  const status = h('div', { class: 'form-status', id: 'password-status' });
  return card('Change my password', h('form', { class: 'grid-form', noValidate: true, on: { submit: async (e) => {
    e.preventDefault();
    const problem = !current.value ? 'Please fill in your current password.'
      : next.value.length < 10 ? 'The new password needs at least 10 characters.'
        : next.value !== again.value ? 'The two new passwords are not the same.' : null;
    if (problem) { replace(status, errorBox(problem)); return; }
    try {
      await post('/api/me/password', { current: current.value, new: next.value });
      replace(status, h('p', { class: 'notice', role: 'status' }, 'Your password is changed. Your other sessions have been signed out.'));
      current.value = ''; next.value = ''; again.value = '';
    } catch (err) { replace(status, errorBox(err)); }
  } } }, field('Current password', current), field('New password', next, 'At least 10 characters; not a common password.'), field('New password again', again),
  h('div', { class: 'actions' }, status, h('button', { class: 'primary', type: 'submit' }, 'Change password'))));
}

export async function render(ctx) {
  if (ctx.me.user.role !== 'owner') return h('div', { class: 'page' }, h('h1', {}, 'Users'), errorBox('Only the clinic’s owner manages users.'));
  const [users, audit] = await Promise.all([get('/api/users'), get('/api/audit?limit=30')]);
  const f = {
    display_name: h('input', { name: 'display_name', required: true, maxLength: 200 }),
    username: h('input', { name: 'username', required: true, autocomplete: 'off', maxLength: 64 }),
    role: select('role', ROLES, 'practitioner'),
    password: h('input', { name: 'password', type: 'password', required: true, minLength: 10, autocomplete: 'new-password' }),
  };
  const status = h('div', { class: 'form-status' });
  const form = h('form', { class: 'grid-form', on: { submit: async (e) => {
    e.preventDefault();
    const body = { username: f.username.value.trim(), display_name: f.display_name.value.trim(), role: f.role.value, password: f.password.value };
    try { await post('/api/users', body); ctx.toast(`${body.display_name} can now sign in.`); ctx.navigate('#/users'); } catch (err) { replace(status, errorBox(err)); }
  } } }, field('Name', f.display_name), field('User name', f.username), field('Role', f.role, 'Front desk sees clients and schedules, never medical records.'),
  field('Password', f.password, 'At least 10 characters.'), h('div', { class: 'actions' }, status, h('button', { class: 'primary', type: 'submit' }, 'Add user')));
  return h('div', { class: 'page' }, h('div', { class: 'page-head' }, h('h1', {}, 'Users')),
    card('Accounts', h('table', { class: 'table', id: 'accounts' }, h('thead', {}, h('tr', {}, ['Name', 'User name', 'Role', 'Since', 'Status', ''].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, users.map((u) => {
        const status = h('span', { class: 'form-status' });
        return h('tr', { dataset: { user: u.username } }, h('td', {}, u.display_name), h('td', {}, u.username), roleCell(ctx, u, status), h('td', {}, stamp(u.created_at)),
          h('td', {}, u.active ? 'active' : h('span', { class: 'badge stop' }, 'disabled')), accountActions(ctx, u, status));
      }))),
    h('div', { id: 'accounts-status' }, carried('accounts')),
    h('h3', {}, 'Add a user'), form),
    await clinicCard(ctx),
    await premisesCard(ctx),
    purgeCard(ctx),
    h('p', {}, h('a', { href: '#/account' }, 'Change my own password')),
    card('Recent activity', audit.length ? h('ul', { class: 'plain audit' }, audit.map((a) => h('li', {}, h('small', { class: 'muted' }, stamp(a.at)), ' ',
      `${users.find((u) => u.id === a.user_id)?.display_name || 'The studio'} ${activity(a)}`))) : h('p', { class: 'empty' }, 'Nothing recorded yet.')));
}

// The audit log's codes in words (probe s32b: "owner: login user 1", "clinic set up with owner `owner`").
const DONE = { create: 'added', update: 'changed', delete: 'deleted', erase: 'erased', cancel: 'cancelled', choose: 'chose', export: 'exported', view: 'opened', purge: 'purged old records of', override: 'overrode the screening for', 'hand over': 'handed over' };
const RECORD = { opening_hours: 'the opening hours', opening_breaks: 'the opening breaks', 'clinic settings': 'the clinic settings', clearance_letter: 'a clearance letter', password: 'a password', 'password reset': 'a password reset code', tablet: 'a tablet to a client', clinic: 'the clinic',
  'plan on photo': 'a plan on a photo', 'photo fit': 'the fit of a photo', 'photo landmarks': 'the marks on a photo', 'photo thumbnail': 'a photo thumbnail', 'plan preview': 'a plan preview', 'design history': 'a design’s history', 'client report': 'a client report' };
function activity(a) {
  const detail = a.detail ? `: ${a.detail.replace(/`([^`]*)`/g, '“$1”')}` : '';
  const client = a.client_id ? ` (client ${a.client_id})` : '';
  if (a.action === 'login') return `signed in${detail}.`;
  const what = RECORD[a.entity] || `${/^[aeiou]/.test(a.entity) ? 'an' : 'a'} ${a.entity.replace(/_/g, ' ')}${a.entity_id ? ` (no. ${a.entity_id})` : ''}`;
  return `${DONE[a.action] || a.action} ${what}${client}${detail}.`;
}
