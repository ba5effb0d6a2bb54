// Browser test (issue 13, points 3 and 4), on a tablet-sized touch screen: book an appointment and see the clash
// refused in plain words, book a proposed follow-up with one click, sign the consent with a finger on the pad
// (real touch input through Chromium's DevTools protocol, seen by the page as pointer events of type "touch"),
// get the signed PDF, and upload a physician's clearance letter.
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
  await form.locator('[name=room]').fill('Room 1');
  await form.getByRole('button', { name: 'Book' }).click();
  await page.locator('li.appointment').filter({ hasText: '10:00–11:00' }).waitFor();
  check(/Jonas Weber/.test(await page.locator('li.appointment').first().textContent()), 'the day view shows the booking');
  await shot(page, 'clinic-day-booked', { fullPage: true });

  // The same practitioner at an overlapping time: refused, in words a receptionist understands.
  await form.locator('[name=date]').fill(date);
  await form.locator('[name=time]').fill('10:30');
  await form.locator('[name=room]').fill('Room 2');
  await form.getByRole('button', { name: 'Book' }).click();
  const clash = page.locator('#booking-status [role=alert]');
  await clash.waitFor();
  out.conflict_message = (await clash.textContent()).trim();
  check(out.conflict_message === `Ana Ruiz is already booked from 10:00 to 11:00 on ${date}. Choose another time or another practitioner.`, `the clash is explained (got: ${out.conflict_message})`);
  await shot(page, 'clinic-day-conflict', { fullPage: true });

  // The week view holds it too.
  await page.getByRole('button', { name: 'Week' }).click();
  await page.getByRole('heading', { name: /^Week of / }).waitFor();
  check(await page.locator('li.appointment').count() === 1, 'one booking in the week');

  // The client record: the proposed follow-ups, one booked with one click.
  await page.goto(`${BASE}/#/clients/${jonas}`);
  await page.locator('#proposals').waitFor();
  const bookFirst = page.locator('#proposals button').first();
  out.one_click_label = await bookFirst.textContent();
  await bookFirst.click();
  await page.locator('#proposals').getByText('Booked').first().waitFor();
  check(/Session 1 of 3/.test(await page.locator('#client-appointments').textContent()), 'the proposed session is booked');

  // Consent on the tablet: the whole text, signed with a finger.
  await page.locator('#sign-on-tablet').click();
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
  await page.locator('#signed-pdf').waitFor();
  const pdfUrl = await page.locator('#signed-pdf').getAttribute('href');
  const pdf = await page.evaluate(async (url) => {
    const r = await fetch(url);
    const b = new Uint8Array(await r.arrayBuffer());
    return { status: r.status, type: r.headers.get('content-type'), bytes: Array.from(b) };
  }, pdfUrl);
  check(pdf.status === 200 && pdf.type === 'application/pdf', `the signed PDF downloads (${pdf.status} ${pdf.type})`);
  fs.writeFileSync(`${ARTEFACTS}/signed-consent.pdf`, Buffer.from(pdf.bytes));
  out.signed_pdf_bytes = pdf.bytes.length;

  // A client whose screening asks for a physician's clearance: upload the letter.
  await addClient(page, { name: 'Margaret O’Neill', reference: 'c-2025-030', dob: '1961-02-27' });
  await page.getByLabel('Diabetes').check();
  await page.getByRole('button', { name: 'Save consultation and screen' }).click();
  await page.locator('#clearance-form').waitFor();
  await page.getByLabel('Physician', { exact: true }).fill('Dr. R. Shah, cardiologist');
  await page.getByLabel('Letter (PDF or photo)').setInputFiles({ name: 'letter-shah.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n') });
  await page.getByRole('button', { name: 'Record clearance' }).click();
  await page.locator('#clearance-letter-link').waitFor();
  check(/letter-shah\.pdf/.test(await page.locator('#clearance').textContent()), 'the clearance names the uploaded letter');
  const letter = await page.evaluate(async (href) => { const r = await fetch(href); return { status: r.status, text: await r.text() }; }, await page.locator('#clearance-letter-link').getAttribute('href'));
  check(letter.status === 200 && letter.text.startsWith('%PDF-1.4'), 'the uploaded letter comes back');
  await shot(page, 'clinic-day-clearance', { fullPage: true });

  // The browser logs the refused booking's 409 (the clash this test provokes on purpose); nothing else.
  const unexpected = problems.filter((p) => !/status of 409 \(Conflict\)/.test(p));
  out.expected_conflicts_logged = problems.length - unexpected.length;
  check(unexpected.length === 0, `no page errors: ${unexpected.join('; ')}`);
  result('clinic-day', out);
  console.log('clinic-day test passed');
} finally {
  await close();
}
