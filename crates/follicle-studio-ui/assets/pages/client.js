// Client record: details, consultation and screening, consents, photos, designs and plans, sessions, passport, schedule.
import { get, post, put } from '../api.js';
import { h, field, card, empty, errorBox, replace } from '../dom.js';
import { stamp, utcNow, num } from '../format.js';
import * as consultation from './consultation.js';
import * as sessions from './sessions.js';
import * as appointments from './client-appointments.js';
import * as rights from './rights.js';
import { correctPanel, history } from './edit-record.js';
import { clientProblem } from './clients.js';
import { proposeOnUpload, proposeOnFile, uprightFront, turnedWords } from '../editor/landmark-proposal.js';
import { versions } from '../editor/designs.js';
import { photoViews, viewBadge } from './photo-marks.js';

export async function render(ctx, params) {
  const id = Number(params.id);
  const client = await get(`/api/clients/${id}`);
  const reload = () => ctx.navigate(`#/clients/${id}`);
  const medical = ctx.me.user.role !== 'front_desk';
  const icsName = `${client.reference}-schedule.ics`;
  const head = h('div', { class: 'page-head' },
    h('div', {}, h('p', { class: 'crumbs' }, h('a', { href: '#/clients' }, 'Clients'), ' / ', client.reference), h('h1', {}, client.name),
      h('p', { class: 'muted' }, [client.date_of_birth && `Born ${client.date_of_birth}`, client.email, client.phone].filter(Boolean).join(' · '))),
    h('div', { class: 'head-actions' },
      h('a', { class: 'button', href: `/api/clients/${id}/schedule.ics`, download: icsName, id: 'schedule-ics' }, 'Schedule (.ics)'),
      medical ? h('a', { class: 'button', href: `/api/clients/${id}/passport?format=html`, target: '_blank', rel: 'noopener', id: 'passport-link' }, 'Ink passport') : null,
      medical ? h('a', { class: 'button', href: `/api/clients/${id}/report`, target: '_blank', rel: 'noopener', id: 'report-link' }, 'Client report') : null,
      medical ? h('a', { class: 'button', href: `#/clients/${id}/preview`, id: 'photo-preview-link' }, 'Preview on photo') : null,
      medical ? rights.exportLink(client) : null,
      medical ? h('a', { class: 'button primary', href: `#/clients/${id}/design` }, 'Design editor') : null));

  if (!medical) {
    return h('div', { class: 'page' }, head, details(ctx, client), await appointments.section(ctx, client, reload),
      card('Medical records', h('p', { class: 'notice', id: 'medical-hidden' }, 'Consultations, photos, designs and sessions are visible to practitioners and the clinic’s owner only.')));
  }
  const [plans, saved] = await Promise.all([get(`/api/clients/${id}/plans`).catch((e) => e), get(`/api/clients/${id}/designs`).catch((e) => e)]);
  const parts = await Promise.all([
    consultation.section(ctx, client, reload),
    consents(ctx, client, reload),
    photos(ctx, client, reload),
    designs(ctx, client, plans, saved, reload),
    sessions.section(ctx, client, reload),
    appointments.section(ctx, client, reload),
  ]);
  return h('div', { class: 'page' }, head, h('div', { class: 'record' }, parts, details(ctx, client), rights.rightsCard(ctx, client)));
}

function details(ctx, client) {
  const f = {
    name: h('input', { name: 'name', value: client.name, required: true }),
    reference: h('input', { name: 'reference', value: client.reference, required: true }),
    date_of_birth: h('input', { name: 'date_of_birth', type: 'date', value: client.date_of_birth || '', max: new Date().toISOString().slice(0, 10) }),
    email: h('input', { name: 'email', type: 'email', value: client.email || '' }),
    phone: h('input', { name: 'phone', type: 'tel', value: client.phone || '' }),
  };
  // A new name, date of birth or reference needs a reason; the server keeps the old values (probe s8 N18).
  const reason = h('input', { name: 'identity_reason', maxlength: 2000 });
  const status = h('div', { class: 'form-status' });
  const form = h('form', { class: 'grid-form', noValidate: true, on: { submit: async (e) => {
    e.preventDefault();
    const problem = clientProblem(f);
    if (problem) { replace(status, errorBox(problem)); return; }
    const body = {};
    for (const [k, el] of Object.entries(f)) if (el.value.trim()) body[k] = el.value.trim();
    if (reason.value.trim()) body.reason = reason.value.trim();
    body.revision = client.revision; // a change saved by someone else since the page was loaded is refused
    try { await put(`/api/clients/${client.id}`, body); ctx.toast('Details saved.'); ctx.navigate(`#/clients/${client.id}`); } catch (err) { replace(status, errorBox(err)); }
  } } }, field('Full name', f.name), field('Reference', f.reference), field('Date of birth', f.date_of_birth), field('Email', f.email), field('Phone', f.phone),
  field('Reason for a new name, date of birth or reference', reason, 'Required when any of them changes, e.g. “name changed on marriage”; the old values are kept.'),
  h('div', { class: 'actions' }, status, h('button', { type: 'submit' }, 'Save details')));
  // The client's history (earlier names and dates of birth, with the reasons) for the medical roles.
  const past = h('div', { id: 'client-history' });
  if (ctx.me.user.role !== 'front_desk') history('client', client.id, past);
  return h('details', { class: 'card' }, h('summary', {}, 'Client details'), form,
    ctx.me.user.role !== 'front_desk' ? h('div', {}, h('h3', {}, 'History'), past) : null);
}

