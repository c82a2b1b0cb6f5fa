// The network's outcomes for analysts: retention bars (GET /analytics/retention), Kaplan-Meier curves
// (GET /analytics/relapse-survival), and relapse under the field's definitions side by side
// (GET /analytics/relapse-definitions/survival and /comparison), under the cohort filters clinic, medication, from and to.
import { getJson, download, el, showError, clearMessage, tokenForm } from './app.js';
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
document.getElementById('use-patterns-download').addEventListener('click', async () => {
  const query = new URLSearchParams();
  for (const name of Filters) if (params.get(name)) query.set(name, params.get(name));
  try { await download(`analytics/use-patterns?${query}`, 'text/csv', 'use-patterns.csv'); } catch (error) { showError(error); }
});
load();

async function load() {
  const query = new URLSearchParams();
  for (const name of Filters) if (params.get(name)) query.set(name, params.get(name));
  const survivalQuery = new URLSearchParams(query);
  survivalQuery.set('by', params.get('by') || 'medication');
  const definitionsQuery = new URLSearchParams(query);
  if (params.get('definitions')) definitionsQuery.set('definitions', params.get('definitions'));
  const retentionArea = document.getElementById('retention');
  const survivalArea = document.getElementById('survival');
  const definitionsArea = document.getElementById('definitions');
  const comparisonArea = document.getElementById('definitions-comparison');
  for (const area of [retentionArea, survivalArea, definitionsArea, comparisonArea]) area.replaceChildren();
  clearMessage();
  try {
    const [retention, survival, byDefinition, comparison] = await Promise.all([
      getJson(`analytics/retention?${query}`),
      getJson(`analytics/relapse-survival?${survivalQuery}`),
      getJson(`analytics/relapse-definitions/survival?${definitionsQuery}`),
      getJson(`analytics/relapse-definitions/comparison?${query}`),
    ]);
    document.getElementById('retention-definition').textContent = `${retention.definition} As of ${retention.asOf}.`;
    document.getElementById('survival-definition').textContent = `${survival.definition} As of ${survival.asOf}.`;
    document.getElementById('definitions-definition').textContent = `${byDefinition.definition} As of ${byDefinition.asOf}.`;
    retentionArea.replaceChildren(...renderRetention(retention.rows));
    survivalArea.replaceChildren(...renderSurvival(survival.rows));
    renderDefinitionChoice(comparison.definitions, byDefinition.definitions.map(d => d.name));
    definitionsArea.replaceChildren(...renderDefinitionCurves(byDefinition.rows, byDefinition.definitions));
    comparisonArea.replaceChildren(renderComparison(comparison.rows, comparison.definitions));
  } catch (error) {
    showError(error);
  }
}

/** A checkbox per published definition; the ticked ones are drawn (all by default), kept in the address as ?definitions=. */
function renderDefinitionChoice(all, shown) {
  const choice = document.getElementById('definitions-choice');
  choice.replaceChildren(el('legend', {}, 'Curves of'), ...all.map(d => {
    const box = el('input', { type: 'checkbox', name: 'definition', value: d.name });
    box.checked = shown.includes(d.name);
    box.addEventListener('change', () => {
      const ticked = [...choice.querySelectorAll('input:checked')].map(b => b.value);
      if (ticked.length === 0 || ticked.length === all.length) params.delete('definitions'); else params.set('definitions', ticked.join(','));
      history.replaceState(null, '', `${location.pathname}?${params}`);
      load();
    });
    return el('label', { title: `${d.reference}: ${d.definition}` }, box, ` ${d.name}`);
  }));
}

function renderDefinitionCurves(rows, definitions) {
  if (rows.length === 0) return [el('p', { class: 'muted' }, 'No detox completions long enough to judge in this cohort.')];
  const curves = definitions.map(d => ({
    name: d.name,
    steps: rows.filter(r => r.definition === d.name).sort((a, b) => a.week - b.week)
      .map(r => ({ day: r.week, survival: r.survival, atRisk: r.atRisk, relapses: r.events, censored: r.censored })),
  })).filter(c => c.steps.length > 0);
  return [
    el('div', { class: 'scroll' }, survivalCurves({ curves, curveClass: 'definition-curve', unit: 'weeks after detox completion' })),
    el('p', { class: 'legend' }, curves.map((c, i) => el('span', { class: 'legend-item' },
      swatch(Palette[i % Palette.length]),
      `${c.name} (${c.steps[0].atRisk} evaluable)`)), el('span', { class: 'muted' }, 'Ticks mark censorings.')),
  ];
}

