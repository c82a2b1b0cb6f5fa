// The clinic workstation: worklists, finding and registering patients, and each service's forms for one patient.
// Every screen reads and writes through the gateway's /api/{service}/...; what a refusal says is shown where it applies.
import { call, checklist, commandForm, el, field, get, post, Problem, when } from './api.js';
import { Criteria, CowsItems, Medications, ReportedSubstances, ScreenSubstances, cowsBand, oudSeverity } from './clinical.js';

const A = '/api/assessment', D = '/api/detox', C = '/api/counseling', R = '/api/relapse', T = '/api/timeline';
const wait = onWait => ({ waitForArrival: true, onWait });
const main = document.getElementById('main');
let me = null;

async function route() {
  const [, screen, id, tab] = location.hash.split('/');
  main.replaceChildren(el('p', { class: 'loading', role: 'status' }, 'Loading…'));
  try {
    if (screen === 'patient' && id) await patientScreen(id, tab || 'summary');
    else if (screen === 'find') await findScreen();
    else await worklistScreen();
  } catch (error) {
    main.replaceChildren(problemBox(error));
  }
  main.focus();
}

function problemBox(error) {
  const text = error instanceof Problem ? `${error.status} ${error.rule ?? ''}: ${error.message}` : error.message;
  return el('p', { class: 'form-message error', role: 'alert' }, text);
}

/** A section that loads its own data and draws itself again after each command. */
function section(title, load, draw, { id } = {}) {
  const box = el('section', { class: 'card', id, 'aria-label': title });
  const refresh = async () => {
    let content;
    try {
      content = [].concat(await draw(await load(), refresh));
    } catch (error) {
      box.replaceChildren(el('h2', {}, title), problemBox(error), el('button', { type: 'button', class: 'secondary refresh', onclick: refresh, 'aria-label': `Refresh ${title}` }, 'Refresh'));
      return;
    }
    box.replaceChildren(el('div', { class: 'card-head' }, el('h2', {}, title),
      el('button', { type: 'button', class: 'secondary refresh', onclick: refresh, 'aria-label': `Refresh ${title}` }, 'Refresh')), ...content);
  };
  refresh();
  return box;
}

