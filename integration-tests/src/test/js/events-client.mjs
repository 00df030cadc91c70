// Follows InvokeJ's live events with socket.io-client, the way InvokeAI's web UI and scripts do, and
// prints what happens as JSON lines for the Java test that runs it:
//   node events-client.mjs <origin> <path> [token] [queue_id]
// With INVOKEJ_AUTH=header the token goes in an Authorization header instead of the auth payload.
// INVOKEJ_TRANSPORTS=default starts with long-polling and upgrades (the library's default), =polling
// never leaves long-polling, =try-all is the default with tryAllTransports; otherwise WebSocket only.
// Prints the transport in use at the connect and at an upgrade. Ends when standard input closes, at
// a server disconnect, or at a connection the server refused (printing the reason, which tells a
// server disconnect from a dropped transport); after a dropped transport it reconnects, as by default.
import { io } from "socket.io-client";

const [origin, path, token, queueId] = process.argv.slice(2);
const print = (line) => process.stdout.write(JSON.stringify(line) + "\n");

const options = { path, transports: ["websocket"] };
if (process.env.INVOKEJ_TRANSPORTS === "default") {
  delete options.transports;
} else if (process.env.INVOKEJ_TRANSPORTS === "polling") {
  options.transports = ["polling"];
} else if (process.env.INVOKEJ_TRANSPORTS === "try-all") {
  delete options.transports;
  options.tryAllTransports = true;
}
if (token && process.env.INVOKEJ_AUTH === "header") {
  options.extraHeaders = { Authorization: `Bearer ${token}` };
} else if (token) {
  options.auth = { token };
}
const socket = io(origin, options);

socket.io.on("open", () => {
  print({ type: "transport", name: socket.io.engine.transport.name });
  socket.io.engine.on("upgrade", (transport) => print({ type: "transport", name: transport.name }));
});
socket.on("connect", () => {
  print({ type: "connect", id: socket.id });
  if (queueId) {
    socket.emit("subscribe_queue", { queue_id: queueId }, () => print({ type: "subscribed", queue_id: queueId }));
  }
});
socket.on("connect_error", (err) => {
  print({ type: "connect_error", message: err.message });
  // Refused by the server: no retry. Otherwise the Manager tries again.
  if (!socket.active) {
    process.exit(0);
  }
});
socket.on("disconnect", (reason) => {
  print({ type: "disconnect", reason });
  if (!socket.active) {
    process.exit(0);
  }
});
socket.onAny((name, payload) => print({ type: "event", name, payload }));
process.stdin.on("end", () => {
  socket.disconnect();
  process.exit(0);
});
process.stdin.resume();
