// Formats numbers, dates and times for display; dates are ISO days (YYYY-MM-DD) as the API uses them.
export const num = (n, digits = 0) => Number(n).toLocaleString('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** Today as YYYY-MM-DD in local time. */
export function today() {
  if (clinicDay) {
    // The clinic's day as the server gave it, moved on by the browser's days passed since (a tablet left on
    // overnight): the date fields follow the clinic's clocks, not the browser's time zone (probe s7 L1).
    return addDays(clinicDay.day, Math.round((localMidnight(new Date()) - clinicDay.at) / 86400000));
  }
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

let clinicDay = null;
const localMidnight = (d) => Date.UTC(d.getFullYear(), d.getMonth(), d.getDate());

/** Remembers the clinic's day (YYYY-MM-DD, from /api/me) for [`today`]. */
export function setClinicToday(day) {
  clinicDay = /^\d{4}-\d{2}-\d{2}$/.test(day || '') ? { day, at: localMidnight(new Date()) } : null;
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

/** The viewing distances both previews offer (mm, words): one list, so the mannequin and the photo say the same
 * (probe s33: "Conversational (~150 cm)" on one, "Across the table (1 m)" on the other). */
export const VIEWING_DISTANCES = [['300', 'Close (30 cm)'], ['1000', 'Across the table (1 m)'], ['1500', 'In conversation (1.5 m)'], ['2000', 'Across the room (2 m)']];
