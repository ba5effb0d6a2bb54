// Talks to the studio's JSON API: sends the CSRF token on changes and turns the API's error shape into ApiError.
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

let csrf = '';
/** Remembers the CSRF token from login or /api/me. */
export function setCsrf(token) { csrf = token || ''; }

/** Listeners told when the API answers 401 (the session has ended). */
const onUnauthorized = new Set();
export function whenSignedOut(fn) { onUnauthorized.add(fn); }

/**
 * Calls the API. `body`: an object (sent as JSON), a Blob/File (sent raw with its type) or a string (with
 * opts.type). Returns parsed JSON, text, or a Blob when opts.as === 'blob'.
 */
export async function api(method, path, body, opts = {}) {
  const headers = {};
  if (method !== 'GET' && method !== 'HEAD') headers['X-CSRF-Token'] = csrf;
  let payload;
  if (body instanceof FormData) {
    payload = body; // the browser sets multipart/form-data with its boundary
  } else if (body instanceof Blob) {
    payload = body;
    headers['Content-Type'] = body.type || 'application/octet-stream';
  } else if (typeof body === 'string') {
    payload = body;
    headers['Content-Type'] = opts.type || 'text/plain';
  } else if (body !== undefined) {
    payload = JSON.stringify(body);
    headers['Content-Type'] = 'application/json';
  }
  let resp;
  try {
    resp = await fetch(path, { method, headers, body: payload, credentials: 'same-origin' });
  } catch (e) {
    throw new ApiError(0, 'network', 'The studio server cannot be reached. Check that it is running.');
  }
  if (!resp.ok) {
    let message = `${resp.status} ${resp.statusText}`;
    let code = 'error';
    try {
      const j = await resp.json();
      if (j && j.error) { message = j.error.message; code = j.error.code; }
    } catch (_) { /* not the API's JSON error shape */ }
    if (resp.status === 401 && !opts.quiet401) onUnauthorized.forEach((fn) => fn(message));
    throw new ApiError(resp.status, code, forPeople(resp.status, message));
  }
  if (resp.status === 204) return null;
  if (opts.as === 'blob') return resp.blob();
  const type = resp.headers.get('content-type') || '';
  return type.includes('json') ? resp.json() : resp.text();
}

/** Words that only a developer understands (SQL, serde, Rust types): such a message is replaced by a sentence. */
const TECHNICAL = /deserializ|constraint|sqlite|postgres|syntax error|at line \d+ column|`[a-z_]+`|\bnull\b|panicked|stack|\bi64\b|\bu32\b/i;

/** The message shown to people: the server's sentence, or a plain one when it reads like a developer's. */
export function forPeople(status, message) {
  if (message && !TECHNICAL.test(message) && !/^\d{3} /.test(message)) return message;
  if (status === 404) return 'That record could not be found. It may have been deleted.';
  if (status === 409) return 'This conflicts with a record already stored (for example, the same reference used twice).';
  if (status === 413) return 'That is too large to send.';
  if (status === 429) return 'Too many attempts. Please wait a moment and try again.';
  if (status >= 500) return 'The studio server had a problem. Please try again; if it keeps happening, tell the clinic’s owner.';
  return 'Some of the information could not be accepted. Please check the form and try again.';
}

export const get = (path, opts) => api('GET', path, undefined, opts);
export const post = (path, body, opts) => api('POST', path, body, opts);
export const put = (path, body, opts) => api('PUT', path, body, opts);
export const del = (path, body, opts) => api('DELETE', path, body, opts);
