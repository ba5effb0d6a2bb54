// Browser test (issue 13, points 3 and 4), on a tablet-sized touch screen: book an appointment and see the clash
// refused in plain words, book a proposed follow-up with one click, sign the consent with a finger on the pad
// (real touch input through Chromium's DevTools protocol, seen by the page as pointer events of type "touch"),
// get the signed PDF, and upload a physician's clearance letter. The owner enters the opening hours and the rooms;
// a booking outside the hours is refused in words and booked anyway with the owner's written reason; the consents
// list marks the consent signed on the tablet. Corrections with a reason and their history: a lot, a pigment's
// description and the whole consultation (screened again). A lunch break and a closed date entered on the
// premises card show on the day view, and a booking in the break is refused in words; a second break a day is
// added and removed in the form (mistakes caught before sending), and a two-week closure entered at once closes
// every day of its week view.
import fs from 'node:fs';
import { BASE, ARTEFACTS, launch, shot, check, setUp, addClient, result } from './lib.mjs';

const { context, page, problems, close } = await launch({ width: 1024, height: 1366 }, { hasTouch: true, isMobile: false });
const out = {};
try {
  await setUp(page, { clinic: 'Harbour SMP Studio', name: 'Ana Ruiz', username: 'ana', password: 'correct horse battery' });
  await addClient(page, { name: 'Jonas Weber', reference: 'c-2025-021', dob: '1985-06-18' });
  const jonas = page.url().match(/clients\/(\d+)/)[1];
  await page.getByRole('button', { name: 'Save consultation and screen' }).click();
  await page.locator('.outcome').waitFor();

  // The owner enters the opening hours (every day 09:00–17:00) and the rooms.
  await page.goto(`${BASE}/#/users`);
  const hoursForm = page.locator('#hours-form');
  await hoursForm.waitFor();
  for (let d = 0; d < 7; d++) await hoursForm.locator(`[name=open-${d}]`).check();
  await hoursForm.getByRole('button', { name: 'Save opening hours' }).click();
  await page.getByText('Bookings outside these hours are refused').waitFor();
  for (const name of ['Room 1', 'Room 2']) {
    await page.locator('#room-form [name=new_room]').fill(name);
    await page.locator('#room-form').getByRole('button', { name: 'Add room' }).click();
    await page.locator(`#rooms li[data-room="${name}"]`).waitFor();
  }
  await shot(page, 'clinic-day-premises', { fullPage: true });

  // Book from the appointments page; the clinic's "today" comes from the server.
  const today = await page.evaluate(async () => (await (await fetch('/api/appointments')).json()).today);
  const day = new Date(`${today}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() + 3);
  const date = day.toISOString().slice(0, 10);
  await page.goto(`${BASE}/#/appointments?view=day&client=${jonas}`);
  await page.getByRole('heading', { name: 'Book an appointment' }).waitFor();
  const form = page.locator('#booking-form');
  await form.locator('[name=date]').fill(date);
  await form.locator('[name=time]').fill('10:00');
  await form.locator('[name=minutes]').fill('60');
  await form.locator('[name=room]').selectOption('Room 1');
  await form.getByRole('button', { name: 'Book' }).click();
  await page.locator('li.appointment').filter({ hasText: '10:00–11:00' }).waitFor();
  check(/Jonas Weber/.test(await page.locator('li.appointment').first().textContent()), 'the day view shows the booking');
  out.day_hours = (await page.locator('.day-col .hours').first().textContent()).trim();
  check(out.day_hours === 'Open 09:00–17:00', `the day view shows the opening hours (got ${out.day_hours})`);
  await shot(page, 'clinic-day-booked', { fullPage: true });

  // The same practitioner at an overlapping time: refused, in words a receptionist understands.
  await form.locator('[name=date]').fill(date);
  await form.locator('[name=time]').fill('10:30');
  await form.locator('[name=room]').selectOption('Room 2');
  await form.getByRole('button', { name: 'Book' }).click();
  const clash = page.locator('#booking-status [role=alert]');
  await clash.waitFor();
  out.conflict_message = (await clash.textContent()).trim();
  check(out.conflict_message === `The practitioner Ana Ruiz is already booked from 10:00 to 11:00 on ${date}. Choose another time or another practitioner.`, `the clash is explained (got: ${out.conflict_message})`);
  await shot(page, 'clinic-day-conflict', { fullPage: true });

  // The day view follows the day typed into the form (probe s30: it stayed on today beside a refused booking):
  // typing the next day shows that day, and back again the day with the clash.
  const nextDay = new Date(`${date}T00:00:00Z`);
  nextDay.setUTCDate(nextDay.getUTCDate() + 1);
  await form.locator('[name=date]').fill(nextDay.toISOString().slice(0, 10));
  await page.locator('#calendar-card h2', { hasText: nextDay.toISOString().slice(0, 10) }).waitFor();
  await form.locator('[name=date]').fill(date);
  await page.locator('#calendar-card h2', { hasText: date }).waitFor();
  await page.locator('#calendar-card li.appointment').filter({ hasText: '10:00–11:00' }).waitFor();
  check(page.url().includes(`from=${date}`), `the address follows the day shown (${page.url()})`);

  // The week view holds it too.
  await page.getByRole('button', { name: 'Week' }).click();
  await page.getByRole('heading', { name: /^Week of / }).waitFor();
  check(await page.locator('li.appointment').count() === 1, 'one booking in the week');

  // Outside the opening hours: refused in words; the owner books anyway with a written reason, shown on the booking.
  // The form of the page being left is marked: filling it before the new page replaces it would be lost.
  await page.evaluate(() => document.querySelector('#booking-form')?.setAttribute('data-left', 'true'));
  await page.goto(`${BASE}/#/appointments?view=day&from=${date}&client=${jonas}`);
  await page.waitForFunction(() => { const f = document.querySelector('#booking-form'); return f && !f.dataset.left; }, null, { timeout: 60000 });
  await clash.waitFor({ state: 'detached' });
  await form.locator('[name=date]').fill(date);
  await form.locator('[name=time]').fill('16:30');
  await form.locator('[name=minutes]').fill('60');
  await form.locator('[name=room]').selectOption('Room 2');
  await form.getByRole('button', { name: 'Book' }).click();
  await page.locator('#booking-status [role=alert]', { hasText: 'The clinic is open' }).waitFor();
  out.hours_message = (await clash.textContent()).trim();
  check(out.hours_message.startsWith('The clinic is open from 09:00 to 17:00 on ') && out.hours_message.includes('from 16:30 to 17:30'), `outside the hours is explained (got: ${out.hours_message})`);
  await page.locator('#override-box').waitFor();
  await form.locator('[name=override_reason]').fill('Client works late; agreed to stay after closing');
  await form.getByRole('button', { name: 'Book' }).click();
  const late = page.locator('li.appointment').filter({ hasText: '16:30–17:30' });
  await late.waitFor();
  out.override_note = (await late.locator('.override-note').textContent()).trim();
  check(/Owner override/.test(out.override_note) && /stay after closing/.test(out.override_note), `the override is shown (got: ${out.override_note})`);
  await shot(page, 'clinic-day-override', { fullPage: true });

  // Moving a booking can give it another practitioner and room (probe s7 N2: a practitioner who leaves
  // strands bookings that the studio could not reassign).
  await page.evaluate(async () => {
    const { post } = await import('/ui/api.js');
    await post('/api/users', { username: 'ben', display_name: 'Ben Okafor', role: 'practitioner', password: 'a long practitioner password 4' });
  });
  await page.goto(`${BASE}/#/appointments?view=day&from=${date}&client=${jonas}`);
  await page.reload();
  const first = page.locator('li.appointment').filter({ hasText: '10:00–11:00' });
  await first.locator('summary').click();
  const whoSel = first.locator('select[aria-label=Practitioner]');
  const other = await whoSel.evaluate((s) => [...s.options].find((o) => !/Ana Ruiz/.test(o.textContent))?.value);
  check(Boolean(other), `another practitioner is offered in the move form (got: ${await whoSel.evaluate((s) => [...s.options].map((o) => o.textContent).join(' | '))})`);
  await whoSel.selectOption(other);
  await first.locator('select[aria-label=Room]').selectOption('Room 2');
  await first.getByRole('button', { name: 'Move' }).click();
  const moved = page.locator('li.appointment').filter({ hasText: '10:00–11:00' }).filter({ hasText: 'Ben Okafor · Room 2' });
  await moved.waitFor();
  out.moved = (await moved.textContent()).trim();
  check(/Ben Okafor · Room 2/.test(out.moved), `the booking has its new practitioner and room (got: ${out.moved})`);

  // The client record: the proposed follow-ups, one booked with one click.
  await page.goto(`${BASE}/#/clients/${jonas}`);
  await page.locator('#proposals').waitFor();
  // The sessions booked above with the ordinary form already stand for the first visits (probe s7 N12): they
  // are marked booked, and the first visit still open is booked with one click.
  out.booked_by_hand = await page.locator('#proposals tbody tr', { hasText: 'Booked' }).count();
  check(out.booked_by_hand >= 1, `the sessions booked by hand count as proposed visits (got ${out.booked_by_hand})`);
  const openRow = page.locator('#proposals tbody tr').filter({ has: page.locator('button') }).first();
  const bookFirst = openRow.locator('button');
  out.one_click_label = await bookFirst.textContent();
  const purpose = (await openRow.locator('td').first().textContent()).trim();
  await bookFirst.click();
  await page.locator('#proposals tbody tr', { hasText: 'Booked' }).nth(out.booked_by_hand).waitFor();
  check(new RegExp(purpose).test(await page.locator('#client-appointments').textContent()), `the proposed visit is booked (${purpose})`);

  // Consent on the tablet: handed to the client (probe s8 N3), the whole text, signed with a finger.
  await page.locator('#sign-on-tablet').click();
  await page.locator('#hand-over').click();
  await page.locator('#signing-screen').waitFor();
  check(await page.locator('#top').isHidden(), 'the handed-over tablet shows no navigation');
  // The client types another record's address: the signing screen stays, and the API refuses the record.
  const signingUrl = page.url();
  await page.goto(`${BASE}/#/clients`);
  await page.locator('#signing-screen').waitFor();
  check(page.url() === signingUrl, `the tablet stays on the signing screen (got ${page.url()})`);
  const refused = await page.evaluate(async () => (await fetch('/api/clients')).status);
  check(refused === 403, `the API refuses other records while the tablet is handed over (got ${refused})`);
  out.handed_over_refusal = refused;
  await page.reload();
  await page.locator('#signing-screen').waitFor();
  check(await page.locator('#top').isHidden(), 'a reload keeps the signing screen without navigation');
  await page.locator('#consent-text').waitFor();
  const text = await page.locator('#consent-text').textContent();
  check(text.includes('I confirm that I am 18 years of age or older'), 'the full consent text is shown');
  await page.evaluate(() => {
    window.__pointerTypes = [];
    document.getElementById('signature-pad').addEventListener('pointermove', (e) => window.__pointerTypes.push(e.pointerType));
  });
  const box = await page.locator('#signature-pad').boundingBox();
  const cdp = await context.newCDPSession(page);
  const stroke = async (points) => {
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [points[0]] });
    for (const p of points.slice(1)) await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [p] });
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  };
  await stroke(Array.from({ length: 40 }, (_, i) => ({ x: box.x + 30 + i * (box.width - 60) / 39, y: box.y + box.height / 2 + Math.sin(i / 3) * box.height / 4 })));
  await stroke(Array.from({ length: 10 }, (_, i) => ({ x: box.x + box.width * 0.6 + i * 8, y: box.y + box.height * 0.8 })));
  const types = await page.evaluate(() => window.__pointerTypes);
  out.pointer_events = types.length;
  check(types.length > 20 && types.every((t) => t === 'touch'), `the pad saw touch pointer events (got ${types.length}: ${[...new Set(types)].join(',')})`);
  await shot(page, 'clinic-day-signature');
  await page.locator('#sign-consent').click();
  // Signed: locked on "hand the tablet back" until the staff's password.
  await page.locator('#hand-back').waitFor();
  await shot(page, 'clinic-day-hand-back');
  await page.locator('#staff-password').fill('not my password');
  await page.getByRole('button', { name: 'Unlock' }).click();
  await page.locator('#unlock-status [role="alert"]').waitFor();
  out.wrong_unlock = (await page.locator('#unlock-status').textContent()).trim();
  check(await page.locator('#hand-back').isVisible(), 'a wrong password leaves the tablet locked');
  await page.locator('#staff-password').fill('correct horse battery');
  await page.getByRole('button', { name: 'Unlock' }).click();
  await page.locator('ul.consents li .drawn a').first().waitFor();
  check(await page.locator('#top').isVisible(), 'taken back: the navigation is back');
  const pdfUrl = await page.locator('ul.consents li .drawn a').first().getAttribute('href');
  const pdf = await page.evaluate(async (url) => {
    const r = await fetch(url);
    const b = new Uint8Array(await r.arrayBuffer());
    return { status: r.status, type: r.headers.get('content-type'), bytes: Array.from(b) };
  }, pdfUrl);
  check(pdf.status === 200 && pdf.type === 'application/pdf', `the signed PDF downloads (${pdf.status} ${pdf.type})`);
  fs.writeFileSync(`${ARTEFACTS}/signed-consent.pdf`, Buffer.from(pdf.bytes));
  out.signed_pdf_bytes = pdf.bytes.length;

  // The consents list on the client record marks the drawn signature and links its PDF.
  await page.goto(`${BASE}/#/clients/${jonas}`);
  const drawn = page.locator('ul.consents li .drawn').first();
  await drawn.waitFor();
  out.consent_badge = (await drawn.textContent()).trim();
  check(/Signed on the tablet/.test(out.consent_badge) && /by Jonas Weber, witness Ana Ruiz/.test(out.consent_badge), `the drawn signature is marked (got: ${out.consent_badge})`);
  check((await drawn.locator('a').getAttribute('href')) === pdfUrl, 'the list links the signed PDF');

  // A client whose screening asks for a physician's clearance: upload the letter.
  await addClient(page, { name: 'Margaret O’Neill', reference: 'c-2025-030', dob: '1961-02-27' });
  await page.getByLabel('Diabetes').check();
  await page.getByRole('button', { name: 'Save consultation and screen' }).click();
  await page.locator('#clearance-form').waitFor();
  await page.getByLabel('Physician', { exact: true }).fill('Dr. R. Shah, cardiologist');
  await page.getByLabel('Letter (PDF or photo)').setInputFiles({ name: 'letter-shah.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\nxref\n0 3\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \ntrailer<</Size 3/Root 1 0 R>>\nstartxref\n96\n%%EOF\n') });
  await page.getByRole('button', { name: 'Record clearance' }).click();
  await page.locator('#clearance-letter-link').waitFor();
  check(/letter-shah\.pdf/.test(await page.locator('#clearance').textContent()), 'the clearance names the uploaded letter');
  const letter = await page.evaluate(async (href) => { const r = await fetch(href); return { status: r.status, text: await r.text() }; }, await page.locator('#clearance-letter-link').getAttribute('href'));
  check(letter.status === 200 && letter.text.startsWith('%PDF-1.4'), 'the uploaded letter comes back');
  await shot(page, 'clinic-day-clearance', { fullPage: true });

  // A lot corrected with a written reason; its history shows the correction (issue 13, edit with a reason).
  await page.evaluate(async () => {
    const { post } = await import('/ui/api.js');
    await post('/api/pigments', { id: 'nocturne-1', brand: 'Nocturne', name: 'SMP Carbon 1', supplier: 'Nocturne Pigments B.V., Amsterdam', statement: 'Mixture for use in tattoos or permanent make-up',
      ingredients: ['Aqua (CAS 7732-18-5)', 'CI 77266 Carbon black (CAS 1333-86-4)'], ph_regulators: [], contains_nickel: false, contains_chromium_vi: false, safety_instructions: ['For professional use only.'] });
    await post('/api/lots', { pigment: 'nocturne-1', number: 'NC1-2502-041', expiry: '2031-02-28' });
  });
  await page.goto(`${BASE}/#/lots`);
  let panel = page.locator('details.correct[data-entity=lot]').first();
  await panel.locator('summary').click();
  await panel.getByLabel('Corrected use-by date').fill('2031-01-31');
  await panel.getByRole('button', { name: 'Save correction' }).click();
  await panel.locator('.error').waitFor();
  out.correction_without_reason = (await panel.locator('.error').textContent()).trim();
  check(/reason/i.test(out.correction_without_reason), `a correction needs a reason (got: ${out.correction_without_reason})`);
  await panel.getByLabel('Reason for the correction').fill('Typing error on the delivery note');
  await panel.getByRole('button', { name: 'Save correction' }).click();
  await page.getByRole('cell', { name: '2031-01-31' }).waitFor();
  panel = page.locator('details.correct[data-entity=lot]').first();
  await panel.locator('summary').click();
  await panel.locator('.history li', { hasText: 'update' }).waitFor();
  out.lot_history = (await panel.locator('.history').textContent()).trim();
  check(/Typing error on the delivery note/.test(out.lot_history) && /Ana Ruiz/.test(out.lot_history), `the history shows the correction (got: ${out.lot_history})`);
  await shot(page, 'clinic-day-lot-correction', { fullPage: true });

  // A pigment's description corrected with a reason; its history shows who and why.
  await page.goto(`${BASE}/#/lots`);
  let pig = page.locator('details.correct[data-entity=pigment]').first();
  await pig.locator('summary').click();
  await pig.getByLabel('Supplier').fill('Nocturne Pigments B.V., Keizersgracht 1, Amsterdam');
  await pig.getByLabel('Label says it contains nickel').check();
  await pig.getByRole('button', { name: 'Save correction' }).click();
  await pig.locator('.error').waitFor();
  check(/reason/i.test(await pig.locator('.error').textContent()), 'a pigment correction needs a reason');
  await pig.getByLabel('Reason for the correction').fill('Supplier address and nickel statement from the new label');
  await pig.getByRole('button', { name: 'Save correction' }).click();
  await page.locator('ul.pigments .badge.warn', { hasText: 'contains nickel' }).waitFor();
  pig = page.locator('details.correct[data-entity=pigment]').first();
  await pig.locator('summary').click();
  await pig.locator('.history li', { hasText: 'update' }).waitFor();
  out.pigment_history = (await pig.locator('.history').textContent()).trim();
  check(/new label/.test(out.pigment_history) && /Ana Ruiz/.test(out.pigment_history), `the pigment's history shows the correction (got: ${out.pigment_history})`);
  check((await pig.getByLabel('Supplier').inputValue()).includes('Keizersgracht'), 'the corrected description is shown');
  await shot(page, 'clinic-day-pigment-correction', { fullPage: true });

  // A lunch break every day and a closed date, entered on the premises card; the day view shows them and a
  // booking in the break is refused in words.
  await page.goto(`${BASE}/#/users`);
  await hoursForm.waitFor();
  for (let d = 0; d < 7; d++) {
    await hoursForm.locator(`[name=break-starts-${d}]`).fill('13:00');
    await hoursForm.locator(`[name=break-ends-${d}]`).fill('14:00');
  }
  await hoursForm.getByRole('button', { name: 'Save opening hours' }).click();
  await page.getByText('Opening hours saved.').waitFor();
  await page.getByText('and so are bookings in a break').waitFor();
  // Saving re-renders the card from the server; read it afresh so the next form is the one on screen (typing
  // into the card about to be replaced would lose the closed date), and the break is checked as stored.
  await page.reload();
  await page.locator('#closed-form [name=closed_date]').waitFor();
  check(await page.locator('#hours-form [name=break-starts-0]').inputValue() === '13:00', 'the break is kept');
  // Several breaks a day: a second one on Wednesday, added in the form; mistakes are caught before anything is
  // sent (an overlap, a break outside the hours); kept as stored; removed again.
  let hoursPuts = 0;
  page.on('request', (r) => { if (r.method() === 'PUT' && r.url().endsWith('/api/clinic/hours')) hoursPuts += 1; });
  await hoursForm.getByRole('button', { name: 'Add a break on Wednesday' }).click();
  for (const [from, until, want] of [
    ['13:30', '14:30', 'Wednesday: the breaks 13:00–14:00 and 13:30–14:30 overlap.'],
    ['16:30', '17:30', 'Wednesday: a break must lie within the opening hours (09:00–17:00); 16:30–17:30 does not. Change the opening or closing time instead.'],
  ]) {
    await hoursForm.getByLabel('Wednesday break 2 from').fill(from);
    await hoursForm.getByLabel('Wednesday break 2 until').fill(until);
    await hoursForm.getByRole('button', { name: 'Save opening hours' }).click();
    await page.locator('#hours-status .error', { hasText: want }).waitFor();
  }
  check(hoursPuts === 0, `breaks with mistakes are not sent (${hoursPuts} sent)`);
  await hoursForm.getByLabel('Wednesday break 2 from').fill('16:00');
  await hoursForm.getByLabel('Wednesday break 2 until').fill('16:15');
  await hoursForm.getByRole('button', { name: 'Save opening hours' }).click();
  await page.getByText('Opening hours saved.').waitFor();
  await page.reload();
  await hoursForm.getByLabel('Wednesday break 2 from').waitFor();
  out.wednesday_breaks = await page.locator('#hours-form tr[data-weekday="2"] input[type=time][name^=break-]').evaluateAll((l) => l.map((i) => i.value));
  check(JSON.stringify(out.wednesday_breaks) === JSON.stringify(['13:00', '14:00', '16:00', '16:15']), `both Wednesday breaks are kept (got ${out.wednesday_breaks})`);
  await shot(page, 'clinic-day-two-breaks', { fullPage: true });
  await hoursForm.getByRole('button', { name: 'Remove Wednesday break 2' }).click();
  await hoursForm.getByRole('button', { name: 'Save opening hours' }).click();
  await page.getByText('Opening hours saved.').waitFor();
  await page.reload();
  await page.locator('#closed-form [name=closed_date]').waitFor();
  check(await page.locator('#hours-form [name=break-starts-2-1]').count() === 0 && await page.locator('#hours-form [name=break-starts-2]').inputValue() === '13:00', 'the second Wednesday break is removed, the lunch break kept');
  const shut = new Date(`${date}T00:00:00Z`);
  shut.setUTCDate(shut.getUTCDate() + 7);
  const shutDay = shut.toISOString().slice(0, 10);
  await page.locator('#closed-form [name=closed_date]').fill(shutDay);
  await page.locator('#closed-form [name=closed_reason]').fill('Staff training');
  await page.locator('#closed-form').getByRole('button', { name: 'Add closed date' }).click();
  await page.locator(`#closed-dates li[data-date="${shutDay}"]`).waitFor();
  // A closure of two weeks, entered once; a closure over a year long is refused by the server in its words.
  const dayAfter = (d, n) => { const x = new Date(`${d}T00:00:00Z`); x.setUTCDate(x.getUTCDate() + n); return x.toISOString().slice(0, 10); };
  const summerFrom = dayAfter(shutDay, 7);
  const summerTo = dayAfter(summerFrom, 13);
  await page.reload();
  await page.locator('#closed-form [name=closed_date]').fill(summerFrom);
  await page.locator('#closed-form [name=closed_until]').fill(dayAfter(summerFrom, 400));
  await page.locator('#closed-form [name=closed_reason]').fill('Summer holiday');
  await page.locator('#closed-form').getByRole('button', { name: 'Add closed dates' }).click();
  await page.locator('#closed-status .error').waitFor();
  out.closure_too_long = (await page.locator('#closed-status .error').textContent()).trim();
  check(out.closure_too_long === `${summerFrom} to ${dayAfter(summerFrom, 400)} is 401 days: a closure lasts at most 366 days. Enter a longer one as two.`, `a closure over a year is refused in words (got ${out.closure_too_long})`);
  await page.locator('#closed-form [name=closed_until]').fill(summerTo);
  await page.locator('#closed-form').getByRole('button', { name: 'Add closed dates' }).click();
  await page.locator(`#closed-dates li[data-from="${summerFrom}"][data-to="${summerTo}"]`).waitFor();
  out.closure_period = (await page.locator(`#closed-dates li[data-from="${summerFrom}"]`).textContent()).trim();
  check(out.closure_period.startsWith(`${summerFrom} to ${summerTo} (14 days) Summer holiday`), `the period is listed (got ${out.closure_period})`);
  await shot(page, 'clinic-day-closures', { fullPage: true });
  // Closing a day that has bookings lists them, each linked to its day, for the owner to move (the third probe's
  // L7); the closure is then removed again.
  await page.reload();
  await page.locator('#closed-form [name=closed_date]').fill(date);
  await page.locator('#closed-form [name=closed_reason]').fill('Boiler repair');
  await page.locator('#closed-form').getByRole('button', { name: 'Add closed date' }).click();
  await page.locator('#bookings-to-move li').first().waitFor();
  out.to_move = (await page.locator('#bookings-to-move').textContent()).trim();
  check(out.to_move.includes(`${date} `) && out.to_move.includes('Boiler repair') && await page.locator(`#bookings-to-move a[href="#/appointments?view=day&from=${date}"]`).count() > 0, `the bookings on a newly closed day are listed with a link to the day (got: ${out.to_move})`);
  // The card is read again at once: the new closure is listed beside the notice (no reload needed), and removing
  // it works on the list as now kept.
  await page.locator(`#closed-dates li[data-date="${date}"]`).waitFor();
  check(await page.locator('#closed-status #bookings-to-move').count() === 1, 'the stranded bookings stay listed under the closed dates after the card is read again');
  await shot(page, 'clinic-day-bookings-to-move', { fullPage: true });
  await page.locator(`#closed-dates li[data-date="${date}"]`).getByRole('button').click();
  await page.locator(`#closed-dates li[data-date="${date}"]`).waitFor({ state: 'detached' });
  await page.goto(`${BASE}/#/appointments?view=day&from=${date}&client=${jonas}`);
  await page.locator('.day-col .hours .breaks').waitFor();
  out.day_hours_with_break = (await page.locator('.day-col .hours').first().textContent()).trim();
  check(out.day_hours_with_break === 'Open 09:00–17:00 · break 13:00–14:00', `the day view shows the break (got ${out.day_hours_with_break})`);
  await form.locator('[name=date]').fill(date);
  await form.locator('[name=time]').fill('13:30');
  await form.locator('[name=minutes]').fill('60');
  await form.locator('[name=room]').selectOption('Room 2');
  await form.getByRole('button', { name: 'Book' }).click();
  await page.locator('#booking-status [role=alert]', { hasText: 'break' }).waitFor();
  out.break_message = (await page.locator('#booking-status [role=alert]').textContent()).trim();
  check(out.break_message.startsWith('The clinic has a break from 13:00 to 14:00 on ') && out.break_message.includes('from 13:30 to 14:30'), `a booking in the break is explained (got: ${out.break_message})`);
  await page.goto(`${BASE}/#/appointments?view=day&from=${shutDay}`);
  await page.locator('.day-col .hours.closed').waitFor();
  out.closed_day = (await page.locator('.day-col .hours').first().textContent()).trim();
  check(out.closed_day === 'Closed: Staff training', `the day view shows the closed date (got ${out.closed_day})`);
  await page.goto(`${BASE}/#/appointments?view=week&from=${dayAfter(summerFrom, 7)}`);
  // Only the hash changes, so the day view just shown stays in the page until the week is drawn: wait for the
  // week itself (seven days), never for the first closed day, which the old day view already has.
  await page.waitForFunction(() => document.querySelectorAll('.day-col .hours').length === 7
    && [...document.querySelectorAll('.day-col .hours')].every((h) => h.textContent.includes('Summer holiday')), null, { timeout: 15000 })
    .catch(() => {});
  out.summer_week = await page.locator('.day-col .hours').allTextContents();
  check(out.summer_week.length === 7 && out.summer_week.every((t) => t.trim() === 'Closed: Summer holiday'), `every day of the period is closed in the week view (got ${out.summer_week})`);
  await shot(page, 'clinic-day-closed-date', { fullPage: true });

  // The whole consultation corrected with a reason: screened again, the outcome in view, the history kept.
  await page.goto(`${BASE}/#/clients/${jonas}`);
  const fix = page.locator('details.correct[data-entity=consultation]');
  await fix.locator('summary').click();
  check(await fix.locator('[name=consultation_date]').inputValue() !== '', 'the correction starts from the recorded consultation');
  await fix.getByLabel('Diabetes').check();
  await fix.getByRole('button', { name: 'Save correction and screen again' }).click();
  await fix.locator('.error').waitFor();
  out.consultation_without_reason = (await fix.locator('.error').textContent()).trim();
  check(/reason/i.test(out.consultation_without_reason), `a consultation correction needs a reason (got: ${out.consultation_without_reason})`);
  await fix.getByLabel('Reason for the correction').fill('Client called back: has type 2 diabetes, forgot to mention it');
  await fix.getByRole('button', { name: 'Save correction and screen again' }).click();
  await page.locator('.outcome[data-outcome=physician-clearance]').waitFor();
  out.corrected_outcome = (await page.locator('.outcome .outcome-label').first().textContent()).trim();
  const fixed = page.locator('details.correct[data-entity=consultation]');
  await fixed.locator('summary').click();
  await fixed.locator('.history li', { hasText: 'update' }).waitFor();
  out.consultation_history = (await fixed.locator('.history').textContent()).trim();
  check(/forgot to mention it/.test(out.consultation_history), `the consultation's history shows the correction (got: ${out.consultation_history})`);
  check(await fixed.getByLabel('Diabetes').isChecked(), 'the corrected answers are the recorded ones');
  await shot(page, 'clinic-day-consultation-correction', { fullPage: true });

  // The browser logs the refused booking's 409 (the clash this test provokes on purpose) and the server's 422
  // for the closure over a year (refused on purpose too); nothing else.
  const refusedClosure = problems.filter((p) => /status of 422 \(Unprocessable Entity\)/.test(p));
  const unexpected = problems.filter((p) => !/status of 409 \(Conflict\)/.test(p) && !refusedClosure.includes(p));
  out.expected_conflicts_logged = problems.length - unexpected.length;
  check(unexpected.length === 0 && refusedClosure.length <= 1, `no page errors: ${problems.join('; ')}`);
  result('clinic-day', out);
  console.log('clinic-day test passed');
} finally {
  await close();
}
