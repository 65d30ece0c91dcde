# SPDX-License-Identifier: Apache-2.0
"""The configs that ship in config/ are valid: the demo runs on any machine (simulated board)."""
import os
import subprocess
import tempfile
import unittest

PIOGATE = os.environ.get("PIOGATE_DAEMON", "build/src/piogate")
CONFIG_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "config")


class shipped_configs(unittest.TestCase):
    def test_demo_config_describes_the_simulated_board(self):
        p = subprocess.run([PIOGATE, "-c", os.path.join(CONFIG_DIR, "demo.json"), "--scan-i2c", "1"],
                           capture_output=True, text=True, timeout=30)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("0x44  sht3x", p.stdout)
        self.assertIn("0x76  bme280", p.stdout)

    def test_example_config_is_valid(self):
        # The example is for a real board: listing GPIO parses the whole file first; on a
        # machine without GPIO chips it then fails with 1 (no chips), never with 2 (config).
        p = subprocess.run([PIOGATE, "-c", os.path.join(CONFIG_DIR, "example.json"), "--list-gpio"],
                           capture_output=True, text=True, timeout=30)
        self.assertIn(p.returncode, (0, 1), p.stderr)

    def test_check_config_summarises_or_names_the_error(self):
        # Every kind counted (app::channel_counts); PWM outputs and counters only when present.
        for name, expected in [("demo.json", "4 sensors, 1 input, 2 actuators, 1 PWM output, 1 counter, "
                                             "simulated board"),
                               ("example.json", "6 sensors, 1 input, 1 actuator, 1 PWM output, 1 counter, "
                                                "linux board"),
                               ("default.json", "0 sensors, 0 inputs, 0 actuators, linux board")]:
            p = subprocess.run([PIOGATE, "-c", os.path.join(CONFIG_DIR, name), "--check-config"],
                               capture_output=True, text=True, timeout=30)
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertIn("configuration OK", p.stdout)
            self.assertIn(expected, p.stdout)
        with tempfile.NamedTemporaryFile("w", suffix=".json") as f:
            f.write('{"sensors": [{"id": "a", "type": "bme280", "bus": 1, "adress": "0x76"}]}')
            f.flush()
            p = subprocess.run([PIOGATE, "-c", f.name, "--check-config"], capture_output=True,
                               text=True, timeout=30)
            self.assertEqual(p.returncode, 2)
            self.assertEqual(p.stderr.strip(), "piogate: %s: /sensors/0/adress: unknown key "
                             '(did you mean "address"?)' % f.name)
        p = subprocess.run([PIOGATE, "--log-level", "loud", "--check-config"], capture_output=True,
                           text=True, timeout=30)
        self.assertEqual(p.returncode, 2)
        self.assertIn("--log-level", p.stderr)


if __name__ == "__main__":
    unittest.main()
