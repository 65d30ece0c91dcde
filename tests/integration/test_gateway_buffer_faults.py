# SPDX-License-Identifier: Apache-2.0
"""The outage buffer under faults: a SIGKILL during a silent partition (the link looks alive,
nothing gets through) loses no reading; bad lines in the buffer file are skipped, never fatal;
a buffer.file that is not piogate's is refused and left untouched; signals that arrive right
after READY=1 get their documented effect."""
import calendar
import json
import os
import random
import signal
import subprocess
import time
import unittest

from gateway import PIOGATE, Gateway
from tcp_proxy import TcpProxy

BOARD = {"kind": "sim", "i2c": [{"bus": 1, "devices": [{"model": "bme280", "address": "0x76"}]}]}
SENSOR = {"id": "inside", "type": "bme280", "bus": 1, "interval_s": 0.2}
HEADER = json.dumps({"piogate": "buffer", "version": 1}, separators=(",", ":")) + "\n"


def seconds(ts):
    """Seconds since the epoch of a reading's UTC ts (2026-12-06T07:01:02.345Z)."""
    return calendar.timegm(time.strptime(ts[:19], "%Y-%m-%dT%H:%M:%S")) + int(ts[20:23]) / 1000


def reading_times(msgs):
    return sorted({seconds(m.json()["ts"]) for m in msgs})