async function consents(ctx, client, reload) {
  let list;
  try { list = await get(`/api/clients/${client.id}/consents`); } catch (e) { return card('Consents', errorBox(e)); }
  const status = h('div', { class: 'form-status' });
  const witness = h('input', { name: 'witness', value: ctx.me.user.display_name, required: true });
  const form = h('form', { class: 'inline-form', on: { submit: async (e) => {
    e.preventDefault();
    try {
      await post(`/api/clients/${client.id}/consents`, { text: 'smp-treatment', version: 2, signed_at: utcNow(), witnessed_by: witness.value.trim() });
      ctx.toast('Consent recorded.');
      reload();
    } catch (err) { replace(status, errorBox(err)); }
  } } }, field('Witnessed by', witness), h('button', { type: 'submit' }, 'Record signed SMP consent (v2)'), status);
  return card('Consents',
    list.length ? h('ul', { class: 'plain consents' }, list.map((c) => h('li', { dataset: { consent: c.id } }, h('strong', {}, `${c.signed.text} v${c.signed.version}`), ` signed ${c.signed.signed_at}, witnessed by ${c.signed.witnessed_by}`,
      c.drawn ? h('span', { class: 'drawn' }, ' ', h('span', { class: 'badge ok' }, 'Signed on the tablet'),
        ` by ${c.drawn.signer}, witness ${c.drawn.witness}, ${(c.drawn.signed_at || '').replace('T', ' ').replace('Z', ' UTC')} · `,
        h('a', { href: c.drawn.pdf, download: `consent-${c.id}.pdf` }, 'Signed PDF')) : null)))
      : empty('No signed consent yet.'),
    h('p', {}, h('a', { class: 'button primary', href: `#/clients/${client.id}/consent`, id: 'sign-on-tablet' }, 'Sign consent on the tablet')), form);
}

async function photos(ctx, client, reload) {
  let list;
  try { list = await get(`/api/clients/${client.id}/photos`); } catch (e) { return card('Photos', errorBox(e)); }
  const grid = h('div', { class: 'photos' });
  const views = await photoViews().catch(() => []);
  if (!list.length) grid.append(empty('No photos yet. Upload a frontal photo to design on it, and photos of the top, sides and back to preview those views.'));
  for (const p of list) {
    const img = h('img', { alt: p.caption || `Photo ${p.id}`, width: 160, height: Math.round(160 * p.height / p.width) });
    const proposed = p.marks?.proposed?.length ? h('small', { class: 'badge warn', dataset: { proposed: p.marks.proposed.join(',') } }, 'face marks proposed: confirm them in the design editor') : null;
    grid.append(h('figure', { dataset: { photo: p.id, view: p.view || 'front' } }, img, h('figcaption', {}, viewBadge(views, p), ' ', p.caption || `Photo ${p.id}`, h('br'), h('small', { class: 'muted' }, `${p.width}×${p.height} · ${stamp(p.created_at)}`), ' ', rights.deleteButton(ctx, `/api/photos/${p.id}`, 'photo', reload), proposed ? h('br') : null, proposed,
      turnButtons(ctx, p, reload), viewChange(ctx, views, p, reload),
      correctPanel(ctx, { path: `/api/photos/${p.id}`, entity: 'photo', id: p.id, what: 'photo caption', revision: p.revision, fields: [{ name: 'caption', label: 'Corrected title of the photo', value: p.caption || '' }], body: (v) => ({ caption: v.caption || null }), done: reload }))));
    get(`/api/photos/${p.id}`, { as: 'blob' }).then((b) => { img.src = URL.createObjectURL(b); }).catch(() => { img.alt = 'Photo could not be loaded'; });
  }
  // What the face finder made of the photo just uploaded (the page reloads after an upload).
  const said = sessionStorage.getItem('follicle.uploadProposal');
  sessionStorage.removeItem('follicle.uploadProposal');
  const note = said ? h('p', { class: 'notice', id: 'upload-proposal', role: 'status' }, said) : null;
  return card('Photos', note, grid, uploadForm(ctx, client, reload, { propose: true }));
}

