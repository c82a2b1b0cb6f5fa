// Calls to the services through the gateway (/api/{service}/...). The session cookie carries the token: the page never
// sees it. A refusal is an RFC 7807 problem; forms show its words next to the fields it names.

/** A refusal of the API: status, rule, detail, and the fields it names. */
export class Problem extends Error {
  constructor(status, body) {
    super(body?.detail || body?.title || `The service answered ${status}.`);
    this.status = status;
    this.rule = body?.rule || null;
    this.errors = body?.errors || {};
    this.values = body?.values || null;
  }
}

// Rules that mean "another service has not heard of this yet" (README: retry shortly). A form retries them a few
// seconds before it shows the refusal.
const Arriving = new Set(['assessment-not-completed', 'patient-not-registered', 'patient-not-monitored']);

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

/** One call: JSON in, JSON out; a refusal throws a Problem. */
export async function call(method, path, body, { waitForArrival = false, onWait } = {}) {
  const deadline = Date.now() + 10000;
  for (;;) {
    let response;
    try {
      response = await fetch(path, {
        method,
        headers: body === undefined ? { Accept: 'application/json' } : { Accept: 'application/json', 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: 'same-origin',
      });
    } catch {
      throw new Problem(0, { detail: 'The workstation did not answer. Check the connection and try again.' });
    }
    if (response.status === 204) return null;
    const text = await response.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { json = { detail: text.slice(0, 200) }; }
    if (response.ok) return json;
    const problem = new Problem(response.status, json);
    if (response.status === 401 && problem.rule !== 'development-sign-in-off' && !path.startsWith('/session')) {
      location.assign('/signin.html');
    }
    if (waitForArrival && Arriving.has(problem.rule) && Date.now() < deadline) {
      onWait?.(problem);
      await sleep(500);
      continue;
    }
    throw problem;
  }
}

export const get = path => call('GET', path);
export const post = (path, body, options) => call('POST', path, body ?? {}, options);

/** Creates an element: el('p', { class: 'x' }, 'text', child). Attributes that are null or false are left out. */
export function el(name, attributes = {}, ...children) {
  const node = document.createElement(name);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat(Infinity)) if (child !== null && child !== undefined && child !== false) node.append(child);
  return node;
}

let fieldCount = 0;

/**
 * A labelled field. kind: text, number, date, datetime, select (options), checkbox, textarea. `name` is the JSON path of
 * the value (dots for nested objects, numbers for list positions); the error under it is where the problem's words go.
 */
export function field(label, name, { kind = 'text', options = [], value = '', required = false, hint = null, step = null, min = null, max = null, type = null } = {}) {
  const id = `f${++fieldCount}`;
  const errorId = `${id}-error`;
  const hintId = hint ? `${id}-hint` : null;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ');
  let control;
  const common = { id, name, 'data-kind': type ?? kind, 'aria-describedby': describedBy, required };
  if (kind === 'select') {
    control = el('select', common, options.map(o => {
      const [v, text] = Array.isArray(o) ? o : [o, o];
      return el('option', { value: v, selected: String(v) === String(value) }, text);
    }));
  } else if (kind === 'textarea') {
    control = el('textarea', { ...common, rows: 3 }, value);
  } else if (kind === 'checkbox') {
    control = el('input', { ...common, type: 'checkbox', checked: !!value });
  } else {
    const inputType = { datetime: 'datetime-local', number: 'number', date: 'date' }[kind] ?? 'text';
    control = el('input', { ...common, type: inputType, value, step: step ?? (kind === 'number' ? 'any' : null), min, max });
  }
  const wrapper = el('div', { class: kind === 'checkbox' ? 'field check' : 'field', 'data-field': name },
    kind === 'checkbox' ? [control, el('label', { for: id }, label)] : [el('label', { for: id }, label), control],
    hint ? el('p', { class: 'hint', id: hintId }, hint) : null,
    el('p', { class: 'field-error', id: errorId, role: 'alert', hidden: true }));
  return wrapper;
}

/** A group of checkboxes whose checked values are one list field (`name`). */
export function checklist(legend, name, items, checked = []) {
  const errorId = `${name}-error-${++fieldCount}`;
  return el('fieldset', { class: 'field checklist', 'data-field': name, 'aria-describedby': errorId },
    el('legend', {}, legend),
    items.map(([value, text]) => {
      const id = `f${++fieldCount}`;
      return el('div', { class: 'check' }, el('input', { type: 'checkbox', id, name, value, 'data-kind': 'list', checked: checked.includes(value) }),
        el('label', { for: id }, text));
    }),
    el('p', { class: 'field-error', id: errorId, role: 'alert', hidden: true }));
}

