// Live events over Socket.IO (the real socket.io-client 4.x), as InvokeAI's client connects: to this
// page's origin at <base>/ws/socket.io with the token in the auth payload, then subscribe_queue.
// Every server event is re-emitted on the bus as "socket:<event name>".

import { io } from '../vendor/socket.io-client/socket.io.esm.min.js';
import { api, baseUrl } from './api.js';
import { emit } from './bus.js';
import { token } from './session.js';

const QUEUE_ID = 'default';

let socket = null;

export function connect() {
  if (socket) return;
  socket = io(location.origin, {
    path: `${baseUrl.pathname}ws/socket.io`,
    // InvokeJ speaks Socket.IO over WebSocket only (no long-polling).
    transports: ['websocket'],
    // A function, so that every reconnection sends the newest token (refreshes replace it).
    auth: callback => callback(token() ? { token: token() } : {}),
    timeout: 60000,
  });
  socket.on('connect', () => {
    socket.emit('subscribe_queue', { queue_id: QUEUE_ID });
    emit('live', true);
  });
  socket.on('disconnect', reason => {
    emit('live', false);
    // The server ends a socket whose session changed (password changed elsewhere, deactivation). If
    // this page still holds a good token (e.g. the replacement after its own password change), join again.
    if (reason === 'io server disconnect') recheck();
  });
  socket.on('connect_error', () => {
    emit('live', false);
    // "Connection rejected by server": the token is no longer honoured. A REST call tells why and,
    // for an ended session, returns to sign-in; socket.io-client retries other errors by itself.
    if (!socket.active) recheck();
  });
  socket.onAny((name, payload) => emit(`socket:${name}`, payload));
}

export function disconnect() {
  if (!socket) return;
  socket.disconnect();
  socket = null;
  emit('live', false);
}

let rechecking = false;

async function recheck() {
  if (rechecking || !socket) return;
  rechecking = true;
  try {
    // After this page's own password change the server ends the socket before the replacement token
    // has arrived with the response: give it a moment.
    await new Promise(resolve => setTimeout(resolve, 1000));
    await api('api/v1/auth/status');
    if (token()) await api('api/v1/auth/me');
    if (socket && !socket.connected) socket.connect();
  } catch {
    // api() has already sent an ended session back to sign-in; a network error retries later.
    setTimeout(() => socket && !socket.connected && socket.connect(), 5000);
  } finally {
    rechecking = false;
  }
}
