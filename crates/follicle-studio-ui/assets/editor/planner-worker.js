// Web worker that plans designs with the WebAssembly core off the page's thread, session by session: session 1
// first (a quick first picture), then the rest. Between two sessions it looks at its messages, and a newer design
// replaces the one being planned (only the newest edit is planned; a stale plan is dropped, never finished). The
// core keeps the design's geometry between plans while edits change only densities, needles or strengths. Each
// answer is the core's drawing of the plan (plan.json without its impressions, and the impressions as flat
// arrays), with the whole plan.json text once the plan is finished.
import { load } from './wasm.js';

const ready = load();
let newest = null; // the newest request not yet started: { id, caseToml }
let busy = false;

/** Lets queued messages in (a macrotask turn) so a newer design can replace the one being planned. */
const turn = () => new Promise((resolve) => {
  const ch = new MessageChannel();
  ch.port1.onmessage = () => resolve();
  ch.port2.postMessage(0);
});

/** Posts one answer: the plan as the core draws it (plan.json without its impressions, which come as flat
 * arrays: nothing parsed here); `text`: the whole plan.json, null for a partial answer (the first sessions). */
function answer(call, id, text, partial, planMs) {
  const plan = JSON.parse(call({ op: 'plan_drawing' }));
  delete plan.impressions;
  const { buffer, ...arrays } = call.drawing();
  self.postMessage({ id, partial, text, plan, arrays, planMs }, [buffer]);
}

/** Plans one request session by session; returns early (dropping it) when a newer request has arrived. */
async function plan(call, { id, caseToml, pigments }) {
  const t0 = performance.now();
  // The geometry (kept by the core while only densities change); `pigments`: the clinic's, for the shade check.
  call({ op: 'plan_start', case: caseToml, ...(pigments ? { pigments } : {}) });
  for (;;) {
    await turn();
    if (newest) return; // edited since: the newest design is planned instead
    const step = JSON.parse(call({ op: 'plan_step' }));
    if (step.done) {
      const text = call({ op: 'plan_finish' });
      answer(call, id, text, false, performance.now() - t0);
      return;
    }
    if (step.sessions_placed === 1) answer(call, id, null, true, performance.now() - t0);
  }
}

self.onmessage = async (ev) => {
  newest = ev.data;
  if (busy) return; // the running loop picks it up between two sessions
  busy = true;
  try {
    const call = await ready;
    while (newest) {
      const req = newest;
      newest = null;
      try {
        await plan(call, req);
      } catch (err) {
        self.postMessage({ id: req.id, error: err.message });
      }
    }
  } catch (err) {
    self.postMessage({ id: newest?.id, error: err.message });
    newest = null;
  } finally {
    busy = false;
  }
};
