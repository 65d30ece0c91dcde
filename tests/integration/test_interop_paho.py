# SPDX-License-Identifier: Apache-2.0
"""Interop: piogate-pub / piogate-sub against python3-paho-mqtt 1.6.1 as the independent peer.

Both directions at QoS 0/1/2 over MQTT 3.1 and 3.1.1 with exact (binary) payloads, retained
messages both ways, and the will: sent by the broker when piogate-sub dies (SIGKILL closes its
socket), not sent when it exits cleanly.

Run by CTest with /usr/bin/python3 (Debian's paho), PIOGATE_BIN_DIR=build/src/tools and
PYTHONPATH=tests/support. Every wait is bounded; children are killed in tearDown.
"""

import itertools
import os
import queue
import select
import signal
import subprocess
import tempfile
import threading
import time
import unittest

import paho.mqtt.client as mqtt

from broker import Broker

BIN_DIR = os.environ.get("PIOGATE_BIN_DIR") or os.path.join(
    os.path.dirname(__file__), "..", "..", "build", "src", "tools")
PUB = os.path.join(BIN_DIR, "piogate-pub")
SUB = os.path.join(BIN_DIR, "piogate-sub")
TIMEOUT = 10  # seconds for any single wait

VERSIONS = (("31", mqtt.MQTTv31), ("311", mqtt.MQTTv311))
BINARY = bytes(range(256)) * 3 + b"\x00\r\n\xff"


class PahoPeer:
    """A paho client on its own loop thread that collects received messages in a queue."""

    def __init__(self, port, protocol=mqtt.MQTTv311, client_id=""):
        self.messages = queue.Queue()
        self.client = mqtt.Client(client_id=client_id, protocol=protocol)
        self.client.on_message = lambda c, u, m: self.messages.put(m)
        self.subscribed = threading.Event()
        self.client.on_subscribe = lambda c, u, mid, granted: self.subscribed.set()
        self.client.connect("127.0.0.1", port, keepalive=30)
        self.client.loop_start()

    def subscribe(self, topic, qos):
        self.subscribed.clear()
        self.client.subscribe(topic, qos)
        if not self.subscribed.wait(TIMEOUT):
            raise AssertionError("paho: no SUBACK")

    def publish(self, topic, payload, qos, retain=False):
        info = self.client.publish(topic, payload, qos, retain)
        info.wait_for_publish(TIMEOUT)
        if not info.is_published():
            raise AssertionError("paho: publish not completed")

    def next_message(self, timeout=TIMEOUT):
        try:
            return self.messages.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"paho: no message within {timeout} s") from None

    def close(self):
        self.client.disconnect()
        self.client.loop_stop()


