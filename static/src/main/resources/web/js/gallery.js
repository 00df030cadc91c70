// The gallery: boards (create, rename, archive, visibility, delete with or without images) and the
// images of the chosen board as thumbnails that load page by page while scrolling; upload (the button,
// or files dropped on the page); several images selected at once (a tick, Ctrl/⌘-click, Shift-click for
// a range, "Select all") and moved to a board or deleted together; images dragged onto a board move there.

import { api } from './api.js';
import { emit, on } from './bus.js';
import { $, confirmDialog, dialog, field, fill, h, toast } from './dom.js';
import { boardLabel, canManage, canWrite, fillBoardChoices, listBoards } from './boards.js';
import { openImage } from './viewer.js';
import { session } from './session.js';
import { uploadFiles } from './upload.js';

const PAGE = 40;
const VISIBILITY = { private: 'Private', shared: 'Shared (others can see it)', public: 'Public (others can also add images)' };

let boards = [];
let current = 'none';
let images = [];
let total = 0;
let loading = null;
let generation = 0; // bumps when the board changes, so a late page of the previous board is dropped
const selected = new Set(); // image names
let anchor = null; // index of the last image picked on its own: Shift-click selects from there
const DRAGGED = 'application/x-invokej-images'; // what a dragged thumbnail carries: a JSON list of names

export default { init, show, uploadTarget };

/** Files dropped on this page go to the board shown, when one may add to it. */
function uploadTarget() {
  const board = currentBoard();
  if (board && canWrite(board)) return { boardId: board.board_id, label: boardLabel(board) };
  return { boardId: 'none', label: 'Uncategorized' };
}

function init() {
  $('#new-board').addEventListener('submit', createBoard);
  $('#show-archived').addEventListener('change', loadBoards);
  $('#upload').addEventListener('change', upload);
  $('#select-all').addEventListener('click', selectAll);
  $('#bulk-clear').addEventListener('click', () => setSelection([]));
  $('#bulk-move').addEventListener('click', () => moveImages([...selected], $('#bulk-board').value));
  $('#bulk-delete').addEventListener('click', deleteSelected);
  new IntersectionObserver(entries => {
    if (entries.some(entry => entry.isIntersecting)) loadMore();
  }, { rootMargin: '400px' }).observe($('#image-sentinel'));
  on('images-changed', () => {
    if (!$('#view-gallery').hidden) refresh();
  });
  // A finished generation of one's own may add an image here (others' finish on their own boards).
  on('socket:queue_item_status_changed', event => {
    if (event.status === 'completed' && session.owns(event.user_id) && !$('#view-gallery').hidden) refresh();
  });
}

function show() {
  refresh();
}

async function refresh() {
  await loadBoards();
  await reloadImages();
}

function problem(message) {
  $('#gallery-error').textContent = message || '';
}

async function loadBoards() {
  try {
    boards = await listBoards($('#show-archived').checked);
  } catch (e) {
    problem(e.message);
    return;
  }
  if (current !== 'none' && !boards.some(board => board.board_id === current)) current = 'none';
  renderBoards();
  renderHead();
}

function renderBoards() {
  const item = (id, name, count, badges, takesImages) => h('li', {},
    dropTarget(h('button', {
      type: 'button', class: 'board-button', 'aria-current': id === current ? 'true' : null,
      dataset: { boardId: id },
      onclick: () => select(id),
    }, h('span', { class: 'board-name', text: name }), badges, h('span', { class: 'count', text: count ?? '' })), id, takesImages));
  fill($('#board-list'),
    item('none', 'Uncategorized', null, null, true),
    boards.map(board => item(board.board_id, boardLabel(board), board.image_count + board.asset_count, badgesOf(board),
      canWrite(board) && !board.archived)));
  fillBoardChoices($('#bulk-board'), boards, $('#bulk-board').value || 'none');
}

