# SPDX-License-Identifier: Apache-2.0
"""Home Assistant discovery from the real binary: retained config messages for sensors, inputs
and actuators in one device, availability on PREFIX/status, re-announced when Home Assistant
says online, removed on reload when a channel goes away; in both forms (one message per entity,
one per device) and the hand-over from the first to the second (migrate_discovery, the device
message with the same unique ids, then the old topics cleared)."""
import json
import signal
import time
import unittest

from gateway import Gateway

BOARD = {"kind": "sim", "i2c": [{"bus": 1, "devices": [
    {"model": "bme280", "address": "0x76"}, {"model": "bh1750", "address": "0x23"}]}]}


def config(sensors, discovery=None):
    return {"board": BOARD, "homeassistant": {"discovery": discovery} if discovery else {},
            "sensors": sensors,
            "inputs": [{"id": "door", "line": "GPIO17", "device_class": "door"}],
            "actuators": [{"id": "pump", "line": "GPIO22"}]}


BME = {"id": "inside", "type": "bme280", "bus": 1, "interval_s": 1}
LIGHT = {"id": "light", "type": "bh1750", "bus": 1, "interval_s": 1}


class gateway_homeassistant(unittest.TestCase):
    def run_entity_form(self, gw):
        """Runs the daemon once with per-entity discovery and stops it; returns the six config
        topics it left retained, each with its unique_id."""
        gw.connect_observer(["homeassistant/#"])
        gw.start(config([BME, LIGHT], "entity"))
        entity_configs = lambda m: [x for x in m if x.payload and "unique_id" in x.payload
                                    and not x.topic.startswith("homeassistant/device/")]
        self.assertTrue(gw.wait_for(lambda m: len(entity_configs(m)) >= 6, timeout=15), gw.stderr())
        time.sleep(0.3)
        old = {x.topic: x.json()["unique_id"] for x in entity_configs(gw.snapshot())}
        self.assertEqual(len(old), 6)
        self.assertEqual(gw.stop(), 0)
        return old

    def test_entity_discovery(self):
        with Gateway() as gw:
            gw.connect_observer(["gw/#", "homeassistant/#"])
            gw.start(config([BME, LIGHT], "entity"))
            configs = lambda m: [x for x in m if x.topic.startswith("homeassistant/") and x.topic.endswith("/config")
                                 and not x.topic.startswith("homeassistant/device/")]
            # 3 BME280 quantities + illuminance + the door + the pump
            self.assertTrue(gw.wait_for(lambda m: len(configs(m)) >= 6), gw.stderr())
            time.sleep(0.3)
            first = {x.topic: x.json() for x in configs(gw.snapshot())}
            self.assertEqual(len(first), 6, sorted(first))
            by_component = {}
            for topic, payload in first.items():
                by_component.setdefault(topic.split("/")[1], []).append(payload)
                self.assertEqual(payload["availability_topic"] if "availability_topic" in payload
                                 else payload["availability"][0]["topic"], "gw/status")
                self.assertTrue(payload["unique_id"].startswith("piogate_"), payload)
                self.assertRegex(payload["default_entity_id"], r"^%s\.piogate(_[a-z0-9]+)+$" % topic.split("/")[1])
            self.assertEqual(sorted(by_component), ["binary_sensor", "sensor", "switch"])
            self.assertEqual(len({json.dumps(p["device"], sort_keys=True) for p in first.values()}), 1)
            temps = [p for p in by_component["sensor"] if p.get("device_class") == "temperature"]
            self.assertEqual(len(temps), 1)
            self.assertEqual(temps[0]["state_topic"], "gw/sensors/inside")
            self.assertEqual(temps[0]["unit_of_measurement"], "°C")
            self.assertEqual(temps[0]["state_class"], "measurement")
            self.assertIn("value_json", temps[0]["value_template"])
            door = by_component["binary_sensor"][0]
            self.assertEqual((door["state_topic"], door["device_class"]), ("gw/inputs/door", "door"))
            pump = by_component["switch"][0]
            self.assertEqual((pump["command_topic"], pump["state_topic"]),
                             ("gw/actuators/pump/set", "gw/actuators/pump/state"))
            # The configs are retained: a late subscriber (Home Assistant starting later) gets them.
            gw.connect_observer(["gw/#", "homeassistant/#"])
            self.assertTrue(gw.wait_for(lambda m: len([x for x in configs(m) if x.retain]) == 6))

            # Home Assistant restarts: "online" on its status topic -> announced again.
            count = len(configs(gw.snapshot()))
            gw.observer.publish("homeassistant/status", "online", qos=1).wait_for_publish()
            self.assertTrue(gw.wait_for(lambda m: len(configs(m)) >= count + 6))
            gw.observer.publish("homeassistant/status", "offline", qos=1).wait_for_publish()
            time.sleep(0.3)
            self.assertEqual(len(configs(gw.snapshot())), count + 6)

            # Reload without the light sensor: its entity is removed (empty retained config).
            light_topics = [t for t, p in first.items() if p["state_topic"] == "gw/sensors/light"]
            self.assertEqual(len(light_topics), 1)
            gw.write_config(config([BME]))
            gw.signal(signal.SIGHUP)
            self.assertTrue(gw.wait_for(lambda m: any(x.topic == light_topics[0] and x.payload == "" for x in m)),
                            gw.stderr())

            # Stable ids: a restart announces the very same topics and unique ids.
            self.assertEqual(gw.stop(), 0)
            gw.messages.clear()
            gw.start(config([BME, LIGHT], "entity"))
            self.assertTrue(gw.wait_for(lambda m: len(configs(m)) >= 6))
            time.sleep(0.3)
            again = {x.topic: x.json()["unique_id"] for x in configs(gw.snapshot()) if x.payload}
            self.assertEqual(again, {t: p["unique_id"] for t, p in first.items()})
            self.assertEqual(gw.stop(), 0)

    def test_device_discovery(self):
        with Gateway() as gw:
            gw.connect_observer(["gw/#", "homeassistant/#"])
            gw.start(config([BME, LIGHT]))  # "device" is the default
            devices = lambda m: [x for x in m if x.topic.startswith("homeassistant/device/") and x.payload
                                 and "cmps" in x.json()]
            self.assertTrue(gw.wait_for(lambda m: devices(m), timeout=15), gw.stderr())
            first = devices(gw.snapshot())[0]
            self.assertRegex(first.topic, r"^homeassistant/device/piogate_[0-9a-f]{16}/config$")
            p = first.json()
            uid = first.topic.split("/")[2]
            self.assertEqual(p["dev"]["identifiers"], [uid])
            self.assertEqual(p["o"]["name"], "piogate")
            self.assertIn("support_url", p["o"])
            self.assertEqual((p["availability_topic"], p["payload_available"], p["payload_not_available"]),
                             ("gw/status", "online", "offline"))
            cmps = p["cmps"]
            self.assertEqual(len(cmps), 6, sorted(cmps))
            self.assertEqual(sorted(c["p"] for c in cmps.values()),
                             ["binary_sensor", "sensor", "sensor", "sensor", "sensor", "switch"])
            for cid, c in cmps.items():
                self.assertEqual(c["unique_id"], uid + "_" + cid)
                self.assertEqual(c["qos"], 1)
                self.assertTrue(c["default_entity_id"].startswith(c["p"] + ".piogate_"), c)
            self.assertEqual(cmps["inside_temperature"]["state_topic"], "gw/sensors/inside")
            self.assertEqual(cmps["door"]["device_class"], "door")
            # No per-entity config stays retained; a late subscriber (Home Assistant starting
            # later) gets the one device message.
            gw.messages.clear()
            gw.connect_observer(["homeassistant/#"])
            time.sleep(0.5)
            retained = [x for x in gw.snapshot() if x.retain and x.topic.endswith("/config")]
            self.assertEqual([x.topic for x in retained], [first.topic])
            self.assertEqual(retained[0].json(), p)

            # Home Assistant restarts: the device message again, and no second hand-over.
            gw.connect_observer(["gw/#", "homeassistant/#"])
            gw.messages.clear()
            time.sleep(0.3)
            gw.messages.clear()
            gw.observer.publish("homeassistant/status", "online", qos=1).wait_for_publish()
            self.assertTrue(gw.wait_for(lambda m: [x for x in devices(m) if not x.retain]))
            time.sleep(0.3)
            self.assertFalse([x for x in gw.snapshot() if "migrate_discovery" in x.payload])

            # Reload without the light sensor: the device message shrinks, its component
            # reduced to its platform.
            gw.messages.clear()
            gw.write_config(config([BME]))
            gw.signal(signal.SIGHUP)
            self.assertTrue(gw.wait_for(lambda m: devices(m)), gw.stderr())
            after = devices(gw.snapshot())[-1].json()["cmps"]
            self.assertEqual(after["light_illuminance"], {"p": "sensor"})
            self.assertEqual(len([c for c in after.values() if "unique_id" in c]), 5)
            self.assertEqual(gw.stop(), 0)

    def test_migration_from_entity_to_device(self):
        with Gateway() as gw:
            old = self.run_entity_form(gw)

            # The same config with device-based discovery: every old topic gets migrate_discovery,
            # then the device message comes with the same unique ids, then the old topics are
            # cleared, in that order.
            gw.messages.clear()
            gw.start(config([BME, LIGHT], "device"))
            cleared = lambda m: {x.topic for x in m if x.topic in old and x.payload == ""}
            self.assertTrue(gw.wait_for(lambda m: cleared(m) == set(old), timeout=15), gw.stderr())
            time.sleep(0.3)
            ms = gw.snapshot()
            index = {}
            for i, x in enumerate(ms):
                if x.topic in old and x.payload:
                    self.assertEqual(json.loads(x.payload), {"migrate_discovery": True}, x)
                    index.setdefault(x.topic, []).append(("migrate", i))
                elif x.topic in old:
                    index.setdefault(x.topic, []).append(("clear", i))
            device = [i for i, x in enumerate(ms) if x.topic.startswith("homeassistant/device/") and x.payload
                      and "cmps" in x.json()]
            self.assertEqual(len(device), 1, ms)
            for topic, steps in index.items():
                self.assertEqual([s[0] for s in steps], ["migrate", "clear"], (topic, steps))
                self.assertLess(steps[0][1], device[0])
                self.assertGreater(steps[1][1], device[0])
            cmps = ms[device[0]].json()["cmps"]
            self.assertEqual(sorted(c["unique_id"] for c in cmps.values()), sorted(old.values()))
            # Only the device message is retained now.
            gw.messages.clear()
            gw.connect_observer(["homeassistant/#"])
            time.sleep(0.5)
            self.assertEqual([x.topic for x in gw.snapshot() if x.retain and x.payload],
                             [ms[device[0]].topic])
            self.assertEqual(gw.stop(), 0)

            # A restart hands over once more (the old topics are not known after a restart):
            # bounded, one migrate and one clear per old topic.
            gw.connect_observer(["homeassistant/#"])
            gw.messages.clear()
            gw.start(config([BME, LIGHT], "device"))
            self.assertTrue(gw.wait_for(lambda m: cleared(m) == set(old), timeout=15), gw.stderr())
            time.sleep(0.5)
            per_topic = {}
            for x in gw.snapshot():
                if x.topic in old:
                    per_topic[x.topic] = per_topic.get(x.topic, 0) + 1
            self.assertEqual(per_topic, {t: 2 for t in old})
            self.assertEqual(gw.stop(), 0)

    def test_a_stop_during_the_hand_over_finishes_it(self):
        # SIGTERM in the 2 s between migrate_discovery (Home Assistant unloads the old entities)
        # and the new form: the stop publishes the device message and clears the old topics
        # before "offline", so Home Assistant is not left without the entities until a restart.
        with Gateway() as gw:
            old = set(self.run_entity_form(gw))

            gw.messages.clear()
            gw.start(config([BME, LIGHT], "device"))
            migrating = lambda m: {x.topic for x in m if x.topic in old and x.payload}
            self.assertTrue(gw.wait_for(lambda m: migrating(m) == old, timeout=15), gw.stderr())
            self.assertEqual(gw.stop(), 0)  # well within the 2 s pause
            time.sleep(0.5)
            gw.messages.clear()
            gw.connect_observer(["homeassistant/#"])
            time.sleep(0.5)
            retained = [x for x in gw.snapshot() if x.retain and x.payload]
            self.assertEqual([x.topic for x in retained if x.topic in old], [])
            self.assertEqual(len([x for x in retained if x.topic.startswith("homeassistant/device/")
                                  and "cmps" in x.json()]), 1, retained)


if __name__ == "__main__":
    unittest.main()
