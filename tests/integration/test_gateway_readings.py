# SPDX-License-Identifier: Apache-2.0
"""The daemon end to end: simulated sensors -> real mosquitto -> paho subscriber.

Readings arrive on time with the simulated values; a missing sensor reports on its error topic
and does not stop the others; SIGTERM publishes "offline" and exits 0 within 5 s."""
import time
import unittest

from gateway import Gateway


class gateway_readings(unittest.TestCase):
    def test_readings_errors_and_clean_shutdown(self):
        with Gateway() as gw:
            gw.start({
                "mqtt": {"client_id": "gw-test"},
                "board": {"kind": "sim", "i2c": [{"bus": 1, "devices": [
                    {"model": "bme280", "address": "0x76", "temperature": -7.25, "humidity": 55,
                     "pressure": 1001.5},
                    {"model": "ina219", "address": "0x40", "voltage": 12, "current": 0.25}]}]},
                "sensors": [
                    {"id": "outside", "type": "bme280", "bus": 1, "interval_s": 0.3},
                    {"id": "battery", "type": "ina219", "bus": 1, "interval_s": 0.5},
                    {"id": "missing", "type": "sht3x", "bus": 1, "interval_s": 0.5}]})
            self.assertTrue(gw.wait_for(lambda m: len(gw.on("sensors/outside", m)) >= 5), gw.snapshot())
            outside = gw.on("sensors/outside")
            for m in outside:
                value = m.json()
                self.assertAlmostEqual(value["temperature"], -7.25, delta=0.02)
                self.assertAlmostEqual(value["humidity"], 55, delta=0.1)
                self.assertAlmostEqual(value["pressure"], 1001.5, delta=0.05)
                self.assertRegex(value["ts"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
            gaps = [b.at - a.at for a, b in zip(outside, outside[1:])]
            self.assertTrue(all(0.15 < g < 0.6 for g in gaps), gaps)  # on time, every 0.3 s
            # Without TLS the process never loads OpenSSL (1.5 MiB of resident memory).
            with open("/proc/%d/maps" % gw.daemon.pid) as f:
                maps = f.read()
            self.assertNotIn("libssl", maps)
            self.assertNotIn("libcrypto", maps)
            battery = gw.on("sensors/battery")
            self.assertTrue(battery)
            self.assertAlmostEqual(battery[0].json()["voltage"], 12, delta=0.01)
            self.assertAlmostEqual(battery[0].json()["current"], 0.25, delta=0.001)
            self.assertIn("online", [m.payload for m in gw.on("status")])
            errors = [m.payload for m in gw.on("sensors/missing/error")]
            self.assertTrue(errors and "0x44" in errors[0] and "NACK" in errors[0], errors)

            started = time.monotonic()
            self.assertEqual(gw.stop(), 0)
            self.assertLess(time.monotonic() - started, 5)
            self.assertTrue(gw.wait_for(lambda m: "offline" in [x.payload for x in gw.on("status", m)]))
            self.assertTrue(gw.wait_stderr("sensor missing"), gw.stderr())

    def test_bad_config_exits_2(self):
        with Gateway() as gw:
            gw.start({"mqtt": {"port": 70000}})
            self.assertEqual(gw.wait_exit(), 2)
            self.assertTrue(gw.wait_stderr("/mqtt/port: 70000 is out of range"), gw.stderr())


if __name__ == "__main__":
    unittest.main()
