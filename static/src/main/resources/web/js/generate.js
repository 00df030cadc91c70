// The Generate page: the form (Invoke button always in reach, Ctrl+Enter), the enqueue_batch it sends
// (graph.js), live progress from the Socket.IO events — the image being made, large, with "step N of M",
// and a row per queue item —, and the recent images of the board it saves to.

import { api } from './api.js';
import { on } from './bus.js';
import { $, fill, h, say, toast } from './dom.js';
import { fillBoardChoices, listBoards } from './boards.js';
import { generateBatch, randomSeed, SEED_LIMIT } from './graph.js';
import { openImage } from './viewer.js';
import { knowSteps, stepText, totalSteps } from './steps.js';

// The schedulers the engine runs, [name, label], as the server lists them (its SchedulerName); loaded on show.
let schedulers = [];
const FINISHED = new Set(['completed', 'failed', 'canceled']);
const OUTPUT_NODE = 'canvas_output:';

let form;
let models = [];
let loras = []; // installed LoRAs this user may use
let initImage = null;
const rows = new Map(); // item_id → its progress row
const RECENT = 24; // images in the recent strip
let maskImage = null; // with an initial image: inpaint (black is painted anew)
let recent = [];
let staged = null; // the item the large preview shows

export default { init, show, uploadTarget };

/** Files dropped on this page go to the board it saves to. */
function uploadTarget() {
  if (!form) return null;
  const select = form.elements.board;
  return { boardId: select.value || 'none', label: select.selectedOptions[0] ? select.selectedOptions[0].textContent : 'Uncategorized' };
}

function init() {
  form = $('#generate-form');
  form.elements.strength.addEventListener('input', () => {
    $('[data-strength]', form).textContent = form.elements.strength.value;
  });
  form.elements.random_seed.addEventListener('change', syncSeed);
  form.elements.model.addEventListener('change', applyModelDefaults);
  form.elements.model.addEventListener('change', showLoras);
  form.elements.init_image.addEventListener('change', uploadInitImage);
  $('[data-clear-init]', form).addEventListener('click', () => setInitImage(null));
  form.elements.mask_image.addEventListener('change', uploadMaskImage);
  $('[data-clear-mask]', form).addEventListener('click', () => setMaskImage(null));
  form.addEventListener('submit', submit);
  form.elements.board.addEventListener('change', loadRecent);
  syncSeed();
  // Ctrl+Enter (⌘+Enter on a Mac) invokes from anywhere on the page, as in InvokeAI.
  document.addEventListener('keydown', event => {
    if (event.key !== 'Enter' || !(event.ctrlKey || event.metaKey) || $('#view-generate').hidden) return;
    if (document.querySelector('dialog[open]')) return;
    event.preventDefault();
    form.requestSubmit();
  });

  on('socket:invocation_started', event => row(event.item_id)?.say(`Running ${event.invocation?.type || 'a step'}…`));
  on('socket:invocation_progress', progress);
  on('socket:invocation_complete', complete);
  on('socket:invocation_error', event => row(event.item_id)?.fail(event.error_message || event.error_type));
  on('socket:queue_item_status_changed', statusChanged);
  on('models-changed', loadModels);
  on('boards-changed', loadBoards);
  on('images-changed', () => {
    if (!$('#view-generate').hidden) loadRecent();
  });
}

// "Use these settings" and "Use as initial image" come from the image viewer, perhaps before this page
// was ever shown: they wait until it is (and its models are listed).
const pending = [];
on('use-settings', meta => whenShown(() => useSettings(meta)));
on('use-init-image', image => whenShown(() => setInitImage(image)));

function whenShown(action) {
  if (form && !$('#view-generate').hidden) action();
  else pending.push(action);
}

async function show() {
  await Promise.all([loadModels(), loadBoards(), loadSchedulers()]);
  pending.splice(0).forEach(action => action());
  await loadRecent();
}

async function loadModels() {
  const select = form.elements.model;
  try {
    const [main, lora] = await Promise.all([
      api('api/v2/models/', { query: { model_type: 'main' } }),
      api('api/v2/models/', { query: { model_type: 'lora' } }),
    ]);
    models = main.models.filter(model => model.runnable !== false && ['sd-1', 'sd-2', 'sdxl'].includes(model.base));
    loras = lora.models.filter(model => model.runnable !== false);
  } catch (e) {
    say(form, e.message);
    return;
  }
  const chosen = select.value;
  select.replaceChildren(...models.map(model => h('option', { value: model.key, text: `${model.name} (${model.base})` })));
  if (models.some(model => model.key === chosen)) select.value = chosen;
  $('[data-no-models]', form).hidden = models.length > 0;
  showLoras();
}

