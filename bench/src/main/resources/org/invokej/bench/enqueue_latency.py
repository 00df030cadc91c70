"""Times, with python-socketio, how long after an enqueue the client hears of it:

    python3 enqueue_latency.py <url> <token> <transport> <runs> <batch.json>

<transport> is "websocket" (WebSocket only) or "polling" (HTTP long-polling only). For each run the
script POSTs the batch to enqueue_batch (with python-requests) and measures, from just before the POST,
the arrival of the batch's first queue_item_status_changed and of its batch_enqueued; it then waits for
the item to finish (asking over HTTP), so that runs do not overlap. It prints one JSON line per run
({"missed": true} when the events did not come within 10 s), then "done".
"""
import json
import os
import sys
import threading
import time

import requests
import socketio

url, token, transport, runs, batch_file = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
with open(batch_file) as f:
    batch = json.load(f)

lock = threading.Condition()
first_status = {}
enqueued = {}

sio = socketio.Client()


@sio.on("queue_item_status_changed")
def status_changed(payload):
    now = time.perf_counter()
    with lock:
        first_status.setdefault(payload["batch_id"], now)
        lock.notify_all()


@sio.on("batch_enqueued")
def batch_enqueued(payload):
    now = time.perf_counter()
    with lock:
        enqueued.setdefault(payload["batch_id"], now)
        lock.notify_all()


auth = {"token": token} if token else None
sio.connect(url, socketio_path="/ws/socket.io", transports=[transport], auth=auth)
sio.call("subscribe_queue", {"queue_id": "default"}, timeout=10)
session = requests.Session()
headers = {"Authorization": "Bearer " + token} if token else {}
for _ in range(runs):
    start = time.perf_counter()
    answer = session.post(url + "/api/v1/queue/default/enqueue_batch", json={"batch": batch}, headers=headers)
    answer.raise_for_status()
    batch_id = answer.json()["batch"]["batch_id"]
    item_id = answer.json()["item_ids"][0]
    with lock:
        if not lock.wait_for(lambda: batch_id in first_status and batch_id in enqueued, timeout=10):
            # Counted, not fatal: how often a transport loses or holds back events is part of the answer.
            print(json.dumps({"missed": True, "transport": sio.transport()}), flush=True)
        else:
            print(json.dumps({"status_ms": (first_status[batch_id] - start) * 1000,
                          "enqueued_ms": (enqueued[batch_id] - start) * 1000, "transport": sio.transport()}), flush=True)
    deadline = time.monotonic() + 120
    while session.get(url + "/api/v1/queue/default/i/%d" % item_id, headers=headers).json()["status"] not in (
            "completed", "failed", "canceled"):
        if time.monotonic() > deadline:
            print("item %d did not finish" % item_id, file=sys.stderr, flush=True)
            os._exit(1)
        time.sleep(0.01)
print("done", flush=True)
os._exit(0)  # without waiting on the client's threads
