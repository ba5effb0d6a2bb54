// Small 2D geometry: vectors, circle intersection, Catmull-Rom curves, point-in-polygon, a stable hash.
export const add = (a, b) => [a[0] + b[0], a[1] + b[1]];
export const sub = (a, b) => [a[0] - b[0], a[1] - b[1]];
export const mul = (a, k) => [a[0] * k, a[1] * k];
export const dot = (a, b) => a[0] * b[0] + a[1] * b[1];
export const len = (a) => Math.hypot(a[0], a[1]);
export const dist = (a, b) => len(sub(a, b));
export const unit = (a) => mul(a, 1 / (len(a) || 1));
export const clamp = (x, lo, hi) => Math.min(hi, Math.max(lo, x));

/** The two intersections of circles (c0, r0) and (c1, r1), or null when they do not meet. */
export function circles(c0, r0, c1, r1) {
  const d = dist(c0, c1);
  if (d > r0 + r1 || d < Math.abs(r0 - r1) || d === 0) return null;
  const a = (r0 * r0 - r1 * r1 + d * d) / (2 * d);
  const hh = Math.sqrt(Math.max(0, r0 * r0 - a * a));
  const u = unit(sub(c1, c0));
  const m = add(c0, mul(u, a));
  const n = [-u[1], u[0]];
  return [add(m, mul(n, hh)), sub(m, mul(n, hh))];
}

/** A Catmull-Rom curve through the points, `steps` samples per segment. */
export function catmullRom(pts, steps = 16) {
  if (pts.length < 3) return pts.slice();
  const out = [];
  for (let i = 0; i < pts.length - 1; i++) {
    const p0 = pts[Math.max(0, i - 1)], p1 = pts[i], p2 = pts[i + 1], p3 = pts[Math.min(pts.length - 1, i + 2)];
    for (let s = 0; s < steps; s++) {
      const t = s / steps, t2 = t * t, t3 = t2 * t;
      out.push([0, 1].map((k) => 0.5 * (2 * p1[k] + (-p0[k] + p2[k]) * t + (2 * p0[k] - 5 * p1[k] + 4 * p2[k] - p3[k]) * t2 + (-p0[k] + 3 * p1[k] - 3 * p2[k] + p3[k]) * t3)));
    }
  }
  out.push(pts[pts.length - 1]);
  return out;
}

/** Whether point p lies inside the polygon (even-odd rule). */
export function inside(p, poly) {
  let c = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const [xi, yi] = poly[i], [xj, yj] = poly[j];
    if ((yi > p[1]) !== (yj > p[1]) && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) c = !c;
  }
  return c;
}

/** A stable pseudo-random number in [0, 1) for an integer (used to thin impressions reproducibly). */
export function hash01(i) {
  let x = (i + 0x9e3779b9) | 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return ((x ^ (x >>> 16)) >>> 0) / 4294967296;
}

/** The y of a polyline (sorted or not) at x, by linear interpolation over the segment that spans x; null outside. */
export function yAt(poly, x) {
  let best = null;
  for (let i = 0; i < poly.length - 1; i++) {
    const [a, b] = [poly[i], poly[i + 1]];
    const lo = Math.min(a[0], b[0]), hi = Math.max(a[0], b[0]);
    if (x < lo || x > hi || hi === lo) continue;
    const y = a[1] + ((x - a[0]) / (b[0] - a[0])) * (b[1] - a[1]);
    if (best === null || y > best) best = y;
  }
  return best;
}
