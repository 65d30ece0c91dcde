# SPDX-License-Identifier: Apache-2.0
"""State restore end to end on the simulated board with a real mosquitto: an actuator with
"initial": "restore" comes back in its last commanded state after SIGKILL and after SIGTERM (not
in its failsafe state); a burst of commands costs one write at once and one a second later; a
corrupted state file is a warning naming the file and the actuator starts OFF; a file that is not
piogate's is refused at start-up and left as it was."""
import json
import os
import signal
import subprocess
import time
import unittest

from gateway import PIOGATE, Gateway

CONFIG = {
    "board": {"kind": "sim"},
    "actuators": [{"id": "pump", "line": "GPIO22", "initial": "restore"},
                  {"id": "heater", "line": "GPIO23", "initial": "restore", "failsafe": "OFF"}],
}


def kept(path):
    try:
        with open(path) as f:
            return json.load(f).get("state")
    except (OSError, ValueError):
        return None


def wait_until(predicate, timeout=5):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return False


class gateway_restore(unittest.TestCase):
    def setUp(self):
        self.gw = Gateway()
        self.state = os.path.join(self.gw.dir, "state")
        os.mkdir(self.state)
        self.env = {"STATE_DIRECTORY": self.state}

    def tearDown(self):
        self.gw.close()

    def states(self, actuator, since=0):
        return [m.payload for m in self.gw.on("actuators/%s/state" % actuator) if m.at >= since]

    def start(self):
        since = time.monotonic()
        self.gw.start(CONFIG, extra_env=self.env)
        return since

    def test_restored_after_sigkill_and_sigterm_with_writes_bounded(self):
        gw, pump = self.gw, os.path.join(self.state, "actuator-pump.json")
        since = self.start()
        self.assertTrue(gw.wait_for(lambda m: self.states("pump", since) == ["OFF"]), gw.stderr())
        self.assertIsNone(kept(pump))  # nothing commanded yet, nothing written
        gw.command("pump", "ON")
        self.assertTrue(gw.wait_for(lambda m: self.states("pump", since)[-1] == "ON"))
        self.assertTrue(wait_until(lambda: kept(pump) == "ON"))

        gw.daemon.send_signal(signal.SIGKILL)
        gw.daemon.wait(5)
        since = self.start()
        self.assertTrue(gw.wait_for(lambda m: self.states("pump", since) == ["ON"]), gw.stderr())
        self.assertTrue(gw.wait_stderr("actuator pump: restored ON from " + pump), gw.stderr())
        self.assertEqual(self.states("heater", since), ["OFF"])

        # 20 TOGGLEs in a burst: the first is written at once, the rest once a second later.
        first = time.monotonic()
        for _ in range(20):
            gw.command("pump", "TOGGLE")
        self.assertTrue(gw.wait_for(lambda m: len(self.states("pump", since)) == 21))
        self.assertEqual(self.states("pump", since)[-1], "ON")
        if time.monotonic() - first < 0.5:  # the burst was handled within half the second
            # The first is written at once (on the state-file worker, so a moment after its
            # state went out), the rest not before the second has passed.
            self.assertTrue(wait_until(lambda: kept(pump) == "OFF", timeout=0.4), kept(pump))
        self.assertTrue(wait_until(lambda: kept(pump) == "ON", timeout=3))

        # SIGTERM applies the failsafe (OFF), but the kept state is the commanded one.
        self.assertEqual(gw.stop(), 0)
        self.assertEqual(self.states("pump")[-1], "OFF")
        self.assertEqual(kept(pump), "ON")
        since = self.start()
        self.assertTrue(gw.wait_for(lambda m: self.states("pump", since) == ["ON"]), gw.stderr())

    def test_corrupted_file_warns_and_starts_off(self):
        gw = self.gw
        heater = os.path.join(self.state, "actuator-heater.json")
        with open(heater, "w") as f:
            f.write('{"piogate":"actuator","vers')
        since = self.start()
        self.assertTrue(gw.wait_for(lambda m: self.states("heater", since) == ["OFF"]), gw.stderr())
        self.assertTrue(gw.wait_stderr("actuator heater: state file %s is not valid JSON" % heater), gw.stderr())
        gw.command("heater", "ON")  # and the damaged file is replaced by a good one
        self.assertTrue(wait_until(lambda: kept(heater) == "ON"), gw.stderr())

    def test_foreign_file_refused_and_left_alone(self):
        gw = self.gw
        pump = os.path.join(self.state, "actuator-pump.json")
        with open(pump, "w") as f:
            f.write("not ours\n")
        self.start()
        self.assertEqual(gw.wait_exit(), 2)
        self.assertIn('/actuators/0/initial: state file "%s" is not a piogate actuator state file' % pump,
                      gw.stderr())
        line = [l for l in gw.stderr_lines if "/actuators/0/initial" in l]
        # --check-config refuses it with the same line.
        check = subprocess.run([PIOGATE, "--check-config", "-c", gw.config_path], env=dict(os.environ, **self.env),
                               capture_output=True, text=True, timeout=10)
        self.assertEqual(check.returncode, 2)
        self.assertEqual(check.stderr.strip().splitlines(), line)
        with open(pump) as f:
            self.assertEqual(f.read(), "not ours\n")


if __name__ == "__main__":
    unittest.main()
