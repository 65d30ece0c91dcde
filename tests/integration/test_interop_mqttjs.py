# SPDX-License-Identifier: Apache-2.0
"""Interop: piogate-pub / piogate-sub against MQTT.js (npm "mqtt", Node) as the independent
peer, the JavaScript client browsers and Node-RED dashboards use: over WebSocket and TCP, MQTT
3.1.1 and 5.0 on its side, QoS 0/1/2 both ways, every message and its order checked.

MQTT.js comes from .ci/deps (npm, outside the repository; PIOGATE_MQTTJS overrides). Every
wait is bounded; children are killed at the end of each case.
"""

import json
import os
import queue
import subprocess
import threading
import time
import unittest

from broker import Broker

BIN_DIR = os.environ.get("PIOGATE_BIN_DIR") or os.path.join(
    os.path.dirname(__file__), "..", "..", "build", "src", "tools")
PUB = os.path.join(BIN_DIR, "piogate-pub")
SUB = os.path.join(BIN_DIR, "piogate-sub")
PEER = os.path.join(os.path.dirname(__file__), "..", "support", "mqttjs_peer.js")
MQTTJS = os.environ.get("PIOGATE_MQTTJS", "/var/cache/piogate-ci/mqttjs")
TIMEOUT = 15
COUNT = 20


def help_text(tool):
    return subprocess.run([tool, "--help"], capture_output=True, text=True, timeout=5).stdout


class Peer:
    """mqttjs_peer.js as a child; its JSON lines in a queue."""

    def __init__(self, *args):
        self.proc = subprocess.Popen(["node", PEER, *map(str, args)], stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True,
                                     env=dict(os.environ, PIOGATE_MQTTJS=MQTTJS))
        self.lines = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            self.lines.put(json.loads(line))
        self.lines.put(None)

    def next(self):
        try:
            item = self.lines.get(timeout=TIMEOUT)
        except queue.Empty:
            raise AssertionError("MQTT.js peer: nothing within %d s" % TIMEOUT) from None
        if item is None:
            raise AssertionError("MQTT.js peer ended: " + self.proc.stderr.read())
        if "error" in item:
            raise AssertionError("MQTT.js peer: " + item["error"])
        return item

    def finish(self):
        try:
            return self.proc.wait(timeout=TIMEOUT)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()


class interop_mqttjs(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not os.path.exists(os.path.join(MQTTJS, "node_modules", "mqtt", "package.json")):
            raise AssertionError("MQTT.js is not installed in %s (bash .ci/deps)" % MQTTJS)
        cls.broker = Broker(websockets=True)
        cls.ws_url = "ws://127.0.0.1:%d" % cls.broker.ws_port
        cls.tcp_url = "mqtt://127.0.0.1:%d" % cls.broker.port
        cls.pub_has_url = "-L" in help_text(PUB)

    @classmethod
    def tearDownClass(cls):
        cls.broker.close()

    def pub_args(self, transport):
        if transport == "ws":
            # as mosquitto_pub's -L, with the URL path the WebSocket path and -t the topic
            return ["-L", "ws://127.0.0.1:%d/mqtt" % self.broker.ws_port, "-t", self.topic]
        return ["-h", "127.0.0.1", "-p", str(self.broker.port), "-t", self.topic]

    def check_piogate_to_mqttjs(self, our_transport, their_url, version, qos):
        self.topic = "interop/js/%s/%d/%d" % (our_transport, version, qos)
        sub = Peer("sub", their_url, self.topic, qos, COUNT, version)
        try:
            self.assertEqual(sub.next(), {"ready": True, "granted": [qos]})
            for i in range(COUNT):
                r = subprocess.run([PUB, *self.pub_args(our_transport), "-q", str(qos), "-m", "m%d" % i],
                                   capture_output=True, text=True, timeout=TIMEOUT)
                self.assertEqual(r.returncode, 0, r.stderr)
            got = [sub.next() for _ in range(COUNT)]
            self.assertEqual([m["payload"] for m in got], ["m%d" % i for i in range(COUNT)])
            self.assertEqual({m["topic"] for m in got}, {self.topic})
            self.assertEqual({m["qos"] for m in got}, {qos})
            self.assertEqual(sub.finish(), 0)
        finally:
            sub.finish()

    def check_mqttjs_to_piogate(self, their_url, version, qos):
        topic = "interop/js-to-piogate/%d/%d" % (version, qos)
        client_id = "jsub-%d-%d-%d" % (version, qos, os.getpid())
        sub = subprocess.Popen([SUB, "-h", "127.0.0.1", "-p", str(self.broker.port), "-i", client_id,
                                "-t", topic, "-q", str(qos), "-C", str(COUNT), "-v"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            deadline = time.monotonic() + TIMEOUT
            while "Sending SUBACK to %s" % client_id not in self.broker.log():
                self.assertIsNone(sub.poll(), sub.stderr.read() if sub.poll() is not None else "")
                self.assertLess(time.monotonic(), deadline, "piogate-sub did not subscribe")
                time.sleep(0.01)
            pub = Peer("pub", their_url, topic, qos, COUNT, version)
            self.assertEqual(pub.next(), {"done": COUNT})
            self.assertEqual(pub.finish(), 0)
            out, err = sub.communicate(timeout=TIMEOUT)
            self.assertEqual(sub.returncode, 0, err)
            self.assertEqual(out.splitlines(), ["%s %d" % (topic, i) for i in range(COUNT)])
        finally:
            if sub.poll() is None:
                sub.kill()
                sub.wait()

    def test_mqttjs_over_websocket_to_piogate_sub(self):
        for version in (4, 5):
            for qos in (0, 1, 2):
                with self.subTest(version=version, qos=qos):
                    self.check_mqttjs_to_piogate(self.ws_url, version, qos)

    def test_piogate_pub_tcp_to_mqttjs_over_websocket(self):
        for version in (4, 5):
            for qos in (0, 1, 2):
                with self.subTest(version=version, qos=qos):
                    self.check_piogate_to_mqttjs("tcp", self.ws_url, version, qos)

    def test_piogate_pub_websocket_to_mqttjs_over_tcp(self):
        if not self.pub_has_url:
            self.skipTest("piogate-pub has no -L yet")
        for version in (4, 5):
            for qos in (0, 1, 2):
                with self.subTest(version=version, qos=qos):
                    self.check_piogate_to_mqttjs("ws", self.tcp_url, version, qos)


if __name__ == "__main__":
    unittest.main()
