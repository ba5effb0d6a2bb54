// Garg's hairline construction (Garg 2017) in the plane of a frontal photo, from the marked landmarks.
import { add, sub, mul, dot, dist, unit, circles, catmullRom } from './geometry.js';

/** The landmarks to mark, in order, with the guidance shown while marking. */
export const LANDMARKS = [
  ['glabella', 'Glabella (A)', 'the smooth point between the eyebrows'],
  ['canthus_right', 'Client’s right lateral canthus (E)', 'the outer corner of the client’s right eye (on your left in a frontal photo)'],
  ['canthus_left', 'Client’s left lateral canthus (E)', 'the outer corner of the client’s left eye (on your right)'],
  ['mid_frontal', 'Mid-frontal point (B)', 'where the hairline should meet the midline, usually 7–10 cm above the glabella'],
  ['frontotemporal_right', 'Client’s right frontotemporal point (C)', 'the corner where the front of the hairline turns back toward the temple (your left)'],
  ['frontotemporal_left', 'Client’s left frontotemporal point (C)', 'the same corner on the other side (your right)'],
];

/** Distance between the two lateral canthi in mm for an interpupillary distance (as follicle-core places them). */
export const canthalWidth = (ipd) => ipd + 26;

/**
 * The construction for marked points `m` (photo pixels) and the design `d` ({mid_frontal_height_mm,
 * recession_mm, style, irregularity}); `ipd` scales the photo. Returns the points, the curve, the scale and the
 * registration residuals (how far the marked C points lie from the construction, in mm).
 */
export function construct(m, d, ipd) {
  const er = m.canthus_right, el = m.canthus_left, a = m.glabella;
  const s = dist(er, el) / canthalWidth(ipd); // px per mm
  const u = unit(sub(el, er)); // toward the client's left (screen right)
  const v = [u[1], -u[0]]; // up the forehead
  const b = add(a, mul(v, d.mid_frontal_height_mm * s));
  const side = (e, sign) => {
    const pts = circles(b, 80 * s, e, 80 * s);
    if (!pts) return null;
    const c = pts.reduce((p, q) => (sign * dot(sub(q, a), u) > sign * dot(sub(p, a), u) ? q : p));
    const cr = add(c, mul(v, d.recession_mm * s));
    const dd = add(cr, mul(unit(sub(e, cr)), 50 * s));
    return { garg: c, c: cr, d: dd };
  };
  const r = side(er, -1), l = side(el, 1);
  if (!r || !l) return null;
  let through;
  const lift = (p, k) => add(p, mul(v, k * dot(sub(b, p), v)));
  if (d.style === 'juvenile') through = [r.d, r.c, lift(mid(r.c, b), 0.85), b, lift(mid(l.c, b), 0.85), l.c, l.d];
  else if (d.style === 'straight') through = [r.d, r.c, lift(mid(r.c, b), 1), b, lift(mid(l.c, b), 1), l.c, l.d];
  else through = [r.d, r.c, lift(mid(r.c, b), 0.55), b, lift(mid(l.c, b), 0.55), l.c, l.d];
  const smooth = catmullRom(through, 14);
  const amp = d.irregularity * 3 * s; // macro-irregularity ±(0–3) mm
  const curve = smooth.map((p, i) => add(p, mul(v, amp * Math.sin(i * 0.9) * Math.sin(i * 0.23 + 1))));
  const residual = (mk, side) => (mk ? dist(mk, side.c) / s : null);
  return {
    a, b, u, v, s, right: r, left: l, curve,
    residual: { right: residual(m.frontotemporal_right, r), left: residual(m.frontotemporal_left, l), midline: Math.abs(dot(sub(a, mid(er, el)), u)) / s },
  };
}

/** The mid-frontal height (mm) that puts B at photo point p. */
export const heightFor = (c, p) => dot(sub(p, c.a), c.v) / c.s;

/** The recession (mm) that puts C at photo point p, given the unreceded Garg point. */
export const recessionFor = (c, garg, p) => dot(sub(p, garg), c.v) / c.s;

function mid(p, q) { return mul(add(p, q), 0.5); }
