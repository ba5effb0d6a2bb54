// The studio app shell: who is signed in, the hash router (#/clients, #/clients/7, …) and the navigation.
import { get, post, setCsrf, whenSignedOut } from './api.js';
import { replace, errorBox, h } from './dom.js';
import { setClinicToday } from './format.js';

const routes = [
  [/^#\/login$/, () => import('./pages/login.js'), []],
  [/^#\/clients\/(\d+)\/design$/, () => import('./editor/editor.js'), ['id']],
  [/^#\/clients\/(\d+)\/preview$/, () => import('./pages/photo-preview.js'), ['id']],
  [/^#\/clients\/(\d+)\/consent$/, () => import('./pages/consent-sign.js'), ['id']],
  [/^#\/clients\/(\d+)$/, () => import('./pages/client.js'), ['id']],
  [/^#\/appointments$/, () => import('./pages/appointments.js'), []],
  [/^#\/clients$/, () => import('./pages/clients.js'), []],
  [/^#\/lots$/, () => import('./pages/lots.js'), []],
  [/^#\/users$/, () => import('./pages/users.js'), []],
  [/^#\/account$/, () => import('./pages/account.js'), []],
];

/** What every page receives: the signed-in user and clinic, navigation and a status message. */
const ctx = {
  me: null,
  navigate(hash) { if (location.hash === hash) render(); else location.hash = hash; },
  toast(text) {
    const t = document.getElementById('toast');
    t.textContent = text;
    t.classList.add('show');
    ctx._toastAt = performance.now();
    clearTimeout(ctx._t);
    ctx._t = setTimeout(() => ctx.hideToast(), 3500);
  },
  /** Takes the note away, its words too (outside test s49: "Plan generated." still read out from the alert
   *  region pages later). */
  hideToast() {
    const t = document.getElementById('toast');
    t.classList.remove('show');
    t.textContent = '';
  },
  async signedIn(me) {
    ctx.me = me;
    hint(true);
    setClinicToday(me && me.today);
    setCsrf(me.csrf_token);
    showChrome();
  },
};

// Whether this browser was signed in when last seen: without it the studio opens at the sign-in page without
// asking /api/me first, so a first visit logs no refused request in the console (probe s32b). The session itself
// is the server's HttpOnly cookie; this is only a hint in a cookie of its own (no browser storage holds anything
// of the studio's), and a stale one costs one quiet 401.
const HINT = 'follicle_signed_in';
function hint(on) {
  document.cookie = on ? `${HINT}=1; path=/; SameSite=Strict; max-age=2592000` : `${HINT}=; path=/; SameSite=Strict; max-age=0`;
}
function hinted() {
  return document.cookie.split(';').some((c) => c.trim() === `${HINT}=1`);
}

function showChrome() {
  const top = document.getElementById('top');
  // A tablet handed to a client for signing shows no navigation (probe s8 N3; the server refuses the rest too).
  top.hidden = !ctx.me || !!ctx.me.handed_to;
  if (!ctx.me) return;
  document.getElementById('who-name').textContent = `${ctx.me.user.display_name} · ${ctx.me.clinic.name}`;
  document.getElementById('nav-users').hidden = ctx.me.user.role !== 'owner';
}

/** Which navigation is the latest: a page still loading when the address changes again is dropped, not
 * drawn over the newer one (probe s30: Appointments, then Back at once, showed Appointments under #/lots). */
let shown = 0;

/** The address the page on screen was drawn for, and the address put back after a cancelled leave. */
let current = null;
let restoring = null;

async function render() {
  const hash = location.hash || '#/clients';
  // Coming back from a leave the page's owner cancelled: the page is still there, nothing to draw.
  if (restoring !== null && hash === restoring) { restoring = null; return; }
  // A page with unsaved work (the design editor) is asked before it is left; a "no" puts its address back.
  if (ctx.leaving && current !== null && hash !== current && !ctx.leaving()) {
    restoring = current;
    location.hash = current;
    return;
  }
  ctx.leaving = null;
  current = hash;
  const turn = ++shown;
  const main = document.getElementById('main');
  const [path, query] = hash.split('?');
  if (!ctx.me && path !== '#/login') { location.hash = '#/login'; return; }
  // Handed to a client: their signing screen only, whatever is typed into the address bar.
  const signing = ctx.me && ctx.me.handed_to ? `#/clients/${ctx.me.handed_to}/consent` : null;
  if (signing && path !== signing) { location.hash = signing; return; }
  showChrome();
  const found = routes.find(([re]) => re.test(path));
  if (!found) { location.hash = '#/clients'; return; }
  const [re, load, names] = found;
  const m = path.match(re);
  const params = Object.fromEntries(names.map((n, i) => [n, m[i + 1]]));
  params.query = new URLSearchParams(query || '');
  document.querySelectorAll('[data-nav]').forEach((a) => {
    const on = path.startsWith(`#/${a.dataset.nav}`);
    if (on) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  });
  try {
    const page = await load();
    if (turn !== shown) return;
    const view = await page.render(ctx, params);
    if (turn !== shown) return;
    replace(main, view);
    const heading = main.querySelector('h1');
    document.title = heading ? `${heading.textContent} · follicle studio` : 'follicle studio';
    main.focus({ preventScroll: true });
    // What a page asked to keep in view after it reloads (the screening outcome just saved).
    const keep = ctx.focusAfter && main.querySelector(ctx.focusAfter);
    ctx.focusAfter = null;
    if (keep) { keep.setAttribute('tabindex', '-1'); keep.scrollIntoView({ block: 'center' }); keep.focus({ preventScroll: true }); }
  } catch (e) {
    if (e.status === 401 || turn !== shown) return;
    // A refusal (not allowed, not found) is not a fault: the heading says which (probe s31c: front desk opening
    // the design editor read "Something went wrong" above a correct refusal).
    const heading = e.status === 403 ? 'Not available to your account' : e.status === 404 ? 'Not found' : 'Something went wrong';
    replace(main, h('h1', {}, heading), errorBox(e));
  }
}

whenSignedOut(() => {
  ctx.me = null;
  hint(false);
  ctx.leaving = null;
  showChrome();
  if (location.hash !== '#/login') location.hash = '#/login';
});

document.getElementById('sign-out').addEventListener('click', async () => {
  try { await post('/api/logout'); } catch (_) { /* already signed out */ }
  ctx.me = null;
  hint(false);
  ctx.leaving = null;
  showChrome();
  location.hash = '#/login';
});

// A note from the page left a while ago does not stand over the next page (outside test s49: "Design chosen
// for the sessions." over the record's plans table); one said just before the page changed stays to be read.
window.addEventListener('hashchange', () => { if (performance.now() - (ctx._toastAt ?? 0) > 300) ctx.hideToast(); });
window.addEventListener('hashchange', render);

(async () => {
  try {
    if (!hinted()) throw new Error('not signed in on this browser');
    ctx.signedIn(await get('/api/me', { quiet401: true }));
    if (location.hash === '#/login' || !location.hash) location.hash = '#/clients';
  } catch (_) {
    ctx.me = null;
    hint(false);
  }
  render();
})();
