// Consultation section of a client record: the intake form, the screening result in plain words, history, and
// the correction of the latest consultation (the whole intake, screened again; a reason is required and the
// previous version is kept in the record's history: PUT /api/consultations/{id}).
import { get, api, put } from '../api.js';
import { history as recordHistory } from './edit-record.js';
import { checkText, firstProblem } from '../checks.js';
import { h, field, select, card, empty, errorBox, replace } from '../dom.js';
import { today } from '../format.js';
import { consultationForm, outcomeWords } from '../intake.js';

/** The screening result as a panel. */
export function screeningPanel(screening, vocab) {
  const w = outcomeWords(screening, vocab);
  return h('div', { class: `outcome ${w.tone}`, role: 'status', dataset: { outcome: screening.outcome } },
    h('strong', { class: 'outcome-label' }, w.label), h('p', {}, w.text),
    screening.findings.length ? h('ul', {}, screening.findings.map((f) => h('li', {},
      h('span', { class: 'finding-reason' }, f.reason), ' ', h('span', { class: 'muted' }, f.detail),
      f.action ? h('div', { class: 'finding-action' }, `What to do: ${f.action}`) : null))) : null,
    h('small', { class: 'muted' }, `Screened for ${screening.on} with rule set ${screening.ruleset} v${screening.ruleset_version}.`));
}

export async function section(ctx, client, reload) {
  const history = h('div', {});
  let list = [];
  let vocab;
  try { [list, vocab] = await Promise.all([get(`/api/clients/${client.id}/consultations`), consultationForm()]); } catch (e) { return card('Consultation', errorBox(e)); }
  if (list.length === 0) history.append(empty('No consultation yet. Screening runs when you save one.'));
  else {
    history.append(screeningPanel(JSON.parse(list[0].screening_json), vocab));
    if (list.length > 1) history.append(h('details', {}, h('summary', {}, `Earlier consultations (${list.length - 1})`),
      h('ul', { class: 'plain' }, list.slice(1).map((c) => h('li', {}, `${c.held_on}: ${outcomeWords(JSON.parse(c.screening_json), vocab).label}`)))));
  }
  const latest = list[0] ? JSON.parse(list[0].intake_json) : null;
  return card('Consultation', history, list[0] ? form(ctx, vocab, client, latest, reload, list[0]) : null, form(ctx, vocab, client, latest, reload));
}

function checkbox(name, label, checked, idp = '') {
  const id = `${idp}cb-${name}`;
  return h('div', { class: 'check' }, h('input', { type: 'checkbox', id, name, checked: !!checked }), h('label', { for: id }, label));
}

/**
 * The intake form: a new consultation starting from the latest one's answers, or (`record` given) the correction
 * of that consultation: every answer as recorded, a required reason, and the record's history. A correction
 * keeps what the form does not show (e.g. a drug's name and dose, a transplant's date) from the recorded intake.
 */
