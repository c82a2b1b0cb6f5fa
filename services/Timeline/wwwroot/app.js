// Shared by the pages: the bearer token, calls to the Timeline API, readable errors, small DOM helpers.
// The token comes from the form or the URL fragment (#token=...): a fragment never reaches the server, and the token
// is kept in this tab's sessionStorage only. The pages show exactly what the API answers that token.
// Opened in the clinic workstation (its gateway routes this service under /api/timeline/), the pages hold no token: the
// workstation's session cookie carries the sign-in and the gateway adds the token; API paths are relative for that.

const TokenKey = 'recovery.token';

/** Served through the clinic workstation's gateway: the same origin and sign-in as its other screens. */
export const inWorkstation = location.pathname.startsWith('/api/timeline/');

export function token() {
  if (inWorkstation) return null;
  const fragment = new URLSearchParams(location.hash.slice(1));
  const given = fragment.get('token');
  if (given) {
    sessionStorage.setItem(TokenKey, given.trim());
    // Drop it from the address bar so it is not copied along with the link.
    history.replaceState(null, '', location.pathname + location.search);
  }
  return sessionStorage.getItem(TokenKey);
}

export function setToken(value) {
  if (value) sessionStorage.setItem(TokenKey, value.trim());
  else sessionStorage.removeItem(TokenKey);
}

/** A refusal or failure of the API, with the message a person can act on. */
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

const Explanations = {
  401: 'The token is missing, expired or not valid for this network. Paste a fresh token.',
  403: 'This token may not read this: its role or clinic is not allowed here.',
  404: 'Nothing found: the patient has no records this clinic may see (or the id is wrong).',
};

/** GET a JSON resource of the Timeline API with the bearer token. */
export async function getJson(path) {
  let response;
  try {
    response = await fetch(path, { headers: { ...authorization(), Accept: 'application/json' } });
  } catch {
    throw new ApiError(0, 'The Timeline service did not answer. Is it running?');
  }
  if (response.ok) return response.json();
  if (response.status === 401 && inWorkstation) location.assign('/signin.html');
  let problem = null;
  try { problem = await response.json(); } catch { /* not a problem document */ }
  const detail = problem?.detail || problem?.title || '';
  const fields = problem?.errors ? Object.entries(problem.errors).map(([field, why]) => `${field}: ${[].concat(why).join('; ')}`) : [];
  const rule = problem?.rule ? ` (${problem.rule})` : '';
  const message = [Explanations[response.status] || `The service answered ${response.status}.`, detail, ...fields].filter(Boolean).join(' ');
  throw new ApiError(response.status, `${response.status}${rule}: ${message}`);
}

/** Downloads a resource of the Timeline API (CSV, say) with the bearer token, saved under `fileName`. */
export async function download(path, accept, fileName) {
  const response = await fetch(path, { headers: { ...authorization(), Accept: accept } });
  if (!response.ok) throw new ApiError(response.status, `${response.status}: ${Explanations[response.status] || 'the download was refused.'}`);
  const link = el('a', { href: URL.createObjectURL(await response.blob()), download: fileName });
  document.body.append(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(link.href);
}

/** The bearer header: the pasted token, or none in the workstation (its gateway adds the session's). */
function authorization() {
  if (inWorkstation) return {};
  const bearer = token();
  if (!bearer) throw new ApiError(401, 'No token yet: paste a bearer token above.');
  return { Authorization: `Bearer ${bearer}` };
}

/** Creates an element: el('p', { class: 'x' }, 'text', child). */
export function el(name, attributes = {}, ...children) {
  const node = document.createElement(name);
  for (const [key, value] of Object.entries(attributes)) if (value !== undefined && value !== null) node.setAttribute(key, value);
  for (const child of children.flat()) if (child !== null && child !== undefined) node.append(child);
  return node;
}

/** Shows an error in the page's message area (never in the console). */
export function showError(error) {
  const area = document.getElementById('message');
  area.replaceChildren(el('p', { class: 'error', role: 'alert' }, error instanceof ApiError ? error.message : `Something went wrong: ${error.message}`));
}

export function clearMessage() {
  document.getElementById('message').replaceChildren();
}

/** Wires the token form shared by both pages. */
export function tokenForm(onChange) {
  const form = document.getElementById('token-form');
  if (inWorkstation) {
    form.remove();
    workstationHeader();
    return;
  }
  const input = form.querySelector('input[name=token]');
  const state = form.querySelector('.token-state');
  const show = () => { state.textContent = token() ? 'A token is set for this tab.' : 'No token set.'; };
  show();
  form.addEventListener('submit', event => {
    event.preventDefault();
    setToken(input.value);
    input.value = '';
    show();
    onChange();
  });
}

export const day = value => new Date(value).toISOString().slice(0, 10);
export const dateTime = value => new Date(value).toISOString().slice(0, 16).replace('T', ' ');

/** In the workstation: its header (who is signed in, the way back to its screens) instead of the token form. */
async function workstationHeader() {
  const nav = document.querySelector('header nav');
  const patient = new URLSearchParams(location.search).get('patient');
  const who = el('span', { id: 'who', class: 'muted' });
  nav.replaceChildren(...[el('a', { href: '/#/' }, 'Clinic workstation'),
    patient ? el('a', { href: `/#/patient/${encodeURIComponent(patient)}/journey` }, 'The patient\'s record') : null, who].filter(Boolean));
  document.body.classList.add('in-workstation');
  try {
    const response = await fetch('/session', { headers: { Accept: 'application/json' } });
    if (response.status === 401) { location.assign('/signin.html'); return; }
    const me = await response.json();
    who.textContent = `${me.user} · ${me.role}${me.clinic ? ` · ${me.clinic}` : ''}`;
  } catch { /* the page's own data call reports a gateway that does not answer */ }
}