/** Reads a form into the JSON a command takes: empty optional fields are left out, so the service's defaults apply. */
export function collect(form) {
  const body = {};
  // A row's key (a schedule phase) is sent only with the row's values: a row left empty is left out.
  const rowKeys = new Set();
  for (const control of form.querySelectorAll('[name]')) {
    const kind = control.dataset.kind;
    const path = control.name.split('.');
    let value;
    if (kind === 'list') {
      const list = read(body, path) ?? [];
      if (control.checked) list.push(control.value);
      assign(body, path, list);
      continue;
    }
    if (kind === 'rowkey') rowKeys.add(control.name);
    if (kind === 'checkbox') value = control.checked ? true : undefined;
    else if (control.value === '') value = undefined;
    else if (kind === 'number') value = Number(control.value);
    else if (kind === 'datetime') value = new Date(control.value).toISOString();
    else if (kind === 'integer-select') value = Number(control.value);
    else value = control.value;
    if (value !== undefined) assign(body, path, value);
  }
  return compact(body, '', rowKeys);
}

function read(object, path) {
  return path.reduce((o, key) => (o == null ? undefined : o[key]), object);
}

function assign(object, path, value) {
  let target = object;
  path.forEach((key, i) => {
    if (i === path.length - 1) target[key] = value;
    else target = target[key] ??= /^\d+$/.test(path[i + 1]) ? [] : {};
  });
}

// Rows left empty (an optional schedule phase) drop out of lists.
function compact(value, path, rowKeys) {
  const at = key => (path ? `${path}.${key}` : `${key}`);
  const empty = (v, p) => v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).every(k => rowKeys.has(`${p}.${k}`));
  if (Array.isArray(value)) {
    return value.map((v, i) => [v, at(i)]).filter(([v, p]) => v !== undefined && !empty(v, p)).map(([v, p]) => compact(v, p, rowKeys));
  }
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, compact(v, at(k), rowKeys)]));
  return value;
}

/** Clears a form's messages. */
export function clearMessages(form) {
  for (const p of form.querySelectorAll('.field-error')) { p.hidden = true; p.textContent = ''; }
  for (const c of form.querySelectorAll('[aria-invalid]')) c.removeAttribute('aria-invalid');
  const summary = form.querySelector('.form-message');
  if (summary) { summary.hidden = true; summary.textContent = ''; summary.className = 'form-message'; }
}

const normal = key => key.replace(/\[(\d+)\]/g, '.$1').replace(/^\$\./, '').toLowerCase();

/** Shows a problem on its form: each field's words under that field, the detail and rule above the button. */
export function showProblem(form, problem) {
  clearMessages(form);
  const fields = [...form.querySelectorAll('[data-field]')];
  const unplaced = [];
  for (const [key, messages] of Object.entries(problem.errors ?? {})) {
    const k = normal(key);
    // The field whose name is the key, or the longest one the key lies under (items.sweating under items).
    const target = fields.filter(f => { const n = f.dataset.field.toLowerCase(); return k === n || k.startsWith(`${n}.`); })
      .sort((a, b) => b.dataset.field.length - a.dataset.field.length)[0];
    const text = [].concat(messages).join('; ');
    if (!target) { unplaced.push(`${key}: ${text}`); continue; }
    const error = target.querySelector('.field-error');
    error.textContent = error.textContent ? `${error.textContent}; ${text}` : text;
    error.hidden = false;
    target.querySelector('input, select, textarea')?.setAttribute('aria-invalid', 'true');
  }
  const summary = form.querySelector('.form-message');
  summary.className = 'form-message error';
  summary.textContent = [problem.status ? `${problem.status}` : '', problem.rule ? `${problem.rule}:` : '', problem.message, ...unplaced].filter(Boolean).join(' ');
  summary.hidden = false;
}

/**
 * A form that sends one command. `send(body)` returns the promise of the call; `done(result)` runs after success.
 * Nothing is saved unless the service accepted the whole command.
 */
export function commandForm(title, controls, send, done, { button = 'Save', className = '' } = {}) {
  const summary = el('p', { class: 'form-message', role: 'status', hidden: true });
  const submit = el('button', { type: 'submit' }, button);
  const form = el('form', { class: `command ${className}`, 'aria-label': title, novalidate: true },
    title ? el('h3', {}, title) : null, controls, summary, el('div', { class: 'actions' }, submit));
  form.addEventListener('submit', async event => {
    event.preventDefault();
    clearMessages(form);
    submit.disabled = true;
    try {
      const result = await send(collect(form), waiting => {
        summary.hidden = false;
        summary.textContent = `Waiting: ${waiting.message}`;
      });
      summary.hidden = false;
      summary.className = 'form-message ok';
      summary.textContent = 'Saved.';
      await done?.(result);
    } catch (error) {
      if (error instanceof Problem) showProblem(form, error);
      else showProblem(form, new Problem(0, { detail: error.message }));
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

/** Formats an instant as the clinic staff read it. */
export function when(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
}
