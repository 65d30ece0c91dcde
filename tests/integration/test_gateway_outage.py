# SPDX-License-Identifier: Apache-2.0
"""Broker outages lose nothing: readings made while the broker is down are buffered and sent
after the reconnect, oldest first, with their original timestamps; with "persist" they survive
the daemon being SIGKILLed; an actuator with failsafe_after_s falls back while the broker is
unreachable."""
import json
import os
import signal
import time
import unittest

from gateway import Gateway

BOARD = {"kind": "sim", "i2c": [{"bus": 1, "devices": [{"model": "bme280", "address": "0x76"}]}]}
SENSOR = {"id": "inside", "type": "bme280", "bus": 1, "interval_s": 0.2}
# The daemon comes back well after the observer has resubscribed to the restarted broker
# (min = max: every retry exactly 3 s after the last).
SLOW_RECONNECT = {"reconnect_min_s": 3, "reconnect_max_s": 3}


def timestamps(msgs):
    """The distinct reading timestamps in arrival order (QoS 1 may deliver twice)."""
    seen, out = set(), []
    for m in msgs:
        ts = m.json()["ts"]
        if ts not in seen:
            seen.add(ts)
            out.append(ts)
    return out


def seconds(ts):
    return time.mktime(time.strptime(ts[:19], "%Y-%m-%dT%H:%M:%S")) + int(ts[20:23]) / 1000


class gateway_outage(unittest.TestCase):
    def assert_no_gap(self, ts_list, max_gap=0.45):
        times = [seconds(t) for t in ts_list]
        gaps = [b - a for a, b in zip(times, times[1:])]
        self.assertTrue(gaps and max(gaps) < max_gap, "gaps: %s" % gaps)

    def test_broker_killed_and_restarted_loses_nothing(self):
        with Gateway() as gw:
            gw.start({"mqtt": SLOW_RECONNECT, "board": BOARD, "sensors": [SENSOR]})
            self.assertTrue(gw.wait_for(lambda m: len(gw.on("sensors/inside", m)) >= 3))
            gw.broker.kill()
            time.sleep(1)  # 5 readings go into the buffer, more until the reconnect
            gw.broker.start()
            gw.connect_observer()
            self.assertTrue(gw.wait_stderr("sending"), gw.stderr())
            # Readings made after the reconnect arrive too; then every one is accounted for.
            self.assertTrue(gw.wait_for(lambda m: len(gw.on("sensors/inside", m)) >= 25, timeout=15))
            ts = timestamps(gw.on("sensors/inside"))
            self.assertEqual(ts, sorted(ts), "order kept")
            self.assert_no_gap(ts)
            self.assertEqual(gw.stop(), 0)

    def test_sigkill_with_disk_buffer_loses_nothing(self):
        with Gateway() as gw:
            buffer_file = os.path.join(gw.dir, "state", "buffer.jsonl")
            config = {"mqtt": SLOW_RECONNECT, "board": BOARD, "sensors": [SENSOR],
                      "buffer": {"persist": True, "file": buffer_file, "max_messages": 1000}}
            gw.start(config)
            self.assertTrue(gw.wait_for(lambda m: len(gw.on("sensors/inside", m)) >= 3))
            gw.broker.kill()
            time.sleep(1.5)
            gw.daemon.kill()  # SIGKILL: no chance to flush anything
            gw.daemon.wait()
            with open(buffer_file) as f:
                on_disk = [json.loads(line) for line in f if line.strip()]
            self.assertEqual(on_disk[0], {"piogate": "buffer", "version": 1})
            on_disk = on_disk[1:]
            self.assertGreaterEqual(len(on_disk), 5, on_disk)
            gw.broker.start()
            gw.connect_observer()
            gw.start(config)
            self.assertTrue(gw.wait_stderr("buffered readings read back from " + buffer_file), gw.stderr())
            self.assertTrue(gw.wait_for(lambda m: len(gw.on("sensors/inside", m)) >= len(on_disk) + 3))
            received = [m.payload for m in gw.on("sensors/inside")]
            for entry in on_disk:
                self.assertEqual(entry["topic"], "gw/sensors/inside")
                self.assertIn(entry["payload"], received)  # the very payload, original ts
            ts = timestamps(gw.on("sensors/inside"))
            self.assertEqual(ts, sorted(ts), "buffered readings first, oldest first")
            self.assert_no_gap(ts[: len(on_disk)])
            # Delivered: the file keeps its header only.
            header = len(json.dumps({"piogate": "buffer", "version": 1}, separators=(",", ":"))) + 1
            deadline = time.monotonic() + 5
            while os.path.getsize(buffer_file) > header and time.monotonic() < deadline:
                time.sleep(0.05)
            self.assertEqual(os.path.getsize(buffer_file), header)
            self.assertEqual(gw.stop(), 0)

    def test_bound_drops_are_counted_and_logged(self):
        with Gateway() as gw:
            gw.start({"mqtt": SLOW_RECONNECT, "board": BOARD, "sensors": [SENSOR],
                      "buffer": {"max_messages": 3}})
            self.assertTrue(gw.wait_for(lambda m: len(gw.on("sensors/inside", m)) >= 2))
            gw.broker.kill()
            time.sleep(1.5)
            self.assertTrue(gw.wait_stderr("outage buffer full (3 readings): dropping the oldest"), gw.stderr())
            count = len(gw.on("sensors/inside"))
            gw.broker.start()
            gw.connect_observer()
            self.assertTrue(gw.wait_stderr("readings were dropped during the outage"), gw.stderr())
            self.assertTrue(gw.wait_for(lambda m: len(gw.on("sensors/inside", m)) >= count + 3))
            self.assertEqual(gw.stop(), 0)

    def test_failsafe_after_broker_unreachable(self):
        with Gateway() as gw:
            gw.start({"mqtt": {"reconnect_min_s": 0.2, "reconnect_max_s": 0.5}, "board": {"kind": "sim"},
                      "actuators": [{"id": "pump", "line": "GPIO22", "failsafe": "OFF", "failsafe_after_s": 1},
                                    {"id": "lamp", "line": "GPIO23"}]})
            self.assertTrue(gw.wait_for(lambda m: gw.on("actuators/pump/state", m)))
            gw.command("pump", "ON")
            gw.command("lamp", "ON")
            self.assertTrue(gw.wait_for(lambda m: gw.on("actuators/pump/state", m)[-1].payload == "ON"
                                        and gw.on("actuators/lamp/state", m)[-1].payload == "ON"))
            gw.broker.kill()
            self.assertTrue(gw.wait_stderr("pump: failsafe OFF (broker unreachable for 1 s)"), gw.stderr())
            self.assertNotIn("lamp: failsafe", gw.stderr())
            gw.broker.start()
            gw.connect_observer()
            self.assertTrue(gw.wait_for(lambda m: [x.payload for x in gw.on("actuators/pump/state", m)][-1:] == ["OFF"]
                                        and [x.payload for x in gw.on("actuators/lamp/state", m)][-1:] == ["ON"]))
            self.assertEqual(gw.stop(), 0)


if __name__ == "__main__":
    unittest.main()
