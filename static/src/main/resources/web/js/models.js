// The models page: everyone sees the installed models; administrators install from a folder or .zip on
// the server (with progress), edit names and descriptions, and delete.

import { api } from './api.js';
import { emit, on } from './bus.js';
import { $, confirmDialog, dialog, field, fill, h, toast } from './dom.js';
import { session } from './session.js';

const MODELS = 'api/v2/models';
const FINISHED = new Set(['completed', 'error', 'cancelled']);

let poll = null;
const seen = new Set(); // completed install jobs whose model is already listed

export default { init, show };

function init() {
  $('#install-form').addEventListener('submit', install);
  for (const name of ['started', 'complete', 'error', 'cancelled', 'download_progress']) {
    on(`socket:model_install_${name}`, () => {
      if (!$('#view-models').hidden) loadJobs();
    });
  }
}

function show() {
  loadModels();
  if (session.isAdmin) loadJobs();
}

function problem(message) {
  $('#models-error').textContent = message || '';
}

async function loadModels() {
  let models;
  try {
    ({ models } = await api(`${MODELS}/`));
  } catch (e) {
    problem(e.message);
    return;
  }
  $('#models-empty').hidden = models.length > 0;
  fill($('#model-rows'), models.map(model => h('tr', { dataset: { key: model.key } },
    h('th', { scope: 'row', text: model.name }),
    h('td', { text: model.base }),
    h('td', { text: model.type }),
    h('td', { text: model.format }),
    h('td', { text: model.runnable === false ? `${model.description || ''} — ${model.unsupported_reason}`.replace(/^ — /, '')
      : model.description || '' }),
    // models kept from an InvokeAI root that this engine cannot run are InvokeAI's to change
    !session.isAdmin ? null : model.runnable === false ? h('td', { class: 'actions' }) : h('td', { class: 'actions' },
      h('button', { type: 'button', class: 'small', text: 'Edit', 'aria-label': `Edit ${model.name}`, onclick: () => edit(model) }),
      h('button', { type: 'button', class: 'small danger', text: 'Delete', 'aria-label': `Delete ${model.name}`, onclick: () => remove(model) })))));
}

async function install(event) {
  event.preventDefault();
  problem('');
  const form = event.target;
  const source = form.elements.source.value.trim();
  if (!source) return;
  try {
    await api(`${MODELS}/install`, { method: 'POST', query: { source, inplace: form.elements.inplace.checked }, json: {} });
    form.elements.source.value = '';
    await loadJobs();
  } catch (e) {
    problem(e.message);
  }
}

async function loadJobs() {
  let jobs;
  try {
    jobs = await api(`${MODELS}/install`);
  } catch (e) {
    problem(e.message);
    return;
  }
  const newest = [...jobs].sort((a, b) => b.id - a.id).slice(0, 10);
  fill($('#install-jobs'), newest.map(job => {
    const percent = job.total_bytes > 0 ? Math.round((100 * job.bytes) / job.total_bytes) : null;
    return h('li', { class: `install-job ${job.status}`, dataset: { jobId: job.id } },
      h('span', { class: 'job-source', text: job.local_path || (job.source && (job.source.path || job.source.url)) || `job ${job.id}` }),
      h('span', { class: 'status', text: job.status }),
      FINISHED.has(job.status) ? null : h('progress', {
        max: 100, value: percent ?? null, 'aria-label': `Installing ${job.local_path || job.id}`,
      }),
      job.status === 'error' ? h('span', { class: 'error', text: job.error || job.error_reason || 'failed' }) : null,
      job.status === 'completed' && job.config_out ? h('span', { class: 'hint', text: `installed as “${job.config_out.name}”` }) : null);
  }));
  const running = jobs.some(job => !FINISHED.has(job.status));
  clearTimeout(poll);
  if (running) poll = setTimeout(loadJobs, 1000);
  if (jobs.some(job => job.status === 'completed' && !seen.has(job.id))) {
    for (const job of jobs) if (job.status === 'completed') seen.add(job.id);
    await loadModels();
    emit('models-changed');
  }
}

async function edit(model) {
  const changed = await dialog({
    title: `Edit ${model.name}`,
    fields: [
      field('Name', { name: 'name', value: model.name, required: true }),
      field('Description', { tag: 'textarea', name: 'description', rows: 3, value: model.description }),
    ],
    actions: [{ label: 'Cancel', value: 'cancel' }, { label: 'Save', value: 'ok', primary: true }],
    onSubmit: (_, form) => api(`${MODELS}/i/${encodeURIComponent(model.key)}`, {
      method: 'PATCH', json: { name: form.elements.name.value.trim(), description: form.elements.description.value.trim() || null },
    }),
  });
  if (changed) {
    await loadModels();
    emit('models-changed');
  }
}

async function remove(model) {
  if (!await confirmDialog(`Delete ${model.name}`, 'Delete this model? Its files are removed when they are inside the models folder.', 'Delete', true)) return;
  problem('');
  try {
    await api(`${MODELS}/i/${encodeURIComponent(model.key)}`, { method: 'DELETE' });
    toast(`${model.name} deleted.`);
  } catch (e) {
    problem(e.message);
  }
  await loadModels();
  emit('models-changed');
}
