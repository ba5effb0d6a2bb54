// Consent on a tablet: the full current consent text, a signing pad for a finger or stylus (pointer events, touch
// scrolling off inside it), and the signed PDF to hand over. The server checks the strokes and stores them with the
// SHA-256 of the text shown, the time and the logged-in witness.
import { get, post } from '../api.js';
import { h, card, errorBox, replace } from '../dom.js';

/** Pad size in the units the strokes are sent in (the canvas may be drawn larger or smaller). */
const PAD = { width: 600, height: 200 };

export async function render(ctx, params) {
  const id = Number(params.id);
  const [client, text] = await Promise.all([get(`/api/clients/${id}`), get('/api/consent-texts/smp-treatment')]);
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
      ctx.toast('Consent signed.');
      sign.disabled = true; clear.disabled = true;
      replace(done, h('p', { class: 'notice' }, `Signed ${r.signed.signed_at}, witnessed by ${r.signature.witness}. `,
        h('a', { class: 'button', href: r.pdf, target: '_blank', rel: 'noopener', id: 'signed-pdf' }, 'Signed consent (PDF)'), ' ',
        h('a', { href: `#/clients/${id}` }, 'Back to the record')));
    } catch (err) { replace(status, errorBox(err)); }
  } } }, 'Sign consent');
  return h('div', { class: 'page' },
    h('div', { class: 'page-head' }, h('div', {}, h('p', { class: 'crumbs' }, h('a', { href: `#/clients/${id}` }, client.name), ' / consent'), h('h1', {}, text.title))),
    card(`Version ${text.version}, published ${text.published}`,
      h('div', { class: 'consent-text', id: 'consent-text' }, text.body.split('\n\n').map((p) => h('p', {}, p))),
      h('p', { class: 'muted' }, `Client: ${client.name}. Witness: ${ctx.me.user.display_name}. Text fingerprint (SHA-256): `, h('code', {}, text.sha256))),
    card('Signature', canvas, h('div', { class: 'actions' }, status, clear, sign), done));
}
