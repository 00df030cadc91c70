// Every call to the server goes through here: relative URLs (so a reverse proxy's sub-path works), the
// bearer token on every call, a token replaced whenever a response carries X-Refreshed-Token (then the
// media cookie follows it), a 401 on a signed-in call ends the session, and errors carry the API's detail.

import { emit } from './bus.js';
import { forgetToken, storeToken, token } from './session.js';

export const EXPIRED_MESSAGE = 'Your session has expired, please log in again';
const DEACTIVATED_PREFIX = 'Your account was deactivated';

export class ApiError extends Error {
  constructor(status, detail, message) {
    super(message);
    this.status = status;
    this.detail = detail;
  }
}

/** The folder this page was loaded from, e.g. https://host/invoke/ behind a proxy. */
export const baseUrl = new URL('.', document.baseURI);

/** An absolute URL for an API path relative to the page ("api/v1/…"); arrays become repeated keys. */
export function url(path, query = {}) {
  const target = new URL(path, baseUrl);
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    for (const item of Array.isArray(value) ? value : [value]) target.searchParams.append(key, String(item));
  }
  return target;
}

// Mutating calls whose response may still bring a replacement token (a password change revokes the
// old one at once): a 401 seen meanwhile waits for them before deciding the session has ended.
const replacements = new Set();

/**
 * Calls the API and answers the parsed JSON (null for an empty body). options: method, query, json (a
 * body to send as JSON), body (sent as is, e.g. FormData), anonymous (send no token: setup, login).
 * Throws ApiError with a message for people.
 */
export async function api(path, options = {}, retried = false) {
  const { method = 'GET', query, json, anonymous = false } = options;
  let { body } = options;
  const headers = new Headers();
  const bearer = anonymous ? null : token();
  if (bearer) headers.set('Authorization', `Bearer ${bearer}`);
  if (json !== undefined) {
    headers.set('Content-Type', 'application/json');
    body = JSON.stringify(json);
  }
  let settle = () => {};
  if (method !== 'GET' && method !== 'HEAD') {
    const seen = new Promise(resolve => { settle = resolve; });
    replacements.add(seen);
    seen.then(() => replacements.delete(seen));
  }
  let response;
  try {
    response = await fetch(url(path, query), { method, headers, body, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, null, 'The server cannot be reached. Check the connection and try again.');
  } finally {
    const refreshed = response && response.headers.get('X-Refreshed-Token');
    if (refreshed) adoptToken(refreshed);
    settle();
  }
  const data = await readBody(response);
  if (response.ok) return data;
  if (response.status === 401 && bearer) {
    await Promise.all([...replacements]);
    // Refused because the token was replaced while this call was under way: once more with the new one.
    if (!retried && token() && token() !== bearer) return api(path, options, true);
    forgetToken();
    // A deactivated account is told so in the server's words; anything else reads as an ended session.
    const deactivated = data && typeof data.detail === 'string' && data.detail.startsWith(DEACTIVATED_PREFIX);
    emit('session-expired', deactivated ? data.detail : EXPIRED_MESSAGE);
  }
  throw new ApiError(response.status, data && data.detail, describe(response, data));
}

let cookieUpdates = Promise.resolve();

/** Keeps a replacement token, and moves the media cookie (what <img> sends) to it, in order. */
export function adoptToken(fresh) {
  storeToken(fresh);
  emit('token-changed', fresh);
  cookieUpdates = cookieUpdates.then(() => fetch(url('api/v1/auth/media-cookie'), {
    method: 'POST', headers: { Authorization: `Bearer ${fresh}` }, credentials: 'same-origin',
  })).catch(() => { /* the next refresh tries again; images fail visibly meanwhile */ });
  return cookieUpdates;
}

async function readBody(response) {
  const text = await response.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return { detail: text };
  }
}

/** The API's detail as one sentence: a string, FastAPI's validation list, or an object with a message. */
function describe(response, data) {
  const detail = data && data.detail;
  let message;
  if (typeof detail === 'string') message = detail;
  else if (Array.isArray(detail)) {
    message = detail.map(item => {
      const where = Array.isArray(item.loc) ? item.loc.filter(part => part !== 'body').join('.') : '';
      return where ? `${where}: ${item.msg}` : item.msg;
    }).join('; ');
  } else if (detail && typeof detail === 'object' && detail.message) message = detail.message;
  else message = `The server answered ${response.status} ${response.statusText}`.trim();
  const retryAfter = response.headers.get('Retry-After');
  if (response.status === 429 && retryAfter && !/\d+ second/.test(message)) {
    message += ` (try again in ${retryAfter} s)`;
  }
  return message;
}
