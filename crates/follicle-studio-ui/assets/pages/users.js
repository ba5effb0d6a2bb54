// Clinic users (owner only): the accounts with their roles, a form to add one, and the recent audit log.
import { get, post } from '../api.js';
import { h, field, select, card, errorBox, replace } from '../dom.js';
import { stamp } from '../format.js';

const ROLES = [['practitioner', 'Practitioner'], ['front_desk', 'Front desk'], ['owner', 'Owner']];
const roleName = (r) => (ROLES.find(([v]) => v === r) || [r, r])[1];

export async function render(ctx) {
  if (ctx.me.user.role !== 'owner') return h('div', { class: 'page' }, h('h1', {}, 'Users'), errorBox('Only the clinic’s owner manages users.'));
  const [users, audit] = await Promise.all([get('/api/users'), get('/api/audit?limit=30')]);
  const f = {
    display_name: h('input', { name: 'display_name', required: true }),
    username: h('input', { name: 'username', required: true, autocomplete: 'off' }),
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
    card('Accounts', h('table', { class: 'table' }, h('thead', {}, h('tr', {}, ['Name', 'User name', 'Role', 'Since'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, users.map((u) => h('tr', {}, h('td', {}, u.display_name), h('td', {}, u.username), h('td', {}, roleName(u.role)), h('td', {}, stamp(u.created_at)))))),
    h('h3', {}, 'Add a user'), form),
    card('Recent activity', audit.length ? h('ul', { class: 'plain audit' }, audit.map((a) => h('li', {}, h('small', { class: 'muted' }, stamp(a.at)), ' ',
      `${users.find((u) => u.id === a.user_id)?.display_name || 'system'}: ${a.action} ${a.entity}${a.entity_id ? ` ${a.entity_id}` : ''}${a.client_id ? ` (client ${a.client_id})` : ''}`))) : h('p', { class: 'empty' }, 'Nothing recorded yet.')));
}
