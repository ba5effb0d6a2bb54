// Sign-in page, with the first-run set-up form (clinic, owner account, one-time token from `follicle serve`).
import { get, post } from '../api.js';
import { h, field, errorBox, replace } from '../dom.js';

export async function render(ctx) {
  const status = h('div', { class: 'form-status' });
  const username = h('input', { name: 'username', autocomplete: 'username', required: true });
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const signIn = h('form', { class: 'stack', on: { submit: async (e) => {
    e.preventDefault();
    status.replaceChildren();
    try {
      await post('/api/login', { username: username.value.trim(), password: password.value }, { quiet401: true });
      await ctx.signedIn(await get('/api/me'));
      ctx.navigate('#/clients');
    } catch (err) { status.append(errorBox(err)); password.select(); }
  } } },
  field('User name', username), field('Password', password), status,
  h('button', { class: 'primary', type: 'submit' }, 'Sign in'));

  const setupStatus = h('div', { class: 'form-status' });
  const s = {
    token: h('input', { name: 'token', required: true, autocomplete: 'off', spellcheck: 'false' }),
    clinic: h('input', { name: 'clinic', required: true, autocomplete: 'organization' }),
    display_name: h('input', { name: 'display_name', required: true, autocomplete: 'name' }),
    username: h('input', { name: 'new_username', required: true, autocomplete: 'username' }),
    password: h('input', { name: 'new_password', type: 'password', required: true, minLength: 10, autocomplete: 'new-password' }),
  };
  const setup = h('form', { class: 'stack', on: { submit: async (e) => {
    e.preventDefault();
    setupStatus.replaceChildren();
    const body = Object.fromEntries(Object.entries(s).map(([k, el]) => [k, k === 'password' ? el.value : el.value.trim()]));
    try {
      await post('/api/setup', body);
      await post('/api/login', { username: body.username, password: body.password });
      await ctx.signedIn(await get('/api/me'));
      ctx.toast('The studio is set up. Welcome!');
      ctx.navigate('#/clients');
    } catch (err) {
      setupStatus.append(errorBox(err));
      // Set up meanwhile (another window, another node): the page becomes the sign-in page.
      if (err.status === 409) setTimeout(() => window.location.reload(), 2500);
    }
  } } },
  field('Set-up token', s.token, 'Printed by follicle serve when the studio has no users yet.'),
  field('Clinic name', s.clinic), field('Your name', s.display_name), field('User name', s.username),
  field('Password', s.password, 'At least 10 characters.'), setupStatus,
  h('button', { class: 'primary', type: 'submit' }, 'Set up the studio'));

  const brand = h('div', { class: 'auth-brand' }, h('img', { src: '/ui/favicon.svg', alt: '', width: 40, height: 40 }), h('span', {}, 'follicle studio'));
  // A studio with no users yet shows the set-up form alone (nobody can sign in); a set-up studio shows no set-up
  // form at all (outside probe: every visitor of a running studio saw "First run: set up the studio"). When the
  // server cannot say, both are offered.
  const needed = await get('/api/setup').then((r) => r.needed, () => null);
  if (needed === true) {
    return h('div', { class: 'auth' }, brand,
      h('section', { class: 'card', id: 'first-run' }, h('h1', {}, 'Set up the studio'),
        h('p', { class: 'muted' }, 'This studio has no users yet. Enter the set-up token that ', h('code', {}, 'follicle serve'), ' printed when it started, the clinic’s name and the owner’s account.'),
        setup));
  }
  return h('div', { class: 'auth' }, brand,
    h('section', { class: 'card' }, h('h1', {}, 'Sign in'), signIn),
    needed === null ? h('details', { class: 'card setup' }, h('summary', {}, 'First run: set up the studio'), setup) : null,
    h('details', { class: 'card setup' }, h('summary', {}, 'I have a reset code'), resetForm()));
}

/** Choosing a new password with the one-time code the clinic's owner gave. */
function resetForm() {
  const token = h('input', { name: 'reset_token', required: true, autocomplete: 'off' });
  const password = h('input', { name: 'reset_password', type: 'password', required: true, minLength: 10, autocomplete: 'new-password' });
  const status = h('div', { class: 'form-status' });
  return h('form', { class: 'stack', on: { submit: async (e) => {
    e.preventDefault();
    try {
      await post('/api/password-reset', { token: token.value.trim(), password: password.value }, { quiet401: true });
      replace(status, h('p', { class: 'notice', role: 'status' }, 'Your new password is set. Sign in with it above.'));
    } catch (err) { replace(status, errorBox(err)); }
  } } }, field('Reset code', token), field('New password', password, 'At least 10 characters.'), status, h('button', { type: 'submit' }, 'Set my new password'));
}
