// The photo pane of the design editor: mark landmarks by click, tap or keyboard, see and drag the Garg hairline.
import { h, replace } from '../dom.js';
import { num } from '../format.js';
import { dist, clamp } from './geometry.js';
import { LANDMARKS, construct, heightFor, recessionFor } from './garg.js';

export class PhotoPane {
  /** `state` is the editor state; `changed(what)` is called after every edit. */
  constructor(state, changed) {
    this.state = state;
    this.changed = changed;
    this.img = h('img', { alt: 'Client photo for the design', class: 'photo-img' });
    this.canvas = h('canvas', { class: 'photo-overlay', tabindex: 0, 'aria-label': 'Photo: click or tap to mark the landmark asked for; arrow keys move the cross, Enter marks' });
    this.guide = h('p', { class: 'guide', 'aria-live': 'polite' });
    this.residual = h('p', { class: 'residual muted' });
    this.cursor = null;
    this.drag = null;
    this.el = h('div', { class: 'photo-pane' },
      this.guide,
      h('div', { class: 'photo-stage' }, this.img, this.canvas),
      h('div', { class: 'toolbar' },
        h('button', { type: 'button', on: { click: () => this.undo() } }, 'Undo last mark'),
        h('button', { type: 'button', on: { click: () => this.restart() } }, 'Mark again')),
      this.residual);
    this.img.addEventListener('load', () => { this.fit(); this.draw(); });
    new ResizeObserver(() => { this.fit(); this.draw(); }).observe(this.img);
    this.canvas.addEventListener('pointerdown', (e) => this.down(e));
    this.canvas.addEventListener('pointermove', (e) => this.move(e));
    this.canvas.addEventListener('pointerup', (e) => this.up(e));
    this.canvas.addEventListener('keydown', (e) => this.key(e));
  }

  /** Shows a photo (an object URL). */
  show(url) { this.img.src = url; }

  next() { return LANDMARKS.find(([k]) => !this.state.landmarks[k]); }
  marked() { return !this.next(); }

  fit() {
    const w = this.img.clientWidth, hgt = this.img.clientHeight;
    if (!w || !this.img.naturalWidth) return;
    const dpr = window.devicePixelRatio || 1;
    this.canvas.width = Math.round(w * dpr);
    this.canvas.height = Math.round(hgt * dpr);
    this.canvas.style.width = `${w}px`;
    this.canvas.style.height = `${hgt}px`;
    this.k = w / this.img.naturalWidth; // CSS px per photo px
    this.dpr = dpr;
  }

  /** Photo pixel coordinates of a pointer event. */
  at(e) {
    const r = this.canvas.getBoundingClientRect();
    return [(e.clientX - r.left) / this.k, (e.clientY - r.top) / this.k];
  }

  construction() {
    if (!this.marked()) return null;
    return construct(this.state.landmarks, this.state.hairline, this.state.ipd);
  }

  down(e) {
    if (!this.k) return;
    const p = this.at(e);
    const c = this.construction();
    if (!c) {
      this.place(p);
      return;
    }
    const grab = 18 / this.k;
    const handles = [['b', c.b], ['right', c.right.c], ['left', c.left.c]];
    const hit = handles.find(([, q]) => dist(p, q) < grab);
    if (hit) {
      this.drag = hit[0];
      this.canvas.setPointerCapture(e.pointerId);
      e.preventDefault();
    }
  }

  move(e) {
    if (!this.drag) return;
    this.dragTo(this.at(e), e.timeStamp);
  }

  dragTo(p, t0) {
    const c = this.construction();
    const hl = this.state.hairline;
    if (this.drag === 'b') hl.mid_frontal_height_mm = Math.round(clamp(heightFor(c, p), 60, 110) * 2) / 2;
    else hl.recession_mm = Math.round(clamp(recessionFor(c, c[this.drag].garg, p), 0, 30) * 2) / 2;
    this.changed('hairline', t0);
  }

  up() { this.drag = null; }

  place(p) {
    const n = this.next();
    if (!n) return;
    this.state.landmarks[n[0]] = p.map((x) => Math.round(x * 10) / 10);
    if (this.marked()) {
      // The marked B and C set the starting design: height from A to B, recession from C behind Garg's point.
      const c0 = construct(this.state.landmarks, { ...this.state.hairline, recession_mm: 0 }, this.state.ipd);
      if (c0) {
        this.state.hairline.mid_frontal_height_mm = Math.round(clamp(heightFor(c0, this.state.landmarks.mid_frontal), 60, 110) * 2) / 2;
        const c1 = construct(this.state.landmarks, { ...this.state.hairline, recession_mm: 0 }, this.state.ipd);
        const rec = (recessionFor(c1, c1.right.garg, this.state.landmarks.frontotemporal_right) + recessionFor(c1, c1.left.garg, this.state.landmarks.frontotemporal_left)) / 2;
        this.state.hairline.recession_mm = Math.round(clamp(rec, 0, 30) * 2) / 2;
      }
    }
    this.changed('landmarks');
  }

  undo() {
    const done = LANDMARKS.filter(([k]) => this.state.landmarks[k]);
    if (done.length) delete this.state.landmarks[done[done.length - 1][0]];
    this.changed('landmarks');
  }

