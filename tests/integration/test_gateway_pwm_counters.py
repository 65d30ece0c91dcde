# SPDX-License-Identifier: Apache-2.0
"""PWM outputs and pulse counters end to end on the simulated board with a real Mosquitto:
commands change the simulated controller's duty (its writes are logged at debug level) and the
retained state; bad payloads change nothing; the failsafe duty at SIGTERM; a counter on an
input pattern counts, publishes total and rate, and its total survives a SIGKILL and a restart
(the state file); a state file that is not piogate's is refused and left alone; Home Assistant
discovery has a light and total_increasing sensors."""
import json
import os
import shutil
import signal
import tempfile
import time
import unittest

from gateway import Gateway


def saved_count(path):
    """The count in a complete state file, else None."""
    try:
        with open(path) as f:
            text = f.read()
        return json.loads(text)["count"] if text.endswith("\n") else None
    except (OSError, ValueError, KeyError):
        return None


def state_dir(test):
    path = tempfile.mkdtemp(prefix="piogate-state-")
    test.addCleanup(shutil.rmtree, path, True)
    return path


def pwm_states(gw, pwm_id):
    return [m.json() for m in gw.on("pwm/%s/state" % pwm_id)]


class gateway_pwm(unittest.TestCase):
    def test_commands_state_and_failsafe(self):
        with Gateway() as gw:
            gw.start({"board": {"kind": "sim"},
                      "pwm": [{"id": "fan", "chip": 0, "channel": 1, "frequency_hz": 25000, "initial": 20,
                               "failsafe": 100},
                              {"id": "led", "channel": 2, "frequency_hz": 1000, "polarity": "inversed"}]},
                     args=["--log-level", "debug"])
            self.assertTrue(gw.wait_for(lambda m: pwm_states(gw, "fan") == [{"state": "ON", "duty": 20}]
                                        and pwm_states(gw, "led") == [{"state": "OFF", "duty": 0}]),
                            gw.stderr())
            self.assertTrue(gw.wait_stderr("simulated pwmchip0/pwm1: duty 8000 of 40000 ns (20.0 %), normal, enabled"),
                            gw.stderr())
            self.assertTrue(gw.wait_stderr("simulated pwmchip0/pwm2: duty 0 of 1000000 ns (0.0 %), inversed, enabled"),
                            gw.stderr())

            def send(pwm_id, payload):
                gw.observer.publish("gw/pwm/%s/set" % pwm_id, payload, qos=1).wait_for_publish()

            for payload, expected, ns in [("55", 55, 22000), ("OFF", 0, 0), ("on", 55, 22000),
                                          ('{"duty": 12.5}', 12.5, 5000), ("TOGGLE", 0, 0), ("TOGGLE", 12.5, 5000),
                                          ('{"state": "ON", "brightness": 100}', 100, 40000), ("0", 0, 0)]:
                before = len(pwm_states(gw, "fan"))
                send("fan", payload)
                self.assertTrue(gw.wait_for(lambda m: len(pwm_states(gw, "fan")) > before), payload)
                self.assertEqual(pwm_states(gw, "fan")[-1]["duty"], expected, payload)
                self.assertEqual(pwm_states(gw, "fan")[-1]["state"], "ON" if expected else "OFF", payload)
                self.assertTrue(gw.wait_stderr("simulated pwmchip0/pwm1: duty %d of 40000 ns" % ns), payload)

            before = pwm_states(gw, "fan")
            for bad in ["", "101", "-1", "nan", "fast", '{"duty": 150}', '{"duty": 1, "duty": 2}',
                        '{"speed": 5}', '{"state": "OFF", "duty": 5}', "\x00\xff"]:
                send("fan", bad)
            send("led", "50")  # a good one after them, to know they were all processed
            self.assertTrue(gw.wait_for(lambda m: len(pwm_states(gw, "led")) >= 2))
            self.assertEqual(pwm_states(gw, "fan"), before)
            self.assertTrue(gw.wait_stderr("bad command on gw/pwm/fan/set: a duty must be a number 0..100 (percent)"), gw.stderr())
            send("nosuch", "50")
            self.assertTrue(gw.wait_stderr("command for unknown pwm output on gw/pwm/nosuch/set ignored"))

            # SIGTERM: the failsafe duty (fan 100 %), then exit 0.
            self.assertEqual(gw.stop(), 0)
            self.assertTrue(gw.wait_for(lambda m: pwm_states(gw, "fan")[-1] == {"state": "ON", "duty": 100}))
            self.assertTrue(gw.wait_stderr("pwm fan: failsafe 100 % (shutting down)"), gw.stderr())

    def test_ramp_moves_in_steps(self):
        with Gateway() as gw:
            gw.start({"board": {"kind": "sim"}, "pwm": [{"id": "dim", "channel": 0, "ramp_ms": 600}]},
                     args=["--log-level", "debug"])
            self.assertTrue(gw.wait_for(lambda m: pwm_states(gw, "dim") == [{"state": "OFF", "duty": 0}]))
            started = time.monotonic()
            gw.observer.publish("gw/pwm/dim/set", "100", qos=1).wait_for_publish()
            self.assertTrue(gw.wait_for(lambda m: len(pwm_states(gw, "dim")) >= 2, timeout=5))
            self.assertGreater(time.monotonic() - started, 0.5)  # the state comes at the end of the ramp
            self.assertEqual(pwm_states(gw, "dim")[-1], {"state": "ON", "duty": 100})
            steps = [l for l in gw.stderr_lines if "simulated pwmchip0/pwm0: duty" in l]
            self.assertGreater(len(steps), 10, steps)  # intermediate duties were written
            self.assertLessEqual(len(steps), 40, steps)  # at most one per 20 ms (+ the setup writes)

    def test_unknown_chip_is_a_start_up_error(self):
        with Gateway() as gw:
            gw.start({"board": {"kind": "sim"}, "pwm": [{"id": "fan", "chip": 3, "channel": 0}]})
            self.assertNotEqual(gw.wait_exit(), 0)
            self.assertTrue(gw.wait_stderr("pwmchip3/pwm0: no such PWM chip (the simulated board has pwmchip0)"), gw.stderr())


