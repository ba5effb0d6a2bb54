// Web worker that plans designs with the WebAssembly core off the page's thread and hands back plan.json plus flat arrays for drawing.
import { load } from './wasm.js';

const ready = load();

self.onmessage = async (ev) => {
  const { id, caseToml } = ev.data;
  try {
    const call = await ready;
    const t0 = performance.now();
    const text = call({ op: 'plan', case: caseToml });
    const t1 = performance.now();
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
    const arrays = { x, y, z, session, zone };
    self.postMessage({ id, text, plan, arrays, planMs: t1 - t0 }, [x.buffer, y.buffer, z.buffer, session.buffer, zone.buffer]);
  } catch (err) {
    self.postMessage({ id, error: err.message });
  }
};
