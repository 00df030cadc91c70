// Follows InvokeJ's live events with socket.io-client, the way InvokeAI's web UI and scripts do, and
// prints what happens as JSON lines for the Java test that runs it:
//   node events-client.mjs <origin> <path> [token] [queue_id]
// With INVOKEJ_AUTH=header the token goes in an Authorization header instead of the auth payload.
// INVOKEJ_TRANSPORTS=default starts with long-polling (the library's default), =try-all as well but
// with tryAllTransports. Ends when standard input closes, at a disconnect, or at a failed connection
// (printing the reason, which tells a server disconnect from a dropped transport).
import { io } from "socket.io-client";

const [origin, path, token, queueId] = process.argv.slice(2);
const print = (line) => process.stdout.write(JSON.stringify(line) + "\n");

const options = { path, transports: ["websocket"] };
if (process.env.INVOKEJ_TRANSPORTS === "default") {
  delete options.transports;
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

socket.on("connect", () => {
  print({ type: "connect", id: socket.id });
  if (queueId) {
    socket.emit("subscribe_queue", { queue_id: queueId }, () => print({ type: "subscribed", queue_id: queueId }));
  }
});
socket.on("connect_error", (err) => {
  print({ type: "connect_error", message: err.message });
  process.exit(0);
});
socket.on("disconnect", (reason) => {
  print({ type: "disconnect", reason });
  process.exit(0);
});
socket.onAny((name, payload) => print({ type: "event", name, payload }));
process.stdin.on("end", () => {
  socket.disconnect();
  process.exit(0);
});
process.stdin.resume();
