// Loads the Timeline's web view in a real headless Chromium and checks what a person would see.
//   node check-pages.mjs <timeline base url> <clinician token> <analyst token> <patient id> <artifact dir> [outcomes filters] [counselor token]
// (filters as a query string, e.g. clinic=clinic-porto&medication=methadone; the counselor token, of the same clinic, checks
// the journey without the FHIR export).
// Fails (exit 1) on any console error or page error, on a journey whose marks do not match the API's entries, and on
// an outcomes page without Kaplan-Meier curves or retention bars; writes journey.png and outcomes.png to the artifact dir.
import { chromium } from 'playwright-core';
import { mkdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const [base, clinicianToken, analystToken, patient, artifacts, filters = '', counselorToken = ''] = process.argv.slice(2);
if (!artifacts) {
  console.error('usage: node check-pages.mjs <base url> <clinician token> <analyst token> <patient id> <artifact dir> [filters] [counselor token]');
  process.exit(2);
}
const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
if (!existsSync(executablePath)) {
  console.error(`Chromium not found at ${executablePath}: install it with "apt-get install -y chromium" (deploy/browser.sh does).`);
  process.exit(3);
}
mkdirSync(artifacts, { recursive: true });

const failures = [];
const check = (condition, message) => { if (!condition) failures.push(message); };

const browser = await chromium.launch({
  executablePath,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
try {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  const open = async (path, token) => {
    const page = await context.newPage();
    page.on('console', m => { if (m.type() === 'error') failures.push(`${path}: console error: ${m.text()}`); });
    page.on('pageerror', e => failures.push(`${path}: page error: ${e.message}`));
    page.on('requestfailed', r => failures.push(`${path}: request failed: ${r.url()} ${r.failure()?.errorText}`));
    const response = await page.goto(`${base}${path}#token=${encodeURIComponent(token)}`, { waitUntil: 'networkidle' });
    check(response?.status() === 200, `${path}: page answered ${response?.status()}`);
    check(!page.url().includes('token='), `${path}: the token stayed in the address bar`);
    return page;
  };
  const api = async (path, token) => {
    const response = await fetch(`${base}${path}`, { headers: { Authorization: `Bearer ${token}` } });
    if (!response.ok) throw new Error(`${path}: API answered ${response.status}`);
    return response.json();
  };

  // The journey: one mark per entry the API gives this token, a relapse and a return marked, COWS and doses charted.
  const timeline = await api(`/patients/${patient}/timeline`, clinicianToken);
  const journey = await open(`/journey.html?patient=${patient}`, clinicianToken);
  await journey.waitForSelector('svg.lanes, #message .error', { timeout: 15000 });
  check(await journey.locator('#message .error').count() === 0, `journey: error shown: ${await journey.locator('#message').innerText()}`);
  const marks = await journey.locator('svg.lanes .event-mark').count();
  check(marks === timeline.entryCount, `journey: ${marks} event marks, the API has ${timeline.entryCount} entries`);
  const count = kinds => timeline.entries.filter(e => kinds.includes(e.kind)).length;
  check(await journey.locator('svg.lanes .relapse-mark').count() === count(['relapse-detected']), 'journey: relapse marks differ from the API');
  check(await journey.locator('svg.lanes .return-mark').count() === count(['returned-to-treatment']), 'journey: return marks differ from the API');
  check(count(['relapse-detected']) > 0 && count(['returned-to-treatment']) > 0, 'journey: the test patient needs a relapse and a return');
  check(await journey.locator('.cows-point').count() === count(['withdrawal-scored', 'detox-withdrawal-checked']), 'journey: COWS points differ from the API');
  check(await journey.locator('.dose-point').count() === count(['dose-given']), 'journey: dose points differ from the API');
  const chartSource = await journey.locator('#chart-source').innerText();
  check(chartSource.includes('clinical times'), `journey: a clinician's charts should come from the FHIR export: "${chartSource}"`);
  const sharedEntries = timeline.entries.filter(e => timeline.sharedFrom.some(s => s.clinicId === e.clinicId)).length;
  check(await journey.locator('svg.lanes .event-mark.shared').count() === sharedEntries, 'journey: shared marks differ from the API');
  check(await journey.locator('.notice').count() === (timeline.redisclosureNotice ? 1 : 0), 'journey: re-disclosure notice shown/hidden wrongly');
  // Marks stand where facts happened (clinical time), and where they were recorded when the switch says so: the test's
  // journey is entered late, so the two orders differ.
  const placedBy = async (page, timeOf, axis) => {
    const xs = new Map(await page.locator('svg.lanes .event-mark').evaluateAll(ms =>
      ms.map(m => [m.getAttribute('data-event'), Number(m.getAttribute('cx') ?? m.getAttribute('points').split(/[ ,]/)[0])])));
    const sorted = [...timeline.entries].sort((a, b) => Date.parse(timeOf(a)) - Date.parse(timeOf(b)));
    for (let i = 1; i < sorted.length; i++)
      if (Date.parse(timeOf(sorted[i - 1])) < Date.parse(timeOf(sorted[i])) && xs.get(sorted[i - 1].eventId) > xs.get(sorted[i].eventId) + 0.5)
        return check(false, `journey (${axis}): ${sorted[i - 1].kind} drawn after ${sorted[i].kind}, though it happened first`);
  };
  await placedBy(journey, e => e.effectiveAt ?? e.occurredAt, 'clinical time');
  check(timeline.entries.some(e => e.effectiveAt && Date.parse(e.effectiveAt) < Date.parse(e.occurredAt) - 86400000),
    'journey: the test patient needs facts entered late');
  const recorded = await open(`/journey.html?patient=${patient}&time=recorded`, clinicianToken);
  await recorded.waitForSelector('svg.lanes, #message .error', { timeout: 15000 });
  await placedBy(recorded, e => e.occurredAt, 'recorded time');
  await recorded.close();
  await journey.screenshot({ path: join(artifacts, 'journey.png'), fullPage: true });

  // Refusals read as plain messages, not a broken page: a bad token, a role that may not read journeys, an unknown
  // patient, a bad filter. (The browser itself logs each refused request; only page errors count here.)
  const refusal = async (path, token, status) => {
    const page = await context.newPage();
    page.on('pageerror', e => failures.push(`${path}: page error: ${e.message}`));
    await page.goto(`${base}${path}#token=${encodeURIComponent(token)}`, { waitUntil: 'networkidle' });
    const message = await page.locator('#message .error').innerText().catch(() => '');
    check(message.startsWith(`${status}`), `${path}: expected a ${status} message, saw "${message}"`);
    await page.close();
  };
  if (counselorToken) {
    // A counselor may read the timeline but not the FHIR export: the charts fall back to the entries' summaries.
    const page = await context.newPage();
    page.on('pageerror', e => failures.push(`counselor journey: page error: ${e.message}`));
    await page.goto(`${base}/journey.html?patient=${patient}#token=${encodeURIComponent(counselorToken)}`, { waitUntil: 'networkidle' });
    check(await page.locator('svg.lanes .event-mark').count() === timeline.entryCount, 'counselor journey: marks differ from the API');
    check(await page.locator('.cows-point').count() === count(['withdrawal-scored', 'detox-withdrawal-checked']), 'counselor journey: COWS points differ');
    check(await page.locator('.dose-point').count() === count(['dose-given']), 'counselor journey: dose points differ');
    check((await page.locator('#chart-source').innerText()).includes('recorded times'), 'counselor journey: charts not from the summaries');
    await page.close();
  }
  await refusal(`/journey.html?patient=${patient}`, 'not-a-token', 401);
  await refusal(`/journey.html?patient=${patient}`, analystToken, 403);
  await refusal('/journey.html?patient=00000000-0000-0000-0000-000000000001', clinicianToken, 404);
  await refusal('/outcomes.html?from=yesterday', analystToken, 400);

  // The outcomes: retention bars and at least one Kaplan-Meier curve.
  const outcomes = await open(`/outcomes.html${filters ? `?${filters}` : ''}`, analystToken);
  await outcomes.waitForSelector('.km-curve, #message .error', { timeout: 15000 });
  check(await outcomes.locator('#message .error').count() === 0, `outcomes: error shown: ${await outcomes.locator('#message').innerText()}`);
  check(await outcomes.locator('.km-curve').count() >= 1, 'outcomes: no Kaplan-Meier curve');
  check(await outcomes.locator('.retention-bar').count() >= 1, 'outcomes: no retention bars');
  await outcomes.screenshot({ path: join(artifacts, 'outcomes.png'), fullPage: true });
} catch (error) {
  failures.push(`check failed: ${error.message}`);
} finally {
  await browser.close();
}

if (failures.length) {
  console.error(failures.join('\n'));
  process.exit(1);
}
console.log(`web view ok; screenshots in ${artifacts}`);
