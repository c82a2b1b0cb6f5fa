// One patient's journey as the caller's clinic may see it (GET /patients/{id}/timeline): episodes as rows, the four
// services as lanes, events on a time axis; COWS scores and doses as small charts; relapse and return marked.
import { getJson, el, showError, clearMessage, tokenForm, dateTime, ApiError } from './app.js';
import { svg, title, text, scale, timeTicks, seriesChart, anchorWithin, Palette } from './charts.js';

const Lanes = ['assessment', 'detox', 'counseling', 'relapse'];
const CowsKinds = ['withdrawal-scored', 'detox-withdrawal-checked'];
const Relapse = 'relapse-detected';
const Return = 'returned-to-treatment';

const params = new URLSearchParams(location.search);
const patientForm = document.getElementById('patient-form');
patientForm.patient.value = params.get('patient') ?? '';
// Clinical time (when it happened) by default; recorded time (when it was entered) on request.
const axisSelect = document.getElementById('time-axis');
axisSelect.value = params.get('time') === 'recorded' ? 'recorded' : 'clinical';
axisSelect.addEventListener('change', () => {
  params.set('time', axisSelect.value);
  history.replaceState(null, '', `${location.pathname}?${params}`);
  load();
});
const when = e => axisSelect.value === 'recorded' ? e.occurredAt : (e.effectiveAt ?? e.occurredAt);
patientForm.addEventListener('submit', event => {
  event.preventDefault();
  params.set('patient', patientForm.patient.value.trim());
  history.replaceState(null, '', `${location.pathname}?${params}`);
  load();
});
tokenForm(load);
load();

async function load() {
  const main = document.getElementById('journey');
  main.replaceChildren();
  const patient = params.get('patient');
  if (!patient) return;
  clearMessage();
  try {
    const timeline = await getJson(`patients/${encodeURIComponent(patient)}/timeline`);
    main.replaceChildren(...render(timeline, await measures(patient, timeline)));
  } catch (error) {
    showError(error);
  }
}

function render(timeline, { cows, doses, note }) {
  const shared = new Set(timeline.sharedFrom.map(s => s.clinicId));
  const parts = [
    el('p', { class: 'summary' }, `Patient ${timeline.patientId}: ${timeline.entryCount} events in ${timeline.episodes.length} groups`,
      shared.size ? `, including records shared by ${[...shared].join(', ')} under the patient's consent.` : '.'),
  ];
  if (timeline.redisclosureNotice)
    parts.push(el('aside', { class: 'notice', role: 'note' }, el('strong', {}, 'Re-disclosure notice. '), timeline.redisclosureNotice));
  parts.push(el('section', {}, el('h2', {}, 'Timeline'),
    el('p', { class: 'muted' }, axisSelect.value === 'recorded'
      ? 'Each event at the time its service recorded it (UTC).'
      : 'Each event at the time it happened clinically (UTC); late entries stand where they happened.'),
    el('div', { class: 'scroll' }, lanes(timeline, shared)), legend()));
  parts.push(el('section', { class: 'small-charts' },
    el('div', {}, el('h2', {}, 'COWS scores'), seriesChart({ points: cows, unit: 'COWS', pointClass: 'cows-point', color: Palette[3] })),
    el('div', {}, el('h2', {}, 'Doses'), seriesChart({ points: doses, unit: 'mg', pointClass: 'dose-point', color: Palette[0] }))),
    el('p', { class: 'muted', id: 'chart-source' }, note));
  parts.push(el('section', {}, el('h2', {}, 'Events'), ...timeline.episodes.map(e => el('div', { class: 'scroll' }, episodeTable(e, shared)))));
  return parts;
}

// COWS scores and doses come from the FHIR export (same consent rules as the timeline): it carries the clinical times
// (when scored, when given), while a timeline entry has only the time its service recorded it, which for back-entered
// care can be days later. Tokens that may not read the export (counselors) get the entries' summaries at recorded times.
async function measures(patient, timeline) {
  try {
    const bundle = await getJson(`patients/${encodeURIComponent(patient)}/fhir`);
    const resources = (bundle.entry ?? []).map(e => e.resource);
    return { cows: fhirCows(resources), doses: fhirDoses(resources), note: 'Charted at the clinical times of the FHIR export.' };
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return {
      cows: cows(timeline.entries), doses: doses(timeline.entries),
      note: `Charted at the recorded times from the timeline's summaries (the FHIR export answered ${error.status}).`,
    };
  }
}

