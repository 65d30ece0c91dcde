# SPDX-License-Identifier: Apache-2.0
"""`piogate --list-gpio`, `piogate --scan-i2c` and `piogate --scan-w1` on the simulated board, and
their errors."""
import json
import os
import subprocess
import tempfile
import unittest

PIOGATE = os.environ.get("PIOGATE_DAEMON", "build/src/piogate")

SIM_BOARD = {"board": {"kind": "sim",
                       "gpio": [{"chip": "gpiochip0", "label": "pinctrl-bcm2835", "lines": 28}],
                       "i2c": [{"bus": 1, "devices": [
                           {"model": "bme280", "address": "0x76"},
                           {"model": "sht3x", "address": "0x44"},
                           {"model": "aht20", "address": "0x38"},
                           {"model": "bh1750", "address": "0x23"},
                           {"model": "mcp9808", "address": "0x18"},
                           {"model": "ina219", "address": "0x41"},
                           {"model": "tmp102", "address": "0x49"},
                           {"model": "ads1115", "address": "0x48"}]}]}}


def run(*args, config=None):
    with tempfile.NamedTemporaryFile("w", suffix=".json") as f:
        cmd = [PIOGATE]
        if config is not None:
            json.dump(config, f) if not isinstance(config, str) else f.write(config)
            f.flush()
            cmd += ["-c", f.name]
        p = subprocess.run(cmd + list(args), capture_output=True, text=True, timeout=30)
        return p.returncode, p.stdout, p.stderr


class hw_tools(unittest.TestCase):
    def test_scan_finds_every_simulated_chip_and_names_its_driver(self):
        rc, out, err = run("--scan-i2c", "1", config=SIM_BOARD)
        self.assertEqual(rc, 0, err)
        expected = {"0x18": "mcp9808", "0x23": "bh1750", "0x38": "aht20", "0x41": "ina219",
                    "0x44": "sht3x", "0x48": "ads1115", "0x49": "tmp102", "0x76": "bme280"}
        lines = {l.split()[0]: l for l in out.splitlines() if l.startswith("  0x")}
        self.assertEqual(set(lines), {a.upper().replace("0X", "0x") for a in expected}, out)
        for address, driver in expected.items():
            self.assertIn(driver, lines[address.upper().replace("0X", "0x")], out)
        self.assertIn("8 devices answered", out)

    def test_scan_w1_lists_the_simulated_probes_with_a_reading(self):
        config = {"board": {"kind": "sim", "sysfs": {"w1": [
            {"rom": "28-0316a2794aff", "temperature": 21.5},
            {"rom": "10-000802b4a1c0", "temperature": 18.5, "w1_slave_only": True},
            {"rom": "28-00000000dead", "fault": "power_on"}]}}}
        rc, out, err = run("--scan-w1", config=config)
        self.assertEqual(rc, 0, err)
        self.assertIn("  10-000802b4a1c0  DS18S20  18.500 °C\n", out)
        self.assertIn("  28-0316a2794aff  DS18B20  21.500 °C\n", out)
        self.assertIn("  28-00000000dead  DS18B20  error: 1-Wire 28-00000000dead: 85.000 °C is the "
                      "power-on value", out)
        self.assertIn("3 probes found", out)

    def test_scan_w1_without_a_bus_master_is_a_clear_error(self):
        for config in ({"board": {"kind": "sim"}}, {"board": {"kind": "linux"}}):
            rc, out, err = run("--scan-w1", config=config)
            self.assertEqual(rc, 1, out)
            self.assertIn("no 1-Wire bus master in /sys/bus/w1/devices", err)
            self.assertIn("dtoverlay=w1-gpio", err)

    def test_list_gpio_shows_the_simulated_chip(self):
        rc, out, err = run("--list-gpio", config=SIM_BOARD)
        self.assertEqual(rc, 0, err)
        self.assertIn("gpiochip0 [pinctrl-bcm2835]", out)
        self.assertIn('"GPIO17"', out)
        self.assertEqual(sum(1 for l in out.splitlines() if "line" in l and '"GPIO' in l), 28)

    def test_a_bus_the_board_lacks_is_a_clear_error(self):
        rc, out, err = run("--scan-i2c", "4", config=SIM_BOARD)
        self.assertEqual(rc, 1)
        self.assertIn("I2C bus 4 is not on the simulated board", err)

    def test_a_missing_linux_bus_is_a_clear_error(self):
        rc, out, err = run("--scan-i2c", "/dev/i2c-97", config={"board": {"kind": "linux"}})
        self.assertEqual(rc, 1)
        self.assertIn("i2c-97", err)

    def test_bad_configs_exit_2_naming_the_path(self):
        rc, out, err = run("--list-gpio", config={"board": {"kind": "sim", "i2c": [{"bus": 1, "devices": [
            {"model": "bme281", "address": "0x76"}]}]}})
        self.assertEqual(rc, 2)
        self.assertIn("/board/i2c/0/devices/0/model", err)
        self.assertIn('did you mean "bme280"', err)
        rc, out, err = run("--list-gpio", config='{"board": {"kind": "sim",}}')
        self.assertEqual(rc, 2)
        self.assertIn("JSON syntax error", err)
        self.assertRegex(err, r":1:\d+:")
        rc, out, err = run("-c", "/nonexistent/piogate.json", "--list-gpio")
        self.assertEqual(rc, 2)
        self.assertIn("/nonexistent/piogate.json: cannot read", err)


if __name__ == "__main__":
    unittest.main()
