# SPDX-License-Identifier: Apache-2.0
"""mqtt.hosts: the daemon fails over to the next broker when one goes away, returns to the
first on the next reconnect, says where it is connected in STATUS=, and loses no reading on
the way."""
import calendar
import os
import threading
import time
import unittest

import paho.mqtt.client as mqtt
from broker import Broker
from gateway import Gateway

BOARD = {"kind": "sim", "i2c": [{"bus": 1, "devices": [{"model": "bme280", "address": "0x76"}]}]}
SENSOR = {"id": "inside", "type": "bme280", "bus": 1, "interval_s": 0.2}


def seconds(ts):
    return calendar.timegm(time.strptime(ts[:19], "%Y-%m-%dT%H:%M:%S")) + int(ts[20:23]) / 1000


class Observer:
    """A paho subscriber on one broker, keeping what it receives."""

    def __init__(self, port, name):
        self.messages, self.lock = [], threading.Lock()
        ready = threading.Event()
        self.c = mqtt.Client(client_id="%s-%d" % (name, os.getpid()))
        self.c.on_message = lambda c, u, m: self._keep(m)
        self.c.on_subscribe = lambda *a: ready.set()
        self.c.connect("127.0.0.1", port)
        self.c.subscribe("gw/#", 1)
        self.c.loop_start()
        if not ready.wait(5):
            raise RuntimeError("observer: no SUBACK")

    def _keep(self, m):
        with self.lock:
            self.messages.append((m.topic, m.payload.decode()))

    def payloads(self, topic):
        with self.lock:
            return [p for t, p in self.messages if t == topic]

    def close(self):
        self.c.loop_stop()
        self.c.disconnect()


def wait(predicate, timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return False


class gateway_failover(unittest.TestCase):
    def test_fails_over_and_returns_to_the_first(self):
        with Gateway(notify=True) as gw, Broker() as second:
            a, b = gw.broker.port, second.port
            gw.start({"mqtt": {"hosts": ["127.0.0.1:%d" % a, "127.0.0.1:%d" % b],
                               "reconnect_min_s": 0.2, "reconnect_max_s": 1},
                      "board": BOARD, "sensors": [SENSOR]})
            self.assertTrue(gw.wait_notify("STATUS=broker connected to 127.0.0.1:%d" % a),
                            (gw.notifications, gw.stderr()))
            on_b = Observer(b, "observer-b")
            try:
                self.assertTrue(gw.wait_for(lambda m: len(gw.on("sensors/inside", m)) >= 3))
                gw.broker.kill()
                self.assertTrue(wait(lambda: "online" in on_b.payloads("gw/status"), 5), gw.stderr())
                self.assertTrue(gw.wait_notify("STATUS=broker connected to 127.0.0.1:%d" % b), gw.notifications)
                self.assertTrue(wait(lambda: len(on_b.payloads("gw/sensors/inside")) >= 3))
                # The first comes back; the second goes: the daemon returns to the first.
                gw.broker.start()
                gw.connect_observer()
                second.kill()
                self.assertTrue(gw.wait_for(lambda m: "online" in [x.payload for x in gw.on("status", m)], 5),
                                gw.stderr())
                self.assertTrue(gw.wait_notify("STATUS=broker connected to 127.0.0.1:%d" % a), gw.notifications)
                count = len(gw.on("sensors/inside"))
                self.assertTrue(gw.wait_for(lambda m: len(gw.on("sensors/inside", m)) >= count + 3))
                # Every reading, on one broker or the other, none lost across both switches.
                import json
                times = sorted({seconds(json.loads(p)["ts"]) for p in
                                [x.payload for x in gw.on("sensors/inside")] + on_b.payloads("gw/sensors/inside")})
                gaps = [y - x for x, y in zip(times, times[1:])]
                self.assertLess(max(gaps), 0.45, gaps)
                self.assertTrue(gw.wait_stderr("trying 127.0.0.1:%d" % b), gw.stderr())
                self.assertEqual(gw.stop(), 0)
            finally:
                on_b.close()


if __name__ == "__main__":
    unittest.main()
