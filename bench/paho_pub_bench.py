#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""bench_pub_paho: the publisher of bench_pub_libmosquitto --threaded, on python3-paho-mqtt.

Debian's paho-mqtt 1.6.1 (/usr/bin/python3) with loop_start(): its network thread does the
I/O and runs the callbacks, this thread publishes. Same CLI, same JSON line and the same
window as mosquitto_pub_bench.c --threaded:
  - QoS 1 / 2: at most --inflight messages published and not yet acknowledged
    (on_publish); this thread sleeps on a condition variable otherwise;
  - QoS 0: no window (paho queues what the socket does not take yet); done = every
    on_publish fired, i.e. every message written into the socket.
seconds: first publish to last completion; CPU: the whole process (getrusage), so the
interpreter's start-up is charged too; maxrss_kib: VmHWM.
"""
import argparse
import json
import os
import resource
import sys
import threading
import time

import paho.mqtt.client as mqtt

TOPIC = "piogate/bench/pub"


def peak_rss_kib():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return -1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=1883)
    ap.add_argument("--qos", type=int, default=0, choices=(0, 1, 2))
    ap.add_argument("--count", type=int, default=100000)
    ap.add_argument("--size", type=int, default=100)
    ap.add_argument("--inflight", type=int, default=20)
    a = ap.parse_args()

    cond = threading.Condition()
    state = {"completed": 0, "connected": False, "rc": None, "lost": None}

    def on_connect(client, userdata, flags, rc):
        with cond:
            state["rc"] = rc
            state["connected"] = rc == 0
            cond.notify()

    def on_disconnect(client, userdata, rc):
        with cond:
            if rc != 0:
                state["lost"] = rc
            cond.notify()

    def on_publish(client, userdata, mid):
        with cond:
            state["completed"] += 1
            cond.notify()

    c = mqtt.Client(client_id=f"bench-pub-paho-{os.getpid()}", clean_session=True)
    c.max_inflight_messages_set(a.inflight)
    c.max_queued_messages_set(0)
    c.on_connect = on_connect
    c.on_disconnect = on_disconnect
    c.on_publish = on_publish
    c.connect(a.host, a.port, 60)
    c.loop_start()
    deadline = time.monotonic() + 120
    with cond:
        while not state["connected"]:
            if state["rc"]:
                sys.exit(f"bench_pub_paho: connection refused: {state['rc']}")
            if time.monotonic() > deadline:
                sys.exit("bench_pub_paho: timeout while connecting")
            cond.wait(0.1)

    payload = b"x" * a.size
    window = a.count if a.qos == 0 else a.inflight
    published = 0
    start = time.monotonic()
    with cond:
        while state["completed"] < a.count:
            room = min(window - (published - state["completed"]), a.count - published)
            if room > 0:
                cond.release()  # publish outside our lock: the network thread reports meanwhile
                try:
                    for _ in range(room):
                        info = c.publish(TOPIC, payload, a.qos)
                        if info.rc != mqtt.MQTT_ERR_SUCCESS:
                            sys.exit(f"bench_pub_paho: publish failed: {mqtt.error_string(info.rc)}")
                finally:
                    cond.acquire()
                published += room
                continue
            if state["lost"] is not None:
                sys.exit(f"bench_pub_paho: connection lost: {state['lost']}")
            if time.monotonic() > deadline:
                sys.exit(f"bench_pub_paho: timeout: {state['completed']} of {a.count} completed")
            cond.wait(0.1)
    elapsed = time.monotonic() - start
    c.disconnect()
    c.loop_stop()

    ru = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({
        "impl": "paho-python-thread", "qos": a.qos, "count": a.count, "size": a.size,
        "seconds": round(elapsed, 6), "rate": round(a.count / elapsed, 1),
        "cpu_user_s": ru.ru_utime, "cpu_sys_s": ru.ru_stime,
        "cpu_us_per_msg": round((ru.ru_utime + ru.ru_stime) * 1e6 / a.count, 3),
        "maxrss_kib": peak_rss_kib(),
    }))


if __name__ == "__main__":
    main()
