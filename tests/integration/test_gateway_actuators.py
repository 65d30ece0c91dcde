"""Commands switch outputs and the state echoes; bad payloads change nothing; retained commands
found at start are ignored; inputs publish their level; SIGTERM applies the failsafe states."""
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


class gateway_actuators(unittest.TestCase):
    def setUp(self):
        self.broker = Broker()
        self.dir = tempfile.TemporaryDirectory()
        self.messages = []
        self.lock = threading.Lock()
        self.peer = mqtt.Client(client_id="operator")
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
            self.messages.append((msg.topic, msg.payload.decode(errors="replace")))

    def states(self, actuator):
        with self.lock:
            return [p for t, p in self.messages if t == "gw/actuators/%s/state" % actuator]

    def wait_for(self, predicate, timeout=10):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return True
            time.sleep(0.02)
        return False

    def command(self, actuator, payload, retain=False):
        self.peer.publish("gw/actuators/%s/set" % actuator, payload, qos=1, retain=retain).wait_for_publish()

    def test_commands_bad_payloads_retained_and_failsafe(self):
        # A retained command waiting at start must not switch anything.
        self.command("pump", "ON", retain=True)
        config = {"mqtt": {"host": "127.0.0.1", "port": self.broker.port, "topic_prefix": "gw"},
                  "board": {"kind": "sim", "patterns": [{"line": "GPIO17", "toggle_every_ms": 300}]},
                  "inputs": [{"id": "door", "line": "GPIO17", "debounce_ms": 5}],
                  "actuators": [{"id": "pump", "line": "GPIO22"},
                                {"id": "heater", "line": "GPIO23", "initial": "ON", "failsafe": "OFF"}]}
        path = os.path.join(self.dir.name, "config.json")
        with open(path, "w") as f:
            json.dump(config, f)
        self.daemon = subprocess.Popen([PIOGATE, "-c", path], stderr=subprocess.PIPE, text=True)
        self.assertTrue(self.wait_for(lambda: self.states("pump") == ["OFF"] and self.states("heater") == ["ON"]))
        self.command("pump", "", retain=True)  # clear the retained command
        time.sleep(0.3)
        self.assertEqual(self.states("pump"), ["OFF"])  # the retained ON was ignored

        for payload, expected in [("ON", "ON"), ("off", "OFF"), ("1", "ON"), ("false", "OFF"),
                                  ("TOGGLE", "ON"), ("TOGGLE", "OFF")]:
            before = len(self.states("pump"))
            self.command("pump", payload)
            self.assertTrue(self.wait_for(lambda: len(self.states("pump")) > before), payload)
            self.assertEqual(self.states("pump")[-1], expected, payload)

        # 100 bad payloads change nothing (and the daemon survives them).
        before = list(self.states("pump"))
        bad = ["", "ONN", "2", "{", "[]", '{"state": 1}', '{"state":"ON","duration_ms":-5}',
               '{"state":"ON","x":1}', "\x00\xff", "A" * 5000]
        for i in range(100):
            self.command("pump", bad[i % len(bad)])
        self.command("heater", "ON")  # a good one after them, to know they were all processed
        self.assertTrue(self.wait_for(lambda: len(self.states("heater")) >= 2))
        self.assertEqual(self.states("pump"), before)

        # A pulse: ON, then back OFF after the duration.
        before = len(self.states("pump"))
        self.command("pump", '{"state": "ON", "duration_ms": 200}')
        self.assertTrue(self.wait_for(lambda: len(self.states("pump")) >= before + 2, timeout=3))
        self.assertEqual(self.states("pump")[before:before + 2], ["ON", "OFF"])

        # The door input follows its pattern.
        with self.lock:
            door = [p for t, p in self.messages if t == "gw/inputs/door"]
        self.assertIn("ON", door)
        self.assertIn("OFF", door)

        # SIGTERM: failsafe (heater OFF), offline, exit 0.
        self.daemon.send_signal(signal.SIGTERM)
        self.assertEqual(self.daemon.wait(timeout=5), 0)
        self.assertTrue(self.wait_for(lambda: self.states("heater")[-1] == "OFF"))
        err = self.daemon.stderr.read()
        self.assertIn("bad command on gw/actuators/pump/set", err)
        self.assertIn("retained command on gw/actuators/pump/set ignored", err)
        self.assertLessEqual(max(len(l) for l in err.splitlines()), 400)  # payloads truncated


if __name__ == "__main__":
    unittest.main()