function renderComparison(rows, definitions) {
  const text = name => definitions.find(d => d.name === name);
  const pct = value => value === null || value === undefined ? '–' : `${Math.round(1000 * value) / 10}%`;
  return el('div', { class: 'scroll' }, el('table', { class: 'definitions-table' },
    el('thead', {}, el('tr', {}, ['Definition', 'Reference', 'Definition text', 'Episodes', 'Evaluable', 'Relapsed', 'Median weeks',
      'Relapse-free 4 w', '12 w', '26 w'].map(h => el('th', {}, h)))),
    el('tbody', {}, rows.map(r => el('tr', {},
      el('td', {}, r.definition), el('td', {}, r.reference), el('td', {}, `${text(r.definition)?.definition ?? ''} (missing is ${text(r.definition)?.missingIs ?? '?'})`),
      el('td', {}, String(r.episodes)), el('td', {}, String(r.evaluable)), el('td', {}, `${r.events} (${pct(r.eventShare)})`),
      el('td', {}, r.medianWeeks ?? '–'), el('td', {}, pct(r.survival4)), el('td', {}, pct(r.survival12)), el('td', {}, pct(r.survival26)))))));
}

/** Bars per medication: retained / evaluable summed over the cohorts (exact, as both are counts). */
function renderRetention(rows) {
  if (rows.length === 0) return [el('p', { class: 'muted' }, 'No episodes in this cohort.')];
  const byMedication = Map.groupBy(rows, r => r.medication);
  const groups = [...byMedication].map(([medication, cohorts]) => ({
    name: [medication, `${sum(cohorts, 'episodes')} episode${sum(cohorts, 'episodes') === 1 ? '' : 's'}`],
    bars: Days.map(d => {
      const retained = sum(cohorts, `retained${d}`), evaluable = sum(cohorts, `evaluable${d}`);
      return { label: [`${d} d`, `n=${evaluable}`], share: evaluable ? retained / evaluable : null,
        title: `${medication}, ${d} days: ${retained} retained of ${evaluable} evaluable` };
    }),
  }));
  return [
    el('div', { class: 'scroll' }, shareBars({ groups, barClass: 'retention-bar' })),
    // What the last bar is: the one most often misread (a young cohort's 180 days are mostly not known yet).
    el('p', { class: 'explain', id: 'retention-bars-explained' },
      el('strong', {}, 'The bars: '), 'for each medication, the share of episodes still in continuous treatment 30, 90 and 180 days ',
      'after the first dose (n = the episodes counted). ', el('strong', {}, 'The 180-day bar'),
      ' counts only episodes whose 180 days are known: those that stayed 180 days or more, and those that ended before. ',
      'An episode still in treatment and not yet 180 days in counts in neither, so for recent cohorts this bar rests on few ',
      'episodes, mostly those that ended early, and can read lower than the 30- and 90-day bars; "n/a" means none is known yet. ',
      'Hover a bar for its counts; the table below has them per cohort.'),
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
    el('div', { class: 'scroll' }, survivalCurves({ curves, curveClass: 'km-curve' })),
    el('p', { class: 'legend' }, curves.map((c, i) => el('span', { class: 'legend-item' },
      swatch(Palette[i % Palette.length]),
      `${c.name} (${c.steps[0].atRisk} at risk)`)), el('span', { class: 'muted' }, 'Ticks mark censorings.')),
  ];
}

const sum = (rows, field) => rows.reduce((total, r) => total + (r[field] ?? 0), 0);
const share = (retained, evaluable) => evaluable ? `${Math.round(100 * retained / evaluable)}% (${retained}/${evaluable})` : '–';

/** A legend's colour sample (set through the style object: the workstation's CSP allows no style attributes). */
function swatch(color) {
  const sample = el('span', { class: 'swatch' });
  sample.style.background = color;
  return sample;
}
