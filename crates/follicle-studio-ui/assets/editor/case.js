// Turns the editor's state into a case file (docs/case-format.md) and reads it back from a saved plan's case.
const MARK = '# follicle-studio-editor ';
const str = (s) => JSON.stringify(String(s));
const pts = (list) => `[${list.map((p) => `[${p.map((v) => Number(Number(v).toFixed(1))).join(', ')}]`).join(', ')}]`;

/** The editor state of an empty case file (docs/case-format.md's defaults, as the form shows them). */
export function defaults() {
  return {
    photoId: null, landmarks: {}, sex: 'male', ipd: null, breadth: null, pattern: 'norwood-6', sessions: 3, seed: 42,
    hairline: { mid_frontal_height_mm: 80, style: 'mature', edge: 'soft', irregularity: 0.5, recession_mm: 8, control_points: null },
    zones: {}, userZones: [], mode: 'move', previewSession: 99, colourBySession: true,
  };
}

/** What the editor saves: the state minus view settings. */
function saved(state) {
  const { mode, previewSession, colourBySession, ...rest } = state;
  return rest;
}

/** The case TOML for the state, with the editor state in a leading comment so the design can be reopened. */
export function toToml(state, clientName) {
  const out = [`${MARK}${JSON.stringify(saved(state))}`, `seed = ${state.seed}`, `sessions = ${state.sessions}`, `pattern = ${str(state.pattern)}`, ''];
  out.push('[client]', `name = ${str(clientName)}`, '');
  out.push('[head]', `sex = ${str(state.sex)}`);
  if (state.ipd !== null && state.ipd !== undefined && state.ipd !== '') out.push(`interpupillary_mm = ${Number(state.ipd)}`);
  if (state.breadth !== null && state.breadth !== undefined && state.breadth !== '') out.push(`breadth_mm = ${Number(state.breadth)}`);
  out.push('');
  const hl = state.hairline;
  out.push('[hairline]', `mid_frontal_height_mm = ${Number(hl.mid_frontal_height_mm)}`, `style = ${str(hl.style)}`, `edge = ${str(hl.edge)}`,
    `irregularity = ${Number(hl.irregularity)}`, `recession_mm = ${Number(hl.recession_mm)}`);
  if (hl.control_points) out.push(`control_points = ${pts(hl.control_points)}`);
  out.push('');
  for (const [id, z] of Object.entries(state.zones)) {
    const lines = zoneFields(z);
    if (lines.length) out.push(`[zones.${id}]`, ...lines, '');
  }
  for (const z of state.userZones) out.push('[[zone]]', `id = ${str(z.id)}`, `kind = ${str(z.kind)}`, `polygon = ${pts(z.polygon)}`, ...zoneFields(z), '');
  return out.join('\n');
}

function zoneFields(z) {
  const out = [];
  // Any number typed, 0 too (the core refuses it in words); a box left blank keeps the pattern's density.
  if (z.density_cm2 !== undefined && z.density_cm2 !== null && z.density_cm2 !== '') out.push(`density_cm2 = ${Number(z.density_cm2)}`);
  // A region the pattern keeps as the client's hair, treated in full (a Norwood III-vertex crown).
  if (z.treated === true) out.push('treated = true');
  if (z.needle) out.push(`needle = ${str(z.needle)}`);
  if (z.shade) out.push(`shade = ${str(z.shade)}`);
  // Strengths per session (1 = undiluted), always written as TOML floats.
  if (Array.isArray(z.dilution) && z.dilution.length) out.push(`dilution = [${z.dilution.map((v) => (Number.isInteger(Number(v)) ? Number(v).toFixed(1) : String(Number(v)))).join(', ')}]`);
  return out;
}

/** The editor state saved in a case file, or null when the case did not come from the editor. */
export function fromToml(text) {
  const line = (text || '').split('\n').find((l) => l.startsWith(MARK));
  if (!line) return null;
  try { return JSON.parse(line.slice(MARK.length)); } catch (_) { return null; }
}