class gateway_counters(unittest.TestCase):
    def counter_config(self, **keys):
        return {"board": {"kind": "sim", "patterns": [{"line": "GPIO5", "toggle_every_ms": 50}]},
                "counters": [dict({"id": "power", "line": "GPIO5", "multiplier": 0.001, "unit": "kWh",
                                   "interval_s": 1, "persist_every_s": 1, "debounce_ms": 0}, **keys)],
                "homeassistant": {"enabled": True}}

    def test_counts_publishes_and_survives_sigkill(self):
        directory = state_dir(self)
        env = {"STATE_DIRECTORY": directory}
        state_file = os.path.join(directory, "counter-power.json")
        with Gateway() as gw:
            gw.start(self.counter_config(), extra_env=env)
            totals = lambda: [m.json() for m in gw.on("counters/power")]
            # A falling edge every 100 ms: about 10 pulses a second.
            self.assertTrue(gw.wait_for(lambda m: len(totals()) >= 3 and totals()[-1]["count"] >= 20, timeout=15),
                            gw.stderr())
            last = totals()[-1]
            self.assertAlmostEqual(last["total"], last["count"] * 0.001, places=9)
            self.assertGreater(last["rate"], 0)  # kWh per hour
            # Rounded like sensor values: total to the multiplier (3), rate to one pulse over the
            # 60 s window (0.06 kW: 1 decimal); was 6 decimals of float noise (1.079953).
            for m in gw.on("counters/power"):
                self.assertRegex(m.payload, r'^\{"count":\d+,"rate":\d+(\.\d)?,"total":\d+(\.\d{1,3})?\}$')
            self.assertTrue(gw.wait_for(lambda m: os.path.exists(state_file), timeout=5))
            first = saved_count(state_file)
            self.assertTrue(gw.wait_for(lambda m: (saved_count(state_file) or 0) > (first or 0), timeout=5))
            with open(state_file) as f:
                self.assertEqual(json.load(f)["piogate"], "counter")
            gw.signal(signal.SIGKILL)
            gw.daemon.wait(5)
            at_kill = saved_count(state_file)
            self.assertGreater(at_kill, first or 0)

            gw.messages.clear()
            gw.start(self.counter_config(), extra_env=env)
            self.assertTrue(gw.wait_for(lambda m: len(totals()) >= 1, timeout=10), gw.stderr())
            self.assertGreaterEqual(totals()[0]["count"], at_kill)  # restored, not from 0
            self.assertTrue(gw.wait_stderr("counter power: %d pulses restored from %s" % (at_kill, state_file)), gw.stderr())

            # SIGTERM saves the count published last (or more).
            self.assertTrue(gw.wait_for(lambda m: len(totals()) >= 2, timeout=10))
            self.assertEqual(gw.stop(), 0)
            with open(state_file) as f:
                self.assertGreaterEqual(json.load(f)["count"], totals()[-1]["count"])

    def test_foreign_state_file_is_refused_and_left_alone(self):
        directory = state_dir(self)
        state_file = os.path.join(directory, "counter-power.json")
        with open(state_file, "w") as f:
            f.write("my notes: meter read 1234 on Monday\n")
        with Gateway() as gw:
            gw.start(self.counter_config(), extra_env={"STATE_DIRECTORY": directory})
            self.assertEqual(gw.wait_exit(), 2)  # a config error, like --check-config's
            self.assertIn("/counters/0/state_file: state file %s is not a piogate counter file (not JSON); piogate will not use or "
                          "overwrite it" % state_file, gw.stderr())
        with open(state_file) as f:
            self.assertEqual(f.read(), "my notes: meter read 1234 on Monday\n")

    def test_corrupted_state_file_is_a_warning_and_counting_starts_from_zero(self):
        directory = state_dir(self)
        state_file = os.path.join(directory, "counter-power.json")
        with open(state_file, "w") as f:
            f.write('{"piogate":"counter","version":1,"id":"power","cou')
        with Gateway() as gw:
            gw.start(self.counter_config(), extra_env={"STATE_DIRECTORY": directory})
            self.assertTrue(gw.wait_stderr("counter power: state file %s is not valid JSON (truncated?); counting "
                                           "starts from 0" % state_file), gw.stderr())
            self.assertTrue(gw.wait_for(lambda m: len(gw.on("counters/power")) >= 1, timeout=10))
            self.assertTrue(gw.wait_for(lambda m: (saved_count(state_file) or 0) > 0, timeout=10))  # replaced
            self.assertEqual(gw.stop(), 0)