const sourceOf = resource => resource.meta?.source ? ` · ${resource.meta.source.split(/[:/]/).at(-1)}` : '';

function fhirCows(resources) {
  return resources
    .filter(r => r.resourceType === 'Observation' && r.code?.coding?.some(c => c.system === 'urn:recovery:cows' && c.code === 'total'))
    .map(r => ({
      at: Date.parse(r.effectiveDateTime), value: r.valueInteger,
      label: `${dateTime(r.effectiveDateTime)}${sourceOf(r)}: COWS ${r.valueInteger}, ${r.interpretation?.[0]?.text ?? ''}`,
    }));
}

function fhirDoses(resources) {
  return resources
    .filter(r => r.resourceType === 'MedicationAdministration' && r.status === 'completed' && r.dosage?.dose?.value !== undefined)
    .map(r => ({
      at: Date.parse(r.effectiveDateTime), value: r.dosage.dose.value,
      label: `${dateTime(r.effectiveDateTime)}${sourceOf(r)}: ${r.medicationCodeableConcept?.text ?? 'dose'} ${r.dosage.dose.value} ${r.dosage.dose.unit ?? ''}`,
    }));
}

function cows(entries) {
  return entries.filter(e => CowsKinds.includes(e.kind)).flatMap(e => {
    const match = /^COWS (\d+)/.exec(e.summary);
    return match ? [{ at: Date.parse(when(e)), value: Number(match[1]), label: `${dateTime(when(e))} · ${e.clinicId}: ${e.summary}` }] : [];
  });
}

function doses(entries) {
  return entries.filter(e => e.kind === 'dose-given').flatMap(e => {
    const match = /^(?:First dose|Dose): (.+) ([\d.]+) mg/.exec(e.summary);
    return match ? [{ at: Date.parse(when(e)), value: Number(match[2]), label: `${dateTime(when(e))} · ${e.clinicId}: ${e.summary}` }] : [];
  });
}

function episodeName(episode) {
  return episode.label ?? (episode.episodeId ? `Episode ${episode.episodeId}` : 'Outside an episode');
}

/** Episodes as rows, each with a lane per service; every entry is one mark (class event-mark). */
function lanes(timeline, shared) {
  const width = 980, labelWidth = 190, laneHeight = 20, headHeight = 22, axisHeight = 48, right = 16;
  const rows = timeline.episodes.map(episode => {
    const services = [...Lanes, ...new Set(episode.entries.map(e => e.service).filter(s => !Lanes.includes(s)))];
    return { episode, services };
  });
  const height = axisHeight + rows.reduce((sum, r) => sum + headHeight + r.services.length * laneHeight + 6, 0) + 4;
  const times = timeline.entries.map(e => Date.parse(when(e)));
  const start = Math.min(...times), end = Math.max(...times);
  const margin = Math.max((end - start) * 0.03, 1000);
  const x = scale([start - margin, end + margin], [labelWidth, width - right]);
  const chart = svg('svg', { viewBox: `0 0 ${width} ${height}`, width, height, class: 'chart lanes', role: 'img', 'aria-label': 'Events by episode and service over time' });

  for (const tick of timeTicks(start - margin, end + margin, 8))
    chart.append(svg('line', { x1: x(tick.at), x2: x(tick.at), y1: axisHeight - 6, y2: height, class: 'grid' }),
      text(x(tick.at), axisHeight - 8, tick.label, { 'text-anchor': anchorWithin(x(tick.at), 0, width), class: 'tick' }));

  let top = axisHeight;
  for (const { episode, services } of rows) {
    chart.append(svg('rect', { x: 0, y: top, width, height: headHeight, class: 'episode-head' }),
      text(6, top + 15, episodeName(episode), { class: 'episode-label' }));
    top += headHeight;
    services.forEach((service, i) => {
      const mid = top + i * laneHeight + laneHeight / 2;
      chart.append(text(16, mid + 4, service, { class: 'lane-label' }),
        svg('line', { x1: labelWidth, x2: width - right, y1: mid, y2: mid, class: 'lane' }));
    });
    for (const entry of episode.entries) {
      const mid = top + services.indexOf(entry.service) * laneHeight + laneHeight / 2;
      chart.append(mark(entry, x(Date.parse(when(entry))), mid, shared.has(entry.clinicId)));
    }
    top += services.length * laneHeight + 6;
  }

  // Relapse and return across the whole chart, so they stand out from every row.
  for (const entry of timeline.entries.filter(e => e.kind === Relapse || e.kind === Return)) {
    const at = x(Date.parse(when(entry)));
    const kind = entry.kind === Relapse ? 'relapse' : 'return';
    // Labels on the right of the line (left near the right edge); the return's a line lower, as both often fall close.
    const nearEnd = at > width - 150;
    chart.append(svg('line', { x1: at, x2: at, y1: axisHeight - 4, y2: height, class: `${kind}-line` }),
      text(nearEnd ? at - 3 : at + 3, kind === 'relapse' ? 4 : 16, entry.kind === Relapse ? 'Relapse' : 'Return to treatment',
        { class: `${kind}-label`, 'dominant-baseline': 'hanging', 'text-anchor': nearEnd ? 'end' : 'start' }));
  }
  return chart;
}

