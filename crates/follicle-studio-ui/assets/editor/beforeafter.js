// Before/after on the 3D mannequin: two same-size server renders (preview.png) split by a draggable, keyboard-operable divider, with view, state (fresh / healed / +N years) and distance switches.
import { get } from '../api.js';
import { h, replace, errorBox, select } from '../dom.js';
import { num, VIEWING_DISTANCES } from '../format.js';

/** Views of follicle-render, in the API's names. */
const VIEWS = [['34', '3/4'], ['front', 'Front'], ['top', 'Top'], ['left', 'Left'], ['right', 'Right'], ['back', 'Back']];
/** Viewing distances (mm): the photo preview's, one list. */
const DISTANCES = VIEWING_DISTANCES;
/** Picture size (pixels) of both renders. */
export const SIZE = 480;

export class BeforeAfter {
  constructor() {
    this.planId = null;
    this.seq = 0;
    this.loads = 0;
    this.urls = [];
    this.view = select('ba-view', VIEWS, '34');
    this.view.id = 'ba-view';
    this.distance = select('ba-distance', DISTANCES, '300');
    this.distance.id = 'ba-distance';
    this.years = h('input', { type: 'number', id: 'ba-years', name: 'ba-years', min: 0, max: 30, step: 1, value: 5, class: 'short', 'aria-label': 'Years after the last session' });
    const radio = (value, label, extra) => {
      const input = h('input', { type: 'radio', name: 'ba-state', value, id: `ba-state-${value}`, checked: value === 'healed' });
      input.addEventListener('change', () => this.load());
      return h('span', { class: 'check' }, input, h('label', { for: input.id }, label), extra);
    };
    this.years.addEventListener('change', () => { if (this.state().startsWith('years:')) this.load(); });
    this.years.addEventListener('focus', () => { document.getElementById('ba-state-years').checked = true; });
    const states = h('fieldset', { class: 'ba-states' }, h('legend', {}, 'State'), radio('fresh', 'Fresh'), radio('healed', 'Healed'), radio('years', '+N years:', this.years));
    this.view.addEventListener('change', () => this.load());
    this.distance.addEventListener('change', () => this.load());

    this.before = h('img', { class: 'ba-img', id: 'ba-before', alt: 'Before treatment', width: SIZE, height: SIZE, draggable: false });
    this.after = h('img', { class: 'ba-img', id: 'ba-after', alt: 'After treatment', width: SIZE, height: SIZE, draggable: false });
    this.divider = h('div', { class: 'ba-divider', role: 'slider', tabindex: 0, id: 'ba-divider', 'aria-label': 'Before/after divider: left of it before treatment, right of it after', 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-orientation': 'horizontal' });
    this.loading = h('div', { class: 'ba-loading', 'aria-hidden': 'true' }, 'Rendering on the server…');
    this.stage = h('div', { class: 'ba-stage', id: 'ba-stage', 'aria-busy': 'false' },
      this.before, h('div', { class: 'ba-after' }, this.after), this.divider,
      h('span', { class: 'ba-label left' }, 'Before'), h('span', { class: 'ba-label right' }, 'After'), this.loading);
    this.status = h('div', { class: 'ba-status', 'aria-live': 'polite' });
    this.el = h('div', { class: 'beforeafter' },
      h('div', { class: 'toolbar' }, h('label', { for: 'ba-view' }, 'View'), this.view, h('label', { for: 'ba-distance' }, 'Distance'), this.distance),
      states, this.stage, this.status);

    this.setPos(50);
    this.divider.addEventListener('keydown', (e) => {
      const step = e.shiftKey ? 10 : 2;
      const to = { ArrowLeft: this.pos - step, ArrowDown: this.pos - step, ArrowRight: this.pos + step, ArrowUp: this.pos + step, Home: 0, End: 100, PageDown: this.pos - 25, PageUp: this.pos + 25 }[e.key];
      if (to === undefined) return;
      e.preventDefault();
      this.setPos(to);
    });
    const fromPointer = (e) => {
      const r = this.stage.getBoundingClientRect();
      this.setPos(((e.clientX - r.left) / r.width) * 100);
    };
    this.stage.addEventListener('pointerdown', (e) => { this.dragging = true; this.stage.setPointerCapture(e.pointerId); fromPointer(e); this.divider.focus(); e.preventDefault(); });
    this.stage.addEventListener('pointermove', (e) => { if (this.dragging) fromPointer(e); });
    const stop = () => { this.dragging = false; };
    this.stage.addEventListener('pointerup', stop);
    this.stage.addEventListener('pointercancel', stop);
  }

  /** Moves the divider to `p` % of the width (clamped to 0–100). */
  setPos(p) {
    this.pos = Math.round(Math.min(100, Math.max(0, p)) * 10) / 10;
    this.stage.style.setProperty('--ba-pos', `${this.pos}%`);
    this.divider.setAttribute('aria-valuenow', String(this.pos));
    this.divider.setAttribute('aria-valuetext', `${Math.round(this.pos)} % before, ${Math.round(100 - this.pos)} % after`);
  }

  /** The state parameter of the API: fresh, healed or years:N. */
  state() {
    const checked = this.el.querySelector('input[name="ba-state"]:checked');
    const v = checked ? checked.value : 'healed';
    return v === 'years' ? `years:${this.years.value.trim()}` : v;
  }

  /** The preview URL before treatment (`session=0`) or after the last session in the chosen state. */
  url(after) {
    const q = new URLSearchParams({ view: this.view.value, distance: this.distance.value, size: String(SIZE) });
    if (after) q.set('state', this.state());
    else { q.set('state', 'healed'); q.set('session', '0'); }
    return `/api/plans/${this.planId}/preview.png?${q}`;
  }

  /** Shows a plan (its id), loading both pictures. */
  setPlan(id) {
    this.planId = id;
    return this.load();
  }

  /** Fetches both pictures (errors from the API are shown; a newer request wins over an older one). */
  async load() {
    if (!this.planId) return;
    const seq = ++this.seq;
    const urls = [this.url(false), this.url(true)];
    this.stage.classList.add('busy');
    this.stage.setAttribute('aria-busy', 'true');
    replace(this.status, h('span', { class: 'muted' }, 'Rendering the before and after pictures…'));
    const t0 = performance.now();
    const timed = async (u) => { const t = performance.now(); const blob = await get(u, { as: 'blob' }); return { blob, ms: performance.now() - t }; };
    try {
      const [b, a] = await Promise.all(urls.map(timed));
      if (seq !== this.seq) return;
      const show = async (img, blob, u) => {
        const old = img.src;
        img.src = URL.createObjectURL(blob);
        img.dataset.url = u;
        await img.decode().catch(() => {});
        if (old.startsWith('blob:')) URL.revokeObjectURL(old);
      };
      await Promise.all([show(this.before, b.blob, urls[0]), show(this.after, a.blob, urls[1])]);
      if (seq !== this.seq) return;
      const total = performance.now() - t0;
      this.loads += 1;
      delete this.stage.dataset.error;
      Object.assign(this.stage.dataset, { loads: String(this.loads), roundTripMs: total.toFixed(1), afterMs: a.ms.toFixed(1), beforeMs: b.ms.toFixed(1) });
      this.after.alt = `After treatment: ${this.describe()}`;
      replace(this.status, h('span', { class: 'muted', dataset: { roundTripMs: total.toFixed(0) } }, `${this.describe()}.`));
    } catch (err) {
      if (seq !== this.seq) return;
      replace(this.status, errorBox(err));
      this.stage.dataset.error = err.message;
    } finally {
      if (seq === this.seq) { this.stage.classList.remove('busy'); this.stage.setAttribute('aria-busy', 'false'); }
    }
  }

  /** The current choice in words. */
  describe() {
    const s = this.state();
    const state = s.startsWith('years:') ? `healed, ${s.slice(6)} years on` : s;
    return `${this.view.selectedOptions[0].textContent} view, ${state}, ${this.distance.selectedOptions[0].textContent.toLowerCase()}`;
  }
}