const table = (headers, rows) => rows.length === 0 ? el('p', { class: 'empty' }, 'None yet.') :
  el('div', { class: 'table-wrap' }, el('table', {}, el('thead', {}, el('tr', {}, headers.map(h => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, rows.map(r => el('tr', {}, r.map(c => el('td', {}, c)))))));

async function patientName(patientId) {
  try {
    const { registration: r } = await get(`${A}/patients/${patientId}`);
    return `${r.givenName} ${r.familyName} · ${r.clinicRecordNumber}`;
  } catch {
    return patientId;
  }
}

// ---------------------------------------------------------------- worklists

async function worklistScreen() {
  const parts = [el('h2', { class: 'page-title' }, 'Worklists')];
  if (me.role === 'analyst') {
    parts.push(el('p', {}, 'Analysts see the network\'s de-identified outcomes: ', el('a', { href: '/api/timeline/outcomes.html' }, 'Network outcomes'), '.'));
    main.replaceChildren(...parts);
    return;
  }
  if (me.role !== 'clinician') {
    parts.push(el('p', {}, 'Detox worklists are for clinicians. ', el('a', { href: '#/find' }, 'Find a patient'), '.'));
    main.replaceChildren(...parts);
    return;
  }
  parts.push(section('Plans awaiting a second clinician\'s approval', () => get(`${D}/detox-plans?status=awaiting-approval`), async ({ plans }) => {
    const rows = await Promise.all(plans.map(async p => [await patientName(p.patientId), p.medication, `${p.draftedBy} · ${when(p.draftedAt)}`,
      p.draftedBy === me.user ? el('span', { class: 'muted' }, 'Your own draft: another clinician approves it')
        : el('a', { href: `#/patient/${p.patientId}/detox`, class: 'button' }, 'Review and approve')]));
    return table(['Patient', 'Medication', 'Drafted by', ''], rows);
  }, { id: 'approvals' }));
  parts.push(section('Dosing window', () => get(`${D}/detox-plans?status=awaiting-induction,in-treatment`), async ({ plans }) => {
    const rows = await Promise.all(plans.map(async p => {
      const plan = await get(`${D}/detox-plans/${p.planId}`);
      return [await patientName(p.patientId), p.medication, nextDoseText(plan), el('a', { href: `#/patient/${p.patientId}/detox`, class: 'button' }, 'Dose')];
    }));
    return table(['Patient', 'Medication', 'Next dose', ''], rows);
  }, { id: 'dosing-window' }));
  main.replaceChildren(...parts);
}

function nextDoseText(plan) {
  if (plan.nextFirstDose) {
    const needs = plan.nextFirstDose.needs.map(n => n.detail);
    return plan.nextFirstDose.readyNow ? `First dose ready. ${plan.nextFirstDose.limits.join(' ')}` : `First dose still needs: ${needs.join(' ')}`;
  }
  if (plan.nextDose) {
    const d = plan.nextDose;
    return `Day ${d.courseDay} (${d.phase ?? 'after the schedule'}): up to ${d.maxWithoutOverrideMg} mg without an override`;
  }
  return '';
}

// ---------------------------------------------------------------- find, register

async function findScreen() {
  const results = el('div', { id: 'find-results', 'aria-live': 'polite' });
  const find = commandForm('Find a patient of this clinic', [
    field('Clinic record number', 'recordNumber'), field('Name', 'name'), field('Birth date', 'birthDate', { kind: 'date' }),
  ], body => get(`${A}/patients?${new URLSearchParams(body)}`), found => {
    const list = found?.patients ?? found ?? [];
    results.replaceChildren(table(['Patient', 'Born', ''], list.map(p => [`${p.givenName} ${p.familyName} · ${p.clinicRecordNumber}`, p.dateOfBirth,
      el('a', { href: `#/patient/${p.patientId}/summary` }, 'Open')])));
  }, { button: 'Find' });
  const open = commandForm('Open by network patient id', [field('Patient id', 'patientId', { required: true })],
    async body => { if (!body.patientId) throw new Problem(400, { detail: 'A patient id is required.', errors: { patientId: ['required'] } }); return body; },
    body => { location.hash = `#/patient/${body.patientId.trim()}/summary`; }, { button: 'Open' });
  const register = commandForm('Register a patient', [
    field('Clinic record number', 'clinicRecordNumber', { required: true }),
    field('Given name', 'givenName', { required: true }),
    field('Family name', 'familyName', { required: true }),
    field('Date of birth', 'dateOfBirth', { kind: 'date', required: true }),
    field('Sex', 'sex', { kind: 'select', options: [['', 'Choose…'], 'female', 'male', 'other', 'unknown'] }),
    field('Phone', 'contact.phone'), field('Email', 'contact.email'), field('Address', 'contact.address'),
    field('Registered at (if entered late)', 'registeredAt', { kind: 'datetime' }),
    field('Network patient id (a patient returning from another clinic)', 'patientId', { hint: 'Only with the patient\'s consent to share.' }),
    field('Identity link code', 'linkCode', { hint: 'The code the patient received from another clinic, if any.' }),
  ], body => post(`${A}/patients`, body), registered => { location.hash = `#/patient/${registered.patientId}/assessment`; }, { button: 'Register' });
  main.replaceChildren(el('h2', { class: 'page-title' }, 'Find or register a patient'),
    el('div', { class: 'columns' }, el('div', {}, find, results, open), register));
}

// ---------------------------------------------------------------- one patient

const Tabs = [['summary', 'Summary'], ['assessment', 'Assessment'], ['detox', 'Detox'], ['counseling', 'Counseling'],
  ['relapse', 'Relapse'], ['consent', 'Consent'], ['journey', 'Journey']];

async function patientScreen(patientId, tab) {
  const name = await patientName(patientId);
  const nav = el('nav', { class: 'tabs', 'aria-label': 'Patient' }, Tabs.map(([key, label]) =>
    el('a', { href: `#/patient/${patientId}/${key}`, 'aria-current': key === tab ? 'page' : null }, label)));
  const body = { summary, assessment, detox, counseling, relapse, consent, journey }[tab] ?? summary;
  main.replaceChildren(el('h2', { class: 'page-title', id: 'patient-name' }, name), el('p', { class: 'muted' }, `Network patient id ${patientId}`), nav,
    ...[].concat(await body(patientId)));
}

function summary(patientId) {
  return section('Registration', () => get(`${A}/patients/${patientId}`), ({ registration: r, assessments }) => {
    // A patient going to another clinic carries a single-use code (shown once) with their network patient id.
    const code = el('p', { class: 'link-code', 'aria-live': 'polite' });
    const linkCode = commandForm('Link code for another clinic', [], () => post(`${A}/patients/${patientId}/link-codes`, {}),
      issued => { code.textContent = `Code ${issued.code} for patient ${issued.patientId}, valid until ${when(issued.expiresAt)}, once.`; },
      { button: 'Issue a link code' });
    return [
      facts([['Record number', r.clinicRecordNumber], ['Name', `${r.givenName} ${r.familyName}`], ['Born', r.dateOfBirth], ['Sex', r.sex],
        ['Registered', when(r.registeredAt)]]),
      table(['Assessment', 'Status', 'Started', 'Completed'], assessments.map(a => [a.assessmentId.slice(0, 8), a.status, when(a.startedAt), when(a.completedAt)])),
      linkCode, code,
    ];
  });
}

const facts = pairs => el('dl', { class: 'facts' }, pairs.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v ?? '—')]));

