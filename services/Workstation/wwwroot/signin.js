// The development sign-in: the gateway issues the platform's own token for the chosen clinic, user and role and keeps
// it in an HttpOnly session cookie. Off unless Workstation:DevelopmentSignIn is on; the page says which.
import { commandForm, el, field, get, post } from './api.js';

const mode = document.getElementById('mode');
const { developmentSignIn, identityProvider } = await get('/session/sign-in');
if (!developmentSignIn) {
  mode.append(el('p', { class: 'notice' },
    `Sign-in here is through the network's identity provider (OpenID Connect${identityProvider ? `, ${identityProvider}` : ''}). `,
    'The development sign-in is off on this deployment.'));
} else {
  mode.append(el('p', { class: 'notice warning' },
    'Development sign-in is ON (Workstation:DevelopmentSignIn): anyone here can sign in as any clinic, user and role. ',
    'Never turn it on in a real deployment.'));
  document.getElementById('signin').append(commandForm('', [
    field('Clinic', 'clinic', { value: 'clinic-porto', required: true, hint: 'e.g. clinic-porto (analysts act for no clinic)' }),
    field('User', 'user', { value: 'dr-silva', required: true }),
    field('Role', 'role', { kind: 'select', options: ['clinician', 'counselor', 'admin', 'analyst', 'integrator'], value: 'clinician' }),
  ], body => post('/session', body), () => location.assign('/'), { button: 'Sign in' }));
}
