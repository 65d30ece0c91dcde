# SPDX-License-Identifier: Apache-2.0
"""systemd integration of the real binary: READY=1, WATCHDOG=1 and STOPPING=1 through a
NOTIFY_SOCKET the test creates."""
import json
import os
import signal
import socket
import subprocess
import tempfile
import time
import unittest

from broker import Broker

PIOGATE = os.environ.get("PIOGATE_DAEMON", "build/src/piogate")


class gateway_systemd(unittest.TestCase):
    def test_ready_watchdog_stopping(self):
        with Broker() as broker, tempfile.TemporaryDirectory() as d:
            sock_path = os.path.join(d, "notify.sock")
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
            sock.bind(sock_path)
            sock.settimeout(0.2)
            config = os.path.join(d, "config.json")
            with open(config, "w") as f:
                json.dump({"mqtt": {"host": "127.0.0.1", "port": broker.port, "topic_prefix": "sd"},
                           "board": {"kind": "sim"}}, f)
            env = dict(os.environ, NOTIFY_SOCKET=sock_path, WATCHDOG_USEC="400000")
            daemon = subprocess.Popen([PIOGATE, "-c", config], env=env, stderr=subprocess.DEVNULL)
            received = []
            try:
                deadline = time.monotonic() + 3
                while time.monotonic() < deadline and received.count("WATCHDOG=1") < 3:
                    try:
                        received.append(sock.recv(4096).decode())
                    except socket.timeout:
                        pass
                self.assertEqual(received[0], "READY=1", received)
                self.assertGreaterEqual(received.count("WATCHDOG=1"), 3, received)
                daemon.send_signal(signal.SIGTERM)
                deadline = time.monotonic() + 5
                while time.monotonic() < deadline and "STOPPING=1" not in received:
                    try:
                        received.append(sock.recv(4096).decode())
                    except socket.timeout:
                        pass
                self.assertIn("STOPPING=1", received)
                self.assertEqual(daemon.wait(timeout=5), 0)
            finally:
                if daemon.poll() is None:
                    daemon.kill()
                    daemon.wait()
                sock.close()


if __name__ == "__main__":
    unittest.main()
