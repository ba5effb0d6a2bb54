// Consent on a tablet: the full current consent text, a signing pad for a finger or stylus (pointer events, touch
// scrolling off inside it), and the signed PDF to hand over. The server checks the strokes and stores them with the
// SHA-256 of the text shown, the time and the logged-in witness.
// Staff hand the tablet to the client first (probe s8 N3): the session then serves only this screen (the server
// refuses every other record; the app shows no navigation), and after signing the page locks on "hand the tablet
// back" until staff enter their password.
import { get, post } from '../api.js';
import { h, card, errorBox, replace } from '../dom.js';

/** The staff's unlock: their password takes the tablet back (POST /api/tablet/take-back), then the record. */
function unlockForm(ctx, id, label) {
  const password = h('input', { type: 'password', name: 'staff_password', id: 'staff-password', autocomplete: 'current-password', required: true });
  const status = h('div', { class: 'form-status', id: 'unlock-status' });
  return h('form', { class: 'inline-form', id: 'unlock-form', on: { submit: async (e) => {
    e.preventDefault();
    try {
      await post('/api/tablet/take-back', { password: password.value });
      ctx.me.handed_to = null;
      ctx.navigate(`#/clients/${id}`);
    } catch (err) { password.value = ''; replace(status, errorBox(err)); }
  } } }, h('label', { for: 'staff-password' }, label), password, h('button', { type: 'submit' }, 'Unlock'), status);
}

/** Pad size in the units the strokes are sent in (the canvas may be drawn larger or smaller). */
const PAD = { width: 600, height: 200 };

export async function render(ctx, params) {
  const id = Number(params.id);
  const [client, text] = await Promise.all([get(`/api/clients/${id}`), get('/api/consent-texts/smp-treatment')]);
  const handed = ctx.me.handed_to === id;
  if (!handed) {
    // Staff's view: what will be signed, and the hand-over.
    const status = h('div', { class: 'form-status' });
    const give = h('button', { type: 'button', class: 'primary', id: 'hand-over', on: { click: async () => {
      try {
        await post(`/api/clients/${id}/hand-over`, {});
        ctx.me.handed_to = id;
        ctx.navigate(`#/clients/${id}/consent`);
      } catch (err) { replace(status, errorBox(err)); }
    } } }, 'Hand the tablet to the client');
    return h('div', { class: 'page' },
      h('div', { class: 'page-head' }, h('div', {}, h('p', { class: 'crumbs' }, h('a', { href: `#/clients/${id}` }, client.name), ' / consent'), h('h1', {}, text.title))),
      card('Before handing over', h('p', {}, `The client reads version ${text.version} of the consent and signs it on this tablet. While they have it, the tablet shows only this text and the signing box; you take it back with your password.`),
        h('div', { class: 'actions' }, status, give)));
  }
  const strokes = [];
  const canvas = h('canvas', { id: 'signature-pad', class: 'signature-pad', width: PAD.width * 2, height: PAD.height * 2, role: 'img', 'aria-label': 'Signature pad: sign with a finger or stylus' });
  const g = canvas.getContext('2d');
  g.scale(2, 2);
  g.lineWidth = 2.5; g.lineCap = 'round'; g.lineJoin = 'round'; g.strokeStyle = '#0a143c';
  const at = (e) => {
    const r = canvas.getBoundingClientRect();
    const x = Math.min(PAD.width, Math.max(0, (e.clientX - r.left) * PAD.width / r.width));
    const y = Math.min(PAD.height, Math.max(0, (e.clientY - r.top) * PAD.height / r.height));
    return [Math.round(x * 10) / 10, Math.round(y * 10) / 10];
  };
  let current = null;
  canvas.addEventListener('pointerdown', (e) => {
    e.preventDefault();
    canvas.setPointerCapture(e.pointerId);
    current = [at(e)];
    strokes.push(current);
  });
  canvas.addEventListener('pointermove', (e) => {
    if (!current) return;
    const events = e.getCoalescedEvents ? e.getCoalescedEvents() : [e];
    for (const ev of events.length ? events : [e]) {
      const p = at(ev);
      const last = current[current.length - 1];
      g.beginPath(); g.moveTo(last[0], last[1]); g.lineTo(p[0], p[1]); g.stroke();
      current.push(p);
    }
  });
  const end = () => { current = null; };
  canvas.addEventListener('pointerup', end);
  canvas.addEventListener('pointercancel', end);
  const status = h('div', { class: 'form-status', id: 'sign-status' });
  const done = h('div', { id: 'signed' });
  const clear = h('button', { type: 'button', on: { click: () => { strokes.length = 0; g.clearRect(0, 0, PAD.width, PAD.height); replace(status); } } }, 'Clear');
  const sign = h('button', { type: 'button', class: 'primary', id: 'sign-consent', on: { click: async () => {
    replace(status);
    const points = strokes.reduce((n, s) => n + s.length, 0);
    if (points < 2) { replace(status, errorBox(new Error('Ask the client to sign in the box first.'))); return; }
    try {
      const r = await post(`/api/clients/${id}/signed-consents`, { text: text.id, version: text.version, text_sha256: text.sha256,
        signature: { width: PAD.width, height: PAD.height, strokes } });
      // Signed: the page locks until staff take the tablet back (the signed PDF is on the client's record).
      replace(page, h('div', { class: 'locked', id: 'hand-back' },
        h('h1', {}, 'Thank you'),
        h('p', {}, `Your consent is signed (${r.signed.signed_at}, witnessed by ${r.signature.witness}). Please hand the tablet back.`),
        unlockForm(ctx, id, 'Staff password')));
    } catch (err) { replace(status, errorBox(err)); }
  } } }, 'Sign consent');
  const page = h('div', { class: 'page signing', id: 'signing-screen' },
    h('div', { class: 'page-head' }, h('div', {}, h('p', { class: 'crumbs' }, client.name), h('h1', {}, text.title))),
    card(`Version ${text.version}, published ${text.published}`,
      h('div', { class: 'consent-text', id: 'consent-text' }, text.body.split('\n\n').map((p) => h('p', {}, p))),
      h('p', { class: 'muted' }, `Client: ${client.name}. Witness: ${ctx.me.user.display_name}. Text fingerprint (SHA-256): `, h('code', {}, text.sha256))),
    card('Signature', canvas, h('div', { class: 'actions' }, status, clear, sign), done),
    h('details', { class: 'staff-unlock' }, h('summary', {}, 'Staff: take the tablet back without signing'), unlockForm(ctx, id, 'Your password')));
  return page;
}
