// Loads the planning core (follicle-wasm, compiled from the Rust workspace) and calls it: JSON in, text out through linear memory.
const URL_ = '/ui/editor/follicle.wasm';
const enc = new TextEncoder();
const dec = new TextDecoder();

/** Instantiates the embedded module; resolves to call(request) → answer text (throws the core's message), with call.photo(bytes). */
export async function load() {
  const res = await fetch(URL_);
  if (!res.ok) throw new Error(`the planning core could not be loaded (${res.status})`);
  const { instance } = await WebAssembly.instantiate(await res.arrayBuffer(), {});
  const e = instance.exports;
  /** Hands `bytes` to export `fn` through linear memory; the answer text (throws the core's message). */
  const send = (fn, bytes) => {
    const p = e.fw_alloc(bytes.length);
    new Uint8Array(e.memory.buffer, p, bytes.length).set(bytes);
    const code = fn(p, bytes.length);
    e.fw_free(p, bytes.length);
    const text = dec.decode(new Uint8Array(e.memory.buffer, e.fw_result_ptr(), e.fw_result_len()));
    if (code !== 0) throw new Error(text);
    return text;
  };
  const call = (request) => send(e.fw_call, enc.encode(JSON.stringify(request)));
  /** Shows the photo file's bytes (a Uint8Array) to the core, which registers it as the server does. */
  call.photo = (bytes) => JSON.parse(send(e.fw_photo, bytes));
  /** The impressions of the last `plan_drawing` answer as arrays `{ x, y, z, zone, session, facing }` over one copied
   * buffer (`buffer`, to transfer): follicle-wasm's `ops::drawing` lays them out. */
  call.drawing = () => {
    const p = e.fw_drawing_ptr();
    const buffer = e.memory.buffer.slice(p, p + e.fw_drawing_len());
    const n = new DataView(buffer).getUint32(0, true);
    return {
      buffer,
      x: new Float32Array(buffer, 4, n),
      y: new Float32Array(buffer, 4 + 4 * n, n),
      z: new Float32Array(buffer, 4 + 8 * n, n),
      zone: new Uint16Array(buffer, 4 + 12 * n, n),
      session: new Uint8Array(buffer, 4 + 14 * n, n),
      facing: new Uint8Array(buffer, 4 + 15 * n, n),
    };
  };
  return call;
}
