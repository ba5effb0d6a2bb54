// The consultation vocabulary (docs/intake-format.md) and the screening outcome in plain words.
export const CONDITIONS = [
  ['diabetes', 'Diabetes', { controlled: true }],
  ['heart-condition', 'Heart condition', { controlled: true }],
  ['bleeding-disorder', 'Bleeding disorder', {}],
  ['immune-suppression', 'Immune suppression', {}],
  ['keloid', 'Keloid tendency', {}],
  ['hypertrophic-scarring', 'Hypertrophic scarring', {}],
  ['active-infection', 'Active infection in the area', { in_area: true }],
  ['psoriasis', 'Psoriasis flare in the area', { in_area: true, activity: 'active' }],
  ['alopecia-areata', 'Alopecia areata (active)', { activity: 'active' }],
];

export const TREATMENTS = [
  ['anticoagulant', 'Anticoagulant (blood thinner)'],
  ['antiplatelet', 'Antiplatelet (e.g. aspirin)'],
  ['isotretinoin', 'Isotretinoin'],
  ['chemotherapy', 'Chemotherapy'],
  ['radiotherapy', 'Radiotherapy to the head'],
  ['laser-tattoo-removal', 'Laser removal on the scalp'],
  ['systemic-steroid', 'Systemic steroid'],
];

export const ALLERGIES = [
  ['nickel', 'Nickel'], ['chromium', 'Chromium'], ['tattoo-ink', 'Earlier tattoo ink reaction'],
  ['latex', 'Latex'], ['topical-anaesthetic', 'Topical anaesthetic'], ['antiseptic', 'Antiseptic'],
];

export const STAGES = {
  norwood: ['I', 'II', 'IIa', 'III', 'IIIa', 'III-vertex', 'IV', 'IVa', 'V', 'Va', 'VI', 'VII'],
  ludwig: ['I', 'II', 'III'],
};

/** Words for each screening outcome, and a style class. */
export const OUTCOMES = {
  'go': ['Go', 'Nothing in the consultation stands in the way of treatment.', 'ok'],
  'go-with-precautions': ['Go with precautions', 'Treatment can go ahead once the precautions below are taken.', 'warn'],
  'physician-clearance': ['Physician’s clearance needed', 'Do not treat until the client brings written clearance from their physician.', 'warn'],
  'defer-until': ['Deferred', 'Treatment must wait.', 'stop'],
  'not-suitable': ['Not suitable', 'Do not treat this client.', 'stop'],
};

/** The plain-words summary of a screening result. */
export function outcomeWords(screening) {
  const [label, text, tone] = OUTCOMES[screening.outcome] || [screening.outcome, '', 'warn'];
  let more = text;
  if (screening.outcome === 'defer-until') {
    more = screening.until ? `Treatment must wait until ${screening.until}${screening.open_ended ? ' at least (one date is not yet known)' : ''}.` : 'Treatment must wait until an event whose date is not yet known.';
  }
  return { label, text: more, tone };
}

/** Allergens of a pigment for an intake's allergies (mirrors follicle-clinic's label check). */
export function pigmentAllergens(pigment, allergies) {
  const norm = (s) => s.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
  const hits = [];
  for (const a of allergies || []) {
    if (a.kind === 'nickel' && pigment.contains_nickel) hits.push('nickel');
    else if (a.kind === 'chromium' && pigment.contains_chromium_vi) hits.push('chromium(VI)');
    else if (a.substance && norm(a.substance).length >= 3) {
      const s = norm(a.substance);
      const ing = (pigment.ingredients || []).find((i) => norm(i).includes(s));
      if (ing) hits.push(ing);
    }
  }
  return hits;
}
