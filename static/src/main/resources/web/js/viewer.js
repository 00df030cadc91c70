// The full image with its metadata, and what can be done with it: use its settings (or the image) to
// generate, star, move to a board, delete. Opened from the gallery and from Generate's results; arrow
// keys (or the buttons) go through the list it was opened from.

import { api } from './api.js';
import { emit } from './bus.js';
import { attempt, confirmDialog, fill, h, when } from './dom.js';
import { canManage, fillBoardChoices, listBoards } from './boards.js';
import { session } from './session.js';

/** Opens image `names[index]`; resolves when the viewer closes. */
export function openImage(names, index = 0) {
  const opener = document.activeElement;
  const body = h('div', { class: 'viewer-body' });
  const titleId = 'viewer-title';
  const box = h('dialog', { class: 'viewer', 'aria-labelledby': titleId },
    h('div', { class: 'viewer-head' },
      h('h2', { id: titleId, text: 'Image' }),
      h('span', { class: 'spacer' }),
      h('button', { type: 'button', 'aria-label': 'Previous image', text: '‹', onclick: () => go(-1) }),
      h('button', { type: 'button', 'aria-label': 'Next image', text: '›', onclick: () => go(1) }),
      h('button', { type: 'button', 'aria-label': 'Close', text: '✕', onclick: () => box.close() })),
    body);
  let current = index;
  const go = step => {
    const next = current + step;
    if (next >= 0 && next < names.length) {
      current = next;
      show();
    }
  };
  const show = () => render(body, names[current], () => box.close()).catch(e => fill(body, h('p', { class: 'error', text: e.message })));
  box.addEventListener('keydown', event => {
    if (event.target.closest('select, input, textarea')) return;
    if (event.key === 'ArrowLeft') go(-1);
    if (event.key === 'ArrowRight') go(1);
  });
  document.body.append(box);
  box.showModal();
  show();
  return new Promise(resolve => box.addEventListener('close', () => {
    box.remove();
    if (opener && opener.isConnected) opener.focus();
    resolve();
  }));
}

async function render(body, name, close) {
  const [image, metadata, boards] = await Promise.all([
    api(`api/v1/images/i/${encodeURIComponent(name)}`),
    api(`api/v1/images/i/${encodeURIComponent(name)}/metadata`),
    listBoards(),
  ]);
  const board = image.board_id ? boards.find(b => b.board_id === image.board_id) || await boardOf(image.board_id) : null;
  // Mutation access (invokeai-multiuser.md §6.3): admin, the image's owner, the board's owner, or a public
  // board. The image's owner is not in its DTO; uncategorized images a non-admin sees are their own.
  const mayChange = session.isAdmin || !board || canManage(board) || board.board_visibility === 'public';
  const meta = metadata || {};
  const error = h('p', { class: 'error', role: 'alert' });
  const act = action => () => attempt(message => { error.textContent = message; }, action);
  const moveTo = h('select', {});
  fillBoardChoices(moveTo, boards, image.board_id || 'none');
  const star = h('button', {
    type: 'button', 'aria-pressed': String(image.starred), text: image.starred ? '★ Starred' : '☆ Star',
    onclick: act(async () => {
      await api(`api/v1/images/${image.starred ? 'unstar' : 'star'}`, { method: 'POST', json: { image_names: [name] } });
      emit('images-changed', {});
      await render(body, name, close);
      body.querySelector('[aria-pressed]').focus();
    }),
  });
  fill(body,
    h('figure', { class: 'viewer-image' },
      h('a', { href: image.image_url, target: '_blank', rel: 'noopener', title: 'Open full size' },
        h('img', { src: image.image_url, alt: meta.positive_prompt || image.image_name, width: image.width, height: image.height }))),
    h('div', { class: 'viewer-side' },
      h('dl', { class: 'metadata' }, details(image, meta, board)),
      h('div', { class: 'actions wrap' },
        h('button', {
          type: 'button', class: 'primary', text: 'Use these settings', disabled: !metadata,
          onclick: () => {
            emit('use-settings', meta);
            close();
            location.hash = '#generate';
          },
        }),
        h('button', {
          type: 'button', text: 'Use as initial image',
          onclick: () => {
            emit('use-init-image', image);
            close();
            location.hash = '#generate';
          },
        }),
        mayChange ? star : null),
      mayChange ? h('div', { class: 'row tight' },
        h('label', { class: 'grow' }, 'Move to board ', moveTo),
        h('button', {
          type: 'button', text: 'Move',
          onclick: act(async () => {
            if (moveTo.value === 'none') {
              await api('api/v1/board_images/', { method: 'DELETE', json: { image_name: name } });
            } else {
              await api('api/v1/board_images/', { method: 'POST', json: { board_id: moveTo.value, image_name: name } });
            }
            emit('images-changed', {});
            close();
          }),
        })) : null,
      mayChange ? h('button', {
        type: 'button', class: 'danger', text: 'Delete image',
        onclick: act(async () => {
          if (!await confirmDialog('Delete image', 'Delete this image for good?', 'Delete', true)) return;
          await api(`api/v1/images/i/${encodeURIComponent(name)}`, { method: 'DELETE' });
          emit('images-changed', {});
          close();
        }),
      }) : null,
      error));
}

async function boardOf(boardId) {
  try {
    return await api(`api/v1/boards/${encodeURIComponent(boardId)}`);
  } catch {
    return { board_id: boardId, board_name: 'another user’s board', user_id: null, board_visibility: 'private' };
  }
}

function details(image, meta, board) {
  const rows = [
    ['Prompt', meta.positive_prompt],
    ['Negative prompt', meta.negative_prompt],
    ['Seed', meta.seed],
    ['Model', meta.model && meta.model.name],
    ['Scheduler', meta.scheduler],
    ['Steps', meta.steps],
    ['CFG scale', meta.cfg_scale],
    ['Strength', meta.generation_mode === 'img2img' ? meta.strength : undefined],
    ['Mode', meta.generation_mode],
    ['Size', `${image.width} × ${image.height}`],
    ['Board', board ? board.board_name : 'Uncategorized'],
    ['Created', when(image.created_at)],
    ['Name', image.image_name],
  ];
  return rows.filter(([, value]) => value !== undefined && value !== null && value !== '')
    .map(([label, value]) => [h('dt', { text: label }), h('dd', { text: String(value) })]);
}
