// Small DOM helpers shared by the views: element building, dialogs, toasts, dates.

/**
 * Builds an element. attrs: "class", "text", "on<event>" (handlers), "dataset" (object), booleans
 * (true sets, false/null/undefined leaves out), anything else as an attribute. Children may be
 * nodes, strings, or (nested) arrays of them; null and false are skipped.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'text') el.textContent = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (value === true) el.setAttribute(key, '');
    else el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : String(child));
  }
}

export const $ = (selector, root = document) => root.querySelector(selector);
export const $$ = (selector, root = document) => [...root.querySelectorAll(selector)];

/** Replaces an element's children. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** Shows (or clears, with "") the message of a form's [data-error] / [data-notice] element. */
export function say(form, message, kind = 'error') {
  const target = form.querySelector(kind === 'error' ? '[data-error]' : '[data-notice]');
  if (target) target.textContent = message || '';
}

/** Runs an API action, showing its error (or clearing an old one) through report(message). */
export async function attempt(report, action) {
  report('');
  try {
    return await action();
  } catch (e) {
    report(e.message);
    return undefined;
  }
}

/** A short message in the corner that goes away by itself. */
export function toast(message, kind = 'info') {
  const box = document.getElementById('toasts');
  const item = h('div', { class: `toast ${kind}`, text: message });
  box.append(item);
  setTimeout(() => item.remove(), kind === 'error' ? 8000 : 4000);
}

/**
 * A modal dialog (native <dialog>: focus stays inside, Escape closes). fields: nodes placed in the
 * form; actions: [{label, value, primary, danger}] ("cancel" closes without submitting).
 * onSubmit(value, form) may throw an Error whose message is shown in the dialog, which then stays
 * open; otherwise its result resolves the returned promise. Cancelling resolves null.
 */
export function dialog({ title, fields = [], actions = [{ label: 'OK', value: 'ok', primary: true }], onSubmit }) {
  const titleId = `dialog-${Math.random().toString(36).slice(2)}`;
  const error = h('p', { class: 'error', role: 'alert' });
  const form = h('form', { method: 'dialog', novalidate: true },
    h('h2', { id: titleId, text: title }),
    fields,
    error,
    h('div', { class: 'actions' }, actions.map(action => h('button', {
      type: action.value === 'cancel' ? 'button' : 'submit',
      value: action.value,
      class: [action.primary ? 'primary' : '', action.danger ? 'danger' : ''].join(' ').trim() || null,
      text: action.label,
      onclick: action.value === 'cancel' ? () => box.close('cancel') : null,
    }))));
  const box = h('dialog', { 'aria-labelledby': titleId }, form);
  const opener = document.activeElement;
  document.body.append(box);
  return new Promise(resolve => {
    let result = null;
    form.addEventListener('submit', async event => {
      event.preventDefault();
      const value = event.submitter?.value || 'ok';
      if (!form.reportValidity()) return;
      const buttons = $$('button', form);
      buttons.forEach(b => { b.disabled = true; });
      try {
        result = onSubmit ? await onSubmit(value, form) : value;
        if (result === undefined) result = value;
        box.close(value);
      } catch (e) {
        error.textContent = e.message;
      } finally {
        buttons.forEach(b => { b.disabled = false; });
      }
    });
    box.addEventListener('close', () => {
      box.remove();
      if (opener && opener.isConnected) opener.focus();
      resolve(box.returnValue === 'cancel' ? null : result);
    });
    box.showModal();
    const first = form.querySelector('input:not([type=hidden]), select, textarea');
    if (first) first.focus();
  });
}

/** Asks a yes/no question; resolves true when confirmed. */
export async function confirmDialog(title, message, confirmLabel = 'OK', danger = false) {
  const answer = await dialog({
    title,
    fields: [h('p', { text: message })],
    actions: [{ label: 'Cancel', value: 'cancel' }, { label: confirmLabel, value: 'yes', primary: !danger, danger }],
  });
  return answer === 'yes';
}

/** A labelled input for dialogs. */
export function field(label, { tag = 'input', value, ...attrs }) {
  const control = h(tag, attrs);
  if (value !== undefined && value !== null) control.value = value;
  return h('label', {}, label, ' ', control);
}

/**
 * Formats a server time for people, in their own time zone. Boards, images and the queue send SQLite's
 * "YYYY-MM-DD HH:MM:SS.SSS" (UTC without a zone); users send ISO strings.
 */
export function when(text) {
  if (!text) return '';
  const iso = /^\d{4}-\d\d-\d\d \d/.test(text) ? `${text.replace(' ', 'T')}Z` : text;
  const date = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(iso) ? iso : `${iso}Z`);
  return Number.isNaN(date.getTime()) ? text : date.toLocaleString();
}

/** The name to show for a user: display name, else email. */
export function userLabel(user) {
  return user.display_name || user.email || user.user_id;
}
