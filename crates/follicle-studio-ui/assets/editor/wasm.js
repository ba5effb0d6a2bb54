// Loads the planning core (follicle-wasm, compiled from the Rust workspace) and calls it: JSON in, text out through linear memory.
const URL_ = '/ui/editor/follicle.wasm';
const enc = new TextEncoder();
const dec = new TextDecoder();

/** Instantiates the embedded module; resolves to call(request) → answer text (throws the core's message). */
export async function load() {
  const res = await fetch(URL_);
  if (!res.ok) throw new Error(`the planning core could not be loaded (${res.status})`);
  const { instance } = await WebAssembly.instantiate(await res.arrayBuffer(), {});
  const e = instance.exports;
  return (request) => {
    const bytes = enc.encode(JSON.stringify(request));
    const p = e.fw_alloc(bytes.length);
    new Uint8Array(e.memory.buffer, p, bytes.length).set(bytes);
    const code = e.fw_call(p, bytes.length);
    e.fw_free(p, bytes.length);
    const text = dec.decode(new Uint8Array(e.memory.buffer, e.fw_result_ptr(), e.fw_result_len()));
    if (code !== 0) throw new Error(text);
    return text;
  };
}