/**
 * Turns a photo stored on its side or upside down where it is kept (its marks turn with it): any view, where the
 * design editor offers it for front photos only.
 */
function turnButtons(ctx, p, done) {
  const status = h('span', { class: 'form-status' });
  const turn = (degrees, words) => h('button', { type: 'button', class: 'link', 'aria-label': `Turn photo ${p.id} ${words}`, title: `Turn the photo ${words}`, dataset: { turn: degrees }, on: { click: async (e) => {
    const button = e.currentTarget;
    button.disabled = true;
    try {
      await post(`/api/photos/${p.id}/turn`, { degrees, from_sha256: p.sha256 });
      ctx.toast(`Photo turned ${words}.`);
      done();
    } catch (err) { button.disabled = false; replace(status, errorBox(err)); }
  } } }, degrees === 270 ? '⟲ Turn left' : '⟳ Turn right');
  return h('span', { class: 'photo-turn' }, h('br'), turn(270, 'a quarter turn to the left'), ' ', turn(90, 'a quarter turn to the right'), status);
}

/**
 * Changes which view of the head a photo shows (uploaded with the wrong one): the marks of the old view are
 * dropped by the server (each view has its own landmarks), so on a photo with marks the practitioner confirms
 * first (the server refuses the change without `clear_marks`; outside test s38: they went without asking).
 */
function viewChange(ctx, views, p, done) {
  if (!views.length) return null;
  const current = p.view || 'front';
  const status = h('span', { class: 'form-status' });
  const change = async (clear) => {
    try {
      await put(`/api/photos/${p.id}/view`, { view: sel.value, clear_marks: clear });
      ctx.toast(clear ? 'View changed and its marks cleared; mark the landmarks of the new view.' : 'View changed; mark the landmarks of the new view.');
      done();
    } catch (err) { sel.value = current; replace(status, errorBox(err)); }
  };
  const sel = h('select', { name: `view-${p.id}`, 'aria-label': `Which view photo ${p.id} shows`, on: { change: () => {
    status.replaceChildren();
    if (sel.value === current) return;
    if (!p.marks?.count) { change(false); return; }
    const words = sel.selectedOptions[0]?.textContent || sel.value;
    const n = p.marks.count;
    const keep = h('button', { type: 'button', class: 'link', dataset: { keepMarks: p.id }, on: { click: () => { sel.value = current; status.replaceChildren(); } } }, 'Keep the view and the marks');
    const clear = h('button', { type: 'button', class: 'danger', dataset: { clearMarks: p.id }, on: { click: (e) => { e.currentTarget.disabled = true; change(true); } } }, `Change the view and clear ${n === 1 ? 'the mark' : `the ${n} marks`}`);
    replace(status, h('div', { class: 'outcome warn', role: 'alert' },
      `This photo has ${n === 1 ? 'one landmark' : `${n} landmarks`} placed for its current view. As ${words}, it needs other landmarks, so ${n === 1 ? 'it is' : 'they are'} cleared. `, h('br'), clear, ' ', keep));
  } } }, views.map((v) => h('option', { value: v.view, selected: v.view === current ? true : null }, v.words)));
  return h('details', { class: 'view-change' }, h('summary', {}, 'Wrong view?'),
    h('label', { class: 'muted' }, 'This photo shows ', sel), h('br'),
    h('small', { class: 'muted' }, p.marks ? 'Changing the view clears the marks placed on this photo: you are asked first.' : 'No marks are placed yet.'), status);
}

/**
 * A photo upload form (PNG or JPEG, sent as the request body); calls done(photo) after the upload. With
 * `propose`, the face marks are proposed on the uploaded photo at once (in the browser, offline) and kept
 * with it as proposed; a photo without a face is said so in words. With `upright` (the default with `propose`),
 * a front photo stored turned is turned upright before it is kept (`uprightFront`), and that is said.
 */