/** The LoRAs for the chosen model's base, each with a switch and a weight (kept across model changes). */
function showLoras() {
  const model = models.find(m => m.key === form.elements.model.value);
  const list = $('[data-lora-list]', form);
  const before = new Map(selectedLoras().map(({ model: lora, weight }) => [lora.key, weight]));
  const fitting = model ? loras.filter(lora => lora.base === model.base) : [];
  list.replaceChildren(...fitting.map(lora => {
    const weight = before.get(lora.key) ?? lora.default_settings?.weight ?? 0.75;
    return h('li', { class: 'lora', dataset: { loraKey: lora.key } },
      h('label', { class: 'inline' }, h('input', { type: 'checkbox', name: 'lora_enabled', checked: before.has(lora.key) }), ` ${lora.name}`),
      h('label', { class: 'inline' }, 'Weight ',
        h('input', { type: 'number', name: 'lora_weight', min: -10, max: 10, step: 0.05, value: weight, 'aria-label': `Weight of ${lora.name}` })));
  }));
  $('[data-no-loras]', form).hidden = fitting.length > 0;
}

/** The LoRAs switched on, as {model, weight}. */
function selectedLoras() {
  return [...form.querySelectorAll('[data-lora-key]')]
    .filter(item => item.querySelector('[name=lora_enabled]').checked)
    .map(item => ({ model: loras.find(l => l.key === item.dataset.loraKey), weight: Number(item.querySelector('[name=lora_weight]').value) }))
    .filter(lora => lora.model && Number.isFinite(lora.weight));
}

async function loadSchedulers() {
  if (schedulers.length > 0) return;
  try {
    const answer = await api('api/v1/app/schedulers');
    schedulers = answer.map(({ name, label }) => [name, label]);
  } catch (e) {
    say(form, e.message);
    return;
  }
  form.elements.scheduler.replaceChildren(...schedulers.map(([value, text]) => h('option', { value, text })));
  form.elements.scheduler.value = 'euler';
}

async function loadBoards() {
  try {
    fillBoardChoices(form.elements.board, await listBoards(), form.elements.board.value || 'none');
  } catch (e) {
    say(form, e.message);
  }
}

function syncSeed() {
  form.elements.seed.disabled = form.elements.random_seed.checked;
}

/** A model's default settings (InvokeAI's default_settings), when it has them. */
function applyModelDefaults() {
  const model = models.find(m => m.key === form.elements.model.value);
  const defaults = model && model.default_settings;
  if (!defaults) return;
  const set = (name, value) => {
    if (value !== null && value !== undefined) form.elements[name].value = value;
  };
  if (schedulers.some(([value]) => value === defaults.scheduler)) set('scheduler', defaults.scheduler);
  set('steps', defaults.steps);
  set('cfg_scale', defaults.cfg_scale);
  set('width', defaults.width);
  set('height', defaults.height);
}

/** "Use these settings" from an image's metadata. */
function useSettings(meta) {
  const set = (name, value) => {
    if (value !== null && value !== undefined) form.elements[name].value = value;
  };
  set('prompt', meta.positive_prompt);
  set('negative_prompt', meta.negative_prompt);
  if (schedulers.some(([value]) => value === meta.scheduler)) set('scheduler', meta.scheduler);
  set('steps', meta.steps);
  set('cfg_scale', meta.cfg_scale);
  set('width', meta.width);
  set('height', meta.height);
  if (meta.seed !== undefined && meta.seed !== null) {
    form.elements.random_seed.checked = false;
    set('seed', meta.seed);
    syncSeed();
  }
  if (meta.strength !== undefined && meta.strength !== null) {
    set('strength', meta.strength);
    $('[data-strength]', form).textContent = meta.strength;
  }
  if (meta.model && models.some(model => model.key === meta.model.key)) set('model', meta.model.key);
  else if (meta.model) toast(`The model “${meta.model.name}” is not installed; choose another.`, 'error');
  showLoras();
  // the image's LoRAs switched on with their weights, the others off
  const used = new Map((meta.loras || []).filter(l => l && l.model).map(l => [l.model.key, l.weight]));
  for (const item of form.querySelectorAll('[data-lora-key]')) {
    const weight = used.get(item.dataset.loraKey);
    item.querySelector('[name=lora_enabled]').checked = weight !== undefined;
    if (weight !== undefined) item.querySelector('[name=lora_weight]').value = weight;
  }
  toast('Settings copied from the image.');
}

async function uploadInitImage() {
  const file = form.elements.init_image.files[0];
  if (!file) return;
  say(form, '');
  const data = new FormData();
  data.append('file', file);
  try {
    // As the web UI does: the initial image is stored as an intermediate (it stays out of the gallery).
    setInitImage(await api('api/v1/images/upload', {
      method: 'POST', body: data, query: { image_category: 'user', is_intermediate: true },
    }));
  } catch (e) {
    say(form, `The initial image was not accepted: ${e.message}`);
    setInitImage(null);
  }
}