class InteropTest(unittest.TestCase):
    sub_ids = itertools.count(1)

    @classmethod
    def setUpClass(cls):
        cls.broker = Broker()

    @classmethod
    def tearDownClass(cls):
        cls.broker.close()

    def setUp(self):
        self.procs, self.peers = [], []

    def tearDown(self):
        for p in self.procs:
            if p.poll() is None:
                p.kill()
            p.wait()
            for pipe in (p.stdout, p.stderr):
                pipe.close()
        for peer in self.peers:
            peer.close()

    def peer(self, protocol=mqtt.MQTTv311, client_id=""):
        peer = PahoPeer(self.broker.port, protocol, client_id)
        self.peers.append(peer)
        return peer

    def pub(self, *args):
        r = subprocess.run([PUB, "-p", str(self.broker.port), *map(str, args)],
                           stdin=subprocess.DEVNULL, capture_output=True, timeout=TIMEOUT)
        self.assertEqual(r.returncode, 0, r.stderr.decode())

    def start_sub(self, *args):
        """Starts piogate-sub and returns once the broker has sent it the SUBACK."""
        # Unique on the shared broker (its log is searched for it); <= 23 bytes for MQTT 3.1.
        client_id = f"isub-{next(InteropTest.sub_ids)}-{os.getpid()}"
        p = subprocess.Popen([SUB, "-p", str(self.broker.port), "-i", client_id, *map(str, args)],
                             stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        p.client_id = client_id
        self.procs.append(p)
        deadline = time.monotonic() + TIMEOUT
        while f"Sending SUBACK to {client_id}" not in self.broker.log():
            if p.poll() is not None or time.monotonic() > deadline:
                self.fail(f"piogate-sub did not subscribe: {p.returncode} {p.stderr.read1()!r}")
            time.sleep(0.01)
        return p

    def wait_for_log(self, text, times=1):
        deadline = time.monotonic() + TIMEOUT
        while self.broker.log().count(text) < times:
            self.assertLess(time.monotonic(), deadline, f"broker log: {text!r} x{times} missing")
            time.sleep(0.01)

    def read_exactly(self, p, n):
        """n bytes of a running tool's stdout, or fewer if nothing more comes within TIMEOUT."""
        data = b""
        deadline = time.monotonic() + TIMEOUT
        while len(data) < n:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([p.stdout], [], [], left)[0]:
                break
            chunk = os.read(p.stdout.fileno(), n - len(data))
            if not chunk:
                break
            data += chunk
        return data

    def finish(self, p):
        out, err = p.communicate(timeout=TIMEOUT)
        return p.returncode, out, err

    def test_piogate_pub_to_paho(self):
        with tempfile.NamedTemporaryFile() as f:
            f.write(BINARY)
            f.flush()
            for version, protocol in VERSIONS:
                for qos in (0, 1, 2):
                    with self.subTest(version=version, qos=qos):
                        topic = f"p2p/{version}/{qos}"
                        peer = self.peer(protocol)
                        peer.subscribe(topic, 2)
                        self.pub("-V", version, "-q", qos, "-t", topic, "-m", "héllo wörld")
                        self.pub("-V", version, "-q", qos, "-t", topic, "-f", f.name)
                        self.pub("-V", version, "-q", qos, "-t", topic, "-n")
                        for payload in ("héllo wörld".encode(), BINARY, b""):
                            m = peer.next_message()
                            self.assertEqual((m.topic, m.payload, m.qos, m.retain),
                                             (topic, payload, qos, False))

    def test_paho_to_piogate_sub(self):
        expected = BINARY + "ünïcode".encode()
        acks = {0: (), 1: ("PUBACK",), 2: ("PUBREC", "PUBCOMP")}
        for version, protocol in VERSIONS:
            for qos in (0, 1, 2):
                with self.subTest(version=version, qos=qos):
                    topic = f"p2s/{version}/{qos}"
                    p = self.start_sub("-V", version, "-q", qos, "-t", topic, "-N")
                    peer = self.peer(protocol)
                    peer.publish(topic, BINARY, qos)
                    peer.publish(topic, "ünïcode", qos)
                    self.assertEqual(self.read_exactly(p, len(expected)), expected)
                    # Both flows complete before the SIGTERM (a clean exit) ends the run.
                    for ack in acks[qos]:
                        self.wait_for_log(f"Received {ack} from {p.client_id}", times=2)
                    p.terminate()
                    self.assertEqual(self.finish(p), (0, b"", b""))

    def test_retained_both_ways(self):
        # piogate-pub -r -> a later paho subscriber sees the retain flag.
        self.pub("-t", "keep/pio", "-m", "from piogate", "-r", "-q", 1)
        peer = self.peer()
        peer.subscribe("keep/pio", 1)
        m = peer.next_message()
        self.assertEqual((m.payload, m.retain), (b"from piogate", True))
        # paho retained -> a later piogate-sub prints it; with -R it skips it.
        peer.publish("keep/paho", b"from paho", 1, retain=True)
        p = self.start_sub("-t", "keep/paho", "-C", 1, "-v")
        self.assertEqual(self.finish(p)[:2], (0, b"keep/paho from paho\n"))
        p = self.start_sub("-t", "keep/paho", "-C", 1, "-R")
        peer.publish("keep/paho", b"live", 1)
        self.assertEqual(self.finish(p)[:2], (0, b"live\n"))
        for topic in ("keep/pio", "keep/paho"):
            peer.publish(topic, b"", 1, retain=True)

    def will_args(self, topic):
        return ["--will-topic", topic, "--will-payload", "gone", "--will-qos", 1]

    def test_will_sent_when_piogate_sub_dies(self):
        peer = self.peer()
        peer.subscribe("will/killed", 1)
        p = self.start_sub("-t", "unused", *self.will_args("will/killed"))
        p.send_signal(signal.SIGKILL)
        p.wait(TIMEOUT)
        m = peer.next_message()
        self.assertEqual((m.topic, m.payload, m.qos), ("will/killed", b"gone", 1))

    def test_will_not_sent_on_clean_exit(self):
        peer = self.peer()
        peer.subscribe("will/clean/#", 1)
        counted = self.start_sub("-t", "will/trigger", "-C", 1, *self.will_args("will/clean/count"))
        peer.publish("will/trigger", b"go", 1)
        self.assertEqual(self.finish(counted)[:2], (0, b"go\n"))
        terminated = self.start_sub("-t", "unused", *self.will_args("will/clean/term"))
        terminated.terminate()
        self.assertEqual(self.finish(terminated)[0], 0)
        # Once the broker has handled both DISCONNECTs, a will would already be on its way
        # to the peer, ahead of a marker published now.
        for p in (counted, terminated):
            self.wait_for_log(f"Client {p.client_id} disconnected.")
        peer.publish("will/clean/marker", b"end", 1)
        m = peer.next_message()
        self.assertEqual((m.topic, m.payload), ("will/clean/marker", b"end"))


if __name__ == "__main__":
    unittest.main()