// ---------------------------------------------------------------- assessment

function assessment(patientId) {
  return section('Assessment', async () => {
    const patient = await get(`${A}/patients/${patientId}`);
    const open = patient.assessments.find(a => a.status === 'in-progress');
    return { patient, open: open ? await get(`${A}/assessments/${open.assessmentId}`) : null };
  }, ({ patient, open }, refresh) => {
    const done = patient.assessments.filter(a => a.status !== 'in-progress');
    const history = table(['Assessment', 'Status', 'Started', 'Completed'], done.map(a => [a.assessmentId.slice(0, 8), a.status, when(a.startedAt), when(a.completedAt)]));
    if (!open) {
      return [history, commandForm('Start an assessment', [field('Started at (if entered late)', 'startedAt', { kind: 'datetime' })],
        body => post(`${A}/patients/${patientId}/assessments`, body), refresh, { button: 'Start assessment' })];
    }
    const at = `${A}/assessments/${open.assessmentId}`;
    return [
      facts([['Started', when(open.startedAt)], ['Criteria', open.criteria ? `${open.criteria.criteriaCounted} counted · ${open.criteria.severity} · ${open.criteria.icd10Code ?? ''}` : null],
        ['Labs', Object.entries(open.labs ?? {}).map(([t, l]) => `${t} ${l.result} (${l.testedOn})`).join(', ') || null],
        ['Cardiovascular', open.cardiovascular ? `HR ${open.cardiovascular.heartRate}, BP ${open.cardiovascular.systolicBloodPressure}/${open.cardiovascular.diastolicBloodPressure}, QTc ${open.cardiovascular.qtcMilliseconds} ms, ${open.cardiovascular.conclusion}` : null],
        ['COWS', (open.withdrawalScores ?? []).map(s => `${s.total} (${s.band})`).join(', ') || null]]),
      criteriaForm(at, refresh),
      commandForm('Lab result', [
        field('Test', 'test', { kind: 'select', options: [['hiv', 'HIV'], ['hepatitis-b', 'Hepatitis B'], ['hepatitis-c', 'Hepatitis C']] }),
        field('Result', 'result', { kind: 'select', options: ['negative', 'positive', 'indeterminate'] }),
        field('Tested on', 'testedOn', { kind: 'date', required: true }),
      ], body => post(`${at}/lab-results`, body), refresh, { button: 'Record lab result', className: 'lab-form' }),
      commandForm('Cardiovascular status', [
        field('Heart rate (bpm)', 'heartRate', { kind: 'number', required: true }),
        field('Systolic blood pressure (mmHg)', 'systolicBloodPressure', { kind: 'number', required: true }),
        field('Diastolic blood pressure (mmHg)', 'diastolicBloodPressure', { kind: 'number', required: true }),
        field('QTc (ms)', 'qtcMilliseconds', { kind: 'number', required: true }),
        field('Conclusion', 'conclusion', { kind: 'select', options: ['normal', 'abnormal-not-significant', 'abnormal-significant'] }),
        field('Measured at (if entered late)', 'measuredAt', { kind: 'datetime' }),
      ], body => post(`${at}/cardiovascular-status`, body), refresh, { button: 'Record cardiovascular status', className: 'cardio-form' }),
      cowsForm('COWS withdrawal score', `${at}/withdrawal-scores`, refresh),
      el('div', { class: 'completion' }, el('h3', {}, 'Completion'),
        open.missingForCompletion.length ? el('p', { id: 'missing-for-completion' }, `Completion still needs: ${open.missingForCompletion.join(', ')}`)
          : el('p', { id: 'missing-for-completion' }, 'Everything completion needs is recorded.'),
        commandForm('', [field('Completed at (if entered late)', 'completedAt', { kind: 'datetime' })],
          body => post(`${at}/completion`, body), refresh, { button: 'Complete the assessment', className: 'completion-form' })),
      history,
    ];
  }, { id: 'assessment' });
}

