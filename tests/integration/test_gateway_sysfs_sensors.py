# SPDX-License-Identifier: Apache-2.0
"""The sysfs sensor kinds end to end on the simulated board: the board writes its fake sysfs
tree (1-Wire, IIO incl. DHT, hwmon, thermal), the daemon reads it through the same readers as on
a Pi, and a real mosquitto carries the readings and errors to a paho subscriber.

1-Wire faults (85 °C power-on value, CRC NO, a missing probe) reach the error topic and are
never published as readings; a DHT whose every exchange fails with EIO reports the EIO, a
flaky one publishes only its true values."""
import unittest

from gateway import Gateway

ROM = "28-0316a2794aff"

CONFIG = {
    "mqtt": {"client_id": "gw-sysfs"},
    "board": {"kind": "sim", "sysfs": {
        "w1": [{"rom": ROM, "temperature": 21.5},
               {"rom": "28-00000000dead", "temperature": 20, "fault": "power_on"},
               {"rom": "10-000802b4a1c0", "temperature": 18.5, "w1_slave_only": True, "fault": "crc"},
               {"rom": "22-000000a1b2c3", "temperature": -3.25, "w1_slave_only": True}],
        "iio": [{"name": "dht11@4", "channels": {"temp": 23.4, "humidityrelative": 51.2},
                 "fail_one_in": 2},
                {"name": "dht11@17", "channels": {"temp": 20, "humidityrelative": 40},
                 "fail_one_in": 1},
                {"name": "ads1015", "channels": {"voltage0": 1.65}}],
        "hwmon": [{"name": "rpi_volt", "channels": {"in0": 0.86}}],
        "thermal": [{"type": "cpu-thermal", "temperature": 47.5}]}},
    "sensors": [
        {"id": "tank", "type": "ds18b20", "rom": ROM, "interval_s": 0.5},
        {"id": "old_kernel", "type": "w1", "rom": "22-000000a1b2c3", "interval_s": 0.5},
        {"id": "unpowered", "type": "ds18b20", "rom": "28-00000000dead", "interval_s": 0.5},
        {"id": "noisy_bus", "type": "w1", "rom": "10-000802b4a1c0", "interval_s": 0.5},
        {"id": "unplugged", "type": "ds18b20", "rom": "28-000000000bad", "interval_s": 0.5},
        {"id": "greenhouse", "type": "dht22", "device": "dht11@4", "interval_s": 5},
        {"id": "dead_dht", "type": "dht11", "device": "dht11@17", "interval_s": 5},
        {"id": "adc", "type": "iio", "device": "ads1015", "channels": ["voltage0"], "interval_s": 0.5},
        {"id": "core", "type": "hwmon", "name": "rpi_volt", "channel": "in0", "interval_s": 0.5},
        {"id": "pi", "type": "soc_temperature", "interval_s": 0.5}]}


class gateway_sysfs_sensors(unittest.TestCase):
    def test_sysfs_kinds_on_the_simulated_board(self):
        with Gateway() as gw:
            gw.start(CONFIG)
            self.assertTrue(gw.wait_for(lambda m: len(gw.on("sensors/tank", m)) >= 3
                                        and gw.on("sensors/pi", m) and gw.on("sensors/core", m)
                                        and gw.on("sensors/adc", m)
                                        and gw.on("sensors/old_kernel", m)), gw.snapshot())
            for m in gw.on("sensors/tank"):
                self.assertAlmostEqual(m.json()["temperature"], 21.5, delta=0.001)
            # A DS1822 resolves 1/16 °C: published with 1 decimal (README "Filters and
            # precision"), -3.25 rounded half away from zero.
            self.assertEqual(gw.on("sensors/old_kernel")[0].json()["temperature"], -3.3)
            self.assertAlmostEqual(gw.on("sensors/pi")[0].json()["temperature"], 47.5, delta=0.01)
            self.assertAlmostEqual(gw.on("sensors/core")[0].json()["voltage"], 0.86, delta=0.001)
            self.assertAlmostEqual(gw.on("sensors/adc")[0].json()["voltage0"], 1.65, delta=0.001)

            def error(sensor, m=None):
                return [x.payload for x in gw.on("sensors/%s/error" % sensor, m) if x.payload]

            self.assertTrue(gw.wait_for(lambda m: error("unpowered", m) and error("noisy_bus", m)
                                        and error("unplugged", m)), gw.snapshot())
            self.assertIn("85.000 °C is the power-on value", error("unpowered")[0])
            self.assertIn("CRC", error("noisy_bus")[0])
            self.assertIn("28-000000000bad", error("unplugged")[0])
            for bad in ("unpowered", "noisy_bus", "unplugged"):
                self.assertEqual(gw.on("sensors/" + bad), [], bad)

            # DHTs: the always-failing one reports its EIO once the retries of an interval ran
            # out; the flaky one publishes only true values.
            self.assertTrue(gw.wait_for(lambda m: error("dead_dht", m)
                                        and gw.on("sensors/greenhouse", m), timeout=20),
                            gw.snapshot())
            self.assertIn("Input/output error", error("dead_dht")[0])
            self.assertEqual(gw.on("sensors/dead_dht"), [])
            for m in gw.on("sensors/greenhouse"):
                self.assertAlmostEqual(m.json()["temperature"], 23.4, delta=0.001)
                self.assertAlmostEqual(m.json()["humidity"], 51.2, delta=0.001)
            self.assertEqual(gw.stop(), 0)


if __name__ == "__main__":
    unittest.main()
