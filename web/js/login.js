// The login form (hooks: inputs named user and password). The token lives in sessionStorage:
// closing the tab ends the session.
import {login} from './api.js';
import {h, replace} from './dom.js';

export function showLogin(main, onDone) {
  const error = h('p', {class: 'error', id: 'login-error', role: 'alert'});
  const form = h('form', {class: 'login card', 'aria-labelledby': 'login-title'},
    h('h1', {id: 'login-title'}, 'Log in to the station'),
    h('label', {}, 'User', h('input', {name: 'user', autocomplete: 'username', required: true})),
    h('label', {}, 'Password',
      h('input', {name: 'password', type: 'password', autocomplete: 'current-password', required: true})),
    error,
    h('button', {type: 'submit', class: 'primary'}, 'Log in'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.textContent = '';
    try {
      await login(form.user.value.trim(), form.password.value);
      onDone();
    } catch (e) {
      error.textContent = e.message;
      form.password.select();
    }
  });
  replace(main, form);
  form.user.focus();
}
