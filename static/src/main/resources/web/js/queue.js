// The queue panel: one's own items (administrators: everyone's, labelled with the user's name or
// email), cancel, retry, clear; pause and resume for administrators. Kept current by queue events; a
// running item shows its progress live ("step N of M" and a bar) from the progress events.

import { api } from './api.js';
import { on } from './bus.js';
import { $, attempt, confirmDialog, fill, h, toast, when } from './dom.js';
import { session } from './session.js';
import { stepText, totalSteps } from './steps.js';

const QUEUE = 'api/v1/queue/default';
const SHOWN = 200; // newest items listed
const ACTIVE = new Set(['pending', 'in_progress', 'waiting']);
const RETRYABLE = new Set(['failed', 'canceled']);
const EVENTS = ['queue_item_status_changed', 'batch_enqueued', 'queue_cleared', 'queue_items_canceled', 'queue_items_retried'];

let timer = null;
const live = new Map(); // item id → its latest progress event, so a redrawn table keeps it

export default { init, show };

function init() {
  $('#queue-pause').addEventListener('click', () => processor('pause'));
  $('#queue-resume').addEventListener('click', () => processor('resume'));
  $('#queue-clear').addEventListener('click', clear);
  on('socket:invocation_progress', progress);
  on('socket:queue_item_status_changed', event => {
    if (event.status !== 'in_progress') live.delete(event.item_id);
  });
}

async function progress(event) {
  live.set(event.item_id, event);
  if (!visible()) return;
  const total = await totalSteps(event.item_id);
  const cell = $(`#queue-rows tr[data-item-id="${event.item_id}"] .live-progress`);
  if (cell && live.get(event.item_id) === event) showProgress(cell, event, total);
}

function showProgress(cell, event, total) {
  const bar = cell.querySelector('progress');
  if (typeof event.percentage !== 'number') {
    cell.querySelector('.step').textContent = event.message || 'Working…';
    return;
  }
  bar.value = Math.round(event.percentage * 100);
  cell.querySelector('.step').textContent = stepText(event.percentage, total);
}

/** The progress cell of a running item: filled by its latest event, now and as more arrive. */
function liveProgress(item) {
  const cell = h('div', { class: 'live-progress' },
    h('progress', { max: 100, 'aria-label': `Item ${item.item_id} progress` }),
    h('span', { class: 'step', text: 'Starting…' }));
  const last = live.get(item.item_id);
  if (last) totalSteps(item.item_id).then(total => showProgress(cell, last, total));
  return cell;
}

function show() {
  refresh();
}

/** Keeps the navigation badge (one's pending and running items) current; started once signed in. */
export function watchBadge() {
  for (const name of EVENTS) on(`socket:${name}`, () => later());
  on('live', live => live && later());
  badge();
}

function later() {
  clearTimeout(timer);
  timer = setTimeout(() => (visible() ? refresh() : badge()), 250);
}

function visible() {
  return !$('#view-queue').hidden;
}

function problem(message) {
  $('#queue-error').textContent = message || '';
}

async function badge() {
  try {
    const { queue } = await api(`${QUEUE}/status`);
    const own = (queue.user_pending || 0) + (queue.user_in_progress || 0);
    $('#queue-badge').textContent = own ? String(own) : '';
    return queue;
  } catch {
    return null;
  }
}

async function refresh() {
  problem('');
  try {
    const [status, ids] = await Promise.all([api(`${QUEUE}/status`), api(`${QUEUE}/item_ids`, { query: { order_dir: 'DESC' } })]);
    const wanted = ids.item_ids.slice(0, SHOWN);
    const items = wanted.length ? await api(`${QUEUE}/item_summaries_by_ids`, { method: 'POST', json: { item_ids: wanted } }) : [];
    renderStatus(status);
    // Other users' items come redacted; users see only their own.
    renderItems(session.isAdmin ? items : items.filter(item => session.owns(item.user_id)));
  } catch (e) {
    problem(e.message);
  }
}

function renderStatus({ queue, processor: state }) {
  const own = (queue.user_pending || 0) + (queue.user_in_progress || 0);
  $('#queue-badge').textContent = own ? String(own) : '';
  const parts = [state.is_started ? 'Running' : 'Paused',
    `${queue.pending} pending, ${queue.in_progress} in progress in total`,
    `yours: ${queue.user_pending || 0} pending, ${queue.user_in_progress || 0} in progress`];
  $('#queue-state').textContent = parts.join(' · ');
  if (session.isAdmin) {
    $('#queue-pause').hidden = !state.is_started;
    $('#queue-resume').hidden = state.is_started;
  }
}

function renderItems(items) {
  $('#queue-empty').hidden = items.length > 0;
  fill($('#queue-rows'), items.map(item => h('tr', { class: `status-${item.status}`, dataset: { itemId: item.item_id } },
    h('td', { text: item.item_id }),
    session.isAdmin ? h('td', { class: 'user', text: owner(item) }) : null,
    h('td', {}, h('span', { class: `status ${item.status}`, text: item.status.replace('_', ' ') }),
      item.status === 'in_progress' ? liveProgress(item) : null),
    h('td', { class: 'prompt', text: prompt(item) }),
    h('td', { text: when(item.created_at) }),
    h('td', { text: when(item.completed_at) }),
    h('td', { class: 'actions' },
      ACTIVE.has(item.status) ? h('button', {
        type: 'button', class: 'small', text: 'Cancel', 'aria-label': `Cancel item ${item.item_id}`,
        onclick: () => act(() => api(`${QUEUE}/i/${item.item_id}/cancel`, { method: 'PUT' })),
      }) : null,
      RETRYABLE.has(item.status) ? h('button', {
        type: 'button', class: 'small', text: 'Retry', 'aria-label': `Retry item ${item.item_id}`,
        onclick: () => act(() => api(`${QUEUE}/retry_items_by_id`, { method: 'PUT', json: [item.item_id] })),
      }) : null))));
}

function owner(item) {
  if (item.user_id === 'system') return 'System';
  return item.user_display_name || item.user_email || item.user_id;
}

/** The positive prompt the item was queued with (from the batch values), if any. */
function prompt(item) {
  const value = (item.field_values || []).find(v => String(v.node_path).startsWith('positive_prompt') && v.field_name === 'value');
  return value ? String(value.value) : '';
}

async function act(action) {
  await attempt(problem, action);
  await refresh();
}

async function processor(what) {
  await act(() => api(`${QUEUE}/processor/${what}`, { method: 'PUT' }));
}

async function clear() {
  const message = session.isAdmin
    ? 'Remove every item of every user from the queue? Running items are canceled.'
    : 'Remove all your items from the queue? Your running item is canceled.';
  if (!await confirmDialog('Clear the queue', message, 'Clear', true)) return;
  await act(async () => {
    const answer = await api(`${QUEUE}/clear`, { method: 'PUT' });
    toast(`${answer.deleted} item${answer.deleted === 1 ? '' : 's'} removed.`);
  });
}
