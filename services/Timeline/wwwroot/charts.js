// Inline SVG charts, drawn with the DOM: no library, nothing fetched. Each mark carries a <title> for hover.

const Svg = 'http://www.w3.org/2000/svg';
export const Palette = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#17becf'];

export function svg(name, attributes = {}, ...children) {
  const node = document.createElementNS(Svg, name);
  for (const [key, value] of Object.entries(attributes)) if (value !== undefined && value !== null) node.setAttribute(key, value);
  for (const child of children.flat()) if (child) node.append(child);
  return node;
}

export const title = text => svg('title', {}, text);
/** A label at (x, y); a list of lines is drawn one under the other (a long label wraps instead of running into its neighbour). */
export const text = (x, y, content, attributes = {}) => {
  const t = svg('text', { x, y, ...attributes });
  if (Array.isArray(content)) content.forEach((line, i) => { const span = svg('tspan', { x, dy: i ? '1.15em' : 0 }); span.textContent = line; t.append(span); });
  else t.textContent = content;
  return t;
};

/** A centred axis label's anchor, turned to end (start) near the chart's right (left) edge, so it is never cut off. */
export const anchorWithin = (x, left, right, room = 34) => x > right - room ? 'end' : x < left + room ? 'start' : 'middle';

/** Maps [d0, d1] onto [r0, r1]; a zero-width domain maps to the middle. */
export function scale([d0, d1], [r0, r1]) {
  return value => d1 === d0 ? (r0 + r1) / 2 : r0 + (value - d0) * (r1 - r0) / (d1 - d0);
}

const DayMs = 86400000;

/** Date ticks at a step of hours, days, weeks, months or years, about `count` of them. */
export function timeTicks(start, end, count = 6) {
  const span = Math.max(end - start, 1);
  const steps = [1000, 10000, 60000, 5 * 60000, 15 * 60000, 3600000, 6 * 3600000, DayMs, 7 * DayMs, 30 * DayMs, 91 * DayMs, 365 * DayMs];
  const step = steps.find(s => span / s <= count) ?? steps.at(-1);
  const first = Math.ceil(start / step) * step;
  const ticks = [];
  for (let t = first; t <= end; t += step) ticks.push(t);
  const label = step < 60000 ? (t => new Date(t).toISOString().slice(11, 19))
    : step < DayMs ? (t => new Date(t).toISOString().slice(5, 16).replace('T', ' '))
    : step < 30 * DayMs ? (t => new Date(t).toISOString().slice(0, 10))
    : (t => new Date(t).toISOString().slice(0, 7));
  return ticks.map(t => ({ at: t, label: label(t) }));
}

/** Numeric ticks at 1, 2 or 5 times a power of ten. */
export function numberTicks(min, max, count = 4) {
  const span = Math.max(max - min, 1e-9);
  const raw = span / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map(m => m * power).find(s => s >= raw);
  const ticks = [];
  for (let v = Math.ceil(min / step) * step; v <= max + 1e-9; v += step) ticks.push(Number(v.toFixed(10)));
  return ticks;
}

/**
 * A small time-series chart: points { at: Date ms, value, label } as dots joined by a line.
 * `pointClass` names the dots, so a page (and its test) can count them.
 */
export function seriesChart({ points, unit, pointClass, color = Palette[0], width = 420, height = 150, yMax }) {
  const pad = { left: 40, right: 12, top: 20, bottom: 28 };
  const chart = svg('svg', { viewBox: `0 0 ${width} ${height}`, width, height, class: 'chart', role: 'img' });
  if (points.length === 0) {
    chart.append(text(width / 2, height / 2, 'none recorded', { 'text-anchor': 'middle', class: 'muted' }));
    return chart;
  }
  const times = points.map(p => p.at);
  const start = Math.min(...times), end = Math.max(...times);
  const top = yMax ?? Math.max(...points.map(p => p.value)) * 1.1;
  const x = scale([start, end], [pad.left, width - pad.right]);
  const y = scale([0, top], [height - pad.bottom, pad.top]);
  for (const tick of numberTicks(0, top, 3)) {
    chart.append(svg('line', { x1: pad.left, x2: width - pad.right, y1: y(tick), y2: y(tick), class: 'grid' }),
      text(pad.left - 4, y(tick) + 4, String(tick), { 'text-anchor': 'end', class: 'tick' }));
  }
  for (const tick of timeTicks(start, end, 3))
    chart.append(text(x(tick.at), height - 8, tick.label, { 'text-anchor': anchorWithin(x(tick.at), 0, width), class: 'tick' }));
  chart.append(text(4, 10, unit, { class: 'tick' }));
  const sorted = [...points].sort((a, b) => a.at - b.at);
  if (sorted.length > 1)
    chart.append(svg('polyline', { points: sorted.map(p => `${x(p.at)},${y(p.value)}`).join(' '), fill: 'none', stroke: color, 'stroke-width': 1.5 }));
  for (const p of sorted)
    chart.append(svg('circle', { cx: x(p.at), cy: y(p.value), r: 4, fill: color, class: pointClass }, title(p.label)));
  return chart;
}

