// The editor's link to the planning core: quick geometry requests on the page's own WebAssembly instance, plans in
// two workers (the newest design wins).
import { load } from './wasm.js';

export class Engine {
  /** Loads the core three times: here for landmarks, hairline and photo fits, and in two planning workers. */
  static async start() {
    const e = new Engine();
    e.call = await load();
    e.seq = 0; // the newest request's id
    e.drawn = 0; // the newest id an answer was drawn for
    e.requests = new Map(); // id → request, until its whole plan arrives
    // Two workers, so that an edit made while a plan is under way starts at once on the other one instead of
    // waiting for the running session to end (a session step cannot be cut short: the first edit after the
    // editor opened waited 355 ms, s52); the one left behind drops its stale plan at its next step.
    e.workers = [0, 1].map(() => {
      const w = { worker: new Worker('/ui/editor/planner-worker.js', { type: 'module' }), busy: 0 };
      w.worker.onmessage = (ev) => {
        if (ev.data.idle) { if (w.busy === ev.data.id) w.busy = 0; return; }
        e.answer(ev.data);
      };
      w.worker.onerror = (ev) => { w.busy = 0; e.answer({ id: e.seq, error: ev.message || 'the planner stopped' }); };
      return w;
    });
    e.last = e.workers[0]; // the worker the last request went to (it keeps that design's geometry)
    return e;
  }

  /** Shows the photo file (its bytes) to the core: the photo pane is registered on it as the server registers it. */
  photo(bytes) { return this.call.photo(bytes); }

  /** The ranges the core accepts for the design controls (`{ mid_frontal_height_mm: [min, max], … }`), asked of
   * the core once: they never change, and the zone tables read them for every row. */
  limits() {
    if (!this.limitsOnce) this.limitsOnce = JSON.parse(this.call({ op: 'limits' }));
    return this.limitsOnce;
  }

  /** A quick request answered at once (`design`, `photo`, `fit`): the parsed JSON answer. */
  geometry(op, caseToml, extra = {}) {
    return JSON.parse(this.call({ op, case: caseToml, ...extra }));
  }

  /**
   * Plans `caseToml` in a worker; `done({ partial, text, plan, arrays, planMs, stale } | { error })` is called
   * with session 1 first (`partial`), then with the whole plan (`text` is its plan.json). A request goes at once
   * to an idle worker, the last one used first (it keeps the design's geometry while only densities change);
   * when both are planning, to the one planning the older design. Every other worker planning an older design
   * is told to drop it at its next step. An answer for an older design that still arrives is drawn only while
   * nothing newer has been, marked `stale`.
   */
  plan(caseToml, done, t0 = performance.now()) {
    const req = { id: ++this.seq, caseToml, done, t0 };
    this.requests.set(req.id, req);
    const idle = this.workers.filter((w) => !w.busy);
    const w = idle.includes(this.last) ? this.last : idle[0] || this.workers.reduce((a, b) => (a.busy < b.busy ? a : b));
    for (const o of this.workers) if (o !== w && o.busy) o.worker.postMessage({ drop: true });
    w.busy = req.id;
    this.last = w;
    w.worker.postMessage({ id: req.id, caseToml, pigments: this.pigments || null });
  }

  /** The clinic's pigment keys: from now on a shade that is neither one of them nor a built-in pigment is
   * refused by the core, as the server refuses it. */
  setPigments(keys) { this.pigments = keys; }

  answer(data) {
    const req = this.requests.get(data.id);
    if (!req || data.id < this.drawn) return;
    const stale = data.id !== this.seq;
    if (!data.partial || data.error) {
      // Finished (or failed): this request and every older one are done with.
      for (const id of this.requests.keys()) if (id <= data.id) this.requests.delete(id);
    }
    this.drawn = data.id;
    req.done({ ...data, stale }, req);
  }
}
