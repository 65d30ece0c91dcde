# SPDX-License-Identifier: Apache-2.0
"""Interlocks end to end on the simulated board with a real mosquitto: a command that would put
two members of a group ON is refused (reason on PREFIX/actuators/ID/error and in the log, the
state unchanged), the dead time refuses the other member for its duration and no longer, and
SIGTERM's failsafe switches the others OFF first and refuses a failsafe ON that the dead time
forbids; a failsafe ON without a dead time is applied after the others went OFF."""
import signal
import time
import unittest

from gateway import Gateway

CONFIG = {
    "board": {"kind": "sim"},
    "actuators": [{"id": "up", "line": "GPIO5", "failsafe": "ON"},
                  {"id": "down", "line": "GPIO6"},
                  {"id": "lamp", "line": "GPIO7"}],
    "interlocks": [{"actuators": ["up", "down"], "dead_time_ms": 500}],
}


class gateway_interlock(unittest.TestCase):
    def test_refused_commands_dead_time_and_failsafe_order(self):
        with Gateway() as gw:
            states = lambda a: [m.payload for m in gw.on("actuators/%s/state" % a)]
            errors = lambda a: [m for m in gw.on("actuators/%s/error" % a)]
            gw.start(CONFIG)
            self.assertTrue(gw.wait_for(lambda m: states("up") == ["OFF"] and states("down") == ["OFF"]),
                            gw.stderr())

            gw.command("up", "ON")
            self.assertTrue(gw.wait_for(lambda m: states("up") == ["OFF", "ON"]))
            # down while up is ON: refused, its state untouched.
            gw.command("down", "ON")
            self.assertTrue(gw.wait_for(lambda m: errors("down")), gw.stderr())
            e = errors("down")[-1]
            self.assertEqual(e.payload, 'ON refused: interlock: "up" is ON (switch it OFF first)')
            self.assertFalse(e.retain)
            self.assertTrue(gw.wait_stderr('actuator down: ON refused: interlock: "up" is ON'), gw.stderr())
            gw.command("lamp", "ON")  # in no group: switches; and marks that down's command was handled
            self.assertTrue(gw.wait_for(lambda m: states("lamp")[-1:] == ["ON"]))
            self.assertEqual(states("down"), ["OFF"])
            # TOGGLE is refused the same way; OFF of a member that is OFF is fine.
            gw.command("down", "TOGGLE")
            self.assertTrue(gw.wait_for(lambda m: len(errors("down")) >= 2))
            self.assertEqual(states("down"), ["OFF"])

            # up OFF, then down ON at once: refused for the dead time, accepted after it.
            gw.command("up", "OFF")
            self.assertTrue(gw.wait_for(lambda m: states("up")[-1] == "OFF"))
            went_off = time.monotonic()
            gw.command("down", "ON")
            self.assertTrue(gw.wait_for(lambda m: len(errors("down")) >= 3))
            self.assertIn('interlock dead time: "up" went OFF', errors("down")[-1].payload)
            self.assertIn('"down" may switch ON in', errors("down")[-1].payload)
            self.assertEqual(states("down"), ["OFF"])
            time.sleep(max(0.0, 0.6 - (time.monotonic() - went_off)))
            gw.command("down", "ON")
            self.assertTrue(gw.wait_for(lambda m: states("down")[-1] == "ON"), gw.stderr())
            self.assertEqual(len(errors("down")), 3)
            # Now up is the refused one; a pulse too.
            gw.command("up", '{"state": "ON", "duration_ms": 100}')
            self.assertTrue(gw.wait_for(lambda m: errors("up")))
            self.assertEqual(states("up")[-1], "OFF")

            # SIGTERM: down goes OFF first; up's failsafe ON then falls in the dead time and is
            # refused (the interlock outranks the failsafe; a shutdown does not wait).
            before = len(states("up"))
            self.assertEqual(gw.stop(), 0)
            self.assertTrue(gw.wait_for(lambda m: states("down")[-1] == "OFF"))
            self.assertTrue(gw.wait_stderr("failsafe ON (shutting down) refused: interlock dead time"), gw.stderr())
            self.assertEqual(len(states("up")), before)  # up stayed OFF: the dead time protects

    def test_failsafe_on_comes_after_the_other_members_went_off(self):
        config = dict(CONFIG, interlocks=[{"actuators": ["up", "down"]}])
        with Gateway() as gw:
            states = lambda a: [m.payload for m in gw.on("actuators/%s/state" % a)]
            gw.start(config)
            self.assertTrue(gw.wait_for(lambda m: states("down") == ["OFF"]), gw.stderr())
            gw.command("down", "ON")
            self.assertTrue(gw.wait_for(lambda m: states("down")[-1:] == ["ON"]))
            self.assertEqual(gw.stop(), 0)
            self.assertTrue(gw.wait_for(lambda m: states("up")[-1] == "ON" and states("down")[-1] == "OFF"),
                            gw.stderr())
            self.assertNotIn("refused", gw.stderr())

    def test_reload_forming_a_group_switches_all_but_the_first_on_member_off(self):
        config = dict(CONFIG, interlocks=[])
        with Gateway() as gw:
            states = lambda a, m=None: [x.payload for x in gw.on("actuators/%s/state" % a, m)]
            gw.start(config)
            self.assertTrue(gw.wait_for(lambda m: states("down", m) == ["OFF"]), gw.stderr())
            gw.command("up", "ON")
            gw.command("down", "ON")  # no group yet: both ON
            self.assertTrue(gw.wait_for(lambda m: states("up", m)[-1:] == ["ON"] and states("down", m)[-1:] == ["ON"]))
            gw.write_config(dict(CONFIG, interlocks=[{"actuators": ["up", "down"]}]))
            gw.signal(signal.SIGHUP)
            self.assertTrue(gw.wait_for(lambda m: states("down", m)[-1:] == ["OFF"]), gw.stderr())
            self.assertEqual(states("up")[-1], "ON")
            self.assertTrue(gw.wait_stderr("actuator down: switched OFF: an interlock group now has another member ON"),
                            gw.stderr())
            gw.command("down", "ON")  # and the new group holds
            self.assertTrue(gw.wait_for(lambda m: gw.on("actuators/down/error", m)), gw.stderr())
            self.assertEqual(states("down")[-1], "OFF")


if __name__ == "__main__":
    unittest.main()
