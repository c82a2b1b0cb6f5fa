// The network's outcomes for analysts: retention bars (GET /analytics/retention) and Kaplan-Meier curves
// (GET /analytics/relapse-survival), under the cohort filters clinic, medication, from and to.
import { getJson, el, showError, clearMessage, tokenForm } from './app.js';
import { shareBars, survivalCurves, Palette } from './charts.js';

const Filters = ['clinic', 'medication', 'from', 'to'];
const Days = [30, 90, 180];
const form = document.getElementById('cohort-form');
const params = new URLSearchParams(location.search);
for (const name of [...Filters, 'by']) if (params.get(name)) form.elements[name].value = params.get(name);

form.addEventListener('submit', event => {
  event.preventDefault();
  for (const name of [...Filters, 'by']) {
    const value = form.elements[name].value.trim();
    if (value) params.set(name, value); else params.delete(name);
  }
  history.replaceState(null, '', `${location.pathname}?${params}`);
  load();
});
tokenForm(load);
load();

async function load() {
  const query = new URLSearchParams();
  for (const name of Filters) if (params.get(name)) query.set(name, params.get(name));
  const survivalQuery = new URLSearchParams(query);
  survivalQuery.set('by', params.get('by') || 'medication');
  const retentionArea = document.getElementById('retention');
  const survivalArea = document.getElementById('survival');
  retentionArea.replaceChildren();
  survivalArea.replaceChildren();
  clearMessage();
  try {
    const [retention, survival] = await Promise.all([
      getJson(`/analytics/retention?${query}`),
      getJson(`/analytics/relapse-survival?${survivalQuery}`),
    ]);
    document.getElementById('retention-definition').textContent = `${retention.definition} As of ${retention.asOf}.`;
    document.getElementById('survival-definition').textContent = `${survival.definition} As of ${survival.asOf}.`;
    retentionArea.replaceChildren(...renderRetention(retention.rows));
    survivalArea.replaceChildren(...renderSurvival(survival.rows));
  } catch (error) {
    showError(error);
  }
}

/** Bars per medication: retained / evaluable summed over the cohorts (exact, as both are counts). */
function renderRetention(rows) {
  if (rows.length === 0) return [el('p', { class: 'muted' }, 'No episodes in this cohort.')];
  const byMedication = Map.groupBy(rows, r => r.medication);
  const groups = [...byMedication].map(([medication, cohorts]) => ({
    name: `${medication} (${sum(cohorts, 'episodes')} episodes)`,
    bars: Days.map(d => {
      const retained = sum(cohorts, `retained${d}`), evaluable = sum(cohorts, `evaluable${d}`);
      return { label: `${d} d`, share: evaluable ? retained / evaluable : null, title: `${medication}, ${d} days: ${retained} retained of ${evaluable} evaluable` };
    }),
  }));
  return [
    shareBars({ groups, barClass: 'retention-bar' }),
    el('details', {},
      el('summary', {}, `${rows.length} cohorts (clinic, medication, month detox started)`),
      el('table', {},
        el('thead', {}, el('tr', {}, ['Clinic', 'Medication', 'Month', 'Episodes', 'Ongoing', '30 d', '90 d', '180 d', 'Median days (ended)']
          .map(h => el('th', {}, h)))),
        el('tbody', {}, rows.map(r => el('tr', {},
          el('td', {}, r.clinic), el('td', {}, r.medication), el('td', {}, r.startPeriod), el('td', {}, String(r.episodes)),
          el('td', {}, String(r.ongoing)), ...Days.map(d => el('td', {}, share(r[`retained${d}`], r[`evaluable${d}`]))),
          el('td', {}, r.daysMedian ?? '–'))))))];
}

function renderSurvival(rows) {
  if (rows.length === 0) return [el('p', { class: 'muted' }, 'No detox completions in this cohort.')];
  const curves = [...Map.groupBy(rows, r => r.group)].map(([name, steps]) => ({ name, steps: steps.sort((a, b) => a.day - b.day) }));
  return [
    survivalCurves({ curves, curveClass: 'km-curve' }),
    el('p', { class: 'legend' }, curves.map((c, i) => el('span', { class: 'legend-item' },
      el('span', { class: 'swatch', style: `background:${Palette[i % Palette.length]}` }),
      `${c.name} (${c.steps[0].atRisk} at risk)`)), el('span', { class: 'muted' }, 'Ticks mark censorings.')),
  ];
}

const sum = (rows, field) => rows.reduce((total, r) => total + (r[field] ?? 0), 0);
const share = (retained, evaluable) => evaluable ? `${Math.round(100 * retained / evaluable)}% (${retained}/${evaluable})` : '–';