function form(ctx, vocab, client, prev, reload, record = null) {
  const { conditions: CONDITIONS, treatments: TREATMENTS, allergies: ALLERGIES, stages: STAGES } = vocab;
  const idp = record ? `fix${record.id}-` : '';
  const has = (list, name) => (prev?.[list] || []).find((x) => x.name === name || x.kind === name);
  const date = h('input', { type: 'date', name: 'consultation_date', value: record ? record.held_on : today(), required: true });
  const practitioner = h('input', { name: 'practitioner', value: record ? prev.consultation.practitioner : ctx.me.user.display_name, required: true });
  const dob = h('input', { type: 'date', name: 'dob', value: client.date_of_birth || prev?.client?.date_of_birth || '' });
  // The head a new design starts on (outside test s55: only a Ludwig stage made it a woman's).
  const sex = select('sex', [['', 'not recorded'], ...vocab.sexes], prev?.client?.sex || '');
  const fitz = select('fitzpatrick', vocab.fitzpatrick, prev?.skin?.fitzpatrick || 'III');
  const undertone = select('undertone', vocab.undertones, prev?.skin?.undertone || 'neutral');
  const sensitivity = select('sensitivity', vocab.sensitivities, prev?.skin?.sensitivity || 'normal');
  const hairColour = select('hair-colour', [['', 'not recorded'], ...vocab.hairColours], prev?.hair?.colour || '');
  const hairNote = h('input', { name: 'hair-note', maxlength: 200, placeholder: 'e.g. salt and pepper at the temples', value: prev?.hair?.note || '' });
  const conditions = CONDITIONS.map(([name, label]) => checkbox(`cond-${name}`, label, has('conditions', name), idp));
  const treatments = TREATMENTS.map(([name, label]) => {
    const t = has('treatments', name);
    const last = h('input', { type: 'date', name: `treat-${name}-last`, value: t?.last || '', 'aria-label': `${label}: last dose or session` });
    const ongoing = h('input', { type: 'checkbox', id: `${idp}treat-${name}-ongoing`, name: `treat-${name}-ongoing`, checked: !!t?.ongoing, 'aria-label': `${label}: ongoing` });
    return h('div', { class: 'treatment' }, checkbox(`treat-${name}`, label, t, idp),
      h('div', { class: 'inline' }, ongoing, h('label', { for: ongoing.id }, 'ongoing'), h('span', { class: 'muted' }, 'or last'), last));
  });
  const allergies = ALLERGIES.map(([kind, label]) => checkbox(`allergy-${kind}`, label, has('allergies', kind), idp));
  const otherAllergy = h('input', { name: 'allergy-other', placeholder: 'e.g. isopropyl alcohol', value: (prev?.allergies || []).find((a) => a.kind === 'other')?.substance || '' });
  const pregnant = checkbox('pregnant', 'Pregnant', prev?.pregnancy?.pregnant, idp);
  const breastfeeding = checkbox('breastfeeding', 'Breastfeeding', prev?.pregnancy?.breastfeeding, idp);
  // The dates the screening defers to (probe s33: "due: date not recorded … record the date and screen again"
  // with no box to record it in).
  const dueDate = h('input', { type: 'date', name: 'due_date', value: prev?.pregnancy?.due_date || '' });
  const feedingUntil = h('input', { type: 'date', name: 'breastfeeding_until', value: prev?.pregnancy?.breastfeeding_until || '' });
  const sunburn = h('input', { type: 'date', name: 'sunburn', value: record ? prev.sunburn?.date || '' : '' });
  const reason = record ? h('textarea', { name: 'reason', rows: 2, maxLength: 2000, placeholder: 'Why, e.g. the client remembered a medication after the visit' }) : null;
  const past = record ? h('div', { class: 'history-list' }) : null;
  const scale = select('scale', [['', '—'], ['norwood', 'Norwood'], ['ludwig', 'Ludwig']], prev?.hair_loss?.scale || '');
  // The stages offered are the chosen scale's (the server's vocabulary): Ludwig I–III, Norwood I–VII (probe s33:
  // Ludwig offered Norwood's VII, then refused it).
  const stagesOf = (sc) => (sc ? STAGES[sc] || [] : [...new Set([...STAGES.norwood, ...STAGES.ludwig])]);
  const stage = select('stage', [['', '—'], ...stagesOf(scale.value).map((s) => [s, s])], prev?.hair_loss?.stage || '');
  scale.addEventListener('change', () => {
    const was = stage.value;
    const offered = stagesOf(scale.value);
    replace(stage, [['', '—'], ...offered.map((s) => [s, s])].map(([v, t]) => h('option', { value: v }, t)));
    stage.value = offered.includes(was) ? was : '';
  });
  const scarKind = select('scar', [['', 'none'], ...vocab.scarKinds], prev?.scars?.[0]?.kind || '');
  const notes = h('textarea', { name: 'notes', rows: 2 }, prev?.consultation?.notes || '');
  const status = h('div', { class: 'form-status' });

  const el = h('form', { class: 'consult', on: { submit: async (e) => {
    e.preventDefault();
    const f = e.target.elements;
    if (record) {
      const problem = firstProblem(checkText('The reason', reason.value, 2000, true));
      if (problem) { replace(status, errorBox(problem)); return; }
    }
    const intake = {
      format: 'follicle-intake', version: 1,
      client: { id: client.reference, name: client.name },
      consultation: { date: date.value, practitioner: practitioner.value.trim() },
      skin: { fitzpatrick: fitz.value, undertone: undertone.value, sensitivity: sensitivity.value },
    };
    if (dob.value) intake.client.date_of_birth = dob.value;
    if (sex.value) intake.client.sex = sex.value;
    if (client.email) intake.client.email = client.email;
    if (client.phone) intake.client.phone = client.phone;
    if (notes.value.trim()) intake.consultation.notes = notes.value.trim();
    // A correction keeps each recorded entry's details (a drug's name and dose, a condition's control) and the
    // entries the form has no box for.
    const kept = (list, key, known) => (record ? (prev[list] || []).filter((x) => !known.some(([n]) => n === x[key])) : []);
    intake.conditions = [...kept('conditions', 'name', CONDITIONS), ...CONDITIONS.filter(([n]) => f[`cond-${n}`].checked).map(([name, , extra]) => (record && has('conditions', name)) || { name, ...extra })];
    intake.treatments = [...kept('treatments', 'name', TREATMENTS), ...TREATMENTS.filter(([n]) => f[`treat-${n}`].checked).map(([name]) => {
      const t = { ...(record ? has('treatments', name) : null), name };
      delete t.ongoing; delete t.last;
      if (f[`treat-${name}-ongoing`].checked) t.ongoing = true;
      if (f[`treat-${name}-last`].value) t.last = f[`treat-${name}-last`].value;
      return t;
    })];
    intake.allergies = [...kept('allergies', 'kind', [...ALLERGIES, ['other']]), ...ALLERGIES.filter(([k]) => f[`allergy-${k}`].checked).map(([kind]) => ({ kind }))];
    if (otherAllergy.value.trim()) intake.allergies.push({ kind: 'other', substance: otherAllergy.value.trim() });
    if (f.pregnant.checked || f.breastfeeding.checked) {
      intake.pregnancy = { pregnant: f.pregnant.checked, breastfeeding: f.breastfeeding.checked };
      if (f.pregnant.checked && dueDate.value) intake.pregnancy.due_date = dueDate.value;
      if (f.breastfeeding.checked && feedingUntil.value) intake.pregnancy.breastfeeding_until = feedingUntil.value;
    }
    if (sunburn.value) intake.sunburn = { date: sunburn.value };
    if (scale.value && stage.value) intake.hair_loss = { scale: scale.value, stage: stage.value };
    if (scarKind.value) intake.scars = [{ ...(record ? prev.scars?.[0] : null), kind: scarKind.value }, ...(record ? (prev.scars || []).slice(1) : [])];
    if (hairColour.value) intake.hair = { colour: hairColour.value, ...(hairNote.value.trim() ? { note: hairNote.value.trim() } : {}) };
    for (const k of ['conditions', 'treatments', 'allergies']) if (!intake[k].length) delete intake[k];
    if (record) {
      // What the form does not ask (goals, a hair transplant, infections, fainting…) stays as recorded.
      for (const [k, v] of Object.entries(prev)) if (!(k in intake) && !['conditions', 'treatments', 'allergies', 'pregnancy', 'sunburn', 'hair_loss', 'scars', 'hair'].includes(k)) intake[k] = v;
      intake.consultation = { ...prev.consultation, ...intake.consultation };
      if (!notes.value.trim()) delete intake.consultation.notes;
      try {
        const r = await put(`/api/consultations/${record.id}`, { reason: reason.value.trim(), intake, revision: record.revision });
        ctx.toast(`Consultation corrected: ${outcomeWords(r.screening, vocab).label}.`);
        ctx.focusAfter = '.outcome';
        reload();
      } catch (err) { replace(status, errorBox(err)); }
      return;
    }
    try {
      const r = await api('POST', `/api/clients/${client.id}/consultations`, JSON.stringify(intake), { type: 'application/json' });
      ctx.toast(`Consultation saved: ${outcomeWords(r.screening, vocab).label}.`);
      ctx.focusAfter = '.outcome';
      reload();
    } catch (err) { replace(status, errorBox(err)); }
  } } },
  h('div', { class: 'grid-form' }, field('Consultation date', date), field('Practitioner', practitioner), field('Date of birth', dob),
    field('Sex (the head a design starts on)', sex), field('Fitzpatrick skin type', fitz), field('Undertone', undertone), field('Skin sensitivity', sensitivity),
    field('Hair colour', hairColour), field('Hair colour, in words', hairNote)),
  h('fieldset', {}, h('legend', {}, 'Medical conditions'), h('div', { class: 'checks' }, conditions)),
  h('fieldset', {}, h('legend', {}, 'Medication and treatments'), h('div', { class: 'treatments' }, treatments)),
  h('fieldset', {}, h('legend', {}, 'Allergies'), h('div', { class: 'checks' }, allergies), field('Other allergy (substance)', otherAllergy)),
  h('fieldset', {}, h('legend', {}, 'Other'), h('div', { class: 'grid-form' }, pregnant, field('Due date (when pregnant)', dueDate), breastfeeding, field('Breastfeeding until (expected)', feedingUntil), field('Sunburn on the scalp (day)', sunburn),
    field('Hair-loss scale', scale), field('Stage', stage), field('Scar in the area', scarKind))),
  field('Notes', notes),
  record ? field('Reason for the correction', reason, 'Required; kept with the previous version in the record’s history.') : null,
  h('div', { class: 'actions' }, status, h('button', { class: 'primary', type: 'submit' }, record ? 'Save correction and screen again' : 'Save consultation and screen')));
  if (record) {
    const panel = h('details', { class: 'consult-form correct', dataset: { entity: 'consultation', id: record.id } },
      h('summary', {}, `Correct the consultation of ${record.held_on}`), el, h('h4', {}, 'History'), past);
    panel.addEventListener('toggle', () => { if (panel.open) recordHistory('consultation', record.id, past); });
    return panel;
  }
  return h('details', { class: 'consult-form', open: !prev }, h('summary', {}, prev ? 'New consultation' : 'Record the consultation'), el);
}
