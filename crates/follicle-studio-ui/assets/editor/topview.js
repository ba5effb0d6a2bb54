// Live top view of the plan the planning core computed for the current design: its impressions, its hairline and control points (dragging one replans), and the scar or exclusion being drawn.
import { h } from '../dom.js';
import { num } from '../format.js';
import { dist } from './geometry.js';

const SESSION_COLOURS = ['#7d8fa3', '#4b5d73', '#26303d', '#111820', '#0a0f14'];

/** The frame before any plan gave one (head-frame mm: half the breadth, back and front). */
const FRAME = { xmax: 100, ymin: -120, ymax: 120 };

/** `text` cut into lines at most `width` px wide in `g`'s font. */
function wrap(g, text, width) {
  const lines = [];
  let line = '';
  for (const word of text.split(' ')) {
    const next = line ? `${line} ${word}` : word;
    if (line && g.measureText(next).width > width) { lines.push(line); line = word; } else line = next;
  }
  if (line) lines.push(line);
  return lines;
}

export class TopView {
  constructor(state, changed) {
    this.state = state;
    this.changed = changed;
    this.canvas = h('canvas', { class: 'topview', tabindex: 0, 'aria-label': 'Top view of the planned impressions; face at the top' });
    this.plan = null;
    this.controls = []; // the hairline's control points from the core (head frame, mm)
    this.draft = null; // polygon being drawn
    this.drag = null;
    this.canvas.addEventListener('pointerdown', (e) => this.down(e));
    this.canvas.addEventListener('pointermove', (e) => this.move(e));
    this.canvas.addEventListener('pointerup', () => { this.drag = null; });
    this.canvas.addEventListener('dblclick', () => this.finish());
    this.canvas.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') this.finish();
      if (e.key === 'Escape') { this.draft = null; this.state.mode = 'move'; this.changed('mode'); }
    });
    new ResizeObserver(() => this.render()).observe(this.canvas);
  }

  /** Shows a plan from the core: `plan` (plan.json without impressions) and `arrays` (x, y, z, session, zone, facing). */
  setPlan(plan, arrays) {
    this.plan = plan;
    Object.assign(this, arrays);
    if (!this.bounds) {
      // The frame stays put while the design changes (a moving frame would hide what moved).
      let xmax = 0, ymin = Infinity, ymax = -Infinity;
      for (let i = 0; i < this.x.length; i++) { xmax = Math.max(xmax, Math.abs(this.x[i])); ymin = Math.min(ymin, this.y[i]); ymax = Math.max(ymax, this.y[i]); }
      for (const p of Object.values(plan.landmarks)) { xmax = Math.max(xmax, Math.abs(p[0])); ymin = Math.min(ymin, p[1]); ymax = Math.max(ymax, p[1]); }
      this.bounds = { xmax: xmax + 12, ymin: ymin - 12, ymax: ymax + 12 };
    }
  }

  /** The head's frame from the core's landmarks before any plan gives one (a scar repair before its scar is
   *  drawn: outside test s55, a default frame drew the head larger than it is, and a scar drawn inside that
   *  outline was refused as off the head). */
  setHead(landmarks) {
    if (this.bounds || !landmarks) return;
    let xmax = 0, ymin = Infinity, ymax = -Infinity;
    for (const p of Object.values(landmarks)) { xmax = Math.max(xmax, Math.abs(p[0])); ymin = Math.min(ymin, p[1]); ymax = Math.max(ymax, p[1]); }
    this.headFrame = { xmax: xmax + 12, ymin: ymin - 12, ymax: ymax + 12 };
    this.state.previewSession = Math.min(this.state.previewSession || 99, plan.sessions.length);
  }

  /** The core's control points of the hairline (right temporal peak to left), drawn at once: the handles follow
   *  the design while its plan is still being made (a drag then grabs the point where it is now). */
  setControls(points) { this.controls = points || []; if (this.plan) this.render(); }

  /** Screen mapping: head-frame mm → canvas CSS px (face at the top, client's right on the right). */
  map() {
    const w = this.canvas.clientWidth, hh = this.canvas.clientHeight;
    const b = this.bounds || this.headFrame || FRAME;
    const k = Math.min(w / (2 * b.xmax), hh / (b.ymax - b.ymin));
    const ox = w / 2, oy = hh / 2 + ((b.ymax + b.ymin) / 2) * k;
    return { k, fx: (x) => ox + x * k, fy: (y) => oy - y * k, bx: (sx) => (sx - ox) / k, by: (sy) => (oy - sy) / k };
  }

  at(e) {
    const r = this.canvas.getBoundingClientRect();
    const m = this.map();
    return [m.bx(e.clientX - r.left), m.by(e.clientY - r.top)];
  }

  down(e) {
    const mode = this.state.mode;
    // A zone can be drawn before anything plans (a scar repair before its scar is drawn: outside test s55).
    if (!this.plan && mode !== 'scar' && mode !== 'exclusion') return;
    const p = this.at(e);
    if (mode === 'scar' || mode === 'exclusion') {
      this.draft = this.draft || [];
      this.draft.push(p.map((v) => Math.round(v * 10) / 10));
      this.render();
      return;
    }
    const m = this.map();
    const i = this.handles().findIndex((q) => dist(q, p) * m.k < 16);
    if (i >= 0) {
      this.drag = i;
      this.canvas.setPointerCapture(e.pointerId);
      e.preventDefault();
    }
  }

  /** Dragging a control point hands the core the hand-placed points: the others where the core put them (on the
   *  surface, [x, y, z]), the dragged one seen from above ([x, y]), rounded to 0.1 mm. */
  move(e) {
    if (this.drag === null) return;
    const r = (v) => Math.round(v * 10) / 10;
    const pts = this.controls.map((q) => q.map(r));
    pts[this.drag] = this.at(e).map(r);
    this.state.hairline.control_points = pts;
    this.changed('control_points', e.timeStamp);
  }

  /** Closes the polygon being drawn into a scar or exclusion zone. */
  finish() {
    if (!this.draft || this.draft.length < 3) return;
    const kind = this.state.mode;
    const n = this.state.userZones.filter((z) => z.kind === kind).length + 1;
    const zone = { id: `${kind}-${n}`, kind, polygon: this.draft };
    this.state.userZones.push(zone);
    this.draft = null;
    this.state.mode = 'move';
    this.changed('zones');
  }

  /** Draws the plan as the core returned it. */
  render() {
    const c = this.canvas, g = c.getContext('2d');
    const dpr = window.devicePixelRatio || 1;
    const w = c.clientWidth, hh = c.clientHeight;
    if (!w) return;
    if (c.width !== Math.round(w * dpr) || c.height !== Math.round(hh * dpr)) { c.width = Math.round(w * dpr); c.height = Math.round(hh * dpr); }
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.fillStyle = '#f4f1ec'; g.fillRect(0, 0, w, hh);
    const m = this.map(), b = this.bounds || this.headFrame || FRAME;
    const st = this.state;
    if (!this.plan) {
      // Nothing planned (yet): the head in the default frame with the zones drawn by hand, so a scar repair's
      // scar can be drawn before anything plans, and the reason in lines that fit the view.
      if (this.message) {
        this.outline(g, m, b);
        g.fillStyle = '#4a5561'; g.font = '12px system-ui, sans-serif';
        g.fillText('face', m.fx(0) - 12, m.fy(b.ymax) + 14);
        g.fillText('back', m.fx(0) - 13, m.fy(b.ymin) - 6);
        for (const z of st.userZones) this.polygon(g, m, z.polygon, z.kind, true);
        if (this.draft) this.polygon(g, m, this.draft, st.mode, false);
      }
      g.fillStyle = '#4a5561'; g.font = '14px system-ui, sans-serif';
      // Under the head when it is drawn (above it the face's label stands), else at the top.
      const lines = wrap(g, this.message || 'Planning…', w - 24);
      const y0 = this.message ? hh - 12 - 18 * (lines.length - 1) : 24;
      lines.forEach((l, i) => g.fillText(l, 12, y0 + 18 * i));
      return;
    }
    this.outline(g, m, b);

    const upTo = st.previewSession;
    const bySession = st.colourBySession;
    const paths = SESSION_COLOURS.map(() => new Path2D());
    const sz = Math.max(1.2, 0.45 * m.k);
    // Each impression's dot covers the share of the screen its scalp covers seen from above (the core's
    // `facing`): scalp sloping away is foreshortened, and its dots, crowded together, would read denser than
    // they are (outside test s55: the sides' 17/cm² drew as a dark band around the top's 47/cm²).
    const facing = this.facing;
    let shown = 0;
    const n = this.x.length;
    for (let i = 0; i < n; i++) {
      if (this.session[i] > upTo) continue;
      const s = bySession ? Math.min(this.session[i], SESSION_COLOURS.length) - 1 : 2;
      const d = facing ? sz * Math.sqrt(Math.max(facing[i], 20) / 255) : sz;
      paths[s].rect(m.fx(this.x[i]) - d / 2, m.fy(this.y[i]) - d / 2, d, d);
      shown++;
    }
    paths.forEach((p, i) => { g.fillStyle = SESSION_COLOURS[i]; g.fill(p); });
    this.shown = shown;

    // The plan's hairline, its control points, the zones drawn by hand.
    g.lineWidth = 2; g.strokeStyle = '#2bb3a3';
    g.beginPath(); (this.plan.hairline || []).forEach((p, i) => (i ? g.lineTo(m.fx(p[0]), m.fy(p[1])) : g.moveTo(m.fx(p[0]), m.fy(p[1])))); g.stroke();
    for (const z of st.userZones) this.polygon(g, m, z.polygon, z.kind, true);
    if (this.draft) this.polygon(g, m, this.draft, st.mode, false);
    for (const p of this.handles()) {
      g.beginPath(); g.arc(m.fx(p[0]), m.fy(p[1]), 7, 0, 2 * Math.PI); g.fillStyle = '#2bb3a3'; g.fill(); g.lineWidth = 2; g.strokeStyle = '#fff'; g.stroke();
    }
    this.canvas.dataset.handles = JSON.stringify(this.handles().map((p) => [m.fx(p[0]), m.fy(p[1])]));
    this.canvas.dataset.shown = String(shown);
    g.fillStyle = '#4a5561'; g.font = '12px system-ui, sans-serif';
    g.fillText('face', m.fx(0) - 12, 14);
    g.fillText(`${num(shown)} impressions shown (after session ${upTo})`, 10, hh - 10);
    if (this.message) { g.fillStyle = '#a23b2c'; g.fillText(this.message, 10, 30); }
  }

  /** Records when the picture for an edit made at `t0` (performance.now() time) reached the screen. */
  measured(t0) {
    requestAnimationFrame(() => {
      const ms = performance.now() - t0;
      this.canvas.dataset.latencyMs = ms.toFixed(1);
      this.canvas.dataset.renders = String(Number(this.canvas.dataset.renders || 0) + 1);
    });
  }

  /** The hairline's handles shown: none for a design of scars alone (`scars-only`), whose plan no hairline
   *  shapes (they moved nothing). */
  handles() {
    const shaped = this.plan && this.plan.zones.some((z) => z.kind !== 'scar' && z.kind !== 'exclusion');
    return shaped ? this.controls : [];
  }

  /** The scalp's outline in frame `b`. */
  outline(g, m, b) {
    g.beginPath(); g.ellipse(m.fx(0), m.fy((b.ymax + b.ymin) / 2), (b.xmax - 4) * m.k, ((b.ymax - b.ymin) / 2 - 4) * m.k, 0, 0, 2 * Math.PI);
    g.fillStyle = '#e8c9ad'; g.fill(); g.strokeStyle = '#c9a487'; g.lineWidth = 1; g.stroke();
  }

  polygon(g, m, poly, kind, closed) {
    g.beginPath(); poly.forEach((p, i) => (i ? g.lineTo(m.fx(p[0]), m.fy(p[1])) : g.moveTo(m.fx(p[0]), m.fy(p[1]))));
    if (closed) g.closePath();
    g.lineWidth = 2;
    g.strokeStyle = kind === 'scar' ? '#d9822b' : '#c0392b';
    g.fillStyle = kind === 'scar' ? 'rgba(217, 130, 43, .25)' : 'rgba(192, 57, 43, .18)';
    if (closed) g.fill();
    g.stroke();
    poly.forEach((p) => { g.beginPath(); g.arc(m.fx(p[0]), m.fy(p[1]), 3, 0, 2 * Math.PI); g.fillStyle = g.strokeStyle; g.fill(); });
  }
}
