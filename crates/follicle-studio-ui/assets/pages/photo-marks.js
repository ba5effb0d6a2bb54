// Marks on a photo of any view of the head (front, top, left, right, back). The landmarks of each view, their
// labels and where to find them come from the API (follicle-render's views; no list is kept here). The
// practitioner picks a landmark and clicks or taps where it is on the photo; saving stores the marks and
// shows how they fit the client's head in words: a residual per landmark and the mark that looks wrong. Marks
// proposed from the face (on upload) show as dashed rings until confirmed or placed again by hand.
import { get, put } from '../api.js';
import { h, errorBox, replace } from '../dom.js';

/** The views of the head with their landmarks (asked once per page). */
let viewsPromise = null;
export function photoViews() {
  if (!viewsPromise) viewsPromise = get('/api/photo-views').then((v) => v.views).catch((e) => { viewsPromise = null; throw e; });
  return viewsPromise;
}

/** The words of a view ("the client's left side"), or its name while the list is not known. */
export function viewWords(views, name) {
  const v = (views || []).find((x) => x.view === name);
  return v ? v.words : name;
}

/** A view label for a photo: "Left side" and the like, as a badge. */
export function viewBadge(views, p) {
  const words = viewWords(views, p.view || 'front');
  return h('span', { class: 'badge view', dataset: { view: p.view || 'front' }, title: `This photo shows ${words}` }, `${words[0].toUpperCase()}${words.slice(1)}`);
}

/**
 * The marks editor for `photo` (a photo record) registered to plan `planId`; `saved()` is called after the
 * marks are stored (the preview then draws with them).
 */
