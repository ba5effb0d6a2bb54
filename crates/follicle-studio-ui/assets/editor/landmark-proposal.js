// Landmarks proposed automatically, offline: on a photo, find the face and propose the glabella, the outer
// eye corners and the brow points for the practitioner to confirm or drag. Runs in the browser with the
// face-api package (MIT, @vladmandic/face-api 1.7.15 from the npm registry, vendored under
// vendor/face-api with its tiny face detector and 68-point landmark weights), so nothing leaves the clinic
// and nothing is downloaded at run time. Perception only: where the marks go on the head and what is built
// from them stays in the planning core.
//
// The 68 points follow the iBUG 300-W convention (0-based): brows 17–21 (client's right, image left) and
// 22–26, nose bridge 27–30, eyes 36–41 (36 = outer corner of the client's right eye) and 42–47 (45 = outer
// corner of the left eye). The glabella, the smooth point between the brows, is proposed on the face's
// midline (the nose bridge 27–30 carried up) at the height of the inner brow ends (21, 22); on a head turned
// slightly the midpoint of the brow ends sits off that line.
//
// The network's points are not where a practitioner marks: on eight front photos hand-marked at 5–8× zoom
// (the real photo of ../shared/photos by its README, seven crops of dlib's bald_guys.jpg in session 34) its
// glabella sat 3.9 mm above the marked one, its right eye corner 2.6 mm above, its left eye corner 4.2 mm
// inside the lids' meeting point, every time (docs/studio-ui.md). FACE_MARK_OFFSETS moves each mark by that
// measured mean, in the face's own frame (along the line of the eye corners and across it, as shares of the
// canthal width), which brought the mean error from 4.4 / 2.8 / 4.3 mm to 2.6 / 1.6 / 2.0 mm (each photo's
// offsets fitted on the other seven).
//
// The landmark network sees only the detector's face box, and the tiny detector's box can sit off the face
// (on a clear frontal portrait it put an eye corner on the iris, 13–16 mm off). So the points are refined:
// the network runs again on a square around its own 68 points, until they stop moving (at most
// REFINE_PASSES times); a proposal that has not settled by then, or whose marks are not where a face has
// them (glabella between and above the eye corners), is said to be unsure.

const BASE = '/ui/vendor/face-api';
let loading = null;

/** Loads the library and the two models once (about 1.9 MB, all from this server). */
async function load() {
  if (!loading) {
    loading = (async () => {
      const faceapi = await import(`${BASE}/face-api.esm.js`);
      // WebGL where the device has it (tablets), otherwise the plain CPU backend.
      try {
        if (!(await faceapi.tf.setBackend('webgl'))) throw new Error('no WebGL');
      } catch {
        await faceapi.tf.setBackend('cpu');
      }
      await faceapi.tf.ready();
      await faceapi.nets.tinyFaceDetector.loadFromUri(`${BASE}/model`);
      await faceapi.nets.faceLandmark68Net.loadFromUri(`${BASE}/model`);
      return faceapi;
    })();
    loading.catch(() => { loading = null; });
  }
  return loading;
}

const mid = (a, b) => ({ x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 });
const pt = (p) => ({ x: Math.round(p.x * 10) / 10, y: Math.round(p.y * 10) / 10 });

/** How many times the landmark network runs again on a box around its own points. */
const REFINE_PASSES = 4;
/** Canthal width assumed to turn pixels into millimetres for the settling test (Farkas: ≈ 90 mm). */
const CANTHAL_MM = 90;
/** The points have settled when no face mark moves more than this between passes, mm. */
const SETTLED_MM = 1;

/** The face marks' offsets from the network's points, [along the eye-corner line (toward the client's
 * left eye), across it (downward)] as shares of the network's canthal width: the mean difference between the
 * network's points and the hand marks of eight front photos (session 34; see the top of this file). */
const FACE_MARK_OFFSETS = {
  glabella: [0, 0.043],
  lateral_canthus_right: [-0.008, 0.028],
  lateral_canthus_left: [0.046, 0.012],
};

/** The glabella, right and left outer eye corners proposed from 68 points: the glabella on the nose
 * bridge's line at the height of the inner brow ends, then every mark moved by FACE_MARK_OFFSETS. */