/**
 * Grouped bars of shares (0..1): groups [{ name, bars: [{ label, share, title }] }]. A bar's label and a group's name may
 * be lists of lines; the group's name sits under its bars on lines of its own, so neighbouring names never run together.
 */
export function shareBars({ groups, barClass, width = 640, height = 270 }) {
  const pad = { left: 44, right: 12, top: 16, bottom: 74 };
  const chart = svg('svg', { viewBox: `0 0 ${width} ${height}`, width, height, class: 'chart', role: 'img' });
  const y = scale([0, 1], [height - pad.bottom, pad.top]);
  for (const tick of [0, 0.25, 0.5, 0.75, 1])
    chart.append(svg('line', { x1: pad.left, x2: width - pad.right, y1: y(tick), y2: y(tick), class: 'grid' }),
      text(pad.left - 4, y(tick) + 4, `${tick * 100}%`, { 'text-anchor': 'end', class: 'tick' }));
  const groupWidth = (width - pad.left - pad.right) / Math.max(groups.length, 1);
  groups.forEach((group, g) => {
    const barWidth = (groupWidth * 0.8) / Math.max(group.bars.length, 1);
    const left = pad.left + g * groupWidth + groupWidth * 0.1;
    group.bars.forEach((bar, b) => {
      const bx = left + b * barWidth;
      if (bar.share === null || bar.share === undefined) {
        chart.append(text(bx + barWidth / 2, y(0) - 4, 'n/a', { 'text-anchor': 'middle', class: 'tick' }));
      } else {
        chart.append(svg('rect', { x: bx + 1, y: y(bar.share), width: barWidth - 2, height: y(0) - y(bar.share), fill: Palette[b % Palette.length], class: barClass }, title(bar.title)),
          text(bx + barWidth / 2, y(bar.share) - 3, `${Math.round(bar.share * 100)}%`, { 'text-anchor': 'middle', class: 'tick' }));
      }
      chart.append(text(bx + barWidth / 2, height - pad.bottom + 14, bar.label, { 'text-anchor': 'middle', class: 'tick bar-label' }));
    });
    chart.append(text(left + groupWidth * 0.4, height - 28, group.name, { 'text-anchor': 'middle', class: 'group-label' }));
  });
  return chart;
}

/**
 * Kaplan-Meier step curves: curves [{ name, steps: [{ day, survival, atRisk, relapses, censored }] }], each starting at
 * survival 1 on day 0; a tick marks each day with censorings. `unit` labels the time axis (days, or weeks).
 */
export function survivalCurves({ curves, curveClass, width = 640, height = 280, unit = 'days after detox completion' }) {
  const pad = { left: 44, right: 12, top: 12, bottom: 36 };
  const chart = svg('svg', { viewBox: `0 0 ${width} ${height}`, width, height, class: 'chart', role: 'img' });
  const lastDay = Math.max(1, ...curves.flatMap(c => c.steps.map(s => s.day)));
  const x = scale([0, lastDay], [pad.left, width - pad.right]);
  const y = scale([0, 1], [height - pad.bottom, pad.top]);
  for (const tick of [0, 0.25, 0.5, 0.75, 1])
    chart.append(svg('line', { x1: pad.left, x2: width - pad.right, y1: y(tick), y2: y(tick), class: 'grid' }),
      text(pad.left - 4, y(tick) + 4, `${tick * 100}%`, { 'text-anchor': 'end', class: 'tick' }));
  for (const tick of numberTicks(0, lastDay, 6))
    chart.append(text(x(tick), height - pad.bottom + 14, String(tick), { 'text-anchor': 'middle', class: 'tick' }));
  chart.append(text(width - pad.right, height - 4, unit, { 'text-anchor': 'end', class: 'tick' }));
  curves.forEach((curve, i) => {
    const color = Palette[i % Palette.length];
    let path = `M ${x(0)} ${y(1)}`;
    let survival = 1;
    for (const step of curve.steps) {
      path += ` H ${x(step.day)} V ${y(step.survival)}`;
      survival = step.survival;
    }
    path += ` H ${x(lastDay)}`;
    chart.append(svg('path', { d: path, fill: 'none', stroke: color, 'stroke-width': 2, class: curveClass, 'data-group': curve.name },
      title(`${curve.name}: ${Math.round(survival * 1000) / 10}% relapse-free at the last day observed`)));
    for (const step of curve.steps.filter(s => s.censored > 0))
      chart.append(svg('line', { x1: x(step.day), x2: x(step.day), y1: y(step.survival) - 4, y2: y(step.survival) + 4, stroke: color, class: 'censor' },
        title(`${curve.name}, day ${step.day}: ${step.censored} censored, ${step.atRisk} at risk, survival ${step.survival.toFixed(3)}`)));
  });
  return chart;
}
