// Web worker that plans designs with the WebAssembly core off the page's thread: session 1 first (a quick first picture), then the whole plan; each answer is plan.json plus flat arrays for drawing.
import { load } from './wasm.js';

const ready = load();

/** Plans and posts one answer; `first`: only the first sessions. */
function answer(call, id, caseToml, first) {
  const t0 = performance.now();
  const text = call(first ? { op: 'plan', case: caseToml, first_sessions: first } : { op: 'plan', case: caseToml });
  const planMs = performance.now() - t0;
  const plan = JSON.parse(text);
  const n = plan.impressions.length;
  const x = new Float32Array(n), y = new Float32Array(n), z = new Float32Array(n);
  const session = new Uint8Array(n), zone = new Uint16Array(n);
  const zoneIndex = new Map(plan.zones.map((zz, i) => [zz.id, i]));
  plan.impressions.forEach((im, i) => {
    x[i] = im.p[0]; y[i] = im.p[1]; z[i] = im.p[2];
    session[i] = im.session; zone[i] = zoneIndex.get(im.zone) ?? 0;
  });
  delete plan.impressions;
  self.postMessage({ id, partial: Boolean(first), text: first ? null : text, plan, arrays: { x, y, z, session, zone }, planMs },
    [x.buffer, y.buffer, z.buffer, session.buffer, zone.buffer]);
}

self.onmessage = async (ev) => {
  const { id, caseToml } = ev.data;
  try {
    const call = await ready;
    answer(call, id, caseToml, 1);
    answer(call, id, caseToml, 0);
  } catch (err) {
    self.postMessage({ id, error: err.message });
  }
};