function calibratedFaceMarks(p) {
  const [r, l] = [p[36], p[45]];
  const cw = Math.hypot(l.x - r.x, l.y - r.y) || 1;
  const u = { x: (l.x - r.x) / cw, y: (l.y - r.y) / cw };
  const v = { x: -u.y, y: u.x }; // across the eye line, downward on an upright face
  const brows = mid(p[21], p[22]);
  // The nose bridge's direction (upward, 30 → 27), followed from 27 to where it is level with the brow ends.
  const [top, tip] = [p[27], p[30]];
  const dn = Math.hypot(top.x - tip.x, top.y - tip.y) || 1;
  const d = { x: (top.x - tip.x) / dn, y: (top.y - tip.y) / dn };
  const dv = d.x * v.x + d.y * v.y;
  const t = dv < -0.5 ? ((brows.x - top.x) * v.x + (brows.y - top.y) * v.y) / dv : null;
  const glabella = t === null ? brows : { x: top.x + t * d.x, y: top.y + t * d.y };
  const move = (q, [a, b]) => ({ x: q.x + (a * u.x + b * v.x) * cw, y: q.y + (a * u.y + b * v.y) * cw });
  return {
    glabella: move(glabella, FACE_MARK_OFFSETS.glabella),
    lateral_canthus_right: move(r, FACE_MARK_OFFSETS.lateral_canthus_right),
    lateral_canthus_left: move(l, FACE_MARK_OFFSETS.lateral_canthus_left),
  };
}

/** The 68 points of the landmark network run on a square crop `box` of `image`, in image pixels. */
async function pointsOn(faceapi, image, box) {
  const side = Math.max(16, Math.round(box.width));
  const c = document.createElement('canvas');
  c.width = side;
  c.height = side;
  c.getContext('2d').drawImage(image, box.x, box.y, box.width, box.height, 0, 0, side, side);
  const lm = await faceapi.detectFaceLandmarks(c);
  const s = box.width / side;
  return lm.positions.map((v) => ({ x: box.x + v.x * s, y: box.y + v.y * s }));
}

/** The square around `pts`, grown by a quarter (the margin the network was trained with). */
function around(pts) {
  const xs = pts.map((v) => v.x);
  const ys = pts.map((v) => v.y);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const side = Math.max(x1 - x0, y1 - y0) * 1.25;
  return { x: (x0 + x1 - side) / 2, y: (y0 + y1 - side) / 2, width: side, height: side };
}

/** The detector's tries, [input size, padding as a share of the photo's size on every side]: the tiny
 * detector's score jumps with its input size (a clear frontal portrait that fills its photo scored 0.27 at
 * 416 and 0.87 at 320; probe s24) and a face that fills the photo is found more surely with room around it.
 * The best detection is kept; a sure one ends the search. */
const TRIES = [[416, 0], [320, 0], [512, 0], [416, 0.25], [320, 0.25]];
/** The detector's least score for a face. */
const MIN_SCORE = 0.4;
/** A detection this sure ends the tries. */
const SURE_SCORE = 0.8;

/** The image on a grey canvas with `pad` of its size added on every side, and the shift of its pixels. */
function padded(image, pad) {
  const w = image.naturalWidth || image.width;
  const h = image.naturalHeight || image.height;
  if (!pad) return { canvas: image, dx: 0, dy: 0 };
  const dx = Math.round(w * pad);
  const dy = Math.round(h * pad);
  const c = document.createElement('canvas');
  c.width = w + 2 * dx;
  c.height = h + 2 * dy;
  const g = c.getContext('2d');
  g.fillStyle = '#808080';
  g.fillRect(0, 0, c.width, c.height);
  g.drawImage(image, dx, dy);
  return { canvas: c, dx, dy };
}

/**
 * The client's face as the detector finds it over its tries: { score, box, faces } in the image's pixels, or
 * null. With more than one face on a try, the largest is the client's (the one nearest the camera) and `faces`
 * says how many were found (probe s36: with two men on the photo the finder silently marked the smaller one).
 */
async function detect(faceapi, image) {
  let best = null;
  let faces = 0;
  for (const [inputSize, pad] of TRIES) {
    const { canvas, dx, dy } = padded(image, pad);
    const all = await faceapi.detectAllFaces(canvas, new faceapi.TinyFaceDetectorOptions({ inputSize, scoreThreshold: MIN_SCORE }));
    faces = Math.max(faces, all.length);
    const d = all.reduce((a, b) => (!a || b.box.width * b.box.height > a.box.width * a.box.height ? b : a), null);
    if (d && (!best || d.score > best.score)) {
      const b = d.box;
      best = { score: d.score, box: { x: b.x - dx, y: b.y - dy, width: b.width, height: b.height } };
    }
    if (best && best.score >= SURE_SCORE) break;
  }
  return best && { ...best, faces };
}