class gateway_reload_pwm_counters(unittest.TestCase):
    def test_reload_keeps_updates_and_removes(self):
        directory = state_dir(self)
        state_file = os.path.join(directory, "counter-power.json")
        board = {"kind": "sim", "patterns": [{"line": "GPIO5", "toggle_every_ms": 50}]}
        counter = {"id": "power", "line": "GPIO5", "multiplier": 0.001, "interval_s": 1, "debounce_ms": 0}
        with Gateway(notify=True) as gw:
            gw.start({"board": board,
                      "pwm": [{"id": "fan", "channel": 0, "initial": 20, "failsafe": 5},
                              {"id": "led", "channel": 1, "initial": 50, "failsafe": 0}],
                      "counters": [counter]},
                     extra_env={"STATE_DIRECTORY": directory}, args=["--log-level", "debug"])
            self.assertTrue(gw.wait_notify("STATUS=broker connected to 127.0.0.1:%d; 0 sensors, 0 inputs, "
                                           "0 actuators, 2 PWM outputs, 1 counter" % gw.broker.port),
                            gw.notifications)
            totals = lambda: [m.json() for m in gw.on("counters/power")]
            self.assertTrue(gw.wait_for(lambda m: totals() and totals()[-1]["count"] >= 10, timeout=10))
            gw.observer.publish("gw/pwm/fan/set", "60", qos=1).wait_for_publish()
            self.assertTrue(gw.wait_for(lambda m: pwm_states(gw, "fan")[-1:] == [{"state": "ON", "duty": 60}]))
            before_reload = totals()[-1]["count"]
            gw.write_config({"board": board,
                             "pwm": [{"id": "fan", "channel": 0, "initial": 20, "failsafe": 5, "ramp_ms": 100}],
                             "counters": [dict(counter, multiplier=0.01)]})
            gw.signal(signal.SIGHUP)
            self.assertTrue(gw.wait_stderr("configuration reloaded"), gw.stderr())
            line = [l for l in gw.stderr_lines if "configuration reloaded" in l][-1]
            for change in ["pwm fan updated", "pwm led removed", "counter power restarted"]:
                self.assertIn(change, line)
            # The removed output went to its failsafe duty; the kept one did not move.
            self.assertTrue(gw.wait_for(lambda m: pwm_states(gw, "led")[-1:] == [{"state": "OFF", "duty": 0}]))
            self.assertEqual(pwm_states(gw, "fan")[-1], {"state": "ON", "duty": 60})
            self.assertNotIn("pwm fan: failsafe", gw.stderr())
            # The restarted counter went on from its saved count, with the new multiplier. The
            # save runs on the state-file worker, off the event loop: the file follows shortly.
            self.assertTrue(gw.wait_for(lambda m: (saved_count(state_file) or 0) >= before_reload, timeout=5),
                            saved_count(state_file))
            n = len(totals())
            self.assertTrue(gw.wait_for(lambda m: len(totals()) > n + 1, timeout=10))
            self.assertGreaterEqual(totals()[-1]["count"], before_reload)
            self.assertAlmostEqual(totals()[-1]["total"], totals()[-1]["count"] * 0.01, places=9)
            # The freed channel can be used again by a new entry.
            gw.write_config({"board": board,
                             "pwm": [{"id": "fan", "channel": 0, "initial": 20, "failsafe": 5, "ramp_ms": 100},
                                     {"id": "lamp", "channel": 1, "initial": 10}],
                             "counters": [dict(counter, multiplier=0.01)]})
            gw.signal(signal.SIGHUP)
            self.assertTrue(gw.wait_for(lambda m: pwm_states(gw, "lamp")[-1:] == [{"state": "ON", "duty": 10}]),
                            gw.stderr())
            self.assertEqual(gw.stop(), 0)