function criteriaForm(at, refresh) {
  const live = el('output', { class: 'live', id: 'criteria-live', 'aria-live': 'polite' });
  const form = commandForm('DSM-5 opioid use disorder criteria', [
    checklist('Criteria met in the past 12 months', 'criteriaMet', Criteria),
    field('Tolerance and withdrawal only under medical supervision', 'onlyUnderMedicalSupervision', { kind: 'checkbox' }),
    field('Assessed at (if entered late)', 'assessedAt', { kind: 'datetime' }),
    live,
  ], body => post(`${at}/criteria`, { criteriaMet: [], onlyUnderMedicalSupervision: false, ...body }), refresh,
  { button: 'Record criteria', className: 'criteria-form' });
  const update = () => {
    const met = [...form.querySelectorAll('input[name=criteriaMet]:checked')].map(c => c.value);
    const { counted, severity } = oudSeverity(met, form.querySelector('input[name=onlyUnderMedicalSupervision]').checked);
    live.textContent = `${counted} criteria counted · severity ${severity}`;
  };
  form.addEventListener('change', update);
  update();
  return form;
}

function cowsForm(title, path, refresh, className = 'cows-form') {
  const live = el('output', { class: 'live', id: `${className}-live`, 'aria-live': 'polite' });
  const form = commandForm(title, [
    el('div', { class: 'grid' }, CowsItems.map(([item, label, scale]) => field(label, `items.${item}`, {
      kind: 'select', type: 'integer-select', options: scale.map(s => (Array.isArray(s) ? s : [s, String(s)])),
    }))),
    field('Scored at (if entered late)', 'scoredAt', { kind: 'datetime' }),
    live,
  ], body => post(path, body), refresh, { button: 'Record COWS', className });
  const update = () => {
    const total = [...form.querySelectorAll('select[name^="items."]')].reduce((sum, s) => sum + Number(s.value), 0);
    live.textContent = `COWS total ${total} · ${cowsBand(total)}`;
  };
  form.addEventListener('change', update);
  update();
  return form;
}

// ---------------------------------------------------------------- detox

const scheduleRows = prefix => ['induction', 'stabilisation', 'taper'].map((phase, i) => el('fieldset', { class: 'row' },
  el('legend', {}, `${phase[0].toUpperCase()}${phase.slice(1)}${i ? ' (optional)' : ''}`),
  el('input', { type: 'hidden', name: `${prefix}.${i}.phase`, value: phase, 'data-kind': 'rowkey' }),
  field('Days', `${prefix}.${i}.days`, { kind: 'number' }), field('Daily dose (mg)', `${prefix}.${i}.dailyDoseMg`, { kind: 'number' })));

