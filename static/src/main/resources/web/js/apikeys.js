// API keys on the profile page: create one (shown once, to copy), list and revoke one's own; an
// administrator may list and revoke everyone's. A self-contained part of the profile view.

import { api } from './api.js';
import { $, confirmDialog, fill, h, say } from './dom.js';
import { session } from './session.js';

let form;
let rows;
let secretBox;
let showAll;

export default { init, show };

function init() {
  form = $('#api-key-form');
  rows = $('#api-key-rows');
  secretBox = $('#api-key-secret');
  showAll = $('#api-key-all');
  form.addEventListener('submit', create);
  showAll.addEventListener('change', load);
}

function show() {
  $('#api-key-all-label').hidden = !session.user?.is_admin;
  if (!session.user?.is_admin) showAll.checked = false;
  secretBox.hidden = true;
  say(form, '');
  load();
}

async function load() {
  try {
    const keys = await api('api/v1/auth/api-keys', { query: showAll.checked ? { all: 'true' } : {} });
    fill(rows, keys.length === 0
      ? h('tr', {}, h('td', { colspan: 6, class: 'hint', text: 'No API keys yet.' }))
      : keys.map(row));
  } catch (e) {
    say(form, e.message);
  }
}

const when = iso => (iso ? new Date(iso).toLocaleString() : '—');

function row(key) {
  return h('tr', { dataset: { keyId: key.key_id } },
    h('td', {}, h('strong', { text: key.name }), showAll.checked ? h('div', { class: 'hint', text: key.owner_email }) : null),
    h('td', {}, h('code', { text: `${key.prefix}…` })),
    h('td', { text: key.scope.replace('_', '-') }),
    h('td', { text: key.status }),
    h('td', { text: `${when(key.last_used_at)}${key.expires_at ? ` · expires ${when(key.expires_at)}` : ''}` }),
    h('td', {}, key.status === 'revoked' ? null
      : h('button', { type: 'button', class: 'danger', text: 'Revoke', onclick: () => revoke(key) })));
}

async function create(event) {
  event.preventDefault();
  say(form, '');
  const days = form.elements.expires_in_days.value.trim();
  try {
    const created = await api('api/v1/auth/api-keys', {
      method: 'POST',
      json: { name: form.elements.name.value.trim(), scope: form.elements.scope.value, expires_in_days: days ? Number(days) : null },
    });
    form.reset();
    $('output', secretBox).textContent = created.key;
    secretBox.hidden = false;
    await load();
  } catch (e) {
    say(form, e.message);
  }
}

async function revoke(key) {
  if (!await confirmDialog('Revoke API key?', `Scripts using “${key.name}” (${key.prefix}…) stop working at once.`, 'Revoke', true)) return;
  try {
    await api(`api/v1/auth/api-keys/${encodeURIComponent(key.key_id)}`, { method: 'DELETE' });
    await load();
  } catch (e) {
    say(form, e.message);
  }
}