/** Words for a photo with more than one face: which one the marks are on. */
function otherFacesWords(found, width) {
  if (found.faces < 2) return null;
  const centre = (found.box.x + found.box.width / 2) / width;
  const where = centre < 0.4 ? 'on the left of the photo' : centre > 0.6 ? 'on the right of the photo' : 'in the middle of the photo';
  const n = found.faces === 2 ? 'Two faces were' : `${found.faces} faces were`;
  return `${n} found on this photo: the marks are proposed on the largest, ${where}. Make sure it is the client’s face.`;
}

/** The square around the detector's box, grown by a quarter, for the landmark network's first run. */
function squareAround(box) {
  const side = Math.max(box.width, box.height) * 1.25;
  return { x: box.x + box.width / 2 - side / 2, y: box.y + box.height / 2 - side / 2, width: side, height: side };
}

/** The face marks (glabella, outer eye corners) of 68 points. */
const faceMarks = (p) => [mid(p[21], p[22]), p[36], p[45]];

/** Runs the network again around its own points until the face marks stop moving. */
async function refine(faceapi, image, first) {
  let points = first;
  for (let pass = 0; pass < REFINE_PASSES; pass++) {
    const next = await pointsOn(faceapi, image, around(points));
    const pxPerMm = Math.hypot(next[45].x - next[36].x, next[45].y - next[36].y) / CANTHAL_MM;
    const moved = Math.max(...faceMarks(points).map((a, i) => {
      const b = faceMarks(next)[i];
      return Math.hypot(a.x - b.x, a.y - b.y);
    }));
    points = next;
    if (moved <= SETTLED_MM * pxPerMm) return { points, settled: true };
  }
  return { points, settled: false };
}

/** Whether the face marks sit where a face has them: the glabella above the line of the outer eye corners
 * and between them, the eye corners a plausible distance apart for the face box. */
function plausible(p) {
  const [g, r, l] = faceMarks(p);
  const ex = l.x - r.x;
  const ey = l.y - r.y;
  const len = Math.hypot(ex, ey);
  if (len < 1) return false;
  const along = ((g.x - r.x) * ex + (g.y - r.y) * ey) / (len * len);
  const above = ((g.x - r.x) * ey - (g.y - r.y) * ex) / len; // > 0: above the line (image y grows down)
  return along > 0.3 && along < 0.7 && above > 0.05 * len && above < 0.4 * len;
}

/**
 * Proposes landmarks on an image element (or canvas) in the image's own pixels.
 * Resolves to { ok: true, landmarks: { glabella, lateral_canthus_right, lateral_canthus_left,
 * brow_right_tail, brow_left_tail }, unsure, score, face: {x, y, width, height}, backend } or, when no face
 * is found, { ok: false, message } in words for the practitioner. `unsure`: the refined points did not settle
 * or are not where a face has them.
 */
export async function proposeLandmarks(image) {
  let faceapi;
  try {
    faceapi = await load();
  } catch (e) {
    return { ok: false, message: 'The face finder could not start on this device; please place the marks by hand.' };
  }
  const found = await detect(faceapi, image);
  if (!found) {
    return {
      ok: false,
      message: 'No face was found on this photo. Place the glabella and the outer eye corners by hand, or use a photo that shows the face from the front.',
    };
  }
  const first = await pointsOn(faceapi, image, squareAround(found.box));
  const { points: p, settled } = await refine(faceapi, image, first);
  const box = found.box;
  const unsure = !settled || !plausible(p);
  const marks = calibratedFaceMarks(p);
  return {
    ok: true,
    unsure,
    others: otherFacesWords(found, image.naturalWidth || image.width),
    backend: faceapi.tf.getBackend(),
    score: Math.round(found.score * 1000) / 1000,
    face: { x: Math.round(box.x), y: Math.round(box.y), width: Math.round(box.width), height: Math.round(box.height) },
    landmarks: {
      glabella: pt(marks.glabella),
      lateral_canthus_right: pt(marks.lateral_canthus_right),
      lateral_canthus_left: pt(marks.lateral_canthus_left),
      brow_right_tail: pt(p[17]),
      brow_left_tail: pt(p[26]),
    },
  };
}