class buffer_faults(unittest.TestCase):
    def test_sigkill_during_silent_partitions_loses_nothing(self):
        seed = int(os.environ.get("PIOGATE_TEST_SEED", "0")) or time.time_ns()
        rng = random.Random(seed)
        with Gateway() as gw, TcpProxy(gw.broker.port) as proxy:
            buffer_file = os.path.join(gw.dir, "state", "buffer.jsonl")
            # keepalive 60: the client goes on believing in the link for the whole partition.
            config = {"mqtt": {"port": proxy.port, "keepalive_s": 60, "reconnect_min_s": 0.2,
                               "reconnect_max_s": 0.5},
                      "board": BOARD, "sensors": [SENSOR],
                      "buffer": {"persist": True, "file": buffer_file}}
            lifetimes = []
            for _ in range(3):  # bounded: three lives, each killed at a random point
                proxy.heal()
                started = time.time()
                gw.start(config)
                self.assertTrue(gw.wait_for(lambda m: len([t for t in reading_times(gw.on("sensors/inside", m))
                                                           if t >= started]) >= 2), gw.stderr())
                proxy.partition()
                time.sleep(rng.uniform(1.0, 2.5))
                killed = time.time()
                gw.daemon.kill()
                gw.daemon.wait()
                lifetimes.append((started, killed))
            proxy.heal()
            gw.start(config)

            def delivered_up_to_each_kill(msgs):
                times = reading_times(gw.on("sensors/inside", msgs))
                return all(any(k - 0.45 <= t <= k for t in times) for _, k in lifetimes)

            self.assertTrue(gw.wait_for(delivered_up_to_each_kill, timeout=20),
                            "seed %d: %s\n%s" % (seed, lifetimes, gw.stderr()))
            times = reading_times(gw.on("sensors/inside"))
            for started, killed in lifetimes:
                life = [t for t in times if started <= t <= killed]
                gaps = [b - a for a, b in zip(life, life[1:])]
                # The first reading comes with start-up (under ASan and a loaded machine 1.4 s
                # was seen, against a 1.0 s limit); losses within a life are the gaps below.
                self.assertTrue(life and life[0] - started < 3.0, (seed, started, life[:3]))
                self.assertLess(max(gaps), 0.45, "seed %d: a reading was lost: %s" % (seed, gaps))
                self.assertLess(killed - life[-1], 0.45, (seed, killed, life[-3:]))
            self.assertEqual(gw.stop(), 0)

    def test_bad_lines_in_the_buffer_file_are_skipped_never_fatal(self):
        with Gateway() as gw:
            buffer_file = os.path.join(gw.dir, "state", "buffer.jsonl")
            os.makedirs(os.path.dirname(buffer_file))
            good = {"topic": "gw/sensors/old", "payload": "kept", "qos": 1, "retain": False}
            with open(buffer_file, "w") as f:
                f.write(HEADER)
                f.write(json.dumps(good) + "\n")
                f.write(json.dumps({"topic": "gw/sensors/#", "payload": "x", "qos": 1}) + "\n")
                f.write(json.dumps({"topic": "gw/sensors/a", "payload": "x", "qos": "1"}) + "\n")
                f.write(json.dumps({"topic": "", "payload": "x", "qos": 1}) + "\n")
                f.write('{"topic": "gw/sensors/cut", "pay\n')
                f.write(json.dumps(dict(good, payload="also kept")) + "\n")
            config = {"mqtt": {"reconnect_min_s": 0.2, "reconnect_max_s": 0.5}, "board": BOARD,
                      "sensors": [SENSOR], "buffer": {"persist": True, "file": buffer_file}}
            gw.start(config)
            self.assertTrue(gw.wait_for(lambda m: [x.payload for x in gw.on("sensors/old", m)][:2] == ["kept", "also kept"]),
                            gw.stderr())
            self.assertTrue(gw.wait_stderr("4 unreadable lines skipped (first: line 3: \"topic\" is not a valid MQTT topic name"),
                            gw.stderr())
            # It keeps running and keeps working across a reconnect.
            gw.broker.kill()
            gw.broker.start()
            gw.connect_observer()
            count = len(gw.on("sensors/inside"))
            self.assertTrue(gw.wait_for(lambda m: len(gw.on("sensors/inside", m)) >= count + 3))
            self.assertIsNone(gw.daemon.poll())
            self.assertEqual(gw.stop(), 0)

    def test_a_buffer_file_that_is_not_ours_is_refused_and_untouched(self):
        with Gateway() as gw:
            notes = os.path.join(gw.dir, "notes.txt")
            with open(notes, "w") as f:
                f.write("my notes\nsecond line\n")
            for target in (notes, gw.config_path):
                config = {"board": BOARD, "sensors": [SENSOR],
                          "buffer": {"persist": True, "file": target}}
                gw.write_config(config)
                with open(target, "rb") as f:
                    before = f.read()
                check = subprocess.run([PIOGATE, "--check-config", "-c", gw.config_path],
                                       capture_output=True, text=True, timeout=10)
                self.assertEqual(check.returncode, 2, check.stderr)
                self.assertIn("/buffer/file", check.stderr)
                self.assertIn("is not a piogate buffer file", check.stderr)
                self.assertEqual(check.stdout, "")
                gw.start(config)
                self.assertEqual(gw.wait_exit(), 2, gw.stderr())
                self.assertTrue(gw.wait_stderr("is not a piogate buffer file"), gw.stderr())
                with open(target, "rb") as f:
                    self.assertEqual(f.read(), before, target)

    def test_signals_right_after_ready(self):
        with Gateway(notify=True) as gw:
            config = {"board": {"kind": "sim"}, "sensors": []}
            for i in range(60):  # bounded; before the fix a few percent died of the signal
                gw.notifications = []
                gw.start(config)
                self.assertTrue(gw.wait_notify("READY=1"), gw.stderr())
                if i % 2 == 0:
                    gw.signal(signal.SIGHUP)  # systemctl reload, at once
                    self.assertTrue(gw.wait_notify("RELOADING=1"), "round %d: %s" % (i, gw.stderr()))
                    gw.notifications = []
                    self.assertTrue(gw.wait_notify("READY=1"), "round %d" % i)
                    self.assertIsNone(gw.daemon.poll(), "round %d: died of SIGHUP" % i)
                    self.assertEqual(gw.stop(), 0, "round %d" % i)
                else:
                    gw.signal(signal.SIGTERM)
                    self.assertEqual(gw.wait_exit(), 0, "round %d: %s" % (i, gw.stderr()))


if __name__ == "__main__":
    unittest.main()
