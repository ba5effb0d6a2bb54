// Live top view of a plan's impressions (from plan.json) with the editor's unsaved changes applied at once.
import { h } from '../dom.js';
import { num } from '../format.js';
import { dist, inside, hash01, catmullRom, yAt } from './geometry.js';

const SESSION_COLOURS = ['#7d8fa3', '#4b5d73', '#26303d', '#111820', '#0a0f14'];
const HANDLE_KEYS = ['temporal_peak_right', 'frontotemporal_right', 'mid_frontal', 'frontotemporal_left', 'temporal_peak_left'];
/** Zones whose impressions follow the hairline's position in the preview. */
const FRONT_ZONES = new Set(['hairline', 'frontal', 'temples']);

export class TopView {
  constructor(state, changed) {
    this.state = state;
    this.changed = changed;
    this.canvas = h('canvas', { class: 'topview', tabindex: 0, 'aria-label': 'Top view of the planned impressions; face at the top' });
    this.badge = h('span', { class: 'badge', id: 'preview-latency' }, '');
    this.plan = null;
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

  /** Takes a parsed plan.json and precomputes flat arrays for fast drawing. */
  setPlan(plan) {
    this.plan = plan;
    const n = plan.impressions.length;
    this.x = new Float32Array(n); this.y = new Float32Array(n); this.z = new Float32Array(n);
    this.session = new Uint8Array(n); this.zone = new Uint16Array(n); this.keep = new Float32Array(n);
    this.zoneIds = plan.zones.map((z) => z.id);
    const index = new Map(this.zoneIds.map((id, i) => [id, i]));
    plan.impressions.forEach((im, i) => {
      this.x[i] = im.p[0]; this.y[i] = im.p[1]; this.z[i] = im.p[2];
      this.session[i] = im.session; this.zone[i] = index.get(im.zone) ?? 0; this.keep[i] = hash01(i);
    });
    let xmax = 0, ymin = Infinity, ymax = -Infinity;
    for (let i = 0; i < n; i++) { xmax = Math.max(xmax, Math.abs(this.x[i])); ymin = Math.min(ymin, this.y[i]); ymax = Math.max(ymax, this.y[i]); }
    for (const p of Object.values(plan.landmarks)) { xmax = Math.max(xmax, Math.abs(p[0])); ymin = Math.min(ymin, p[1]); ymax = Math.max(ymax, p[1]); }
    this.bounds = { xmax: xmax + 8, ymin: ymin - 8, ymax: ymax + 8 };
    this.state.previewSession = Math.min(this.state.previewSession || 99, plan.sessions.length);
    this.render();
  }

  /** Screen mapping: head-frame mm → canvas CSS px (face at the top, client's right on the right). */
  map() {
    const w = this.canvas.clientWidth, hh = this.canvas.clientHeight;
    const b = this.bounds;
    const k = Math.min(w / (2 * b.xmax), hh / (b.ymax - b.ymin));
    const ox = w / 2, oy = hh / 2 + ((b.ymax + b.ymin) / 2) * k;
    return { k, fx: (x) => ox + x * k, fy: (y) => oy - y * k, bx: (sx) => (sx - ox) / k, by: (sy) => (oy - sy) / k };
  }

  at(e) {
    const r = this.canvas.getBoundingClientRect();
    const m = this.map();
    return [m.bx(e.clientX - r.left), m.by(e.clientY - r.top)];
  }

  /** The five hairline control points (right temporal peak → left), edited or from the plan. */
  handles() {
    if (this.state.hairline.control_points) return this.state.hairline.control_points;
    return this.plan ? HANDLE_KEYS.map((k) => [this.plan.landmarks[k][0], this.plan.landmarks[k][1]]) : [];
  }

  down(e) {
    if (!this.plan) return;
    const p = this.at(e);
    const mode = this.state.mode;
    if (mode === 'scar' || mode === 'exclusion') {
      this.draft = this.draft || [];
      this.draft.push(p.map((v) => Math.round(v * 10) / 10));
      this.render(e.timeStamp);
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

  move(e) {
    if (this.drag === null) return;
    const pts = this.handles().map((q) => q.slice());
    pts[this.drag] = this.at(e).map((v) => Math.round(v * 10) / 10);
    this.state.hairline.control_points = pts;
    this.changed('control_points', e.timeStamp);
  }

  /** Closes the polygon being drawn into a scar or exclusion zone. */
  finish() {
    if (!this.draft || this.draft.length < 3) return;
    const kind = this.state.mode;
    const n = this.state.userZones.filter((z) => z.kind === kind).length + 1;
    const zone = { id: `${kind}-${n}`, kind, polygon: this.draft };
    if (kind === 'scar') Object.assign(zone, { density_cm2: 70, needle: '1RL' });
    this.state.userZones.push(zone);
    this.draft = null;
    this.state.mode = 'move';
    this.changed('zones');
  }

  /** Draws the preview; `t0` (an event timeStamp) starts the change-to-picture measurement. */
  render(t0) {
    const c = this.canvas, g = c.getContext('2d');
    const dpr = window.devicePixelRatio || 1;
    const w = c.clientWidth, hh = c.clientHeight;
    if (!w) return;
    if (c.width !== Math.round(w * dpr) || c.height !== Math.round(hh * dpr)) { c.width = Math.round(w * dpr); c.height = Math.round(hh * dpr); }
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.fillStyle = '#f4f1ec'; g.fillRect(0, 0, w, hh);
    if (!this.plan) {
      g.fillStyle = '#6b7682'; g.font = '15px system-ui, sans-serif'; g.textAlign = 'center';
      g.fillText('Generate a plan to see its impressions here.', w / 2, hh / 2);
      g.textAlign = 'start';
      return;
    }
    const m = this.map(), b = this.bounds;
    // Scalp outline.
    g.beginPath(); g.ellipse(m.fx(0), m.fy((b.ymax + b.ymin) / 2), (b.xmax - 4) * m.k, ((b.ymax - b.ymin) / 2 - 4) * m.k, 0, 0, 2 * Math.PI);
    g.fillStyle = '#e8c9ad'; g.fill(); g.strokeStyle = '#c9a487'; g.lineWidth = 1; g.stroke();

    // Which impressions the edits keep.
    const st = this.state;
    const ratio = new Float32Array(this.zoneIds.length).fill(1);
    this.plan.zones.forEach((z, i) => {
      const o = st.zones[z.id];
      if (o && o.density_cm2 && z.target_density_cm2) ratio[i] = Math.min(1, o.density_cm2 / z.target_density_cm2);
    });
    const front = new Uint8Array(this.zoneIds.length);
    this.zoneIds.forEach((id, i) => { front[i] = FRONT_ZONES.has(id) ? 1 : 0; });
    const line = st.hairline.control_points ? catmullRom(st.hairline.control_points, 10) : null;
    const excl = st.userZones.filter((z) => z.kind === 'exclusion').map((z) => z.polygon);
    const upTo = st.previewSession;
    const bySession = st.colourBySession;
    const paths = SESSION_COLOURS.map(() => new Path2D());
    const sz = Math.max(1.2, 0.45 * m.k);
    let shown = 0;
    const n = this.x.length;
    for (let i = 0; i < n; i++) {
      if (this.session[i] > upTo) continue;
      const zi = this.zone[i];
      if (this.keep[i] >= ratio[zi]) continue;
      const x = this.x[i], y = this.y[i];
      if (line && front[zi]) { const ly = yAt(line, x); if (ly !== null && y > ly + 3) continue; }
      if (excl.length && excl.some((poly) => inside([x, y], poly))) continue;
      const s = bySession ? Math.min(this.session[i], SESSION_COLOURS.length) - 1 : 2;
      paths[s].rect(m.fx(x) - sz / 2, m.fy(y) - sz / 2, sz, sz);
      shown++;
    }
    paths.forEach((p, i) => { g.fillStyle = SESSION_COLOURS[i]; g.fill(p); });
    this.shown = shown;

    // The plan's hairline, the edited one, zones being drawn.
    g.lineWidth = 1.5; g.setLineDash([4, 4]); g.strokeStyle = 'rgba(30, 80, 100, .8)';
    g.beginPath(); (this.plan.hairline || []).forEach((p, i) => (i ? g.lineTo(m.fx(p[0]), m.fy(p[1])) : g.moveTo(m.fx(p[0]), m.fy(p[1])))); g.stroke();
    g.setLineDash([]);
    if (line) { g.strokeStyle = '#2bb3a3'; g.lineWidth = 3; g.beginPath(); line.forEach((p, i) => (i ? g.lineTo(m.fx(p[0]), m.fy(p[1])) : g.moveTo(m.fx(p[0]), m.fy(p[1])))); g.stroke(); }
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

    if (t0 !== undefined) {
      requestAnimationFrame(() => {
        const ms = performance.now() - t0;
        this.lastLatency = ms;
        this.badge.textContent = '';
        this.canvas.dataset.latencyMs = ms.toFixed(1);
        this.canvas.dataset.renders = String(Number(this.canvas.dataset.renders || 0) + 1);
      });
    }
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
