"""Follows InvokeJ's live events with python-socketio (Debian's 5.7.2), the way InvokeAI's scripts do,
and prints what happens as JSON lines for the Java test that runs it:

    python3 events_client.py <url> <socketio_path> [token] [queue_id]

With INVOKEJ_AUTH=header the token goes in an Authorization header instead of the auth payload; with
INVOKEJ_TRANSPORTS=default the client starts with long-polling and upgrades, as it does unless told
otherwise, with =polling it never leaves long-polling; otherwise it uses the WebSocket only. It prints
the transport in use once connected.
Reconnection stays on, as by default: the script ends when standard input closes, when the server
disconnects the client (which then does not reconnect), or when the connection is refused.
"""
import json
import os
import sys
import threading

import socketio

url, path = sys.argv[1], sys.argv[2]
token = sys.argv[3] if len(sys.argv) > 3 and sys.argv[3] else None
queue_id = sys.argv[4] if len(sys.argv) > 4 else None
lock = threading.Lock()


def show(line):
    with lock:
        sys.stdout.write(json.dumps(line) + "\n")
        sys.stdout.flush()


sio = socketio.Client()


@sio.event
def connect():
    show({"type": "connect", "id": sio.get_sid()})


@sio.event
def connect_error(data):
    show({"type": "connect_error", "message": data.get("message") if isinstance(data, dict) else str(data)})


@sio.event
def disconnect():
    show({"type": "disconnect"})


@sio.on("*")
def any_event(name, payload):
    show({"type": "event", "name": name, "payload": payload})


headers = {}
auth = None
if token and os.environ.get("INVOKEJ_AUTH") == "header":
    headers = {"Authorization": "Bearer " + token}
elif token:
    auth = {"token": token}
transports = {"default": None, "polling": ["polling"]}.get(os.environ.get("INVOKEJ_TRANSPORTS"), ["websocket"])
try:
    sio.connect(url, socketio_path=path, transports=transports, auth=auth, headers=headers)
except socketio.exceptions.ConnectionError as e:
    show({"type": "connection_failed", "message": str(e)})
    sys.exit(0)
show({"type": "transport", "name": sio.transport()})
if queue_id:
    sio.call("subscribe_queue", {"queue_id": queue_id}, timeout=10)
    show({"type": "subscribed", "queue_id": queue_id})


def stop_at_end_of_input():
    sys.stdin.read()
    sio.disconnect()


threading.Thread(target=stop_at_end_of_input, daemon=True).start()
sio.wait()
