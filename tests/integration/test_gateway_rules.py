# SPDX-License-Identifier: Apache-2.0
"""Local rules end to end on the simulated board with a real mosquitto: an input pattern drives
an actuator (follow), a sensor quantity drives a thermostat and a cooling fan with hysteresis,
their actions are published as normal state changes and respect interlocks, and a rule with
"when": "offline" acts only while the broker is unreachable."""
import copy
import signal
import time
import unittest

from gateway import Gateway

SLOW_RECONNECT = {"reconnect_min_s": 0.2, "reconnect_max_s": 0.5}
CONFIG = {
    "mqtt": SLOW_RECONNECT,
    "board": {"kind": "sim", "patterns": [{"line": "GPIO17", "toggle_every_ms": 300}],
              "i2c": [{"bus": 1, "devices": [
                  {"model": "bme280", "address": "0x76", "temperature": 21.5, "humidity": 40, "pressure": 1013.25},
                  {"model": "sht3x", "address": "0x44", "temperature": 19.0, "humidity": 55}]}]},
    "sensors": [{"id": "living", "type": "bme280", "bus": 1, "address": "0x76", "interval_s": 0.2},
                {"id": "kitchen", "type": "sht3x", "bus": 1, "address": "0x44", "interval_s": 0.2}],
    "inputs": [{"id": "door", "line": "GPIO17", "debounce_ms": 5}],
    "actuators": [{"id": "lamp", "line": "GPIO22"}, {"id": "heater", "line": "GPIO23"},
                  {"id": "fan", "line": "GPIO24"}, {"id": "frost", "line": "GPIO25"},
                  {"id": "up", "line": "GPIO5"}, {"id": "down", "line": "GPIO6"}],
    "interlocks": [{"actuators": ["up", "down"]}],
    "rules": [{"input": "door", "actuator": "lamp", "action": "follow"},
              {"input": "door", "actuator": "down", "action": "invert"},
              {"sensor": "kitchen", "quantity": "temperature", "actuator": "heater", "on_below": 20, "off_above": 22},
              {"sensor": "living", "quantity": "temperature", "actuator": "fan", "on_above": 21, "off_below": 20},
              {"sensor": "living", "quantity": "humidity", "actuator": "frost", "on_below": 50, "off_above": 60,
               "when": "offline"}],
}


class gateway_rules(unittest.TestCase):
    def test_input_and_threshold_rules_interlock_and_offline(self):
        with Gateway() as gw:
            states = lambda a, m=None: [x.payload for x in gw.on("actuators/%s/state" % a, m)]
            gw.start(CONFIG)
            # The lamp follows the door (both ways, several times); published as normal states.
            self.assertTrue(gw.wait_for(lambda m: states("lamp", m).count("ON") >= 2
                                        and states("lamp", m).count("OFF") >= 3), gw.stderr())
            door = [x.payload for x in gw.on("inputs/door")]
            self.assertEqual(states("lamp")[1:3], door[1:3] if door[0] == "OFF" else door[0:2])
            self.assertTrue(gw.wait_stderr("rule /rules/0: lamp ON (input door ON)"), gw.stderr())
            # Thermostat: 19.0 < 20 -> heater ON; cooling: 21.5 > 21 -> fan ON; once each.
            self.assertTrue(gw.wait_for(lambda m: states("heater", m) == ["OFF", "ON"] and
                                        states("fan", m) == ["OFF", "ON"]), gw.stderr())
            self.assertTrue(gw.wait_stderr("rule /rules/2: heater ON (kitchen temperature 1"), gw.stderr())
            time.sleep(1)  # five more readings each: no repeated actions
            self.assertEqual(states("heater"), ["OFF", "ON"])
            self.assertEqual(states("fan"), ["OFF", "ON"])
            # The offline rule (humidity 40 < 50) does nothing while the broker is there.
            self.assertEqual(states("frost"), ["OFF"])

            # Interlock: with up ON, the rule's "down ON" (door OFF) is refused and published.
            gw.command("up", "ON")
            self.assertTrue(gw.wait_for(lambda m: any(e.payload.startswith('ON refused: interlock: "up" is ON')
                                                      for e in gw.on("actuators/down/error", m))), gw.stderr())
            self.assertEqual(states("down")[-1], "OFF")
            gw.command("up", "OFF")

            # The broker goes away: the frost guard acts (about 40 %RH < 50), seen after the reconnect.
            gw.broker.kill()
            self.assertTrue(gw.wait_stderr("rule /rules/4: frost ON (living humidity "), gw.stderr())
            gw.broker.start()
            gw.connect_observer()
            self.assertTrue(gw.wait_for(lambda m: states("frost", m)[-1:] == ["ON"], timeout=15), gw.stderr())
            self.assertEqual(gw.stop(), 0)

    def test_a_reload_that_keeps_the_rules_does_not_undo_a_command(self):
        # A threshold rule acts when its decision changes; an MQTT command in between stands.
        # A reload that changes something else must not start the rule afresh (it did: the
        # engine was rebuilt on every reload and switched the heater back ON at the next reading).
        with Gateway() as gw:
            states = lambda m=None: [x.payload for x in gw.on("actuators/heater/state", m)]
            gw.start(CONFIG)
            self.assertTrue(gw.wait_for(lambda m: states(m)[-1:] == ["ON"]), gw.stderr())
            gw.command("heater", "OFF")
            self.assertTrue(gw.wait_for(lambda m: states(m)[-1:] == ["OFF"]), gw.stderr())
            changed = copy.deepcopy(CONFIG)
            changed["actuators"].append({"id": "spare", "line": "GPIO26"})
            gw.write_config(changed)
            gw.signal(signal.SIGHUP)
            self.assertTrue(gw.wait_stderr("configuration reloaded: actuator spare added"), gw.stderr())
            time.sleep(1.5)  # seven more kitchen readings at 19.0 (< 20)
            self.assertEqual(states()[-1], "OFF", gw.stderr())
            self.assertNotIn("rules changed", gw.stderr())
            self.assertEqual(gw.stop(), 0)

    def test_a_rule_sees_readings_the_deadband_keeps_from_mqtt(self):
        # The rules take the filtered readings before the deadband: a SoC temperature swinging
        # 35..45 °C (a wave, period 6 s) under a deadband of 100 is published once, yet the fan
        # follows it both ways. Before, the rules parsed the published JSON and saw one reading.
        config = {
            "board": {"kind": "sim", "sysfs": {"thermal": [
                {"type": "cpu-thermal", "temperature": {"value": 40, "amplitude": 5, "period_s": 6}}]}},
            "sensors": [{"id": "pi", "type": "soc_temperature", "interval_s": 0.2, "deadband": 100}],
            "actuators": [{"id": "fan", "line": "GPIO24"}],
            "rules": [{"sensor": "pi", "quantity": "temperature", "actuator": "fan",
                       "on_above": 42, "off_below": 38}],
        }
        with Gateway() as gw:
            states = lambda m=None: [x.payload for x in gw.on("actuators/fan/state", m)]
            gw.start(config)
            self.assertTrue(gw.wait_for(lambda m: states(m).count("ON") >= 2 and states(m).count("OFF") >= 2,
                                        timeout=20), gw.stderr())
            self.assertEqual(len(gw.on("sensors/pi")), 1, [x.payload for x in gw.on("sensors/pi")])
            self.assertEqual(gw.stop(), 0)


if __name__ == "__main__":
    unittest.main()
