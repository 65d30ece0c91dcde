# SPDX-License-Identifier: Apache-2.0
"""Filters and precision end to end: the real daemon on the simulated board publishes through a
real mosquitto to a paho subscriber.

The demo's BME280 (19.0 °C, 40 %RH set on the simulated chip, which the compensation returns as
18.9997... and 39.9951171875) is published as 19.0 and 40.0, in the payload's text, not just
as a nearby number; an SHT3x with an offset and a sliding average publishes the shifted mean
once per window; "precision": 0 prints integers; Home Assistant discovery carries
suggested_display_precision; a reload that changes only the filters and the precision applies
them to the readings and the discovery."""
import json
import re
import signal
import unittest

from gateway import Gateway

BOARD = {"kind": "sim", "i2c": [{"bus": 1, "devices": [
    {"model": "bme280", "address": "0x76", "temperature": 19.0, "humidity": 40, "pressure": 1013.25},
    {"model": "sht3x", "address": "0x44", "temperature": 22.0, "humidity": 55}]}]}


def numbers(payload):
    """The number literals of a JSON payload, as written: {"humidity": "40.0", ...}."""
    return dict(re.findall(r'"([a-z0-9_]+)":(-?[0-9][0-9.eE+-]*)', payload))


class gateway_filters(unittest.TestCase):
    def test_rounded_values_and_a_filter_chain(self):
        with Gateway() as gw:
            gw.connect_observer(["gw/#", "homeassistant/#"])
            gw.start({
                "mqtt": {"client_id": "gw-filters"},
                "board": BOARD,
                "homeassistant": {"discovery": "entity"},
                "sensors": [
                    {"id": "living_room", "type": "bme280", "bus": 1, "interval_s": 0.2},
                    {"id": "kitchen", "type": "sht3x", "bus": 1, "interval_s": 0.2,
                     "filters": [{"offset": -0.5}, {"sliding_average": {"window": 3, "send_every": 3}}],
                     "precision": {"humidity": 0}}]})
            self.assertTrue(gw.wait_for(lambda m: len(gw.on("sensors/living_room", m)) >= 4
                                        and len(gw.on("sensors/kitchen", m)) >= 4, timeout=15), gw.snapshot())

            for m in gw.on("sensors/living_room"):
                text = numbers(m.payload)
                # Exactly as a user expects, not 39.9951171875 / 18.999771114671546.
                self.assertEqual(text["humidity"], "40.0", m.payload)
                self.assertEqual(text["temperature"], "19.0", m.payload)
                self.assertRegex(text["pressure"], r"^101[0-9]\.[0-9]{1,3}$", m.payload)

            kitchen = gw.on("sensors/kitchen")
            for m in kitchen:
                text = numbers(m.payload)
                # 22.0 on the chip, -0.5 by the offset; the mean of three equal samples is that.
                self.assertAlmostEqual(float(text["temperature"]), 21.5, delta=0.02, msg=m.payload)
                self.assertLessEqual(len(text["temperature"].split(".")[1]), 2, m.payload)
                self.assertRegex(text["humidity"], r"^5[45]$", m.payload)  # about 54.5 at 0 decimals: an integer
            # One message per window of three readings: the first after one sample (send_first_at 1),
            # then every 3 x 0.2 s.
            gaps = [b.at - a.at for a, b in zip(kitchen, kitchen[1:])]
            self.assertTrue(all(0.4 < g < 0.9 for g in gaps), gaps)
            readings_gaps = [b.at - a.at for a, b in zip(gw.on("sensors/living_room"), gw.on("sensors/living_room")[1:])]
            self.assertTrue(all(g < 0.4 for g in readings_gaps), readings_gaps)

            # Home Assistant shows as many decimals as are published. (The per-entity configs come
            # after the hand-over of the device topic: 2 s after the connect.)
            self.assertTrue(gw.wait_for(lambda m: any('"kitchen humidity"' in x.payload for x in m)), gw.snapshot())
            configs = {x.topic: json.loads(x.payload) for x in gw.snapshot()
                       if x.topic.startswith("homeassistant/") and x.topic.endswith("/config") and x.payload}
            precision = {c["name"]: c.get("suggested_display_precision") for c in configs.values()
                         if c.get("state_topic", "").endswith("/sensors/living_room")
                         or c.get("state_topic", "").endswith("/sensors/kitchen")}
            self.assertEqual(precision["living_room temperature"], 2, precision)
            self.assertEqual(precision["living_room humidity"], 2, precision)
            self.assertEqual(precision["kitchen humidity"], 0, precision)
            self.assertEqual(gw.stop(), 0)

    def test_reload_applies_new_filters_and_precision(self):
        # SIGHUP with only the filters and the precision changed: the sensor is rebuilt with
        # them (its config differs), the next readings and the discovery carry them.
        def config(**keys):
            return {"mqtt": {"client_id": "gw-filters-reload"}, "board": BOARD, "homeassistant": {"discovery": "entity"},
                    "sensors": [dict({"id": "living_room", "type": "bme280", "bus": 1, "interval_s": 0.2}, **keys)]}

        def display_precision(m, quantity):
            topics = [x for x in gw.snapshot() if x.topic.startswith("homeassistant/") and x.payload
                      and json.loads(x.payload).get("name") == "living_room " + quantity]
            return json.loads(topics[-1].payload).get("suggested_display_precision") if topics else None

        with Gateway() as gw:
            gw.connect_observer(["gw/#", "homeassistant/#"])
            gw.start(config())
            self.assertTrue(gw.wait_for(lambda m: gw.on("sensors/living_room", m)), gw.snapshot())
            self.assertEqual(numbers(gw.on("sensors/living_room")[-1].payload)["humidity"], "40.0")
            self.assertTrue(gw.wait_for(lambda m: display_precision(m, "humidity") == 2), gw.snapshot())

            gw.write_config(config(filters={"temperature": [{"offset": 1}]}, precision={"humidity": 0}))
            gw.signal(signal.SIGHUP)
            self.assertTrue(gw.wait_for(lambda m: any(numbers(x.payload).get("humidity") == "40"
                                                      for x in gw.on("sensors/living_room", m))), gw.snapshot())
            after = [x for x in gw.on("sensors/living_room") if numbers(x.payload)["humidity"] == "40"]
            for m in after:
                self.assertEqual(numbers(m.payload)["temperature"], "20.0", m.payload)  # 19.0 + 1
            self.assertTrue(gw.wait_for(lambda m: display_precision(m, "humidity") == 0), gw.snapshot())
            self.assertEqual(display_precision(None, "temperature"), 2)
            self.assertEqual(gw.stop(), 0)


if __name__ == "__main__":
    unittest.main()