class gateway_discovery_pwm_counters(unittest.TestCase):
    def test_light_and_total_increasing_sensor(self):
        with Gateway() as gw:
            gw.connect_observer(["gw/#", "homeassistant/#"])
            gw.start({"board": {"kind": "sim"},
                      "pwm": [{"id": "fan", "channel": 0}, {"id": "heater", "channel": 1, "homeassistant": "number"}],
                      "counters": [{"id": "water", "line": "GPIO6", "unit": "L", "multiplier": 0.5, "rate_per": "min"},
                                   {"id": "gas", "line": "GPIO7", "unit": "m³", "device_class": "gas",
                                    "multiplier": 0.01}],
                      "homeassistant": {"enabled": True, "discovery": "entity"}})
            # Per-entity form (test_gateway_homeassistant covers the device form).
            configs = lambda: {m.topic: m.payload for m in gw.snapshot() if m.topic.startswith("homeassistant/")
                               and not m.topic.startswith("homeassistant/device/")}
            self.assertTrue(gw.wait_for(lambda m: len(configs()) >= 6, timeout=10), configs())
            by_name = {json.loads(p)["name"]: (t, json.loads(p)) for t, p in configs().items() if p}
            topic, light = by_name["fan"]
            self.assertTrue(topic.startswith("homeassistant/light/"), topic)
            self.assertEqual(light["command_topic"], "gw/pwm/fan/set")
            self.assertEqual(light["brightness_command_topic"], "gw/pwm/fan/set")
            self.assertEqual(light["brightness_scale"], 100)
            topic, number = by_name["heater"]
            self.assertTrue(topic.startswith("homeassistant/number/"), topic)
            self.assertEqual((number["min"], number["max"]), (0, 100))
            _, water = by_name["water total"]
            self.assertEqual((water["state_class"], water["device_class"], water["unit_of_measurement"]),
                             ("total_increasing", "water", "L"))
            _, rate = by_name["water rate"]
            self.assertEqual((rate["state_class"], rate["unit_of_measurement"]), ("measurement", "L/min"))
            _, gas = by_name["gas total"]
            self.assertEqual((gas["device_class"], gas["unit_of_measurement"]), ("gas", "m³"))
            # A HA brightness command (a number on the set topic) sets the duty.
            gw.observer.publish("gw/pwm/fan/set", "42", qos=1).wait_for_publish()
            self.assertTrue(gw.wait_for(lambda m: pwm_states(gw, "fan")[-1:] == [{"state": "ON", "duty": 42}]))
            self.assertEqual(gw.stop(), 0)


if __name__ == "__main__":
    unittest.main()