async function uploadMaskImage() {
  const file = form.elements.mask_image.files[0];
  if (!file) return;
  say(form, '');
  const data = new FormData();
  data.append('file', file);
  try {
    setMaskImage(await api('api/v1/images/upload', {
      method: 'POST', body: data, query: { image_category: 'mask', is_intermediate: true },
    }));
  } catch (e) {
    say(form, `The mask was not accepted: ${e.message}`);
    setMaskImage(null);
  }
}

function setMaskImage(image) {
  maskImage = image;
  $('[data-mask-preview]', form).hidden = !image;
  $('[data-mask-img]', form).src = image ? image.thumbnail_url : '';
  if (!image) form.elements.mask_image.value = '';
}

function setInitImage(image) {
  initImage = image;
  const preview = $('[data-init-preview]', form);
  preview.hidden = !image;
  $('[data-init-img]', form).src = image ? image.thumbnail_url : '';
  if (!image) form.elements.init_image.value = '';
  else if (!form.elements.init_image.files.length) {
    // Taken from the gallery: generate at its size unless changed.
    form.elements.width.value = image.width - (image.width % 8);
    form.elements.height.value = image.height - (image.height % 8);
  }
}

async function submit(event) {
  event.preventDefault();
  say(form, '');
  const model = models.find(m => m.key === form.elements.model.value);
  if (!model) return say(form, 'Choose a model (an administrator installs them on the Models page).');
  if (!form.reportValidity()) return;
  if (form.elements.random_seed.checked) form.elements.seed.value = randomSeed();
  const number = name => Number(form.elements[name].value);
  const seed = number('seed');
  if (!Number.isInteger(seed) || seed < 0 || seed >= SEED_LIMIT) return say(form, `The seed must be a whole number from 0 to ${SEED_LIMIT - 1}.`);
  if (maskImage && !initImage) return say(form, 'A mask needs an initial image to paint into.');
  if (maskImage && (maskImage.width !== initImage.width || maskImage.height !== initImage.height)) {
    return say(form, `The mask is ${maskImage.width} × ${maskImage.height} but the initial image is ${initImage.width} × ${initImage.height}; they must be the same size.`);
  }
  const body = generateBatch({
    model,
    prompt: form.elements.prompt.value,
    negativePrompt: form.elements.negative_prompt.value,
    scheduler: form.elements.scheduler.value,
    steps: number('steps'),
    cfgScale: number('cfg_scale'),
    width: number('width'),
    height: number('height'),
    seed,
    iterations: number('iterations'),
    boardId: form.elements.board.value === 'none' ? null : form.elements.board.value,
    maskImage: initImage ? maskImage : null,
    initImage,
    strength: number('strength'),
    loras: selectedLoras(),
  });
  const button = $('button[type=submit]', form);
  button.disabled = true;
  try {
    const answer = await api('api/v1/queue/default/enqueue_batch', { method: 'POST', json: body });
    for (const id of [...answer.item_ids].sort((a, b) => a - b)) {
      knowSteps(id, body.batch.graph);
      row(id, true);
    }
    // On a phone the image being made is below the form: bring it into view.
    if (matchMedia('(max-width: 700px)').matches) $('.stage').scrollIntoView({ block: 'start' });
    if (answer.enqueued < answer.requested) {
      toast(`The queue is full: ${answer.enqueued} of ${answer.requested} images were queued.`, 'error');
    }
  } catch (e) {
    say(form, e.message);
  } finally {
    button.disabled = false;
  }
}

/**
 * The progress row of a queue item. Created for items this page enqueued, and for any item whose
 * progress arrives (progress goes only to the item's owner, so it is ours: e.g. from another tab).
 */
function row(itemId, create = false) {
  if (rows.has(itemId)) return rows.get(itemId);
  if (!create) return null;
  const bar = h('progress', { max: 100, 'aria-label': `Item ${itemId} progress` });
  const text = h('span', { class: 'progress-text', text: 'Waiting in the queue…' });
  const preview = h('img', { class: 'preview', alt: `Preview of item ${itemId}`, hidden: true });
  const el = h('li', { class: 'progress-item', dataset: { itemId } },
    h('div', { class: 'progress-head' }, h('strong', { text: `#${itemId}` }), text,
      h('button', {
        type: 'button', class: 'small', text: 'Cancel', 'aria-label': `Cancel item ${itemId}`,
        onclick: () => api(`api/v1/queue/default/i/${itemId}/cancel`, { method: 'PUT' }).catch(e => toast(e.message, 'error')),
      })),
    bar, preview);
  $('#progress-list').prepend(el);
  $('[data-progress-empty]').hidden = true;
  const entry = {
    el, bar, preview, finished: false,
    say(message) {
      text.textContent = message;
    },
    fail(message) {
      entry.finish('failed', message);
    },
    finish(status, message) {
      if (entry.finished) return;
      entry.finished = true;
      el.classList.add(status);
      text.textContent = status === 'completed' ? 'Done' : `${status === 'failed' ? 'Failed' : 'Canceled'}${message ? `: ${message}` : ''}`;
      bar.value = status === 'completed' ? 100 : bar.value || 0;
      $('button', el).remove();
      // Leave finished rows a moment, then make room; failures stay until the next page load.
      if (status !== 'failed') setTimeout(() => forget(itemId), 15000);
    },
  };
  rows.set(itemId, entry);
  return entry;
}

