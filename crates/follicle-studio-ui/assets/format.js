// Formats numbers, dates and times for display; dates are ISO days (YYYY-MM-DD) as the API uses them.
export const num = (n, digits = 0) => Number(n).toLocaleString('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** Today as YYYY-MM-DD in local time. */
export function today() {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** Adds days to a YYYY-MM-DD date. */
export function addDays(day, n) {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** A Unix time (seconds) as a local date and time. */
export const stamp = (unix) => new Date(unix * 1000).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });

/** Now as the API's UTC timestamp, YYYY-MM-DDTHH:MM:SSZ. */
export const utcNow = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

/** Hours with one decimal. */
export const hours = (h) => `${num(h, 1)} h`;
