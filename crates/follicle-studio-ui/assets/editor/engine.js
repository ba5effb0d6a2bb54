// The editor's link to the planning core: quick geometry requests on the page's own WebAssembly instance, plans in a worker (newest design wins).
import { load } from './wasm.js';

export class Engine {
  /** Loads the core twice: here for landmarks, hairline and photo fits, and in a worker for plans. */
  static async start() {
    const e = new Engine();
    e.call = await load();
    e.worker = new Worker('/ui/editor/planner-worker.js', { type: 'module' });
    e.worker.onmessage = (ev) => e.answer(ev.data);
    e.worker.onerror = (ev) => e.answer({ id: e.running?.id, error: ev.message || 'the planner stopped' });
    e.seq = 0;
    e.running = null;
    e.queued = null;
    return e;
  }

  /** A quick request answered at once (`design`, `photo`, `fit`): the parsed JSON answer. */
  geometry(op, caseToml, extra = {}) {
    return JSON.parse(this.call({ op, case: caseToml, ...extra }));
  }

  /**
   * Plans `caseToml` in the worker; `done({ partial, text, plan, arrays, planMs, stale } | { error })` is called
   * with session 1 first (`partial`), then with the whole plan (`text` is its plan.json). A request made while
   * another runs waits, and a newer one replaces it; answers for a design edited since are marked `stale`.
   */
  plan(caseToml, done, t0 = performance.now()) {
    const req = { id: ++this.seq, caseToml, done, t0 };
    if (this.running) { this.queued = req; return; }
    this.send(req);
  }

  send(req) {
    this.running = req;
    this.worker.postMessage({ id: req.id, caseToml: req.caseToml });
  }

  answer(data) {
    const req = this.running;
    if (data.partial) {
      // The first sessions: drawn at once while the whole plan is computed.
      if (req && data.id === req.id) req.done({ ...data, stale: Boolean(this.queued) }, req);
      return;
    }
    this.running = null;
    const next = this.queued;
    this.queued = null;
    if (next) this.send(next);
    // Every answer is drawn; one whose design has been edited since is marked stale.
    if (req && data.id === req.id) req.done({ ...data, stale: Boolean(next) }, req);
  }
}
