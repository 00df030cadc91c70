// The page's event bus: socket events ("socket:<name>"), session changes, and data changes that
// several views show (e.g. "images-changed" after an upload, a move or a finished generation).

const target = new EventTarget();

export function emit(name, detail) {
  target.dispatchEvent(new CustomEvent(name, { detail }));
}

/** Calls handler(detail) for every event of that name; returns a function that stops it. */
export function on(name, handler) {
  const listener = event => handler(event.detail);
  target.addEventListener(name, listener);
  return () => target.removeEventListener(name, listener);
}
