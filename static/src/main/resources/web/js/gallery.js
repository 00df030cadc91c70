// The gallery: boards (create, rename, archive, visibility, delete with or without images) and the
// images of the chosen board as thumbnails that load page by page while scrolling; upload.

import { api } from './api.js';
import { emit, on } from './bus.js';
import { $, confirmDialog, dialog, field, fill, h, toast } from './dom.js';
import { boardLabel, canManage, canWrite, listBoards } from './boards.js';
import { openImage } from './viewer.js';
import { session } from './session.js';

const PAGE = 40;
const VISIBILITY = { private: 'Private', shared: 'Shared (others can see it)', public: 'Public (others can also add images)' };

let boards = [];
let current = 'none';
let images = [];
let total = 0;
let loading = null;
let generation = 0; // bumps when the board changes, so a late page of the previous board is dropped

export default { init, show };

function init() {
  $('#new-board').addEventListener('submit', createBoard);
  $('#show-archived').addEventListener('change', loadBoards);
  $('#upload').addEventListener('change', upload);
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
  const item = (id, name, count, badges) => h('li', {},
    h('button', {
      type: 'button', class: 'board-button', 'aria-current': id === current ? 'true' : null,
      onclick: () => select(id),
    }, h('span', { class: 'board-name', text: name }), badges, h('span', { class: 'count', text: count ?? '' })));
  fill($('#board-list'),
    item('none', 'Uncategorized', null, null),
    boards.map(board => item(board.board_id, boardLabel(board), board.image_count + board.asset_count, badgesOf(board))));
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
  let done = 0;
  for (const file of files) {
    const data = new FormData();
    data.append('file', file);
    try {
      await api('api/v1/images/upload', {
        method: 'POST', body: data,
        query: { image_category: 'user', is_intermediate: false, board_id: current === 'none' ? null : current },
      });
      done += 1;
    } catch (e) {
      problem(`${file.name}: ${e.message}`);
    }
  }
  if (done) toast(`${done} image${done === 1 ? '' : 's'} uploaded.`);
  await refresh();
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
  return h('li', {},
    h('button', {
      type: 'button', class: `thumb${image.starred ? ' starred' : ''}`,
      'aria-label': `Open image ${index + 1}${image.starred ? ', starred' : ''}`,
      onclick: () => openImage(images.map(i => i.image_name), index),
    }, h('img', { src: image.thumbnail_url, alt: '', loading: 'lazy', width: 128, height: 128 })));
}

