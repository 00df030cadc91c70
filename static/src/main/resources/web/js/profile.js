// One's own profile: display name and password. A password change ends every other session; this one
// continues on the replacement token the server sends (api.js keeps it and moves the media cookie).

import { api } from './api.js';
import apiKeys from './apikeys.js';
import { emit } from './bus.js';
import { $, say } from './dom.js';
import { watchPassword } from './password.js';
import { session } from './session.js';

let nameForm;
let passwordForm;
let checkPassword;

export default { init, show };

function init() {
  nameForm = $('#profile-name');
  passwordForm = $('#profile-password');
  nameForm.addEventListener('submit', saveName);
  passwordForm.addEventListener('submit', changePassword);
  checkPassword = watchPassword(passwordForm, {
    input: passwordForm.elements.new_password, confirm: passwordForm.elements.confirm, box: $('#profile-rules'),
    submit: $('button[type=submit]', passwordForm), strict: () => (session.user?.is_admin ? 'admin' : Boolean(session.status.strict_password_checking)),
  });
  apiKeys.init();
}

function show() {
  const user = session.user;
  $('[data-email]', nameForm).textContent = user.email;
  $('[data-role]', nameForm).textContent = user.is_admin ? '(administrator)' : '';
  nameForm.elements.display_name.value = user.display_name || '';
  for (const form of [nameForm, passwordForm]) {
    say(form, '');
    say(form, '', 'notice');
  }
  apiKeys.show();
}

async function saveName(event) {
  event.preventDefault();
  say(nameForm, '');
  say(nameForm, '', 'notice');
  try {
    const user = await api('api/v1/auth/me', { method: 'PATCH', json: { display_name: nameForm.elements.display_name.value.trim() } });
    emit('user-changed', user);
    say(nameForm, 'Your name is saved.', 'notice');
  } catch (e) {
    say(nameForm, e.message);
  }
}

async function changePassword(event) {
  event.preventDefault();
  say(passwordForm, '');
  say(passwordForm, '', 'notice');
  if (!checkPassword()) return;
  try {
    const user = await api('api/v1/auth/me', {
      method: 'PATCH',
      json: { current_password: passwordForm.elements.current_password.value, new_password: passwordForm.elements.new_password.value },
    });
    emit('user-changed', user);
    passwordForm.reset();
    checkPassword();
    say(passwordForm, 'Your password is changed. Your other sessions have been signed out.', 'notice');
  } catch (e) {
    say(passwordForm, e.message);
  }
}
