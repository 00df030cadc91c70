// User administration (administrators): list, create with a generated password, rename, reset the
// password, promote or demote, activate or deactivate, delete (optionally handing their boards, images
// and workflows to someone else); and the audit log.

import { api } from './api.js';
import { $, attempt, confirmDialog, dialog, field, fill, h, toast, userLabel, when } from './dom.js';
import { showRules } from './password.js';
import { session } from './session.js';

const USERS = 'api/v1/auth/users';
const AUDIT_PAGE = 25;

let users = [];
let auditOffset = 0;

export default { init, show };

function init() {
  $('#user-create').addEventListener('click', create);
  $('#audit-newer').addEventListener('click', () => audit(Math.max(0, auditOffset - AUDIT_PAGE)));
  $('#audit-older').addEventListener('click', () => audit(auditOffset + AUDIT_PAGE));
}

function show() {
  load();
  audit(0);
}

function problem(message) {
  $('#users-error').textContent = message || '';
}

async function load() {
  try {
    users = await api(USERS);
  } catch (e) {
    problem(e.message);
    return;
  }
  fill($('#user-rows'), users.map(user => {
    const self = session.owns(user.user_id);
    return h('tr', { class: user.is_active ? '' : 'inactive', dataset: { userId: user.user_id, email: user.email } },
      h('th', { scope: 'row', text: user.email }),
      h('td', { text: user.display_name || '' }),
      h('td', { text: user.is_admin ? 'Administrator' : 'User' }),
      h('td', { text: user.is_active ? 'Active' : 'Inactive' }),
      h('td', { text: user.last_login_at ? `last signed in ${when(user.last_login_at)}` : 'never signed in' }),
      h('td', { class: 'actions wrap' },
        button('Rename', user, () => rename(user)),
        button('Reset password', user, () => resetPassword(user)),
        button(user.is_admin ? 'Remove administrator' : 'Make administrator', user,
          () => change(user, { is_admin: !user.is_admin }, self && user.is_admin)),
        button(user.is_active ? 'Deactivate' : 'Activate', user,
          () => change(user, { is_active: !user.is_active }, self && user.is_active)),
        button('Delete', user, () => remove(user), 'danger')));
  }));
}

function button(text, user, onclick, kind = '') {
  return h('button', { type: 'button', class: `small ${kind}`.trim(), text, 'aria-label': `${text}: ${user.email}`, onclick });
}

async function act(action) {
  await attempt(problem, action);
  await reload();
}

async function reload() {
  await load();
  await audit(0);
}

/** A password field with a "Generate" button and the live rules. */
function passwordField(name, label, forAdmin = () => false) {
  const input = h('input', { name, type: 'text', autocomplete: 'new-password', required: true, spellcheck: 'false' });
  const rules = h('div', { class: 'password-rules', 'aria-live': 'polite' });
  const update = () => showRules(rules, input.value, strictness(forAdmin()));
  input.addEventListener('input', update);
  const generate = h('button', {
    type: 'button', text: 'Generate',
    onclick: async () => {
      const { password } = await api('api/v1/auth/generate-password');
      input.value = password;
      update();
      input.focus();
    },
  });
  update();
  return { node: [h('label', {}, label, ' ', h('span', { class: 'row tight' }, input, generate)), rules], input };
}

/** Administrators always need a strong password; others as the server's setting says. */
function strictness(admin) {
  return admin ? 'admin' : Boolean(session.status.strict_password_checking);
}

function checkPassword(value, admin) {
  const ok = showRules(document.createElement('div'), value, strictness(admin));
  if (!ok) throw new Error(value ? 'The password does not meet the rules above.' : 'Enter a password or generate one.');
}

/** Shows a new password once, so the administrator can pass it on. */
function handOver(email, password) {
  return dialog({
    title: 'Give these to the user',
    fields: [
      h('p', { text: 'The password is shown only now.' }),
      h('dl', { class: 'metadata' },
        h('dt', { text: 'Email' }), h('dd', { text: email }),
        h('dt', { text: 'Password' }), h('dd', {}, h('code', { class: 'secret', text: password }))),
      h('button', {
        type: 'button', text: 'Copy password',
        onclick: () => navigator.clipboard?.writeText(password).then(() => toast('Password copied.')),
      }),
    ],
    actions: [{ label: 'Done', value: 'ok', primary: true }],
  });
}