/**
 * Proposes the face marks on an uploaded photo file and keeps them with the photo (as proposed). Resolves to
 * the sentence to show: what was proposed, or why nothing was (no face found) in words.
 */
export async function proposeOnUpload(file, photo, put, known = null) {
  try {
    const r = known || await proposeOnFile(file);
    if (!r.ok) return { ok: false, message: r.message };
    const marks = {};
    for (const k of ['glabella', 'lateral_canthus_right', 'lateral_canthus_left']) marks[k] = [r.landmarks[k].x, r.landmarks[k].y];
    // Kept with the photo on the server as proposed (not yet confirmed), so every tablet shows them as such.
    await put(`/api/photos/${photo.id}/landmarks`, { landmarks: marks, proposed: Object.keys(marks) });
    const others = r.others ? ` ${r.others}` : '';
    if (r.unsure) {
      return { ok: true, unsure: true, message: `A face was found, but the face finder is unsure of its marks: the glabella and both outer eye corners are proposed; check each one carefully and drag it into place in the design editor.${others}` };
    }
    return { ok: true, message: `The face was found: the glabella and both outer eye corners are proposed. Check them and confirm or drag them in the design editor.${others}` };
  } catch (err) {
    return { ok: false, message: `The face marks could not be proposed (${err.message}); place them by hand in the design editor.` };
  }
}

/** The image file decoded (its EXIF orientation applied, as the browser and the server show it). */
async function decodeFile(file) {
  const url = URL.createObjectURL(file);
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    return img;
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** `img` drawn turned clockwise by `deg` (90, 180 or 270) on a canvas. */
function turned(img, deg) {
  const [w, h] = [img.naturalWidth || img.width, img.naturalHeight || img.height];
  const c = document.createElement('canvas');
  [c.width, c.height] = deg === 180 ? [w, h] : [h, w];
  const g = c.getContext('2d');
  g.translate(c.width / 2, c.height / 2);
  g.rotate((deg * Math.PI) / 180);
  g.drawImage(img, -w / 2, -h / 2);
  return c;
}

/**
 * A front photo about to be uploaded, upright: when the face finder finds no face on it as it is (or is unsure
 * of the one it finds) but finds one clearly on it turned by 180°, 90° or 270° (a phone photo stored turned,
 * without an orientation tag: outside probe s34, "No face was found" and nothing more), the turned photo
 * (re-encoded, the same size) is what is kept. Resolves to { file, turned (degrees, 0 when kept as it is),
 * proposal (proposeLandmarks' answer on the file kept) }.
 */
export async function uprightFront(file) {
  const img = await decodeFile(file);
  const first = await proposeLandmarks(img);
  // A face found surely as it is stays; found unsurely (an upside-down face can be "found", its points not
  // where a face has them) or not at all, the turns are tried.
  if (first.ok && !first.unsure) return { file, turned: 0, proposal: first };
  let faceapi;
  try {
    faceapi = await load();
  } catch (_) {
    return { file, turned: 0, proposal: first };
  }
  for (const deg of [180, 90, 270]) {
    const c = turned(img, deg);
    // The detector alone first (a photo without a face costs three quick looks, not three proposals).
    if (!(await detect(faceapi, c))) continue;
    const r = await proposeLandmarks(c);
    if (r.ok && !r.unsure) {
      const type = file.type === 'image/png' ? 'image/png' : 'image/jpeg';
      const blob = await new Promise((done) => c.toBlob(done, type, 0.92));
      if (!blob) break;
      return { file: new File([blob], file.name, { type }), turned: deg, proposal: r };
    }
  }
  return { file, turned: 0, proposal: first };
}

/** Words for a photo turned upright by `deg` degrees clockwise before it was kept (in turns, not degrees: probe s36). */
export function turnedWords(deg) {
  const how = deg === 180 ? 'upside down' : 'lying on its side';
  const turn = deg === 180 ? 'half a turn' : deg === 90 ? 'a quarter turn to the right' : 'a quarter turn to the left';
  return `The photo showed the face ${how}: it was turned ${turn} so the face stands upright, and kept that way.`;
}

/** [`proposeLandmarks`] on an image file (a photo being uploaded). */
export async function proposeOnFile(file) {
  return proposeLandmarks(await decodeFile(file));
}
