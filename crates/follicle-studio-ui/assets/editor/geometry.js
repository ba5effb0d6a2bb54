// Screen geometry for drawing and hit-testing (no domain rule: positions come from the planning core).
export const sub = (a, b) => [a[0] - b[0], a[1] - b[1]];
export const len = (a) => Math.hypot(a[0], a[1]);
export const dist = (a, b) => len(sub(a, b));
