// Sessions section of a client record: held sessions, the physician's clearance the screening asks for, and the
// form to record a session (the server's gate decides and says why not; lot checked for expiry and allergies).
import { get, post } from '../api.js';
import { h, field, select, card, empty, errorBox, replace } from '../dom.js';
import { today, num } from '../format.js';

/** The lots for a session on `day`: [{number, label, expiry, problem}] from the server, whose check is the one a
 * session record gets (expired, or a label ingredient the client is allergic to; problem null when usable). */
function lotChoices(client, day) {
  return get(`/api/clients/${client.id}/lot-choices?day=${encodeURIComponent(day)}`).then((r) => r.lots);
}

export async function section(ctx, client, reload) {
  let sessions, consultations, plan;
  try {
    [sessions, consultations, plan] = await Promise.all([
      get(`/api/clients/${client.id}/sessions`), get(`/api/clients/${client.id}/consultations`),
      get(`/api/clients/${client.id}/session-plan`)]);
  } catch (e) { return card('Sessions', errorBox(e)); }
  // A zone as the plan names it in words (the server's, from follicle-clinic: "mid-scalp"), else as recorded.
  const zoneName = (id) => (plan && plan.zones ? plan.zones.find((z) => z.id === id)?.name : null) || id;
  const held = sessions.length
    ? h('table', { class: 'table' }, h('thead', {}, h('tr', {}, ['#', 'Date', 'Practitioner', 'Lot', 'Needle', 'Impressions', 'Zones'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, sessions.map((s) => h('tr', {}, h('td', {}, s.index, s.record.touch_up ? ' (touch-up)' : ''), h('td', {}, s.held_on), h('td', {}, s.record.practitioner),
        h('td', {}, s.record.lot), h('td', {}, `${s.record.needle.config} ${s.record.needle.diameter_mm} mm`), h('td', {}, num(s.record.impressions)), h('td', {}, s.record.zones.map(zoneName).join(', '))))))
    : empty('No session recorded yet.');
  if (!consultations.length) return card('Sessions', held, h('p', { class: 'muted' }, 'Record a consultation before the first session.'));

  const intake = JSON.parse(consultations[0].intake_json);
  const clearance = clearanceBlock(client, consultations[0], intake, reload);
  const next = sessions.length ? sessions[sessions.length - 1].index + 1 : 1;
  const date = h('input', { type: 'date', name: 'session_date', value: today(), required: true });
  const lotSel = h('select', { name: 'lot', required: true });
  const lotNote = h('small', { class: 'hint', id: 'lot-note' });
  // Asked again for each day typed; an answer for a day no longer in the box is dropped.
  const fillLots = async () => {
    const day = date.value;
    if (!day) return;
    let choices;
    try { choices = await lotChoices(client, day); } catch (e) { lotNote.textContent = e.message; return; }
    if (day !== date.value) return;
    const ok = choices.filter((c) => !c.problem);
    replace(lotSel, ok.length ? ok.map((c) => h('option', { value: c.number }, `${c.number} · ${c.label || c.pigment} · use by ${c.expiry}`))
      : h('option', { value: '' }, 'No usable lot'));
    const refused = choices.filter((c) => c.problem);
    lotNote.textContent = refused.length ? `Not offered: ${refused.map((c) => `${c.number} (${c.problem})`).join('; ')}.` : '';
  };
  date.addEventListener('change', fillLots);
  await fillLots();
  // Zones chosen from the plan's zones; impressions proposed by the server from the plan, at most what remains
  // (probe s8 L11). Without a plan, zones are typed.
  const planned = plan && plan.plan !== null;
  // No zone starts ticked: the record says what was worked, not what the plan hoped for (probe s33: all eight
  // were recorded when two were worked); each box says what the plan's session gives the zone.
  const zoneBoxes = planned ? plan.zones.map((z) => h('input', { type: 'checkbox', name: 'zone', value: z.id, id: `zone-${z.id}` })) : [];
  const zoneWords = (z) => `${z.name}${z.impressions ? ` · ${num(z.impressions)} planned` : ''}${z.strength ? ` at ${num(z.strength * 100)} %` : ''}`;
  const zoneInput = planned
    ? h('fieldset', { class: 'zones', id: 'session-zones' }, h('legend', {}, 'Zones worked'),
      plan.zones.map((z, i) => h('div', { class: 'check' }, zoneBoxes[i], h('label', { for: `zone-${z.id}` }, zoneWords(z)))))
    // Without a plan nothing is pre-filled either (outside test s55: "hairline, frontal, mid-scalp" stood in the
    // box for a Ludwig II client whose plan treats no hairline).
    : h('input', { name: 'zones', value: '', placeholder: 'e.g. frontal, mid-scalp (no plan is chosen yet: type the zones worked)', required: true });
  const chosenZones = () => (planned ? zoneBoxes.filter((b) => b.checked).map((b) => b.value)
    : zoneInput.value.split(',').map((z) => z.trim()).filter(Boolean));
  const needle = select('needle', [['1RL', '1RL (single point)'], ['3RL', '3RL (three points)']], '3RL');
  const diameter = h('input', { type: 'number', name: 'diameter', min: 0.15, max: 0.4, step: 0.01, value: 0.25, required: true });
  const dilPigment = h('input', { type: 'number', name: 'dil_pigment', min: 1, max: 10, value: 1, required: true });
  const dilWater = h('input', { type: 'number', name: 'dil_water', min: 0, max: 10, value: next === 1 ? 3 : 2, required: true });
  const impressions = h('input', { type: 'number', name: 'impressions', min: 0, value: '', required: true, ...(planned ? { max: plan.remaining } : {}) });
  const mixNote = h('small', { class: 'hint', id: 'mix-note' });
  // The zones ticked set the impressions (their planned counts added, at most what remains) and the mix (the
  // plan's strength for them, as the server's nearest pigment:water parts), until the practitioner types their own.
  let typedCount = false, typedMix = false;
  impressions.addEventListener('input', () => { typedCount = true; });
  for (const el of [dilPigment, dilWater]) el.addEventListener('input', () => { typedMix = true; });
  const followTicks = () => {
    const ticked = plan.zones.filter((z, i) => zoneBoxes[i].checked);
    const counts = ticked.map((z) => z.impressions).filter((n) => n !== null && n !== undefined);
    if (!typedCount) impressions.value = counts.length ? String(Math.min(plan.remaining, counts.reduce((a, b) => a + b, 0))) : '';
    const mixes = ticked.filter((z) => z.mix);
    const distinct = [...new Set(mixes.map((z) => `${z.mix.pigment}:${z.mix.water}`))];
    if (!typedMix && mixes.length) {
      // The zone with the most impressions sets the mix when the ticked zones differ.
      const main = mixes.reduce((a, z) => ((z.impressions || 0) > (a.impressions || 0) ? z : a));
      dilPigment.value = String(main.mix.pigment); dilWater.value = String(main.mix.water);
    }
    mixNote.textContent = distinct.length > 1
      ? `The plan mixes these zones differently: ${mixes.map((z) => `${z.name} ${z.mix.pigment}:${z.mix.water} (${num(z.strength * 100)} %)`).join(', ')}; enter the mix used most and note the others under Notes.`
      : mixes.length ? `The plan's strength for these zones: ${num(mixes[0].strength * 100)} % (${mixes[0].mix.pigment}:${mixes[0].mix.water} pigment:water).` : '';
  };
  if (planned) { zoneBoxes.forEach((b) => b.addEventListener('change', followTicks)); followTicks(); }
  const touchUp = h('input', { type: 'checkbox', id: 'touch-up', name: 'touch_up' });
  const aftercare = h('input', { type: 'checkbox', id: 'aftercare', name: 'aftercare', checked: true });
  const notes = h('input', { name: 'notes' });
  // The owner may go ahead despite a clearance or deferral gate, with a written reason (audited by the server).
  const owner = ctx.me.user.role === 'owner';
  const overrideReason = h('input', { name: 'override_reason', maxlength: 2000 });
  const status = h('div', { class: 'form-status' });
  const form = h('form', { class: 'grid-form', on: { submit: async (e) => {
    e.preventDefault();
    if (planned && !chosenZones().length) { replace(status, errorBox(new Error('Tick the zones worked in this session.'))); return; }
    const rec = {
      index: next, date: date.value, practitioner: ctx.me.user.display_name,
      zones: chosenZones(),
      needle: { config: needle.value, diameter_mm: Number(diameter.value) }, lot: lotSel.value,
      dilution: { pigment: Number(dilPigment.value), water: Number(dilWater.value) },
      impressions: Number(impressions.value), touch_up: touchUp.checked, aftercare_given: aftercare.checked,
    };
    if (notes.value.trim()) rec.notes = notes.value.trim();
    if (owner && overrideReason.value.trim()) rec.override = { reason: overrideReason.value.trim() };
    try {
      await post(`/api/clients/${client.id}/sessions`, rec);
      ctx.toast(`Session ${next} recorded.`);
      reload();
    } catch (err) { replace(status, errorBox(err)); }
  } } },
  field('Date', date), h('div', { class: 'field' }, h('label', { for: 'lot-select' }, 'Pigment lot'), Object.assign(lotSel, { id: 'lot-select' }), lotNote),
  planned ? zoneInput : field('Zones', zoneInput, 'Comma-separated.'), field('Needle', needle), field('Needle diameter (mm)', diameter),
  field('Dilution: pigment parts', dilPigment), h('div', { class: 'field' }, h('label', { for: 'dil-water' }, 'Dilution: water parts'), Object.assign(dilWater, { id: 'dil-water' }), mixNote),
  field('Impressions placed', impressions, planned ? `The plan has ${num(plan.remaining)} impressions left${plan.planned_session ? `; its session ${plan.planned_session} places ${num(plan.proposed)}` : ''}. Tick the zones worked: their planned impressions add up here.` : undefined),
  field('Notes', notes),
  owner ? field('Override the screening (owner): reason', overrideReason, 'Only when the screening holds treatment back and you decide to go ahead; stored in the audit log.') : null,
  h('div', { class: 'check' }, touchUp, h('label', { for: 'touch-up' }, 'Touch-up session')),
  h('div', { class: 'check' }, aftercare, h('label', { for: 'aftercare' }, 'Aftercare instructions given')),
  h('div', { class: 'actions' }, status, h('button', { class: 'primary', type: 'submit' }, `Record session ${next}`)));
  // A design chosen and not generated: the form follows another plan meanwhile, and says so (outside test s49).
  const unplanned = plan && plan.chosen_unplanned ? h('p', { class: 'notice', id: 'chosen-unplanned', role: 'status' }, plan.chosen_unplanned) : null;
  return card('Sessions', held, clearance, h('h3', {}, `Record session ${next}`), unplanned, form);
}

/** The physician's clearance: shown (with its uploaded letter) when recorded; a form to record it with the letter
 * (PDF or a scan/photo, sent as a multipart form) when the screening asks for one. */
function clearanceBlock(client, consultation, intake, reload) {
  if (intake.clearance) {
    const c = intake.clearance;
    const notice = h('p', { class: 'notice', id: 'clearance' }, `Clearance by ${c.by}, letter of ${c.date} (${c.letter}).`);
    get(`/api/clients/${client.id}/clearance-letters`).then((letters) => {
      if (letters.length) notice.append(' ', h('a', { href: `/api/clearance-letters/${letters[0].id}`, id: 'clearance-letter-link' }, `Open the letter (${letters[0].filename})`));
    }).catch(() => {});
    return notice;
  }
  if (consultation.outcome !== 'physician-clearance') return null;
  const by = h('input', { name: 'clearance_by', required: true, maxlength: 200 });
  const date = h('input', { type: 'date', name: 'clearance_date', value: today(), max: today(), required: true });
  const letter = h('input', { type: 'file', name: 'clearance_letter', accept: 'application/pdf,image/png,image/jpeg', required: true });
  const notes = h('input', { name: 'clearance_notes', maxlength: 2000 });
  const status = h('div', { class: 'form-status' });
  const form = h('form', { class: 'grid-form', id: 'clearance-form', on: { submit: async (e) => {
    e.preventDefault();
    const f = letter.files[0];
    if (!f) { replace(status, errorBox(new Error('Attach the physician’s letter.'))); return; }
    if (f.size > 5 * 1024 * 1024) { replace(status, errorBox(new Error('The letter is larger than 5 MB: scan it at a lower resolution.'))); return; }
    if (date.value > today()) { replace(status, errorBox(new Error('The letter cannot be dated in the future.'))); return; }
    const body = new FormData();
    body.append('by', by.value.trim());
    body.append('date', date.value);
    if (notes.value.trim()) body.append('notes', notes.value.trim());
    body.append('letter', f, f.name);
    try {
      // Recorded with the consultation (screened again) and the letter stored beside it, so the gate reads it.
      await post(`/api/clients/${client.id}/clearance`, body);
      reload();
    } catch (err) { replace(status, errorBox(err)); }
  } } },
  field('Physician', by, 'Who gave the clearance, e.g. “Dr. R. Shah, cardiologist”.'), field('Letter dated', date),
  field('Letter (PDF or photo)', letter, 'At most 5 MB.'), field('Conditions', notes, 'e.g. “INR below 3 on the day”.'),
  h('div', { class: 'actions' }, status, h('button', { type: 'submit' }, 'Record clearance')));
  return h('div', {}, h('h3', {}, 'Physician’s clearance'),
    h('p', { class: 'notice' }, 'The screening asks for a physician’s clearance: no session can be recorded until it is recorded here.'), form);
}