function mark(entry, cx, cy, isShared) {
  const classes = ['event-mark', entry.kind === Relapse ? 'relapse-mark' : entry.kind === Return ? 'return-mark' : '', isShared ? 'shared' : '']
    .filter(Boolean).join(' ');
  const hover = title(`${dateTime(when(entry))} · ${entry.clinicId}${isShared ? ' (shared)' : ''} · ${entry.kind}\n${entry.summary}` +
    `\nhappened ${dateTime(entry.effectiveAt ?? entry.occurredAt)}, recorded ${dateTime(entry.occurredAt)}`);
  const attributes = { class: classes, 'data-kind': entry.kind, 'data-event': entry.eventId };
  if (entry.kind === Relapse)
    return svg('polygon', { ...attributes, points: `${cx},${cy - 8} ${cx + 8},${cy} ${cx},${cy + 8} ${cx - 8},${cy}` }, hover);
  if (entry.kind === Return)
    return svg('polygon', { ...attributes, points: `${cx},${cy - 8} ${cx + 8},${cy + 6} ${cx - 8},${cy + 6}` }, hover);
  return svg('circle', { ...attributes, cx, cy, r: 5 }, hover);
}

function legend() {
  const item = (shape, label) => el('span', { class: 'legend-item' }, shape, label);
  const icon = (...children) => svg('svg', { width: 18, height: 18, viewBox: '-9 -9 18 18' }, ...children);
  return el('p', { class: 'legend' },
    item(icon(svg('circle', { r: 5, class: 'event-sample' })), 'event at this clinic'),
    item(icon(svg('circle', { r: 5, class: 'event-sample shared' })), 'shared by another clinic'),
    item(icon(svg('polygon', { points: '0,-8 8,0 0,8 -8,0', class: 'relapse-sample' })), 'relapse detected'),
    item(icon(svg('polygon', { points: '0,-8 8,6 -8,6', class: 'return-sample' })), 'returned to treatment'),
    el('span', { class: 'muted' }, 'Hover a mark for its summary.'));
}

function episodeTable(episode, shared) {
  return el('details', { open: '' },
    el('summary', {}, `${episodeName(episode)} · ${dateTime(episode.startedAt)} to ${dateTime(episode.lastActivityAt)}`),
    el('table', {},
      el('thead', {}, el('tr', {}, el('th', {}, 'Happened (UTC)'), el('th', {}, 'Recorded (UTC)'), el('th', {}, 'Clinic'), el('th', {}, 'Service'),
        el('th', {}, 'What happened'))),
      el('tbody', {}, episode.entries.map(e => el('tr', { class: e.correction ? 'corrected' : e.kind === Relapse ? 'relapse' : e.kind === Return ? 'return' : null },
        el('td', {}, dateTime(e.effectiveAt ?? e.occurredAt)),
        el('td', {}, dateTime(e.occurredAt), e.recordedBy ? el('span', { class: 'muted' }, ` by ${e.recordedBy.userId}`) : null),
        el('td', {}, e.clinicId, shared.has(e.clinicId) ? el('span', { class: 'badge' }, 'shared') : null),
        el('td', {}, e.service),
        el('td', {}, e.correction ? el('s', {}, e.summary) : e.summary,
          e.correction ? el('span', { class: 'muted' },
            ` ${e.correction.kind === 'amended' ? 'amended' : 'entered in error'} ${dateTime(e.correction.recordedAt)}` +
            (e.correction.recordedBy ? ` by ${e.correction.recordedBy.userId}` : '')) : null))))));
}
