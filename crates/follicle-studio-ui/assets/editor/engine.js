// The editor's link to the planning core: quick geometry requests on the page's own WebAssembly instance, plans in a worker (newest design wins).
import { load } from './wasm.js';

export class Engine {
  /** Loads the core twice: here for landmarks, hairline and photo fits, and in a worker for plans. */
  static async start() {
    const e = new Engine();
    e.call = await load();
    e.worker = new Worker('/ui/editor/planner-worker.js', { type: 'module' });
    e.worker.onmessage = (ev) => e.answer(ev.data);
    e.worker.onerror = (ev) => e.answer({ id: e.seq, error: ev.message || 'the planner stopped' });
    e.seq = 0; // the newest request's id
    e.drawn = 0; // the newest id an answer was drawn for
    e.requests = new Map(); // id → request, until its whole plan arrives
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
   * Plans `caseToml` in the worker; `done({ partial, text, plan, arrays, planMs, stale } | { error })` is called
   * with session 1 first (`partial`), then with the whole plan (`text` is its plan.json). Every request goes to
   * the worker at once: it plans only the newest, dropping a plan whose design was edited since between two
   * sessions. An answer for an older design that still arrives is drawn only while nothing newer has been, marked
   * `stale`.
   */
  plan(caseToml, done, t0 = performance.now()) {
    const req = { id: ++this.seq, caseToml, done, t0 };
    this.requests.set(req.id, req);
    this.worker.postMessage({ id: req.id, caseToml, pigments: this.pigments || null });
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