function forget(itemId) {
  const entry = rows.get(itemId);
  if (!entry) return;
  entry.el.remove();
  rows.delete(itemId);
  $('[data-progress-empty]').hidden = rows.size > 0;
}

async function progress(event) {
  const entry = row(event.item_id, true);
  if (!entry || entry.finished) return;
  if (typeof event.percentage === 'number') entry.bar.value = Math.round(event.percentage * 100);
  else entry.bar.removeAttribute('value');
  if (event.image && event.image.dataURL) {
    entry.preview.src = event.image.dataURL;
    entry.preview.hidden = false;
  }
  const total = await totalSteps(event.item_id);
  if (entry.finished) return;
  const message = event.message || 'Working…';
  // Denoising has steps; loading a model or saving the image only a message.
  const step = typeof event.percentage === 'number' ? stepText(event.percentage, total) : null;
  entry.say(step ? `${message} · ${step}` : message);
  stage(event.item_id, step || message, event.percentage, event.image && event.image.dataURL);
}

/** The large preview: the newest item's latest picture, its step, its bar. */
function stage(itemId, step, percentage, picture) {
  staged = itemId;
  const image = $('#stage-image');
  if (picture) {
    image.src = picture;
    image.alt = `Item ${itemId} in progress`;
    image.hidden = false;
  }
  $('[data-stage-empty]').hidden = !image.hidden;
  $('[data-stage-status]').hidden = false;
  $('#stage-step').textContent = step;
  const bar = $('#stage-bar');
  if (typeof percentage === 'number') bar.value = Math.round(percentage * 100);
  else bar.removeAttribute('value');
}

function complete(event) {
  const entry = row(event.item_id);
  const image = event.result && event.result.image;
  if (!entry || !image || !String(event.invocation_source_id).startsWith(OUTPUT_NODE)) return;
  entry.preview.src = `api/v1/images/i/${encodeURIComponent(image.image_name)}/thumbnail`;
  entry.preview.alt = `Result of item ${event.item_id}`;
  entry.preview.hidden = false;
  if (staged === null || staged === event.item_id) {
    staged = event.item_id;
    const big = $('#stage-image');
    big.src = `api/v1/images/i/${encodeURIComponent(image.image_name)}/full`;
    big.alt = `Result of item ${event.item_id}`;
    big.hidden = false;
    $('[data-stage-empty]').hidden = true;
    $('#stage-step').textContent = 'Done';
    $('#stage-bar').value = 100;
  }
  loadRecent();
}

function statusChanged(event) {
  const entry = row(event.item_id);
  if (!entry) return;
  if (FINISHED.has(event.status)) entry.finish(event.status, event.error_message);
  if (event.item_id === staged && (event.status === 'failed' || event.status === 'canceled')) {
    $('#stage-step').textContent = event.status === 'failed' ? 'Failed' : 'Canceled';
  }
  else if (event.status === 'in_progress') entry.say('Starting…');
}

/** The newest images of the board this page saves to (as InvokeAI's gallery beside the canvas). */
let recentCall = 0;
async function loadRecent() {
  const select = form.elements.board;
  const boardId = select.value || 'none';
  const mine = ++recentCall;
  let page;
  try {
    page = await api('api/v1/images/', {
      query: { board_id: boardId, is_intermediate: false, offset: 0, limit: RECENT, order_dir: 'DESC', starred_first: false },
    });
  } catch (e) {
    say(form, e.message);
    return;
  }
  if (mine !== recentCall) return; // a newer call (another board) answers instead
  recent = page.items.map(image => image.image_name);
  const board = select.selectedOptions[0] ? select.selectedOptions[0].textContent : 'Uncategorized';
  $('#recent-board').textContent = recent.length ? `on ${board}` : `on ${board}: none yet`;
  fill($('#results'), recent.map((imageName, index) => h('li', {},
    h('button', {
      type: 'button', class: 'thumb', 'aria-label': `Open recent image ${index + 1}`,
      onclick: () => openImage(recent, index),
    }, h('img', { src: `api/v1/images/i/${encodeURIComponent(imageName)}/thumbnail`, alt: '', loading: 'lazy', width: 128, height: 128 })))));
}
