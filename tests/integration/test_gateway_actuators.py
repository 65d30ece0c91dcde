# SPDX-License-Identifier: Apache-2.0
"""Commands switch outputs and the state echoes; bad payloads change nothing; retained commands
found at start are ignored; inputs publish their level; SIGTERM applies the failsafe states."""
import unittest

from gateway import Gateway


class gateway_actuators(unittest.TestCase):
    def test_commands_bad_payloads_retained_and_failsafe(self):
        with Gateway() as gw:
            states = lambda actuator: [m.payload for m in gw.on("actuators/%s/state" % actuator)]
            # A retained command waiting at start must not switch anything.
            gw.command("pump", "ON", retain=True)
            gw.start({"board": {"kind": "sim", "patterns": [{"line": "GPIO17", "toggle_every_ms": 300}]},
                      "inputs": [{"id": "door", "line": "GPIO17", "debounce_ms": 5}],
                      "actuators": [{"id": "pump", "line": "GPIO22"},
                                    {"id": "heater", "line": "GPIO23", "initial": "ON", "failsafe": "OFF"}]})
            self.assertTrue(gw.wait_for(lambda m: states("pump") == ["OFF"] and states("heater") == ["ON"]))
            gw.command("pump", "", retain=True)  # clear the retained command
            self.assertTrue(gw.wait_stderr("retained command on gw/actuators/pump/set ignored"), gw.stderr())
            self.assertEqual(states("pump"), ["OFF"])  # the retained ON was ignored

            for payload, expected in [("ON", "ON"), ("off", "OFF"), ("1", "ON"), ("false", "OFF"),
                                      ("TOGGLE", "ON"), ("TOGGLE", "OFF")]:
                before = len(states("pump"))
                gw.command("pump", payload)
                self.assertTrue(gw.wait_for(lambda m: len(states("pump")) > before), payload)
                self.assertEqual(states("pump")[-1], expected, payload)

            # 100 bad payloads change nothing (and the daemon survives them).
            before = states("pump")
            bad = ["", "ONN", "2", "{", "[]", '{"state": 1}', '{"state":"ON","duration_ms":-5}',
                   '{"state":"ON","x":1}', "\x00\xff", "A" * 5000]
            for i in range(100):
                gw.command("pump", bad[i % len(bad)])
            gw.command("heater", "ON")  # a good one after them, to know they were all processed
            self.assertTrue(gw.wait_for(lambda m: len(states("heater")) >= 2))
            self.assertEqual(states("pump"), before)

            # A pulse: ON, then back OFF after the duration.
            before = len(states("pump"))
            gw.command("pump", '{"state": "ON", "duration_ms": 200}')
            self.assertTrue(gw.wait_for(lambda m: len(states("pump")) >= before + 2, timeout=3))
            self.assertEqual(states("pump")[before:before + 2], ["ON", "OFF"])

            # The door input follows its pattern.
            door = [m.payload for m in gw.on("inputs/door")]
            self.assertIn("ON", door)
            self.assertIn("OFF", door)

            # SIGTERM: failsafe (heater OFF), offline, exit 0.
            self.assertEqual(gw.stop(), 0)
            self.assertTrue(gw.wait_for(lambda m: states("heater")[-1] == "OFF"))
            self.assertTrue(gw.wait_stderr("bad command on gw/actuators/pump/set"), gw.stderr())
            self.assertLessEqual(max(len(line) for line in gw.stderr_lines), 400)  # payloads truncated


if __name__ == "__main__":
    unittest.main()
