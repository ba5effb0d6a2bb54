// Browser test: a front-desk account sees clients and schedules but can never open medical history.
import { BASE, launch, shot, check, setUp, signIn, addClient, result } from './lib.mjs';

const { page, problems, close } = await launch();
try {
  await setUp(page, { clinic: 'Harbour SMP Studio', name: 'Ana Ruiz', username: 'ana', password: 'correct horse battery' });
  await addClient(page, { name: 'Jonas Weber', reference: 'c-2025-021', dob: '1999-06-18' });
  const clientUrl = page.url();
  const clientId = clientUrl.match(/clients\/(\d+)/)[1];
  // The owner records a consultation, so there is medical history to hide.
  await page.getByLabel('Diabetes').check();
  await page.getByRole('button', { name: 'Save consultation and screen' }).click();
  await page.locator('.outcome').waitFor();

  // Fast navigation (probe s30): a page still loading when the address changes again must not be drawn over
  // the newer one. Appointments, then straight back to the lots; the address and the page agree.
  const headingOf = { '#/lots': 'Pigment lots', '#/appointments': 'Appointments', '#/clients': 'Clients' };
  for (const [first, then] of [['#/appointments', null], ['#/appointments', '#/clients'], ['#/clients', '#/lots']]) {
    await page.goto(`${BASE}/#/lots`);
    await page.getByRole('heading', { name: 'Pigment lots', exact: true }).waitFor();
    await page.evaluate(([a, b]) => { location.hash = a; if (b) location.hash = b; else history.back(); }, [first, then]);
    await page.waitForTimeout(1500);
    const hash = await page.evaluate(() => location.hash);
    const shown = await page.locator('#main h1').first().textContent();
    check(shown === headingOf[hash], `after ${first} then ${then || 'Back'} the address is ${hash} and the page shows “${shown}”`);
  }
  await page.getByRole('link', { name: 'Users' }).click();
  await page.getByRole('heading', { name: 'Accounts' }).waitFor();
  await page.getByLabel('Name', { exact: true }).fill('Sam Desk');
  await page.getByLabel('User name').fill('sam');
  await page.getByLabel('Role').selectOption('front_desk');
  await page.getByLabel('Password').fill('front desk pass');
  await page.getByRole('button', { name: 'Add user' }).click();
  await page.getByRole('cell', { name: 'Sam Desk' }).waitFor();
  await page.getByRole('button', { name: 'Sign out' }).click();

  await signIn(page, 'sam', 'front desk pass');
  check(await page.locator('#nav-users').isHidden(), 'the Users link is hidden from front desk');
  await page.getByRole('link', { name: 'Jonas Weber' }).click();
  await page.locator('#medical-hidden').waitFor();
  check(await page.locator('.outcome').count() === 0, 'no screening outcome is shown to front desk');
  check(await page.getByRole('heading', { name: 'Consultation' }).count() === 0, 'no consultation section for front desk');
  check(await page.locator('#schedule-ics').isVisible(), 'front desk can still download the schedule');
  await shot(page, 'front-desk-client');

  const direct = await page.evaluate(async (id) => {
    const r = await fetch(`/api/clients/${id}/consultations`);
    return { status: r.status, body: await r.json() };
  }, clientId);
  check(direct.status === 403, `the API refuses front desk medical history (got ${direct.status})`);
  await page.goto(`${BASE}/#/clients/${clientId}/design`);
  const err = page.getByRole('alert');
  await err.waitFor();
  const text = await err.textContent();
  check(/Front desk accounts do not see medical records/.test(text), `the design editor shows the API's refusal (got: ${text})`);
  await shot(page, 'front-desk-refused');
  check(problems.length === 0, `no page errors: ${problems.join('; ')}`);
  result('front-desk', { refused_status: direct.status, message: direct.body.error.message });
  console.log('front-desk test passed');
} finally {
  await close();
}
