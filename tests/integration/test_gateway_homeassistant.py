"""Home Assistant discovery from the real binary: retained config messages for sensors, inputs
and actuators in one device, availability on PREFIX/status, re-announced when Home Assistant
says online, removed on reload when a channel goes away."""
import json
import signal
import time
import unittest

from gateway import Gateway

BOARD = {"kind": "sim", "i2c": [{"bus": 1, "devices": [
    {"model": "bme280", "address": "0x76"}, {"model": "bh1750", "address": "0x23"}]}]}


def config(sensors):
    return {"board": BOARD, "homeassistant": {},
            "sensors": sensors,
            "inputs": [{"id": "door", "line": "GPIO17", "device_class": "door"}],
            "actuators": [{"id": "pump", "line": "GPIO22"}]}


BME = {"id": "inside", "type": "bme280", "bus": 1, "interval_s": 1}
LIGHT = {"id": "light", "type": "bh1750", "bus": 1, "interval_s": 1}


class gateway_homeassistant(unittest.TestCase):
    def test_discovery(self):
        with Gateway() as gw:
            gw.connect_observer(["gw/#", "homeassistant/#"])
            gw.start(config([BME, LIGHT]))
            configs = lambda m: [x for x in m if x.topic.startswith("homeassistant/") and x.topic.endswith("/config")]
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
            gw.start(config([BME, LIGHT]))
            self.assertTrue(gw.wait_for(lambda m: len(configs(m)) >= 6))
            time.sleep(0.3)
            again = {x.topic: x.json()["unique_id"] for x in configs(gw.snapshot()) if x.payload}
            self.assertEqual(again, {t: p["unique_id"] for t, p in first.items()})
            self.assertEqual(gw.stop(), 0)


if __name__ == "__main__":
    unittest.main()
