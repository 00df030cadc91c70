// Boards as several views need them: who may do what with one (invokeai-multiuser.md §6.1, §6.2), and the
// board choices for "save to board" and "move to board".

import { api } from './api.js';
import { fill, h } from './dom.js';
import { session } from './session.js';

export function listBoards(includeArchived = false) {
  return api('api/v1/boards/', {
    query: { all: true, include_archived: includeArchived, order_by: 'board_name', direction: 'ASC' },
  });
}

/** Rename, archive, change visibility, delete: owner or administrator. */
export function canManage(board) {
  return session.isAdmin || session.owns(board.user_id);
}

/** Add or upload images: owner, administrator, or anyone on a public board. */
export function canWrite(board) {
  return canManage(board) || board.board_visibility === 'public';
}

/** Fills a <select> with "Uncategorized" and the boards one may put images on (value "none" = no board). */
export function fillBoardChoices(select, boards, selected = 'none') {
  const choices = boards.filter(board => canWrite(board) && !board.archived);
  fill(select,
    h('option', { value: 'none', text: 'Uncategorized' }),
    choices.map(board => h('option', { value: board.board_id, text: boardLabel(board) })));
  select.value = choices.some(board => board.board_id === selected) ? selected : 'none';
}

/** A board's name, with whose it is when it is someone else's. */
export function boardLabel(board) {
  if (session.owns(board.user_id) || !session.multiuser) return board.board_name;
  return board.owner_username ? `${board.board_name} (${board.owner_username})` : `${board.board_name} (shared)`;
}
