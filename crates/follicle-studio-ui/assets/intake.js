// The consultation form's choices and the screening outcomes in words, as follicle-clinic's vocabulary gives them
// (GET /api/consultation-form): the studio holds no list of conditions, treatments, allergies or outcomes of its
// own, so the form offers exactly what the screening rules read.
import { get } from './api.js';

let asked = null;

/**
 * The form's choices, asked for once per page load: `conditions` [[name, label, records]], `treatments`
 * [[name, label]], `allergies` [[kind, label]], `fitzpatrick`, `undertones`, `sensitivities`, `hairColours`, `sexes`,
 * `scarKinds` [[name, label]], `stages` {norwood, ludwig} and `outcomes` {outcome: {label, meaning, tone}}.
 */
export function consultationForm() {
  if (!asked) {
    asked = get('/api/consultation-form').then((f) => {
      const pairs = (list, key = 'name') => list.map((x) => [x[key], x.label]);
      return {
        conditions: f.conditions.map((c) => [c.name, c.label, c.records]),
        treatments: pairs(f.treatments),
        allergies: pairs(f.allergies, 'kind'),
        fitzpatrick: pairs(f.fitzpatrick),
        undertones: pairs(f.undertones),
        sensitivities: pairs(f.sensitivities),
        hairColours: pairs(f.hair_colours),
        sexes: pairs(f.sexes),
        scarKinds: pairs(f.scar_kinds),
        stages: f.stages,
        outcomes: f.outcomes,
      };
    }, (e) => { asked = null; throw e; });
  }
  return asked;
}

/** The plain-words summary of a screening result, with the form's outcome words. */
export function outcomeWords(screening, form) {
  const o = form.outcomes[screening.outcome] || { label: screening.outcome, meaning: '', tone: 'warn' };
  let more = o.meaning;
  if (screening.outcome === 'defer-until') {
    more = screening.until ? `Treatment must wait until ${screening.until}${screening.open_ended ? ' at least (one date is not yet known)' : ''}.` : 'Treatment must wait until an event whose date is not yet known.';
  }
  return { label: o.label, text: more, tone: o.tone };
}