function detox(patientId) {
  return section('Detox plan', async () => {
    const overview = await get(`${D}/patients/${patientId}/detox-plans`);
    const open = overview.plans.find(p => p.status !== 'completed' && p.status !== 'dropped-out');
    return { overview, plan: open ? await get(`${D}/detox-plans/${open.planId}`) : null };
  }, ({ overview, plan }, refresh) => {
    const history = table(['Plan', 'Medication', 'Status', 'Doses', 'Closed'], overview.plans.map(p => [p.planId.slice(0, 8), p.medication, p.status, String(p.dosesGiven),
      p.closing ? `${p.closing.kind ?? ''} ${p.closing.on ?? p.closing.completedOn ?? p.closing.droppedOutOn ?? ''}` : '']));
    if (!plan) {
      return [overview.latestCompletedAssessment ? null : el('p', { class: 'notice' }, 'No completed assessment at this clinic yet: a plan needs one.'),
        commandForm('Draft a plan', [
          field('Medication', 'medication', { kind: 'select', options: Medications }), ...scheduleRows('schedule'),
          field('Drafted at (if entered late)', 'draftedAt', { kind: 'datetime' }),
        ], (body, onWait) => post(`${D}/detox-plans`, { patientId, ...body }, wait(onWait)), refresh, { button: 'Draft plan', className: 'draft-form' }),
        history];
    }
    const at = `${D}/detox-plans/${plan.planId}`;
    const forms = [];
    if (plan.status === 'awaiting-approval') {
      forms.push(plan.draftedBy === me.user
        ? el('p', { class: 'notice', id: 'own-draft' }, 'You drafted this plan: a second clinician approves it.')
        : commandForm('Approve as the second clinician', [field('Approved at (if entered late)', 'approvedAt', { kind: 'datetime' })],
          body => post(`${at}/approval`, body), refresh, { button: 'Approve plan', className: 'approval-form' }));
    } else {
      forms.push(el('div', { class: 'dosing', id: 'dosing' }, el('h3', {}, 'Dosing window'), el('p', { id: 'next-dose' }, nextDoseText(plan)),
        plan.nextDose ? table(['Limit', 'Limit (mg)', 'Given today', 'Left'], plan.nextDose.limits.map(l => [l.detail, String(l.limitMg), String(l.givenMg), String(l.leftMg)])) : null,
        commandForm('Give a dose', [
          el('input', { type: 'hidden', name: 'medication', value: plan.medication }),
          field(`Dose of ${plan.medication} (mg)`, 'doseMg', { kind: 'number', required: true }),
          field('Given at', 'givenAt', { kind: 'datetime', required: true, value: localNow() }),
          field('Override reason', 'overrideReason', { kind: 'textarea', hint: 'Only for a dose beyond a limit above: the reason is recorded with the dose.' }),
          plan.medication === 'methadone' ? field('QTc risk discussed and to be monitored', 'qtcAcknowledged', { kind: 'checkbox' }) : null,
        ], body => post(`${at}/doses`, body), refresh, { button: 'Record dose', className: 'dose-form' })));
      forms.push(commandForm('Last opioid use', [
        field('Kind', 'kind', { kind: 'select', options: ['short-acting', 'extended-release', 'methadone', 'buprenorphine'] }),
        field('Used at', 'usedAt', { kind: 'datetime', required: true }),
      ], body => post(`${at}/last-opioid-use`, body), refresh, { button: 'Record last use' }));
      forms.push(cowsForm('COWS withdrawal check', `${at}/withdrawal-checks`, refresh, 'withdrawal-check-form'));
      forms.push(commandForm('Pre-induction urine screen', [
        field('Opioids', 'opioidResult', { kind: 'select', options: ['negative', 'positive'] }),
        field('Collected at', 'collectedAt', { kind: 'datetime', required: true }),
      ], body => post(`${at}/induction-urine-screens`, body), refresh, { button: 'Record screen' }));
      forms.push(commandForm('Missed dose', [field('Missed on', 'missedOn', { kind: 'date', required: true })],
        body => post(`${at}/missed-doses`, body), refresh, { button: 'Record missed dose' }));
      forms.push(commandForm('Switch medication', [
        field('To', 'toMedication', { kind: 'select', options: Medications }), ...scheduleRows('schedule'),
        field('Reason', 'reason', { kind: 'textarea', required: true }),
      ], body => post(`${at}/medication-switch`, body), refresh, { button: 'Switch' }));
      forms.push(commandForm('Complete the detox', [field('Completed on', 'completedOn', { kind: 'date' })],
        body => post(`${at}/completion`, body), refresh, { button: 'Complete detox', className: 'detox-completion-form' }));
      forms.push(commandForm('Record a dropout', [
        field('Reason', 'reason', { kind: 'select', options: ['stopped-attending', 'left-against-advice', 'transferred', 'incarcerated', 'hospitalised', 'other'] }),
        field('Dropped out on', 'droppedOutOn', { kind: 'date' }),
      ], body => post(`${at}/dropout`, body), refresh, { button: 'Record dropout' }));
    }
    return [
      facts([['Status', plan.status], ['Medication', plan.medication], ['Drafted', `${plan.draftedBy} · ${when(plan.draftedAt)}`],
        ['Approved', plan.approvedBy ? `${plan.approvedBy} · ${when(plan.approvedAt)}` : 'not yet']]),
      table(['Phase', 'Days', 'Daily dose (mg)'], plan.schedule.map(p => [p.phase, String(p.days), String(p.dailyDoseMg)])),
      el('h3', {}, 'Doses'),
      table(['Given', 'Dose', 'By', 'Overrides'], plan.doses.map(d => [when(d.givenAt), `${d.doseMg} mg ${d.medication}${d.firstDose ? ' (first)' : ''}`, d.givenBy,
        (d.overrides ?? []).join(', ')])),
      ...forms, history,
    ];
  }, { id: 'detox' });
}