export function uploadForm(ctx, client, done, { propose = false, upright = propose } = {}) {
  const file = h('input', { type: 'file', name: 'photo', accept: 'image/png,image/jpeg', required: true });
  // A new file chosen: the word about the last one goes (outside test s52: "already on the record" stood under
  // the next file chosen).
  file.addEventListener('change', () => status.replaceChildren());
  const caption = h('input', { name: 'caption', placeholder: 'e.g. before' });
  // Which view of the head the photo shows; the list and its words come from the API (follicle-render).
  const view = h('select', { name: 'view' }, h('option', { value: 'front' }, 'the face, from the front'));
  photoViews().then((vs) => replace(view, vs.map((v) => h('option', { value: v.view }, v.words)))).catch(() => {});
  const status = h('div', { class: 'form-status' });
  return h('form', { class: 'inline-form', on: { submit: async (e) => {
    e.preventDefault();
    let f = file.files[0];
    if (!f) return;
    // A new upload: what was said of the last one goes (outside test s53: a refused upload stood beside the
    // last one's "Photo uploaded." and its "just uploaded" note, as if this one had been taken in).
    ctx.hideToast();
    document.querySelector('p.notice#upload-proposal')?.remove();
    try {
      const q = new URLSearchParams({ view: view.value });
      if (caption.value.trim()) q.set('caption', caption.value.trim());
      // The server checks the photo first (a damaged, tiny or unreadable file is refused at once: outside test
      // s48 waited 25–33 s on "Looking for the face…" before the refusal), then a front photo's face is looked
      // for, and a photo stored turned is turned upright on the server, its face marks proposed on it upright.
      replace(status, h('p', { class: 'muted', id: 'upload-sending' }, 'Uploading…'));
      let photo = await post(`/api/clients/${client.id}/photos?${q}`, f);
      status.replaceChildren();
      // The same picture is on the record already: that photo, its view and caption kept (outside test s38: a
      // re-upload as another view with a new caption was taken without a word).
      if (photo.already_stored) {
        // Which photo: its caption, else its number and when it was taken in (outside test s52: two front
        // photos, and the words did not say which one it was).
        const was = photo.caption ? ` (“${photo.caption}”)` : ` (photo ${photo.id}, taken in ${stamp(photo.created_at)})`;
        replace(status, h('p', { class: 'notice', id: 'upload-already', role: 'status' },
          `This picture is already on the client's record, as the ${photo.view} photo${was}: it was not stored again, and its view and caption stay as they are (change them on that photo).`));
        ctx.toast('This photo was already uploaded.');
        return;
      }
      let turn = null;
      if (upright && photo.view === 'front') {
        replace(status, h('p', { class: 'muted', id: 'upload-proposal' }, 'Looking for the face…'));
        turn = await uprightFront(f).catch(() => null);
        if (turn?.turned) {
          photo = await post(`/api/photos/${photo.id}/turn`, { degrees: turn.turned, from_sha256: photo.sha256 });
          f = turn.file;
        }
        status.replaceChildren();
      }
      ctx.toast(turn?.turned ? 'Photo uploaded and turned upright.' : 'Photo uploaded.');
      // Said where the upload was made too (the editor's upload proposes the marks itself, on the photo shown).
      if (turn?.turned && !propose) replace(status, h('p', { class: 'notice', id: 'upload-turned', role: 'status' }, turnedWords(turn.turned)));
      // The face is looked for on a front photo only (the other views have no face to find).
      if (propose && photo.view === 'front') {
        replace(status, h('p', { class: 'muted', id: 'upload-proposal' }, 'Looking for the face…'));
        const r = await proposeOnUpload(f, photo, put, turn?.proposal);
        if (turn?.turned) r.message = `${turnedWords(turn.turned)} ${r.message}`;
        // Said of this photo by name: the note stands above every photo of the record after the reload (outside
        // test s48: "No face was found on this photo" did not say which).
        sessionStorage.setItem('follicle.uploadProposal', `${photo.caption || `Photo ${photo.id}`}, just uploaded: ${r.message}`);
      } else if (photo.view !== 'front' && await faceFromTheFront(f)) {
        // A face seen from the front on a photo given as the top, a side or the back (probe s33: taken without
        // a word): said, with the view to change to; the photo is kept as given until then.
        const words = view.selectedOptions[0]?.textContent || photo.view;
        const asFront = h('button', { type: 'button', id: 'make-front', on: { click: async () => {
          try { await put(`/api/photos/${photo.id}/view`, { view: 'front' }); ctx.toast('The photo is now the front view.'); done({ ...photo, view: 'front' }); } catch (err) { replace(status, errorBox(err)); }
        } } }, 'It is a front photo: make it the front view');
        replace(status, h('div', { class: 'outcome warn', id: 'view-doubt', role: 'status' }, `This photo, uploaded as ${words}, shows a face from the front. `, asFront));
        ctx.toast('Photo uploaded: check its view.');
        return;
      }
      done(photo);
    } catch (err) { replace(status, errorBox(err)); }
  } } }, field('Photo (PNG or JPEG)', file), field('View', view), field('Caption', caption), h('button', { type: 'submit' }, 'Upload'), status);
}

