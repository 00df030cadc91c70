// Uploading image files to a board: from the gallery's "Upload images" button, and from files dropped
// anywhere on the page (the page that is shown says which board: app.js asks its uploadTarget()).

import { api } from './api.js';
import { emit } from './bus.js';
import { $, toast } from './dom.js';

/**
 * Uploads each file to boardId ("none" or null: uncategorized). report(message) shows a failure; the
 * others still go. Answers how many were stored.
 */
export async function uploadFiles(files, boardId, report = message => toast(message, 'error')) {
  let done = 0;
  for (const file of files) {
    const data = new FormData();
    data.append('file', file);
    try {
      await api('api/v1/images/upload', {
        method: 'POST', body: data,
        query: { image_category: 'user', is_intermediate: false, board_id: !boardId || boardId === 'none' ? null : boardId },
      });
      done += 1;
    } catch (e) {
      report(`${file.name}: ${e.message}`);
    }
  }
  if (done) {
    toast(`${done} image${done === 1 ? '' : 's'} uploaded.`);
    emit('images-changed', {});
  }
  return done;
}

function carriesFiles(event) {
  return Boolean(event.dataTransfer) && [...event.dataTransfer.types].includes('Files');
}

/**
 * Lets files be dropped anywhere on the signed-in page. target() answers where they go:
 * {boardId, label}, or null when this page takes no uploads.
 */
export function acceptDroppedFiles(target) {
  const overlay = $('#drop-overlay');
  let depth = 0; // dragenter/dragleave pair up over nested elements
  const hide = () => {
    depth = 0;
    overlay.hidden = true;
  };
  document.addEventListener('dragenter', event => {
    if (!carriesFiles(event) || $('#app').hidden || !target()) return;
    event.preventDefault();
    depth += 1;
    $('#drop-text').textContent = `Drop images to upload them to ${target().label}`;
    overlay.hidden = false;
  });
  document.addEventListener('dragover', event => {
    if (!carriesFiles(event) || $('#app').hidden || !target()) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
  });
  document.addEventListener('dragleave', event => {
    if (!carriesFiles(event)) return;
    depth -= 1;
    if (depth <= 0) hide();
  });
  document.addEventListener('drop', event => {
    if (!carriesFiles(event)) return;
    // Never let the browser navigate away to the dropped file.
    event.preventDefault();
    hide();
    const where = !$('#app').hidden && target();
    if (!where) return;
    const files = [...event.dataTransfer.files].filter(file => file.type.startsWith('image/'));
    if (files.length === 0) {
      toast('Only image files can be uploaded.', 'error');
      return;
    }
    uploadFiles(files, where.boardId);
  });
}