function localNow() {
  const d = new Date();
  d.setMinutes(d.getMinutes() - d.getTimezoneOffset());
  return d.toISOString().slice(0, 16);
}

// ---------------------------------------------------------------- counseling

function counseling(patientId) {
  const sessions = section('Counseling sessions', () => get(`${C}/patients/${patientId}/counseling`), (data, refresh) => [
    table(['Scheduled', 'Counselor', 'Status', ''], data.sessions.map(s => [when(s.scheduledFor), s.counselorId, s.status,
      s.status === 'scheduled' ? sessionActions(s, refresh) : (s.durationMinutes ? `${s.durationMinutes} min` : '')])),
    commandForm('Schedule a session', [
      field('Scheduled for', 'scheduledFor', { kind: 'datetime', required: true }),
      field('Counselor', 'counselorId', { value: me.user, required: true }),
      field('Planned duration (minutes)', 'plannedDurationMinutes', { kind: 'number' }),
    ], (body, onWait) => post(`${C}/counseling-sessions`, { patientId, ...body }, wait(onWait)), refresh, { button: 'Schedule session', className: 'schedule-form' }),
    data.groups.length ? table(['Help group', 'Meets', 'Enrolled', 'Meetings'], data.groups.map(g => [g.name, `${g.meetingDays.join(', ')} ${g.meetingTime}`,
      g.enrolled ? 'yes' : 'no', String(g.meetings.length)])) : null,
  ], { id: 'counseling' });
  const groups = section('Help groups', () => get(`${C}/help-groups`), (list, refresh) => [
    table(['Group', 'Meets', 'Facilitator', 'Members'], list.map(g => [g.name, `${g.meetingDays.join(', ')} ${g.meetingTime}`, g.facilitatorId, String(g.enrolledCount)])),
    list.length ? commandForm('Enrol the patient', [
      field('Group', 'groupId', { kind: 'select', options: list.map(g => [g.groupId, g.name]) }), field('Enrolled on', 'enrolledOn', { kind: 'date' }),
    ], ({ groupId, ...body }, onWait) => post(`${C}/help-groups/${groupId}/enrolments`, { patientId, ...body }, wait(onWait)), refresh, { button: 'Enrol' }) : null,
    list.length ? commandForm('Record a meeting', [
      field('Group', 'groupId', { kind: 'select', options: list.map(g => [g.groupId, g.name]) }), field('Meeting date', 'date', { kind: 'date', required: true }),
      field('Attended', 'outcome', { kind: 'select', options: [['attendance', 'Attended'], ['absence', 'Absent']] }),
    ], ({ groupId, date, outcome }) => post(`${C}/help-groups/${groupId}/meetings/${date ?? ''}/${outcome}`, { patientId }), refresh, { button: 'Record meeting' }) : null,
    commandForm('Set up a help group', [
      field('Name', 'name', { required: true }),
      field('Meeting days', 'meetingDays', { kind: 'select', options: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] }),
      field('Meeting time', 'meetingTime', { value: '18:30', hint: 'HH:mm, the clinic\'s time' }),
      field('Facilitator', 'facilitatorId', { value: me.user }),
    ], ({ meetingDays, ...body }) => post(`${C}/help-groups`, { ...body, meetingDays: meetingDays ? [meetingDays] : [] }), refresh, { button: 'Set up group' }),
  ]);
  return [sessions, groups];
}