/** Whether the face finder sees a face from the front on the image file (sure of its marks). */
async function faceFromTheFront(file) {
  try {
    const r = await proposeOnFile(file);
    return r.ok && !r.unsure;
  } catch (_) {
    return false;
  }
}

function designs(ctx, client, plans, saved, reload) {
  if (plans instanceof Error) return card('Designs and plans', errorBox(plans));
  if (saved instanceof Error) return card('Designs and plans', errorBox(saved));
  // The saved designs, newest first (probe s30: three designs, one chosen, and the record said "No design yet"
  // until a plan was generated).
  const n = versions(saved);
  const newestFirst = saved.slice().sort((a, b) => b.created_at - a.created_at || b.id - a.id);
  // A chosen design no plan was generated from: the sessions follow another plan until it is (outside test s49).
  const planned = new Set(plans.map((p) => p.design_id).filter((x) => x != null));
  const designRows = newestFirst.map((d) => h('tr', { dataset: { designId: d.id } },
    h('td', {}, d.label, d.chosen ? [' ', h('span', { class: 'badge ok' }, 'chosen for the sessions')] : null,
      d.chosen && !planned.has(d.id) ? [' ', h('span', { class: 'badge warn', id: 'chosen-no-plan' }, 'no plan yet: open it and press “Generate plan”')] : null),
    h('td', {}, `version ${n.get(d.id)}`), h('td', {}, stamp(d.created_at)),
    h('td', { class: 'row-actions' }, h('a', { href: `#/clients/${client.id}/design?design=${d.id}` }, 'Open'))));
  const designTable = saved.length ? [h('h3', {}, 'Saved designs'), h('table', { class: 'table', id: 'saved-designs' },
    h('thead', {}, h('tr', {}, ['Design', 'Version', 'Saved', ''].map((t) => h('th', { scope: 'col' }, t)))), h('tbody', {}, designRows))] : null;
  const rows = plans.map((p) => {
    const add = h('input', { type: 'number', min: 5, max: 50, step: 5, value: 15, name: `add-${p.id}`, 'aria-label': `Touch-up density for plan ${p.id}, percent` });
    const status = h('span', {});
    return h('tr', {},
      h('td', {}, p.label, p.parent_id ? h('small', { class: 'muted' }, ` (touch-up of ${p.parent_id})`) : null,
        // Which saved design version it was planned from (two versions' plans may share a label).
        p.design_id != null && n.has(p.design_id) ? h('small', { class: 'muted plan-design' }, ` · from version ${n.get(p.design_id)}`) : null,
        p.for_sessions ? [' ', h('span', { class: 'badge ok' }, 'followed by the sessions')] : null),
      h('td', {}, num(p.impressions)), h('td', {}, p.sessions), h('td', {}, stamp(p.created_at)),
      h('td', { class: 'row-actions' },
        h('a', { href: `#/clients/${client.id}/design?plan=${p.id}` }, 'Open'), ' ',
        h('a', { href: `/api/plans/${p.id}/plan.json`, download: `plan-${p.id}.json` }, 'plan.json'), ' ',
        h('a', { href: `/api/plans/${p.id}/stencil.pdf`, target: '_blank', rel: 'noopener' }, 'stencil (A4)'), ' ',
        h('a', { href: `/api/plans/${p.id}/stencil.svg`, target: '_blank', rel: 'noopener' }, 'sheet (SVG)'), ' ',
        h('form', { class: 'mini', on: { submit: async (e) => {
          e.preventDefault();
          try { await post(`/api/plans/${p.id}/extend`, { add: Number(add.value) / 100 }); ctx.toast('Touch-up plan added.'); reload(); } catch (err) { replace(status, errorBox(err)); }
        } } }, add, h('span', {}, '%'), h('button', { type: 'submit' }, 'Add touch-up')), status));
  });
  const planTable = plans.length
    ? [saved.length ? h('h3', {}, 'Plans') : null, h('table', { class: 'table' }, h('thead', {}, h('tr', {}, ['Plan', 'Impressions', 'Sessions', 'Created', ''].map((t) => h('th', { scope: 'col' }, t)))), h('tbody', {}, rows))]
    : saved.length ? empty('No plan yet: open a design and press “Generate plan” to plan its impressions.')
      : empty('No design yet. Open the design editor to draw the hairline and generate a plan.');
  return card('Designs and plans', designTable, planTable,
    h('p', {}, h('a', { class: 'button primary', href: `#/clients/${client.id}/design?new=1` }, 'New design')));
}
