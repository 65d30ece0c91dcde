# SPDX-License-Identifier: Apache-2.0
"""SIGHUP (systemctl reload) on the real binary: a good config is applied without touching what
did not change, a bad one is rejected with the running config kept; RELOADING=1 / READY=1 and
STATUS= through a NOTIFY_SOCKET the test creates; an MQTT change reconnects."""
import signal
import unittest

from gateway import Gateway

BOARD = {"kind": "sim", "i2c": [{"bus": 1, "devices": [
    {"model": "bme280", "address": "0x76", "temperature": 20.5},
    {"model": "sht3x", "address": "0x44", "temperature": 18, "humidity": 61}]}]}


def config(sensors, actuators, **mqtt):
    return {"mqtt": mqtt, "board": BOARD, "sensors": sensors, "actuators": actuators}


RELAY = {"id": "relay", "line": "GPIO22"}
INSIDE = {"id": "inside", "type": "bme280", "bus": 1, "interval_s": 0.2}
CELLAR = {"id": "cellar", "type": "sht3x", "bus": 1, "interval_s": 0.2}


class gateway_reload(unittest.TestCase):
    def test_good_bad_and_mqtt_reload(self):
        with Gateway(notify=True) as gw:
            gw.start(config([INSIDE], [RELAY]))
            self.assertTrue(gw.wait_notify("READY=1"))
            self.assertTrue(gw.wait_notify("STATUS=broker connected to 127.0.0.1:%d; 1 sensor, 0 inputs, 1 actuator"
                                           % gw.broker.port), gw.notifications)
            self.assertTrue(gw.wait_for(lambda m: gw.on("actuators/relay/state", m)))
            gw.command("relay", "ON")
            self.assertTrue(gw.wait_for(lambda m: [x.payload for x in gw.on("actuators/relay/state", m)] == ["OFF", "ON"]))

            # A good config: the relay is unchanged (keeps its line and level), a sensor is added.
            gw.notifications.clear()
            gw.write_config(config([INSIDE, CELLAR], [dict(RELAY, failsafe="OFF")]))
            gw.signal(signal.SIGHUP)
            self.assertTrue(gw.wait_notify("RELOADING=1"), gw.notifications)
            self.assertTrue(gw.wait_notify("READY=1"), gw.notifications)
            first = lambda state: next(i for i, n in enumerate(gw.notifications) if n.startswith(state))
            self.assertLess(first("RELOADING=1"), first("READY=1"))
            self.assertIn("MONOTONIC_USEC=", gw.notifications[first("RELOADING=1")])
            self.assertTrue(gw.wait_for(lambda m: gw.on("sensors/cellar", m)), gw.stderr())
            self.assertAlmostEqual(gw.on("sensors/cellar")[0].json()["humidity"], 61, delta=0.1)
            self.assertTrue(gw.wait_stderr("configuration reloaded"), gw.stderr())
            self.assertTrue(gw.wait_stderr("sensor cellar added"), gw.stderr())
            states = [x.payload for x in gw.on("actuators/relay/state")]
            self.assertNotIn("OFF", states[1:], states)  # no glitch: never went OFF
            self.assertTrue(gw.wait_notify("STATUS=broker connected to 127.0.0.1:%d; 2 sensors"
                                           % gw.broker.port), gw.notifications)

            # A bad config: rejected, named, the running one kept.
            gw.notifications.clear()
            gw.write_config(None, raw='{"sensors": [ {"id": "x", ]}')
            gw.signal(signal.SIGHUP)
            self.assertTrue(gw.wait_notify("READY=1"), gw.notifications)
            self.assertTrue(any(n.startswith("RELOADING=1") for n in gw.notifications), gw.notifications)
            self.assertTrue(gw.wait_stderr("new configuration rejected"), gw.stderr())
            self.assertRegex(gw.stderr(), r"config\.json:1:\d+")
            before = len(gw.on("sensors/cellar"))
            self.assertTrue(gw.wait_for(lambda m: len(gw.on("sensors/cellar", m)) > before + 2))
            gw.command("relay", "OFF")
            self.assertTrue(gw.wait_for(lambda m: gw.on("actuators/relay/state", m)[-1].payload == "OFF"))
            self.assertIsNone(gw.daemon.poll())

            # An invalid value (JSON path named), also rejected.
            gw.write_config(config([dict(INSIDE, interval_s=-1)], [RELAY]))
            gw.signal(signal.SIGHUP)
            self.assertTrue(gw.wait_stderr("/sensors/0/interval_s"), gw.stderr())

            # A new topic prefix: the client reconnects; offline on the old prefix, online on the new.
            gw.connect_observer(["gw/#", "gw2/#"])
            gw.write_config(config([INSIDE], [RELAY], topic_prefix="gw2"))
            gw.signal(signal.SIGHUP)
            self.assertTrue(gw.wait_for(lambda m: gw.on("sensors/inside", m, prefix="gw2")), (gw.stderr(), gw.snapshot()[-5:]))
            self.assertTrue(gw.wait_for(lambda m: [x.payload for x in gw.on("status", m, prefix="gw2")][-1:] == ["online"]))
            self.assertEqual([x.payload for x in gw.on("status")][-1], "offline")
            gw.command("relay", "ON")  # on the old prefix: nobody listens any more
            gw.observer.publish("gw2/actuators/relay/set", "ON", qos=1).wait_for_publish()
            self.assertTrue(gw.wait_for(lambda m: [x.payload for x in gw.on("actuators/relay/state", m, prefix="gw2")][-1:] == ["ON"]))

            self.assertEqual(gw.stop(), 0)

    def test_lines_that_move_between_channels(self):
        with Gateway() as gw:
            gw.start(config([], [RELAY, {"id": "fan", "line": "GPIO23", "failsafe": "OFF"}]))
            self.assertTrue(gw.wait_for(lambda m: gw.on("actuators/fan/state", m)))
            # The relay and the fan swap lines: both are released before either is requested.
            gw.write_config(config([], [dict(RELAY, line="GPIO23"), {"id": "fan", "line": "GPIO22"}]))
            gw.signal(signal.SIGHUP)
            self.assertTrue(gw.wait_stderr("configuration reloaded"), gw.stderr())
            self.assertTrue(gw.wait_stderr("actuator relay line settings changed"), gw.stderr())
            self.assertTrue(gw.wait_stderr("actuator fan line settings changed"), gw.stderr())
            self.assertNotIn("error", gw.stderr())
            for actuator in ("relay", "fan"):
                gw.command(actuator, "ON")
                self.assertTrue(gw.wait_for(
                    lambda m: [x.payload for x in gw.on("actuators/%s/state" % actuator, m)][-1:] == ["ON"]))
            self.assertEqual(gw.stop(), 0)


if __name__ == "__main__":
    unittest.main()