function sessionActions(s, refresh) {
  const at = `${C}/counseling-sessions/${s.sessionId}`;
  return el('div', { class: 'session-actions' },
    commandForm('Attended', [
      field('Duration (minutes)', 'durationMinutes', { kind: 'number', required: true }),
      field('Attended at (if entered late)', 'attendedAt', { kind: 'datetime' }),
      field('Note', 'note', { kind: 'textarea' }),
    ], body => post(`${at}/attendance`, body), refresh, { button: 'Record attendance', className: 'attendance-form' }),
    commandForm('', [], () => post(`${at}/no-show`, undefined), refresh, { button: 'No-show', className: 'inline' }),
    commandForm('', [field('Cancellation reason', 'reason')], body => post(`${at}/cancellation`, body), refresh, { button: 'Cancel session', className: 'inline' }));
}

// ---------------------------------------------------------------- relapse

function relapse(patientId) {
  const monitoring = section('Relapse monitoring', () => get(`${R}/patients/${patientId}/monitoring`), data => {
    const m = data.monitorings[0];
    return [
      facts([['Rule in force at this clinic', data.clinicRule], ['Status', m.status], ['Monitored since', m.startedOn],
        ['Relapse', m.relapse ? `${m.relapse.relapsedOn} under ${m.relapse.rule}` : 'none on record'],
        ['Current rule says', m.currentRuleResult ? `${m.currentRuleResult.rule} as of ${m.currentRuleResult.asOf}: ${m.currentRuleResult.relapsed
          ? `relapse from ${m.currentRuleResult.relapsedOn}` : 'no relapse'}${m.currentRuleResult.evidence ? ` (${m.currentRuleResult.evidence})` : ''}` : null]]),
      el('p', { id: 'monitoring-status', class: `status-${m.status}` }, `Monitoring: ${m.status}${m.relapse ? ` · relapse ${m.relapse.relapsedOn} (${m.relapse.rule})` : ''}`),
      table(['Collected', 'Results', 'Non-prescribed opioid'], m.screens.map(s => [s.collectedOn,
        Object.entries(s.results).map(([k, v]) => `${k} ${v}`).join(', '), s.nonPrescribedOpioidPositive ? 'positive' : 'no'])),
      table(['Used on', 'Substance'], m.reportedUse.map(u => [u.usedOn, u.substance])),
    ];
  }, { id: 'monitoring' });
  const forms = el('section', { class: 'card' }, el('h2', {}, 'Record'),
    commandForm('Urine screen', [
      field('Collected on', 'collectedOn', { kind: 'date', required: true }),
      el('div', { class: 'grid' }, ScreenSubstances.map(s => field(s, `results.${s}`, {
        kind: 'select', options: s === 'opiates' ? ['negative', 'positive', 'not-collected'] : [['', 'not screened'], 'negative', 'positive', 'not-collected'],
      }))),
    ], (body, onWait) => post(`${R}/patients/${patientId}/urine-screens`, body, wait(onWait)), () => monitoring.querySelector('.refresh')?.click(),
    { button: 'Record screen', className: 'screen-form' }),
    commandForm('Reported use', [
      field('Substance', 'substance', { kind: 'select', options: ReportedSubstances }), field('Used on', 'usedOn', { kind: 'date', required: true }),
    ], (body, onWait) => post(`${R}/patients/${patientId}/reported-use`, body, wait(onWait)), () => monitoring.querySelector('.refresh')?.click(),
    { button: 'Record reported use' }));
  return [monitoring, forms];
}

// ---------------------------------------------------------------- consent