/** A board button that takes thumbnails dragged onto it (when one may add images to that board). */
function dropTarget(button, boardId, takesImages) {
  const dragged = event => takesImages && boardId !== current && [...event.dataTransfer.types].includes(DRAGGED);
  button.addEventListener('dragenter', event => {
    if (dragged(event)) button.classList.add('drop-target');
  });
  button.addEventListener('dragover', event => {
    if (!dragged(event)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'move';
  });
  button.addEventListener('dragleave', () => button.classList.remove('drop-target'));
  button.addEventListener('drop', event => {
    button.classList.remove('drop-target');
    if (!dragged(event)) return;
    event.preventDefault();
    let names;
    try {
      names = JSON.parse(event.dataTransfer.getData(DRAGGED));
    } catch {
      return;
    }
    if (Array.isArray(names) && names.length) moveImages(names, boardId);
  });
  return button;
}

function badgesOf(board) {
  return [
    board.board_visibility !== 'private' ? h('span', { class: `badge ${board.board_visibility}`, text: board.board_visibility }) : null,
    board.archived ? h('span', { class: 'badge', text: 'archived' }) : null,
  ];
}

function currentBoard() {
  return boards.find(board => board.board_id === current) || null;
}

function select(id) {
  current = id;
  setSelection([]);
  renderBoards();
  renderHead();
  reloadImages();
  $('#board-title').focus();
}

function renderHead() {
  const board = currentBoard();
  const title = $('#board-title');
  title.textContent = board ? boardLabel(board) : 'Uncategorized';
  title.tabIndex = -1;
  fill($('#board-badges'), board ? badgesOf(board) : null);
  $('#upload').closest('label').hidden = Boolean(board) && !canWrite(board);
  $('#select-all').hidden = !mayChangeImages();
  fill($('#board-actions'), board && canManage(board) ? manageActions(board) : null);
}

function manageActions(board) {
  const visibility = h('select', { 'aria-label': 'Who can see this board' },
    Object.entries(VISIBILITY).map(([value, text]) => h('option', { value, text, selected: value === board.board_visibility })));
  visibility.addEventListener('change', () => change(board, { board_visibility: visibility.value }));
  return [
    h('label', {}, h('span', { class: 'sr-only', text: 'Visibility' }), visibility),
    h('button', { type: 'button', text: 'Rename', onclick: () => rename(board) }),
    h('button', { type: 'button', text: board.archived ? 'Unarchive' : 'Archive', onclick: () => change(board, { archived: !board.archived }) }),
    h('button', { type: 'button', class: 'danger', text: 'Delete', onclick: () => remove(board) }),
  ];
}

async function createBoard(event) {
  event.preventDefault();
  const input = event.target.elements.board_name;
  const name = input.value.trim();
  if (!name) return;
  try {
    const board = await api('api/v1/boards/', { method: 'POST', query: { board_name: name } });
    input.value = '';
    current = board.board_id;
    await refresh();
    emit('boards-changed');
  } catch (e) {
    problem(e.message);
  }
}

async function change(board, changes) {
  problem('');
  try {
    await api(`api/v1/boards/${encodeURIComponent(board.board_id)}`, { method: 'PATCH', json: changes });
    await loadBoards();
    emit('boards-changed');
  } catch (e) {
    problem(e.message);
    renderHead();
  }
}

async function rename(board) {
  const input = { name: 'board_name', value: board.board_name, required: true, maxlength: 300 };
  await dialog({
    title: 'Rename board',
    fields: [field('Name', input)],
    actions: [{ label: 'Cancel', value: 'cancel' }, { label: 'Rename', value: 'ok', primary: true }],
    onSubmit: async (_, form) => {
      await api(`api/v1/boards/${encodeURIComponent(board.board_id)}`, {
        method: 'PATCH', json: { board_name: form.elements.board_name.value.trim() },
      });
    },
  });
  await loadBoards();
  emit('boards-changed');
}

async function remove(board) {
  const answer = await dialog({
    title: `Delete board “${board.board_name}”`,
    fields: [h('p', { text: 'Delete only the board (its images become uncategorized), or the board with its images?' })],
    actions: [
      { label: 'Cancel', value: 'cancel' },
      { label: 'Delete board only', value: 'board' },
      { label: 'Delete board and images', value: 'images', danger: true },
    ],
  });
  if (!answer) return;
  if (answer === 'images' && !await confirmDialog('Delete images', 'The images on this board will be deleted for good.', 'Delete', true)) return;
  try {
    await api(`api/v1/boards/${encodeURIComponent(board.board_id)}`, {
      method: 'DELETE', query: { include_images: answer === 'images' },
    });
    current = 'none';
    await refresh();
    emit('boards-changed');
  } catch (e) {
    problem(e.message);
  }
}

async function upload(event) {
  const files = [...event.target.files];
  event.target.value = '';
  problem('');
  // A success announces "images-changed", which redraws this page.
  await uploadFiles(files, current, problem);
}

/**
 * Whether the images shown may be moved and deleted here: uncategorized images one sees are one's own
 * (everyone's for administrators); on a board, its owner, administrators, or anyone when it is public.
 */
function mayChangeImages() {
  const board = currentBoard();
  return !board || canWrite(board);
}

function setSelection(names) {
  selected.clear();
  names.forEach(name => selected.add(name));
  if (!names.length) anchor = null;
  renderSelection();
}

function toggle(name) {
  if (selected.has(name)) selected.delete(name);
  else selected.add(name);
}

function renderSelection() {
  for (const tile of $('#image-grid').children) {
    const on = selected.has(tile.dataset.name);
    tile.classList.toggle('selected', on);
    const pick = tile.querySelector('.pick');
    if (pick) pick.checked = on;
  }
  $('#image-grid').classList.toggle('selecting', selected.size > 0);
  $('#selection-bar').hidden = selected.size === 0;
  $('#selection-count').textContent = `${selected.size} selected`;
}

/** Picks one image (index in the grid); Shift adds the range from the last one picked. */
function pick(index, event) {
  const name = images[index].image_name;
  if (event.shiftKey && anchor !== null) {
    const [from, to] = anchor < index ? [anchor, index] : [index, anchor];
    for (let i = from; i <= to; i += 1) selected.add(images[i].image_name);
  } else {
    toggle(name);
    anchor = index;
  }
  renderSelection();
}

/** Every image of the board, also those not loaded yet. */
async function selectAll() {
  problem('');
  try {
    const answer = await api('api/v1/images/names', { query: { board_id: current, is_intermediate: false } });
    setSelection(answer.image_names);
  } catch (e) {
    problem(e.message);
  }
}

async function moveImages(names, boardId) {
  problem('');
  const target = boardId === 'none' ? 'Uncategorized' : boardLabel(boards.find(board => board.board_id === boardId) || { board_name: 'the board' });
  try {
    if (boardId === 'none') {
      await api('api/v1/board_images/batch/delete', { method: 'POST', json: { image_names: names } });
    } else {
      await api('api/v1/board_images/batch', { method: 'POST', json: { board_id: boardId, image_names: names } });
    }
    toast(`${names.length} image${names.length === 1 ? '' : 's'} moved to ${target}.`);
  } catch (e) {
    problem(e.message);
  }
  setSelection([]);
  // Redraws this page (and Generate's recent strip).
  emit('images-changed', {});
}

async function deleteSelected() {
  const names = [...selected];
  const count = `${names.length} image${names.length === 1 ? '' : 's'}`;
  if (!await confirmDialog(`Delete ${count}`, `Delete the ${count} selected for good?`, 'Delete', true)) return;
  problem('');
  try {
    const answer = await api('api/v1/images/delete', { method: 'POST', json: { image_names: names } });
    const deleted = answer.deleted_images.length;
    toast(`${deleted} image${deleted === 1 ? '' : 's'} deleted.`);
    if (deleted < names.length) problem(`${names.length - deleted} of the selected images could not be deleted.`);
  } catch (e) {
    problem(e.message);
  }
  setSelection([]);
  // Redraws this page (and Generate's recent strip).
  emit('images-changed', {});
}

async function reloadImages() {
  generation += 1;
  images = [];
  total = 0;
  loading = null;
  fill($('#image-grid'));
  await loadMore();
}

async function loadMore() {
  if (loading) return loading;
  if (images.length > 0 && images.length >= total) return null;
  const mine = generation;
  loading = (async () => {
    try {
      const page = await api('api/v1/images/', {
        query: { board_id: current, is_intermediate: false, offset: images.length, limit: PAGE, order_dir: 'DESC', starred_first: true },
      });
      if (mine !== generation) return;
      total = page.total;
      const start = images.length;
      images.push(...page.items);
      $('#image-grid').append(...page.items.map((image, i) => thumbnail(image, start + i)));
      $('#image-count').textContent = `${total} image${total === 1 ? '' : 's'}`;
      $('#image-sentinel').textContent = images.length < total ? 'Loading more…' : '';
    } catch (e) {
      problem(e.message);
    } finally {
      if (mine === generation) loading = null;
    }
  })();
  await loading;
  // Still room on screen (a tall window, or a short page)? Keep going.
  if (mine === generation && images.length < total && sentinelVisible()) await loadMore();
  return null;
}

function sentinelVisible() {
  const box = $('#image-sentinel').getBoundingClientRect();
  return box.top < window.innerHeight + 400;
}

function thumbnail(image, index) {
  const name = image.image_name;
  const changeable = mayChangeImages();
  const tile = h('li', { class: `tile${selected.has(name) ? ' selected' : ''}`, dataset: { name } },
    h('button', {
      type: 'button', class: `thumb${image.starred ? ' starred' : ''}`,
      'aria-label': `Open image ${index + 1}${image.starred ? ', starred' : ''}`,
      draggable: changeable ? 'true' : null,
      onclick: event => {
        if (changeable && (event.shiftKey || event.ctrlKey || event.metaKey)) pick(index, event);
        else openImage(images.map(i => i.image_name), index);
      },
      ondragstart: event => {
        // A selected image takes the whole selection with it.
        const names = selected.has(name) ? [...selected] : [name];
        event.dataTransfer.setData(DRAGGED, JSON.stringify(names));
        event.dataTransfer.setData('text/plain', names.join('\n'));
        event.dataTransfer.effectAllowed = 'move';
        tile.classList.add('dragging');
      },
      ondragend: () => tile.classList.remove('dragging'),
    }, h('img', { src: image.thumbnail_url, alt: '', loading: 'lazy', width: 128, height: 128, draggable: 'false' })),
    changeable ? h('input', {
      type: 'checkbox', class: 'pick', 'aria-label': `Select image ${index + 1}`,
      onclick: event => pick(index, event),
    }) : null);
  const box = tile.querySelector('.pick');
  if (box) box.checked = selected.has(name);
  return tile;
}

