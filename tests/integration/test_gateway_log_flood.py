# SPDX-License-Identifier: Apache-2.0
"""Log floods: commands anyone can publish must not flood the log. 1000 bad commands give a
few warning lines and one "N similar messages suppressed" line (at most 5 per channel per
10 s, README "Logging"); an unknown actuator id of 60000 characters gives one short line.

Issue 9: 1000 bad commands produced 1000 warnings in 50 ms, and the 60000-character id went
into one log line."""
import re
import unittest

from gateway import Gateway

CONFIG = {"board": {"kind": "sim"},
          "actuators": [{"id": "pump", "line": "GPIO22"}, {"id": "heater", "line": "GPIO23"}]}
FLOOD = 1000
BURST = 5            # lines let through per channel and window
LINE_LIMIT = 300     # characters in any one log line
SUPPRESSED = re.compile(r"(\d+) similar messages? suppressed")


class gateway_log_flood(unittest.TestCase):
    def flood(self, gw, topic_of, payload):
        for i in range(FLOOD):
            gw.observer.publish(topic_of(i), payload, qos=1)
        # A good command after them: once its state is out, every one was processed.
        before = len(gw.on("actuators/heater/state"))
        gw.command("heater", "TOGGLE")
        self.assertTrue(gw.wait_for(lambda m: len(gw.on("actuators/heater/state", m)) > before,
                                    timeout=20), gw.stderr())

    def lines(self, gw, text):
        return [line for line in gw.stderr_lines if text in line]

    def suppressed_total(self, gw, text):
        return sum(int(SUPPRESSED.search(line).group(1)) for line in self.lines(gw, text)
                   if SUPPRESSED.search(line))

    def test_bad_commands_are_rate_limited_and_counted(self):
        with Gateway() as gw:
            gw.start(CONFIG)
            self.assertTrue(gw.wait_for(lambda m: gw.on("actuators/heater/state", m)), gw.stderr())
            self.flood(gw, lambda i: "gw/actuators/pump/set", "not a command")

            shown = [line for line in self.lines(gw, "bad command on gw/actuators/pump/set")]
            self.assertGreaterEqual(len(shown), 1)
            self.assertLessEqual(len(shown), 2 * BURST, "\n".join(shown))  # one window, or two
            # The count follows once the window has passed, on its own timer.
            self.assertTrue(gw.wait_stderr("actuator pump: bad command: ", timeout=15), gw.stderr())
            self.assertTrue(any("[PIOGATE_CHANNEL=pump]" in line
                                for line in self.lines(gw, "similar messages suppressed")))
            self.assertEqual(len(shown) + self.suppressed_total(gw, "actuator pump: bad command: "),
                             FLOOD)
            self.assertEqual(gw.stop(), 0)

    def test_a_stop_inside_the_window_still_writes_the_count(self):
        # Stopped before the window has passed: the count is written at the stop, not lost with
        # the timer that would have written it.
        with Gateway() as gw:
            gw.start(CONFIG)
            self.assertTrue(gw.wait_for(lambda m: gw.on("actuators/heater/state", m)), gw.stderr())
            self.flood(gw, lambda i: "gw/actuators/pump/set", "not a command")
            self.assertEqual(self.lines(gw, "actuator pump: bad command: "), [])  # still counting
            self.assertEqual(gw.stop(), 0)
            shown = self.lines(gw, "bad command on gw/actuators/pump/set")
            self.assertEqual(len(shown) + self.suppressed_total(gw, "actuator pump: bad command: "),
                             FLOOD, gw.stderr()[-2000:])

    def test_unknown_actuators_are_clipped_and_rate_limited(self):
        with Gateway() as gw:
            gw.start(CONFIG)
            self.assertTrue(gw.wait_for(lambda m: gw.on("actuators/heater/state", m)), gw.stderr())
            long_id = "x" * 60000
            gw.command(long_id, "ON")
            self.assertTrue(gw.wait_stderr("command for unknown actuator"), gw.stderr())
            line = self.lines(gw, "command for unknown actuator")[0]
            self.assertLessEqual(len(line), LINE_LIMIT, line[:400])
            self.assertIn("(60017 bytes)", line)  # the length of the whole topic

            self.flood(gw, lambda i: "gw/actuators/nosuch%d/set" % i, "ON")
            shown = self.lines(gw, "command for unknown actuator on")
            self.assertLessEqual(len(shown), 2 * BURST, "\n".join(shown))
            self.assertTrue(gw.wait_stderr("commands for unknown actuators: ", timeout=15), gw.stderr())
            self.assertEqual(len(shown) + self.suppressed_total(gw, "commands for unknown actuators: "),
                             FLOOD + 1)
            self.assertLessEqual(max(len(line) for line in gw.stderr_lines), LINE_LIMIT)
            self.assertEqual(gw.stop(), 0)


if __name__ == "__main__":
    unittest.main()