async function create() {
  let adminBox = null;
  const password = passwordField('password', 'Password', () => Boolean(adminBox?.checked));
  const created = await dialog({
    title: 'New user',
    fields: [
      field('Email', { name: 'email', type: 'email', required: true, autocomplete: 'off' }),
      field('Display name', { name: 'display_name' }),
      password.node,
      h('label', { class: 'inline' }, adminBox = h('input', { type: 'checkbox', name: 'is_admin' }), ' Administrator'),
    ],
    actions: [{ label: 'Cancel', value: 'cancel' }, { label: 'Create user', value: 'ok', primary: true }],
    onSubmit: async (_, form) => {
      checkPassword(form.elements.password.value, form.elements.is_admin.checked);
      return api(USERS, {
        method: 'POST',
        json: {
          email: form.elements.email.value.trim(),
          display_name: form.elements.display_name.value.trim() || null,
          password: form.elements.password.value,
          is_admin: form.elements.is_admin.checked,
        },
      });
    },
  });
  if (!created) return;
  await handOver(created.email, password.input.value);
  await reload();
}

async function rename(user) {
  const changed = await dialog({
    title: `Rename ${user.email}`,
    fields: [field('Display name', { name: 'display_name', value: user.display_name || '' })],
    actions: [{ label: 'Cancel', value: 'cancel' }, { label: 'Save', value: 'ok', primary: true }],
    onSubmit: (_, form) => api(`${USERS}/${encodeURIComponent(user.user_id)}`, {
      method: 'PATCH', json: { display_name: form.elements.display_name.value.trim() },
    }),
  });
  if (changed) await reload();
}

async function resetPassword(user) {
  const password = passwordField('password', 'New password', () => user.is_admin);
  const changed = await dialog({
    title: `Reset the password of ${user.email}`,
    fields: [h('p', { text: 'Every session of this user ends.' }), password.node],
    actions: [{ label: 'Cancel', value: 'cancel' }, { label: 'Reset password', value: 'ok', primary: true }],
    onSubmit: (_, form) => {
      checkPassword(form.elements.password.value, user.is_admin);
      return api(`${USERS}/${encodeURIComponent(user.user_id)}`, { method: 'PATCH', json: { password: form.elements.password.value } });
    },
  });
  if (!changed) return;
  await handOver(user.email, password.input.value);
  await reload();
}

async function change(user, changes, losesOwnAccess) {
  if (losesOwnAccess) {
    const what = changes.is_active === false ? 'deactivate your own account and be signed out' : 'give up your administrator rights';
    if (!await confirmDialog('Your own account', `You are about to ${what}. Continue?`, 'Continue', true)) return;
  }
  await act(() => api(`${USERS}/${encodeURIComponent(user.user_id)}`, { method: 'PATCH', json: changes }));
  // Having given up one's own rights, the page must forget what only administrators see.
  if (losesOwnAccess) location.reload();
}

async function remove(user) {
  const others = users.filter(u => u.user_id !== user.user_id && u.is_active);
  const transfer = h('select', { name: 'transfer_to' },
    h('option', { value: '', text: 'Nobody (only administrators will see it)' }),
    others.map(u => h('option', { value: u.user_id, text: `${userLabel(u)} <${u.email}>` })));
  const deleted = await dialog({
    title: `Delete ${user.email}`,
    fields: [
      h('p', { text: 'The account is deleted for good. Their boards, images and workflows can go to someone else.' }),
      h('label', {}, 'Give their content to ', transfer),
    ],
    actions: [{ label: 'Cancel', value: 'cancel' }, { label: 'Delete user', value: 'ok', danger: true }],
    onSubmit: () => api(`${USERS}/${encodeURIComponent(user.user_id)}`, {
      method: 'DELETE', query: { transfer_to: transfer.value || null },
    }).then(() => true),
  });
  if (!deleted) return;
  toast(`${user.email} deleted.`);
  if (session.owns(user.user_id)) location.reload();
  else await reload();
}

async function audit(offset) {
  let page;
  try {
    page = await api('api/v1/audit', { query: { offset, limit: AUDIT_PAGE } });
  } catch (e) {
    problem(e.message);
    return;
  }
  auditOffset = offset;
  fill($('#audit-rows'), page.items.map(entry => h('tr', {},
    h('td', { text: when(entry.occurred_at) }),
    h('td', { text: entry.action.replaceAll('_', ' ') }),
    h('td', { text: entry.actor_email || entry.actor_user_id || '' }),
    h('td', { text: entry.target_email || entry.target_user_id || '' }),
    h('td', { text: entry.client_address || '' }),
    h('td', { text: entry.detail || '' }))));
  const last = Math.min(offset + page.items.length, page.total);
  $('#audit-page').textContent = page.total ? `${offset + 1}–${last} of ${page.total}` : 'No entries';
  $('#audit-newer').disabled = offset === 0;
  $('#audit-older').disabled = last >= page.total;
}
