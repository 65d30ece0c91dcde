# SPDX-License-Identifier: Apache-2.0
"""Per-sensor reporting: QoS and retain as configured, deadband with a heartbeat."""
import time
import unittest

from gateway import Gateway

BOARD = {"kind": "sim", "i2c": [{"bus": 1, "devices": [
    {"model": "bme280", "address": "0x76", "temperature": 21},
    {"model": "sht3x", "address": "0x44", "temperature": 19, "humidity": 50},
    {"model": "bh1750", "address": "0x23", "illuminance": 300}]}]}


class gateway_reporting(unittest.TestCase):
    def test_qos_retain_deadband_heartbeat(self):
        with Gateway() as gw:
            gw.start({"board": BOARD, "sensors": [
                {"id": "steady", "type": "bme280", "bus": 1, "interval_s": 0.1,
                 "deadband": {"temperature": 0.5, "pressure": 1, "humidity": 2}, "heartbeat_s": 1},
                {"id": "cellar", "type": "sht3x", "bus": 1, "interval_s": 0.2, "qos": 0},
                {"id": "light", "type": "bh1750", "bus": 1, "interval_s": 0.3, "qos": 2, "retain": True}]})
            started = time.monotonic()
            self.assertTrue(gw.wait_for(lambda m: len(gw.on("sensors/cellar", m)) >= 10))
            time.sleep(max(0, 3.2 - (time.monotonic() - started)))
            # Constant values: the first reading and one per heartbeat (not 30 in 3 s).
            steady = gw.on("sensors/steady")
            self.assertTrue(3 <= len(steady) <= 5, [m.payload for m in steady])
            gaps = [b.at - a.at for a, b in zip(steady, steady[1:])]
            self.assertTrue(all(0.8 < g < 1.3 for g in gaps), gaps)
            # QoS as configured (the observer subscribed at QoS 2).
            self.assertEqual({m.qos for m in gw.on("sensors/cellar")}, {0})
            self.assertEqual({m.qos for m in gw.on("sensors/light")}, {2})
            self.assertEqual({m.qos for m in gw.on("sensors/steady")}, {1})
            # Retained: a late subscriber gets the last reading at once.
            gw.connect_observer([gw.prefix + "/sensors/+"])
            time.sleep(0.2)
            late = [m for m in gw.snapshot() if m.retain]
            self.assertEqual({m.topic for m in late}, {"gw/sensors/light"}, late)
            self.assertEqual(gw.stop(), 0)


if __name__ == "__main__":
    unittest.main()
