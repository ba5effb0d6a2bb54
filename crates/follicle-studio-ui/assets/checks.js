// Checks a form makes before sending, in the same words the server would use: dates that cannot be in the
// future, and text lengths (the limits of follicle-clinic's text rules).
import { today } from './format.js';

/** Text limits, as on the server: references, names, free text. */
export const LIMITS = { reference: 64, name: 200, free: 2000 };

/** A sentence when `value` is too long or empty (when required), else null. */
export function checkText(label, value, max, required = false) {
  const v = (value || '').trim();
  if (required && !v) return `Please fill in ${label.toLowerCase()}.`;
  if ([...v].length > max) return `${label} is too long: at most ${max} characters (this one has ${[...v].length}).`;
  return null;
}

/** A sentence when the date is in the future (dates of birth, deliveries), else null. */
export function notFuture(label, value) {
  if (value && value > today()) return `${label} cannot be in the future (${value} is after today).`;
  return null;
}

/** The first problem of a list of checks, or null. */
export function firstProblem(...problems) {
  return problems.find(Boolean) || null;
}
