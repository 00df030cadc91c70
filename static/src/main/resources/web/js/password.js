// The password rules, shown live while someone types (setup, profile, user administration). With
// strict_password_checking the server refuses a password that breaks them, so the form does too;
// otherwise, as InvokeAI's client does, a weak password is only labelled. Administrators' passwords are
// always held to them (strict === 'admin'), as the server does.

import { fill, h } from './dom.js';

// The server's rule is Unicode-aware (Python's isupper/islower/isdigit): so are these.
const RULES = [
  { text: 'At least 8 characters', test: p => [...p].length >= 8 },
  { text: 'An upper-case letter', test: p => /\p{Lu}/u.test(p) },
  { text: 'A lower-case letter', test: p => /\p{Ll}/u.test(p) },
  { text: 'A digit', test: p => /\p{Nd}/u.test(p) },
];

/** weak (< 8 characters), moderate (long enough, a kind missing) or strong, as InvokeAI labels them. */
export function strength(password) {
  if ([...password].length < 8) return 'weak';
  return RULES.every(rule => rule.test(password)) ? 'strong' : 'moderate';
}

/**
 * Shows the rules for `password` in `box` and answers whether the form may be sent: in strict mode
 * only a strong password; otherwise any non-empty one (with a warning). confirm is the repeated
 * password, or undefined where none is asked.
 */
export function showRules(box, password, strict, confirm) {
  const label = strength(password);
  const matches = confirm === undefined || password === confirm;
  fill(box,
    h('p', {}, 'Password strength: ', h('strong', { class: `strength ${label}`, text: label })),
    h('ul', {}, RULES.map(rule => {
      const met = rule.test(password);
      return h('li', { class: met ? 'met' : 'unmet' },
        h('span', { 'aria-hidden': 'true', text: met ? '✓ ' : '✗ ' }), rule.text,
        h('span', { class: 'sr-only', text: met ? ' (met)' : ' (not met)' }));
    })),
    strict
      ? h('p', { class: 'hint', text: strict === 'admin' ? 'Administrators always need all of these.' : 'This server requires all of these.' })
      : (password && label !== 'strong'
        ? h('p', { class: 'warning', text: 'This password is weak. It is allowed, but a stronger one is safer.' })
        : null),
    confirm !== undefined && confirm !== '' && !matches ? h('p', { class: 'warning', text: 'The passwords do not match.' }) : null);
  if (!password || !matches) return false;
  return strict ? label === 'strong' : true;
}

/** Wires a password input (and its confirmation) to a rules box and a submit button. */
export function watchPassword(form, { input, confirm, box, submit, strict }) {
  const update = () => {
    const ok = showRules(box, input.value, strict(), confirm ? confirm.value : undefined);
    submit.disabled = !ok;
    return ok;
  };
  input.addEventListener('input', update);
  if (confirm) confirm.addEventListener('input', update);
  update();
  return update;
}