export async function marksEditor({ photo, planId, saved }) {
  const views = await photoViews();
  const view = views.find((v) => v.view === (photo.view || 'front')) || views[0];
  let marks = {};
  // Marks proposed from the face on upload and not yet confirmed (kept on the server, so every tablet shows them).
  let proposed = new Set();
  // The marks' revision as read or last saved here: marks saved from another window since are refused (409),
  // not overwritten.
  let revision = '';
  try {
    const saved = await get(`/api/photos/${photo.id}/landmarks`);
    marks = saved.landmarks || {};
    proposed = new Set(saved.proposed || []);
    revision = saved.revision;
  } catch (e) { if (e.status !== 404) throw e; }
  const note = h('p', { class: 'notice', id: 'marks-proposed-note', role: 'status' });
  const confirmButton = h('button', { type: 'button', id: 'confirm-proposed', on: { click: () => { proposed.clear(); save(); } } }, 'Confirm the proposed marks');
  const showProposed = () => {
    const names = view.landmarks.filter((l) => proposed.has(l.name)).map((l) => l.label);
    note.hidden = confirmButton.hidden = !names.length;
    replace(note, names.length ? `Proposed from the face, not yet confirmed: ${names.join(', ')}. Check them on the photo; click where one belongs to move it, then confirm.` : '');
  };
  const canvas = h('canvas', { class: 'marks-canvas', tabindex: 0, 'aria-label': `The ${view.words}: click or tap where the chosen landmark is`, dataset: { view: view.view } });
  const status = h('div', { class: 'form-status', 'aria-live': 'polite' });
  const fit = h('div', { class: 'marks-fit', id: 'marks-fit', 'aria-live': 'polite' });
  let current = view.landmarks.find((l) => !marks[l.name])?.name || view.landmarks[0].name;
  const picks = h('ul', { class: 'plain marks-list' });
  const img = new Image();
  const fillPicks = () => replace(picks, view.landmarks.map((l) => h('li', {},
    h('label', { class: 'check' },
      h('input', { type: 'radio', name: `mark-${photo.id}`, value: l.name, checked: l.name === current ? true : null, on: { change: () => { current = l.name; draw(); } } }),
      ' ', h('strong', {}, l.label), marks[l.name] ? h('span', { class: 'muted' }, proposed.has(l.name) ? ' proposed' : ' ✓') : null,
      h('br'), h('small', { class: 'muted' }, l.hint)))));
  const draw = () => {
    if (!img.naturalWidth) return;
    const g = canvas.getContext('2d');
    g.drawImage(img, 0, 0, canvas.width, canvas.height);
    const k = canvas.width / img.naturalWidth;
    const boxes = []; // the labels drawn so far: [left, top, right, bottom]
    for (const l of view.landmarks) {
      const m = marks[l.name];
      if (!m) continue;
      const [x, y] = [m[0] * k, m[1] * k];
      g.lineWidth = 2;
      g.strokeStyle = l.name === current ? '#ffd23f' : '#ff4d4d';
      // Proposed, not yet confirmed: a dashed ring.
      if (proposed.has(l.name)) g.setLineDash([3, 3]);
      g.beginPath(); g.arc(x, y, proposed.has(l.name) ? 9 : 6, 0, 2 * Math.PI); g.stroke();
      g.setLineDash([]);
      g.beginPath(); g.moveTo(x - 10, y); g.lineTo(x + 10, y); g.moveTo(x, y - 10); g.lineTo(x, y + 10); g.stroke();
      g.font = '12px sans-serif'; g.fillStyle = '#fff'; g.strokeStyle = 'rgba(0,0,0,.7)'; g.lineWidth = 3;
      // The label beside its mark where it overlaps no other label and stays on the picture (marks close
      // together, such as the glabella and an eye corner on a small thumbnail, once wrote over each other).
      const w = g.measureText(l.label).width;
      const spots = [[x + 9, y - 8], [x - 9 - w, y - 8], [x + 9, y + 20], [x - 9 - w, y + 20], [x + 9, y - 24], [x - 9 - w, y - 24], [x - w / 2, y + 34], [x - w / 2, y - 38]];
      const box = ([lx, ly]) => [lx - 2, ly - 12, lx + w + 2, ly + 3];
      const free = (b) => b[0] >= 0 && b[2] <= canvas.width && b[1] >= 0 && b[3] <= canvas.height && !boxes.some((o) => b[0] < o[2] && b[2] > o[0] && b[1] < o[3] && b[3] > o[1]);
      // No free spot: the first one, kept on the picture (probe s32b: "right outer eye corner" ran off the left edge).
      const fallback = [Math.min(Math.max(spots[0][0], 2), canvas.width - w - 2), Math.min(Math.max(spots[0][1], 14), canvas.height - 4)];
      const [lx, ly] = spots.find((sp) => free(box(sp))) || fallback;
      boxes.push(box([lx, ly]));
      g.strokeText(l.label, lx, ly); g.fillText(l.label, lx, ly);
    }
    canvas.dataset.labels = JSON.stringify(boxes.map((b) => b.map((v) => Math.round(v))));
  };
  canvas.addEventListener('pointerdown', (e) => {
    if (!img.naturalWidth) return;
    const r = canvas.getBoundingClientRect();
    const k = img.naturalWidth / r.width;
    marks = { ...marks, [current]: [Math.round((e.clientX - r.left) * k * 10) / 10, Math.round((e.clientY - r.top) * k * 10) / 10] };
    proposed.delete(current); // placed by hand: the practitioner's own mark now
    const next = view.landmarks.find((l) => !marks[l.name]);
    if (next) current = next.name;
    fillPicks(); draw(); showProposed();
  });
  const showFit = async () => {
    try {
      const f = await get(`/api/plans/${planId}/photos/${photo.id}/fit`);
      replace(fit,
        h('p', { class: f.fits && !f.culprit ? 'outcome ok' : 'outcome warn', id: 'fit-words', role: 'status' }, f.words),
        f.residuals.length ? h('table', { class: 'table compact', id: 'fit-table' },
          h('thead', {}, h('tr', {}, h('th', {}, 'Landmark'), h('th', {}, 'Off by'))),
          h('tbody', {}, f.residuals.map((r) => h('tr', { class: f.culprit && (f.culprit.name === r.name || f.culprit.partner === r.name) ? 'unmatched' : null, dataset: { mark: r.name } },
            h('td', {}, r.label), h('td', {}, `${r.mm.toFixed(1)} mm`))))) : null);
      fit.dataset.fits = String(f.fits);
      fit.dataset.culprit = f.culprit ? f.culprit.name : '';
    } catch (err) {
      replace(fit, errorBox(err));
      fit.dataset.fits = 'false';
    }
  };
  const save = async () => {
    try {
      const kept = await put(`/api/photos/${photo.id}/landmarks`, { landmarks: marks, proposed: [...proposed].filter((k) => marks[k]), ...(photo.sha256 ? { photo_sha256: photo.sha256 } : {}), marks_revision: revision });
      revision = kept.revision;
      replace(status, h('span', { class: 'muted' }, proposed.size ? 'Marks saved; the proposed ones are still to be confirmed.' : 'Marks saved.'));
      showProposed(); fillPicks(); draw();
      await showFit();
      if (saved) saved();
    } catch (err) { replace(status, errorBox(err)); }
  };
  const clear = () => { marks = {}; proposed.clear(); current = view.landmarks[0].name; fillPicks(); draw(); showProposed(); };
  fillPicks();
  showProposed();
  get(`/api/photos/${photo.id}`, { as: 'blob' }).then((b) => {
    img.onload = () => {
      // The picture fills its 480 px column (a smaller photo is shown enlarged, never beside a dark strip:
      // probe s32b); marks are kept in the photo's own pixels.
      const w = 480;
      canvas.width = w; canvas.height = Math.round(w * img.naturalHeight / img.naturalWidth);
      draw();
      canvas.dataset.natural = String(img.naturalWidth);
      canvas.dataset.ready = 'true';
    };
    img.src = URL.createObjectURL(b);
  }).catch((err) => replace(status, errorBox(err)));
  if (Object.keys(marks).length) showFit();
  return h('div', { class: 'marks-editor', id: 'marks-editor', dataset: { photo: photo.id, view: view.view } },
    h('p', { class: 'muted' }, `This photo shows ${view.words}. Choose a landmark, then click or tap where it is; at least ${view.min_marks} are needed, and each one more lets the marks be checked against each other.`),
    note,
    h('div', { class: 'marks-grid' }, h('div', { class: 'photo-stage' }, canvas), picks),
    h('div', { class: 'toolbar' },
      h('button', { type: 'button', class: 'primary', id: 'save-marks', on: { click: save } }, 'Save marks'),
      confirmButton,
      h('button', { type: 'button', on: { click: clear } }, 'Clear marks'), status),
    fit);
}
