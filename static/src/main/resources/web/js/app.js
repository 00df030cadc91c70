// Start-up and navigation: first-run setup, sign-in, the signed-in shell and its views (#generate,
// #gallery, #queue, #models, #users, #profile), the theme toggle, and files dropped on the page. Each view
// is one module with init() and show(), and optionally uploadTarget() (where dropped files go); a new
// page is a <section id="view-NAME"> in index.html, a nav link, and its module in `views`.

import { api, EXPIRED_MESSAGE } from './api.js';
import { on } from './bus.js';
import { $, $$, say } from './dom.js';
import { flash, forgetToken, session, storeToken, SYSTEM_USER, takeFlash, token } from './session.js';
import { watchPassword } from './password.js';
import { acceptDroppedFiles } from './upload.js';
import * as socket from './socket.js';
import generate from './generate.js';
import gallery from './gallery.js';
import queue, { watchBadge } from './queue.js';
import models from './models.js';
import users from './users.js';
import profile from './profile.js';

const views = { generate, gallery, queue, models, users, profile };
const started = new Set();
let inApp = false;

function showOnly(id) {
  for (const section of ['boot', 'setup', 'login', 'app']) $(`#${section}`).hidden = section !== id;
}

async function boot() {
  try {
    session.status = await api('api/v1/auth/status', { anonymous: true });
  } catch (e) {
    $('#boot').textContent = `${e.message} `;
    $('#boot').append(Object.assign(document.createElement('button'), { textContent: 'Try again', onclick: boot }));
    return;
  }
  if (!session.multiuser) {
    session.user = SYSTEM_USER;
    enterApp();
  } else if (session.status.setup_required) {
    showSetup();
  } else if (token()) {
    try {
      // As InvokeAI's client does on load: bring the media cookie up to date, then learn who we are.
      await api('api/v1/auth/media-cookie', { method: 'POST' });
      session.user = await api('api/v1/auth/me');
      enterApp();
    } catch (e) {
      if (e.status !== 401) showLogin(e.message);
      // a 401 has already sent us to sign-in with the expiry message
    }
  } else {
    showLogin(takeFlash());
  }
}

function showSetup() {
  showOnly('setup');
  const form = $('#setup-form');
  const strict = () => 'admin'; // the first account is an administrator: always a strong password
  watchPassword(form, {
    input: form.elements.password, confirm: form.elements.confirm, box: $('#setup-rules'),
    submit: $('button[type=submit]', form), strict,
  });
  form.elements.email.focus();
  form.onsubmit = async event => {
    event.preventDefault();
    say(form, '');
    const email = form.elements.email.value.trim();
    const password = form.elements.password.value;
    if (!email) return say(form, 'Enter an email address.');
    try {
      await api('api/v1/auth/setup', {
        method: 'POST', anonymous: true,
        json: { email, display_name: form.elements.display_name.value.trim() || null, password },
      });
      await signIn(email, password, false);
    } catch (e) {
      say(form, e.message);
    }
  };
}

function showLogin(message) {
  socket.disconnect();
  // A dialog left open would sit above the sign-in page.
  for (const open of $$('dialog[open]')) open.close('cancel');
  showOnly('login');
  const form = $('#login-form');
  say(form, message || '', 'notice');
  say(form, '');
  form.elements.password.value = '';
  (form.elements.email.value ? form.elements.password : form.elements.email).focus();
  form.onsubmit = async event => {
    event.preventDefault();
    say(form, '');
    const email = form.elements.email.value.trim();
    if (!email || !form.elements.password.value) return say(form, 'Enter your email and password.');
    try {
      await signIn(email, form.elements.password.value, form.elements.remember_me.checked);
    } catch (e) {
      say(form, e.message);
    }
  };
}

async function signIn(email, password, rememberMe) {
  const answer = await api('api/v1/auth/login', {
    method: 'POST', anonymous: true, json: { email, password, remember_me: rememberMe },
  });
  storeToken(answer.token);
  const previous = session.user;
  if (inApp && previous && previous.user_id !== answer.user.user_id) {
    // Someone else signs in on this page: start from nothing, so no view keeps what they may not see.
    location.reload();
    return;
  }
  session.user = answer.user;
  if (inApp) {
    // The same person after an expired session: keep the page as it was.
    showOnly('app');
    socket.connect();
    views[currentView()].show();
  } else {
    enterApp();
  }
}

function enterApp() {
  inApp = true;
  showOnly('app');
  document.body.classList.toggle('is-admin', session.isAdmin);
  document.body.classList.toggle('is-multiuser', session.multiuser);
  for (const el of $$('[data-admin]')) el.hidden = !session.isAdmin;
  for (const el of $$('[data-multiuser]')) if (!session.multiuser) el.hidden = true;
  showWho();
  socket.connect();
  watchBadge();
  route();
}

function showWho() {
  const user = session.user;
  $('#who-name').textContent = session.multiuser
    ? `${user.display_name || user.email}${user.is_admin ? ' (administrator)' : ''}` : '';
}

function allowed(name) {
  if (!views[name]) return false;
  if (name === 'users') return session.multiuser && session.isAdmin;
  if (name === 'profile') return session.multiuser;
  return true;
}

function currentView() {
  const name = location.hash.replace(/^#/, '').split('/')[0];
  return allowed(name) ? name : 'generate';
}

function route() {
  if (!inApp) return;
  const name = currentView();
  for (const [key] of Object.entries(views)) $(`#view-${key}`).hidden = key !== name;
  for (const link of $$('#nav a')) {
    if (link.dataset.view === name) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  if (!started.has(name)) {
    started.add(name);
    views[name].init();
  }
  views[name].show();
}

async function logout() {
  try {
    await api('api/v1/auth/logout', { method: 'POST' });
  } catch {
    // Gone already (e.g. expired): signing out here still forgets it.
  }
  socket.disconnect();
  forgetToken();
  flash('You have logged out.');
  location.reload();
}

on('session-expired', message => {
  if (!$('#login').hidden) return;
  showLogin(message || EXPIRED_MESSAGE);
});
on('user-changed', user => {
  session.user = { ...session.user, ...user };
  showWho();
});
on('live', live => {
  const badge = $('#live');
  badge.textContent = live ? 'live' : 'offline';
  badge.classList.toggle('on', live);
});

window.addEventListener('hashchange', () => {
  route();
  $('#main').focus({ preventScroll: true });
});
$('#logout').addEventListener('click', logout);

const THEME_KEY = 'invokej_theme';

/** A toggle button ("Light theme", pressed while light is on); the choice is remembered on this browser. */
function showTheme() {
  const light = document.documentElement.dataset.theme === 'light';
  $('#theme-toggle').setAttribute('aria-pressed', String(light));
}
$('#theme-toggle').addEventListener('click', () => {
  const next = document.documentElement.dataset.theme === 'light' ? 'dark' : 'light';
  document.documentElement.dataset.theme = next;
  localStorage.setItem(THEME_KEY, next);
  showTheme();
});
showTheme();

// Files dropped anywhere: to the board the page shows (Gallery) or saves to (Generate), else uncategorized.
acceptDroppedFiles(() => {
  if (!inApp) return null;
  const view = views[currentView()];
  return (view.uploadTarget && view.uploadTarget()) || { boardId: 'none', label: 'Uncategorized' };
});

boot();