function consent(patientId) {
  const parts = [section('Consents recorded here', () => get(`${T}/patients/${patientId}/consents`), (data, refresh) => [
    table(['Recipient', 'Purpose', 'Live', ''], data.consents.map(({ consent: c, live }) => [c.recipient ?? c.recipientClinic ?? '', c.purpose, live ? 'yes' : 'no',
      live ? commandForm('', [], () => post(`${T}/patients/${patientId}/consents/${c.id}/revocation`, {}), refresh, { button: 'Revoke', className: 'inline revoke' }) : ''])),
    commandForm('Record the patient\'s consent', [
      field('Share this clinic\'s records with', 'recipient', { value: 'network', hint: 'network (every clinic) or a clinic id' }),
      field('Purpose', 'purpose', { kind: 'select', options: ['treatment', 'payment', 'health-care-operations'] }),
      field('Expires at', 'expiresAt', { kind: 'datetime' }),
    ], body => post(`${T}/patients/${patientId}/consents`, body), refresh, { button: 'Record consent', className: 'consent-form' }),
  ], { id: 'consents' })];
  if (me.role === 'clinician' || me.role === 'admin') {
    parts.push(section('Disclosures of the patient\'s records', () => get(`${T}/patients/${patientId}/disclosures`), data =>
      table(['When', 'To', 'By', 'Purpose', 'Channel'], (data.disclosures ?? data).map(d => [when(d.disclosedAt), d.recipientClinic, `${d.user} (${d.role})`, d.purpose, d.channel]))));
  }
  return parts;
}

// ---------------------------------------------------------------- journey and corrections

const Amendable = { 'dose-given': ['doseMg', 'New dose (mg)', 'number'], 'lab-result-recorded': ['result', 'Correct result', 'text'],
  'counseling-session-attended': ['durationMinutes', 'Correct duration (minutes)', 'number'] };

function journey(patientId) {
  return section('Journey on clinical time', () => get(`${T}/patients/${patientId}/timeline`), (data, refresh) => [
    el('p', {}, el('a', { href: `${T}/journey.html?patient=${encodeURIComponent(patientId)}`, id: 'journey-chart' },
      'The journey as a chart: episodes, services and the relapse on clinical time')),
    data.redisclosureNotice ? el('p', { class: 'notice', id: 'redisclosure' }, data.redisclosureNotice) : null,
    ...data.episodes.map(episode => el('div', { class: 'episode' }, el('h3', {}, episode.label ?? `Episode ${episode.number}`),
      el('ol', { class: 'entries' }, episode.entries.map(e => entry(e, refresh))))),
  ], { id: 'journey' });
}

function entry(e, refresh) {
  const mine = e.clinicId === me.clinic;
  const item = el('li', { class: `entry${mine ? '' : ' shared'}${e.correction ? ' corrected' : ''}`, 'data-kind': e.kind, 'data-event': e.eventId },
    el('time', { datetime: e.effectiveAt ?? e.occurredAt }, when(e.effectiveAt ?? e.occurredAt)), ' ',
    el('span', { class: 'service' }, e.service), ' ', el('span', { class: 'summary' }, e.summary),
    mine ? null : el('span', { class: 'badge' }, `from ${e.clinicId}`),
    e.correction ? el('span', { class: 'badge correction' }, e.correction.kind) : null);
  if (mine && !e.correction && me.role !== 'analyst') {
    const details = el('details', { class: 'correct' }, el('summary', {}, 'Correct this entry'),
      commandForm('Entered in error', [field('Reason', 'reason', { kind: 'textarea', required: true })],
        body => post(`/api/${e.service}/facts/${e.eventId}/entered-in-error`, body), refresh, { button: 'Mark entered in error', className: 'error-form' }),
      Amendable[e.kind] ? commandForm('Amend', [field('Reason', 'reason', { kind: 'textarea', required: true }),
        field(Amendable[e.kind][1], Amendable[e.kind][0], { kind: Amendable[e.kind][2] })],
      body => post(`/api/${e.service}/facts/${e.eventId}/amendment`, body), refresh, { button: 'Amend' }) : null);
    item.append(details);
  }
  return item;
}

// ---------------------------------------------------------------- start
// Last in the module: a page opened straight at a patient's address routes at once, and every screen's constants
// above must be initialised by then.

try {
  me = await get('/session');
} catch {
  location.assign('/signin.html');
}
if (me) {
  document.getElementById('who').textContent = `${me.user} · ${me.role}${me.clinic ? ` · ${me.clinic}` : ''}`;
  // The Timeline's outcomes page, through this origin and session (analysts read de-identified outcomes only).
  if (me.role === 'analyst')
    document.getElementById('sign-out').before(el('a', { href: '/api/timeline/outcomes.html', id: 'outcomes-link' }, 'Network outcomes'));
  document.getElementById('sign-out').addEventListener('click', async () => {
    await call('DELETE', '/session');
    location.assign('/signin.html');
  });
  window.addEventListener('hashchange', route);
  await route();
}