  restart() {
    this.state.landmarks = {};
    this.changed('landmarks');
  }

  key(e) {
    if (!this.img.naturalWidth) return;
    const step = (e.shiftKey ? 10 : 2) / this.k;
    const c = this.construction();
    if (c && (e.key === 'ArrowUp' || e.key === 'ArrowDown')) {
      // With every landmark marked, the arrows raise or lower the mid-frontal point.
      this.state.hairline.mid_frontal_height_mm = clamp(this.state.hairline.mid_frontal_height_mm + (e.key === 'ArrowUp' ? 1 : -1), 60, 110);
      this.changed('hairline', e.timeStamp);
      e.preventDefault();
      return;
    }
    if (c) return;
    this.cursor = this.cursor || [this.img.naturalWidth / 2, this.img.naturalHeight / 2];
    const d = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] }[e.key];
    if (d) { this.cursor = [this.cursor[0] + d[0], this.cursor[1] + d[1]]; this.draw(); e.preventDefault(); }
    if (e.key === 'Enter' || e.key === ' ') { this.place(this.cursor); e.preventDefault(); }
  }

  /** Redraws the overlay and the guidance. */
  draw() {
    const n = this.next();
    const count = LANDMARKS.filter(([k]) => this.state.landmarks[k]).length;
    if (!this.img.naturalWidth) replace(this.guide, 'Choose or upload a frontal photo of the client to design on it.');
    else if (n) replace(this.guide, h('strong', {}, `Mark ${count + 1} of ${LANDMARKS.length}: ${n[1]}`), ` — ${n[2]}.`);
    else replace(this.guide, h('strong', {}, 'Hairline proposed.'), ' Drag B (mid-frontal) or C (frontotemporal) to adjust, or use the controls.');
    const g = this.canvas.getContext('2d');
    if (!this.k) return;
    g.setTransform(this.dpr * this.k, 0, 0, this.dpr * this.k, 0, 0);
    g.clearRect(0, 0, this.canvas.width / (this.dpr * this.k), this.canvas.height / (this.dpr * this.k));
    const px = 1 / this.k; // one CSS pixel in photo pixels
    const dot = (p, r, fill, label) => {
      g.beginPath(); g.arc(p[0], p[1], r * px, 0, 2 * Math.PI); g.fillStyle = fill; g.fill();
      g.lineWidth = 2 * px; g.strokeStyle = '#fff'; g.stroke();
      if (label) { g.font = `${12 * px}px system-ui, sans-serif`; g.fillStyle = '#fff'; g.strokeStyle = 'rgba(0,0,0,.6)'; g.lineWidth = 3 * px; g.strokeText(label, p[0] + 9 * px, p[1] - 7 * px); g.fillText(label, p[0] + 9 * px, p[1] - 7 * px); }
    };
    for (const [k, , ] of LANDMARKS) if (this.state.landmarks[k]) dot(this.state.landmarks[k], 4, '#f2b134');
    if (this.cursor && n) {
      g.strokeStyle = '#f2b134'; g.lineWidth = 1.5 * px;
      g.beginPath(); g.moveTo(this.cursor[0] - 10 * px, this.cursor[1]); g.lineTo(this.cursor[0] + 10 * px, this.cursor[1]);
      g.moveTo(this.cursor[0], this.cursor[1] - 10 * px); g.lineTo(this.cursor[0], this.cursor[1] + 10 * px); g.stroke();
    }
    const c = this.construction();
    if (!c) { replace(this.residual, ''); return; }
    g.setLineDash([5 * px, 5 * px]); g.strokeStyle = 'rgba(255,255,255,.7)'; g.lineWidth = 1.5 * px;
    g.beginPath(); g.moveTo(c.a[0], c.a[1]); g.lineTo(c.b[0], c.b[1]);
    for (const s of [c.right, c.left]) { g.moveTo(c.b[0], c.b[1]); g.lineTo(s.c[0], s.c[1]); g.lineTo(s.d[0], s.d[1]); }
    g.stroke(); g.setLineDash([]);
    g.beginPath(); c.curve.forEach((p, i) => (i ? g.lineTo(p[0], p[1]) : g.moveTo(p[0], p[1])));
    g.strokeStyle = 'rgba(20, 30, 40, .55)'; g.lineWidth = 7 * px; g.stroke();
    g.strokeStyle = '#2bb3a3'; g.lineWidth = 3 * px; g.stroke();
    dot(c.a, 5, '#f2b134', 'A');
    dot(c.b, 8, '#2bb3a3', `B ${num(this.state.hairline.mid_frontal_height_mm)} mm`);
    dot(c.right.c, 8, '#2bb3a3', 'C'); dot(c.left.c, 8, '#2bb3a3', 'C');
    dot(c.right.d, 4, '#9fd8d1', 'D'); dot(c.left.d, 4, '#9fd8d1', 'D');
    const r = c.residual;
    replace(this.residual, `Registration residual: marked C ${num(r.right, 1)} mm (right) and ${num(r.left, 1)} mm (left) from the construction; glabella ${num(r.midline, 1)} mm off the canthal midpoint. Scale ${num(c.s, 2)} px/mm from the canthi.`);
  }
}
