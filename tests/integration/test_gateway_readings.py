"""The daemon end to end: simulated sensors -> real mosquitto -> paho subscriber.

Readings arrive on time with the simulated values; a missing sensor reports on its error topic
and does not stop the others; SIGTERM publishes "offline" and exits 0 within 5 s."""
import json
import os
import signal
import subprocess
import tempfile
import threading
import time
import unittest

import paho.mqtt.client as mqtt
from broker import Broker

PIOGATE = os.environ.get("PIOGATE_DAEMON", "build/src/piogate")


class gateway_readings(unittest.TestCase):
    def setUp(self):
        self.broker = Broker()
        self.dir = tempfile.TemporaryDirectory()
        self.messages = []
        self.lock = threading.Lock()
        self.peer = mqtt.Client(client_id="observer")
        self.peer.on_message = self.on_message
        self.peer.connect("127.0.0.1", self.broker.port)
        self.peer.subscribe("gw/#", 1)
        self.peer.loop_start()
        time.sleep(0.2)
        self.daemon = None

    def tearDown(self):
        if self.daemon and self.daemon.poll() is None:
            self.daemon.kill()
            self.daemon.wait()
        self.peer.loop_stop()
        self.broker.close()
        self.dir.cleanup()

    def on_message(self, client, userdata, msg):
        with self.lock:
            self.messages.append((msg.topic, msg.payload.decode(), msg.retain, time.monotonic()))

    def wait_for(self, predicate, timeout=10):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if predicate(list(self.messages)):
                    return True
            time.sleep(0.05)
        return False

    def start(self, config):
        path = os.path.join(self.dir.name, "config.json")
        with open(path, "w") as f:
            json.dump(config, f)
        self.daemon = subprocess.Popen([PIOGATE, "-c", path], stdout=subprocess.PIPE,
                                       stderr=subprocess.PIPE, text=True)

    def test_readings_errors_and_clean_shutdown(self):
        self.start({
            "mqtt": {"host": "127.0.0.1", "port": self.broker.port, "topic_prefix": "gw",
                     "client_id": "gw-test"},
            "board": {"kind": "sim", "i2c": [{"bus": 1, "devices": [
                {"model": "bme280", "address": "0x76", "temperature": -7.25, "humidity": 55,
                 "pressure": 1001.5},
                {"model": "ina219", "address": "0x40", "voltage": 12, "current": 0.25}]}]},
            "sensors": [
                {"id": "outside", "type": "bme280", "bus": 1, "interval_s": 0.3},
                {"id": "battery", "type": "ina219", "bus": 1, "interval_s": 0.5},
                {"id": "missing", "type": "sht3x", "bus": 1, "interval_s": 0.5}]})

        def readings(msgs, sensor):
            return [(json.loads(p), t) for topic, p, r, t in msgs if topic == "gw/sensors/" + sensor]

        self.assertTrue(self.wait_for(lambda m: len(readings(m, "outside")) >= 5), self.messages)
        with self.lock:
            msgs = list(self.messages)
        outside = readings(msgs, "outside")
        for value, _ in outside:
            self.assertAlmostEqual(value["temperature"], -7.25, delta=0.02)
            self.assertAlmostEqual(value["humidity"], 55, delta=0.1)
            self.assertAlmostEqual(value["pressure"], 1001.5, delta=0.05)
            self.assertRegex(value["ts"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
        gaps = [b[1] - a[1] for a, b in zip(outside, outside[1:])]
        self.assertTrue(all(0.15 < g < 0.6 for g in gaps), gaps)  # on time, every 0.3 s
        battery = readings(msgs, "battery")
        self.assertTrue(battery)
        self.assertAlmostEqual(battery[0][0]["voltage"], 12, delta=0.01)
        self.assertAlmostEqual(battery[0][0]["current"], 0.25, delta=0.001)
        self.assertIn(("gw/status", "online"), [(t, p) for t, p, r, _ in msgs])
        errors = [p for t, p, r, _ in msgs if t == "gw/sensors/missing/error"]
        self.assertTrue(errors and "0x44" in errors[0] and "NACK" in errors[0], errors)

        started = time.monotonic()
        self.daemon.send_signal(signal.SIGTERM)
        self.assertEqual(self.daemon.wait(timeout=5), 0)
        self.assertLess(time.monotonic() - started, 5)
        self.assertTrue(self.wait_for(lambda m: ("gw/status", "offline") in [(t, p) for t, p, r, _ in m]))
        self.assertIn("sensor missing", self.daemon.stderr.read())

    def test_bad_config_exits_2(self):
        self.start({"mqtt": {"host": "127.0.0.1", "port": 70000}})
        self.assertEqual(self.daemon.wait(timeout=5), 2)
        self.assertIn("/mqtt/port: 70000 is out of range", self.daemon.stderr.read())


if __name__ == "__main__":
    unittest.main()
