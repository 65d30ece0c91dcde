#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Reconnect storm: a fleet of real daemons against one local mosquitto that restarts.

Starts a private mosquitto on a free loopback port and --daemons piogate processes (each its
own simulated board, one BME280 read every --interval s at QoS 1, its own client id, prefix
storm/dNNN and disk buffer). Once every daemon is online it measures, over --idle seconds, each
daemon's anonymous memory (RssAnon) and CPU (utime + stime from /proc/PID/stat). Then it
stops the broker (SIGTERM; it keeps the observer's session on disk), restarts it after --down seconds and records when each daemon's "online"
arrives again (an observer subscribed to storm/+/status): the reconnect times from the restart,
their histogram per second, and the most in any one second. Finally it waits two intervals,
stops every daemon and checks that no reading was lost (each daemon's ts advance by --interval).

Extra daemon mqtt settings (e.g. the reconnect spread) go in --mqtt as JSON.
Bounded: every wait has a timeout.
  /usr/bin/python3 bench/run_storm_bench.py --daemon build/src/piogate --daemons 200
"""
import argparse
import calendar
import collections
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "support"))
import paho.mqtt.client as mqtt  # noqa: E402
from broker import Broker  # noqa: E402

HZ = os.sysconf("SC_CLK_TCK")


def seconds(ts):
    return calendar.timegm(time.strptime(ts[:19], "%Y-%m-%dT%H:%M:%S")) + int(ts[20:23]) / 1000


def cpu_ticks(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def rss_anon_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("RssAnon:"):
                return int(line.split()[1])
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--daemon", required=True)
    ap.add_argument("--daemons", type=int, default=200)
    ap.add_argument("--interval", type=float, default=10)
    ap.add_argument("--idle", type=float, default=30)
    ap.add_argument("--down", type=float, default=3)
    ap.add_argument("--mqtt", default="{}", help="extra mqtt settings for every daemon, JSON")
    a = ap.parse_args()
    extra = json.loads(a.mqtt)

    # The observer's session (subscriptions, queued QoS 1 readings) survives the restart in
    # mosquitto's persistence file, so readings that arrive before it is back are not counted lost.
    state = tempfile.mkdtemp(prefix="piogate-storm-broker-")
    broker = Broker(extra_config="persistence true\npersistence_location %s/\n" % state)
    work = tempfile.mkdtemp(prefix="piogate-storm-")
    lock = threading.Lock()
    online = collections.defaultdict(list)  # daemon -> monotonic times of "online"
    readings = collections.defaultdict(list)

    def on_message(c, u, m):
        parts = m.topic.split("/")
        now = time.monotonic()
        with lock:
            if parts[-1] == "status" and m.payload == b"online":
                online[parts[1]].append(now)
            elif len(parts) == 4 and parts[2] == "sensors":
                readings[parts[1]].append(seconds(json.loads(m.payload)["ts"]))

    observer = mqtt.Client(client_id="storm-observer", clean_session=False)
    observer.on_message = on_message
    observer.on_connect = lambda c, u, f, rc: c.subscribe([("storm/+/status", 1), ("storm/+/sensors/+", 1)])
    observer.reconnect_delay_set(0.1, 0.5)
    observer.connect("127.0.0.1", broker.port)
    observer.loop_start()

    procs = []
    try:
        for i in range(a.daemons):
            name = "d%03d" % i
            d = os.path.join(work, name)
            os.makedirs(d)
            cfg = {"mqtt": dict({"host": "127.0.0.1", "port": broker.port, "topic_prefix": "storm/" + name,
                                 "client_id": "storm-" + name}, **extra),
                   "board": {"kind": "sim", "i2c": [{"bus": 1, "devices": [{"model": "bme280", "address": "0x76"}]}]},
                   "sensors": [{"id": "t", "type": "bme280", "bus": 1, "interval_s": a.interval, "qos": 1}],
                   "buffer": {"persist": True, "file": os.path.join(d, "buffer.jsonl")}}
            with open(os.path.join(d, "config.json"), "w") as f:
                json.dump(cfg, f)
            procs.append((name, subprocess.Popen([a.daemon, "-c", os.path.join(d, "config.json"), "--log-level", "warning"],
                                                 stdout=subprocess.DEVNULL, stderr=open(os.path.join(d, "log"), "w"))))
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with lock:
                if len(online) == a.daemons:
                    break
            time.sleep(0.2)
        with lock:
            print("%d of %d daemons online" % (len(online), a.daemons))
        time.sleep(3)
        t0 = {name: cpu_ticks(p.pid) for name, p in procs}
        time.sleep(a.idle)
        cpu = sorted(100.0 * (cpu_ticks(p.pid) - t0[name]) / HZ / a.idle for name, p in procs)
        anon = sorted(rss_anon_kib(p.pid) for _, p in procs)
        print("idle, %d daemons, one sensor at %g s: CPU per daemon median %.3f %% max %.3f %% of a core; "
              "anonymous memory median %d KiB max %d KiB" % (
                  a.daemons, a.interval, cpu[len(cpu) // 2], cpu[-1], anon[len(anon) // 2], anon[-1]))

        with lock:
            before = {k: len(v) for k, v in online.items()}
        broker.stop()  # SIGTERM: mosquitto saves its sessions; every daemon loses its connection
        time.sleep(a.down)
        broker.start()
        restarted = time.monotonic()
        deadline = restarted + 300
        while time.monotonic() < deadline:
            with lock:
                back = sum(1 for k, n in before.items() if len(online[k]) > n)
            if back == a.daemons:
                break
            time.sleep(0.2)
        with lock:
            times = sorted(online[k][before[k]] - restarted for k in before if len(online[k]) > before[k])
        hist = collections.Counter(int(t) for t in times)
        print("\nbroker down %g s, restarted: %d of %d daemons back; reconnect after restart "
              "min %.2f s, median %.2f s, max %.2f s" % (a.down, len(times), a.daemons, times[0], times[len(times) // 2],
                                                          times[-1]))
        print("most in any one second: %d" % max(hist.values()))
        print("| second after restart | daemons back |\n|---|---|")
        for s in range(int(times[-1]) + 1):
            print("| %d | %d |" % (s, hist.get(s, 0)))
        time.sleep(2 * a.interval + 2)
    finally:
        for _, p in procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for _, p in procs:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
        observer.loop_stop()
        broker.close()
    lost = dup = 0
    for name, ts in readings.items():
        u = sorted(set(ts))
        dup += len(ts) - len(u)
        lost += sum(max(0, round((y - x) / a.interval) - 1) for x, y in zip(u, u[1:]))
    print("\nreadings delivered %d, lost %d, duplicates %d" % (sum(len(set(v)) for v in readings.values()), lost, dup))
    return 0 if lost == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
