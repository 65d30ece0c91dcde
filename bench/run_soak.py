#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Soak: the daemon against a broker that is SIGKILLed every few minutes.

Starts a private mosquitto on a free loopback port, the daemon (--daemon) on a simulated board
with --sensors BME280s read every --interval seconds at QoS 1, with the disk buffer on, and a
paho-mqtt observer with a persistent session that mosquitto saves every second, so readings the
daemon sends before the observer is back are queued for it, not counted lost. Every --kill-every seconds (jittered +-25 %) the broker
is SIGKILLed and restarted after --down seconds. Runs for --duration seconds, then stops the
daemon with SIGTERM and reports:

  readings made vs delivered: per sensor, the readings' ts must advance by --interval; a gap
  of k intervals is k-1 readings lost (made = delivered unique + lost);
  duplicates: deliveries of a ts already seen (QoS 1 is at least once);
  the daemon's RSS / anonymous RSS every --sample seconds (it must stay flat).

Bounded: every wait has a timeout; the run ends at --duration whatever happens.
Example (an hour):
  /usr/bin/python3 bench/run_soak.py --daemon build/src/piogate --duration 3600
"""
import argparse
import calendar
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "support"))
import paho.mqtt.client as mqtt  # noqa: E402
from broker import Broker  # noqa: E402


def seconds(ts):
    return calendar.timegm(time.strptime(ts[:19], "%Y-%m-%dT%H:%M:%S")) + int(ts[20:23]) / 1000


def proc_status(pid):
    out = {}
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                k, _, v = line.partition(":")
                if k in ("VmRSS", "RssAnon", "VmHWM"):
                    out[k] = int(v.split()[0])
    except OSError:
        pass
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--daemon", required=True)
    ap.add_argument("--duration", type=float, default=3600)
    ap.add_argument("--kill-every", type=float, default=180)
    ap.add_argument("--down", type=float, default=5)
    ap.add_argument("--sensors", type=int, default=4)
    ap.add_argument("--interval", type=float, default=0.5)
    ap.add_argument("--sample", type=float, default=60)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    rng = random.Random(a.seed or time.time_ns())

    # The observer's session (its subscription, and the QoS 1 readings that arrive while it is
    # still reconnecting) must survive the broker's SIGKILL, or a daemon that reconnects a moment
    # before the observer would seem to lose readings: mosquitto saves its state every second.
    state = tempfile.mkdtemp(prefix="piogate-soak-broker-")
    broker = Broker(extra_config="persistence true\npersistence_location %s/\nautosave_interval 1\n" % state)
    work = tempfile.mkdtemp(prefix="piogate-soak-")
    received = {}  # sensor -> list of ts seconds
    lock = threading.Lock()

    def on_message(c, u, m):
        if "/sensors/" not in m.topic:
            return
        try:
            ts = seconds(json.loads(m.payload)["ts"])
        except (ValueError, KeyError):
            return
        with lock:
            received.setdefault(m.topic, []).append(ts)

    observer = mqtt.Client(client_id="soak-observer-%d" % os.getpid(), clean_session=False)
    observer.on_message = on_message
    observer.on_connect = lambda c, u, f, rc: c.subscribe("soak/sensors/+", 1)
    observer.reconnect_delay_set(0.2, 1)
    observer.connect("127.0.0.1", broker.port)
    observer.loop_start()

    devices = [{"model": "bme280", "address": "0x76"}, {"model": "bme280", "address": "0x77"}]
    buses = [{"bus": b + 1, "devices": devices} for b in range((a.sensors + 1) // 2)]
    sensors = [{"id": "s%d" % i, "type": "bme280", "bus": i // 2 + 1, "address": "0x76" if i % 2 == 0 else "0x77",
                "interval_s": a.interval, "qos": 1} for i in range(a.sensors)]
    config = {"mqtt": {"host": "127.0.0.1", "port": broker.port, "topic_prefix": "soak",
                       "reconnect_min_s": 3, "reconnect_max_s": 3},
              "board": {"kind": "sim", "i2c": buses}, "sensors": sensors,
              "buffer": {"persist": True, "file": os.path.join(work, "buffer.jsonl")}}
    config_path = os.path.join(work, "config.json")
    with open(config_path, "w") as f:
        json.dump(config, f)
    daemon = subprocess.Popen([a.daemon, "-c", config_path, "--log-level", "warning"],
                              stdout=subprocess.DEVNULL, stderr=open(os.path.join(work, "daemon.log"), "w"))
    start = time.monotonic()
    samples, kills, kill_times = [], 0, []
    next_kill = start + a.kill_every * rng.uniform(0.75, 1.25)
    next_sample = start + 10
    try:
        while time.monotonic() - start < a.duration and daemon.poll() is None:
            now = time.monotonic()
            if now >= next_kill and now - start + a.down + 10 < a.duration:
                kill_times.append(time.time())
                broker.kill()
                time.sleep(a.down)
                broker.start()
                kills += 1
                next_kill = time.monotonic() + a.kill_every * rng.uniform(0.75, 1.25)
            if now >= next_sample:
                st = proc_status(daemon.pid)
                samples.append((round(now - start), st.get("VmRSS"), st.get("RssAnon")))
                print("t=%5ds RSS %s KiB, anon %s KiB" % samples[-1], flush=True)
                next_sample += a.sample
            time.sleep(0.2)
        # The last readings in flight arrive; then stop.
        time.sleep(5)
        alive = daemon.poll() is None
        daemon.send_signal(signal.SIGTERM)
        code = daemon.wait(timeout=10)
    finally:
        if daemon.poll() is None:
            daemon.kill()
        observer.loop_stop()
        broker.close()

    delivered = lost = duplicates = 0
    gaps = []  # (reading time, readings missing, seconds before the nearest broker kill)
    for topic, times in sorted(received.items()):
        unique = sorted(set(times))
        duplicates += len(times) - len(unique)
        delivered += len(unique)
        for x, y in zip(unique, unique[1:]):
            k = round((y - x) / a.interval)
            if k > 1:
                lost += k - 1
                near = min((kt - x for kt in kill_times), key=abs, default=float("nan"))
                gaps.append((topic, k - 1, near))
    made = delivered + lost
    print("\nsoak: %.0f s, %d broker kills, daemon %s (exit %s)" % (
        a.duration, kills, "alive to the end" if alive else "DIED", code))
    print("readings made %d, delivered %d (%d lost), duplicates %d" % (made, delivered, lost, duplicates))
    for topic, n, near in gaps:
        print("  %s: %d missing, the last one before the gap made %.2f s before a broker SIGKILL" % (topic, n, near))
    if samples:
        rss = [s[1] for s in samples if s[1]]
        anon = [s[2] for s in samples if s[2]]
        print("RSS KiB first/last/max %d/%d/%d; anonymous first/last/max %d/%d/%d" % (
            rss[0], rss[-1], max(rss), anon[0], anon[-1], max(anon)))
    return 0 if alive and lost == 0 and code == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
