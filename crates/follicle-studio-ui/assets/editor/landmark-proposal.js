// Landmarks proposed automatically, offline: on a photo, find the face and propose the glabella, the outer
// eye corners and the brow points for the practitioner to confirm or drag. Runs in the browser with the
// face-api package (MIT, @vladmandic/face-api 1.7.15 from the npm registry, vendored under
// vendor/face-api with its tiny face detector and 68-point landmark weights), so nothing leaves the clinic
// and nothing is downloaded at run time. Perception only: where the marks go on the head and what is built
// from them stays in the planning core.
//
// The 68 points follow the iBUG 300-W convention (0-based): brows 17–21 (client's right, image left) and
// 22–26, nose bridge 27–30, eyes 36–41 (36 = outer corner of the client's right eye) and 42–47 (45 = outer
// corner of the left eye). The glabella, the smooth point between the brows, is proposed at the midpoint of
// the two inner brow ends (21, 22).

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

/**
 * Proposes landmarks on an image element (or canvas) in the image's own pixels.
 * Resolves to { ok: true, landmarks: { glabella, lateral_canthus_right, lateral_canthus_left,
 * brow_right_tail, brow_left_tail }, score, face: {x, y, width, height}, backend } or, when no face is
 * found, { ok: false, message } in words for the practitioner.
 */
export async function proposeLandmarks(image) {
  let faceapi;
  try {
    faceapi = await load();
  } catch (e) {
    return { ok: false, message: 'The face finder could not start on this device; please place the marks by hand.' };
  }
  const options = new faceapi.TinyFaceDetectorOptions({ inputSize: 416, scoreThreshold: 0.4 });
  const found = await faceapi.detectSingleFace(image, options).withFaceLandmarks();
  if (!found) {
    return {
      ok: false,
      message: 'No face was found on this photo. Place the glabella and the outer eye corners by hand, or use a photo that shows the face from the front.',
    };
  }
  const p = found.landmarks.positions;
  const box = found.detection.box;
  return {
    ok: true,
    backend: faceapi.tf.getBackend(),
    score: Math.round(found.detection.score * 1000) / 1000,
    face: { x: Math.round(box.x), y: Math.round(box.y), width: Math.round(box.width), height: Math.round(box.height) },
    landmarks: {
      glabella: pt(mid(p[21], p[22])),
      lateral_canthus_right: pt(p[36]),
      lateral_canthus_left: pt(p[45]),
      brow_right_tail: pt(p[17]),
      brow_left_tail: pt(p[26]),
    },
  };
}

/**
 * Proposes the face marks on an uploaded photo file and keeps them with the photo (as proposed). Resolves to
 * the sentence to show: what was proposed, or why nothing was (no face found) in words.
 */
export async function proposeOnUpload(file, photo, put) {
  const url = URL.createObjectURL(file);
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    const r = await proposeLandmarks(img);
    if (!r.ok) return { ok: false, message: r.message };
    const marks = {};
    for (const k of ['glabella', 'lateral_canthus_right', 'lateral_canthus_left']) marks[k] = [r.landmarks[k].x, r.landmarks[k].y];
    // Kept with the photo on the server as proposed (not yet confirmed), so every tablet shows them as such.
    await put(`/api/photos/${photo.id}/landmarks`, { landmarks: marks, proposed: Object.keys(marks) });
    return { ok: true, message: 'The face was found: the glabella and both outer eye corners are proposed. Check them and confirm or drag them in the design editor.' };
  } catch (err) {
    return { ok: false, message: `The face marks could not be proposed (${err.message}); place them by hand in the design editor.` };
  } finally {
    URL.revokeObjectURL(url);
  }
}
