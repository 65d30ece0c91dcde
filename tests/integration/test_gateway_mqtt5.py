# SPDX-License-Identifier: Apache-2.0
"""The daemon with "protocol": "5" against a real mosquitto.

An independent MQTT 5 subscriber (Debian's paho-mqtt 1.6.1, MQTTv5) sees the readings with
content type application/json and the sensor's expiry_s as the Message Expiry Interval, and the
state messages without them; commands still work; the broker's log shows protocol level 5; and
session_expiry_s is honoured: a QoS 1 command sent while the daemon is down reaches it after a
restart with a persistent session, and does not with a session that expires at once."""
import threading
import time
import unittest

import paho.mqtt.client as mqtt
from gateway import Gateway

BOARD = {"kind": "sim", "i2c": [{"bus": 1, "devices": [{"model": "bme280", "address": "0x76", "temperature": 20},
                                                        {"model": "bme280", "address": "0x77", "temperature": 5}]}]}


class Mqtt5Subscriber:
    """paho MQTTv5 subscriber recording (topic, payload, properties)."""

    def __init__(self, port, topic):
        self.messages, self.lock = [], threading.Lock()
        subscribed = threading.Event()
        self.client = mqtt.Client(client_id="observer5", protocol=mqtt.MQTTv5)
        self.client.on_message = self._record
        self.client.on_subscribe = lambda *a: subscribed.set()
        self.client.connect("127.0.0.1", port)
        self.client.subscribe(topic, qos=1)
        self.client.loop_start()
        if not subscribed.wait(5):
            raise RuntimeError("MQTT 5 observer: no SUBACK")

    def _record(self, client, userdata, msg):
        props = msg.properties
        with self.lock:
            self.messages.append((msg.topic, msg.payload.decode(errors="replace"),
                                  getattr(props, "ContentType", None),
                                  getattr(props, "MessageExpiryInterval", None)))

    def on(self, topic):
        with self.lock:
            return [m for m in self.messages if m[0] == topic]

    def wait_for(self, predicate, timeout=10):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return True
            time.sleep(0.02)
        return False

    def close(self):
        self.client.loop_stop()
        self.client.disconnect()


class gateway_mqtt5(unittest.TestCase):
    def test_readings_carry_content_type_and_expiry(self):
        with Gateway() as gw:
            observer = Mqtt5Subscriber(gw.broker.port, "gw/#")
            try:
                gw.start({"mqtt": {"protocol": "5", "client_id": "gw5"}, "board": BOARD,
                          "sensors": [{"id": "air", "type": "bme280", "bus": 1, "interval_s": 0.3, "expiry_s": 30},
                                      {"id": "plain", "type": "bme280", "bus": 1, "address": "0x77",
                                       "interval_s": 0.3}],
                          "actuators": [{"id": "pump", "line": "GPIO22"}]})
                self.assertTrue(observer.wait_for(lambda: len(observer.on("gw/sensors/air")) >= 3), gw.stderr())
                for topic, payload, content_type, expiry in observer.on("gw/sensors/air"):
                    self.assertEqual(content_type, "application/json")
                    self.assertIn(expiry, (29, 30))  # what is left when the broker passes it on
                    self.assertIn("temperature", payload)
                self.assertIn("(p5, c1, k60)", gw.broker.log())
                # State messages are not JSON: no content type, no expiry.
                self.assertTrue(observer.wait_for(lambda: observer.on("gw/status")))
                self.assertEqual(observer.on("gw/status")[0][1:], ("online", None, None))
                # A sensor without expiry_s: content type only.
                self.assertTrue(observer.wait_for(lambda: observer.on("gw/sensors/plain")))
                self.assertEqual(observer.on("gw/sensors/plain")[0][2:], ("application/json", None))
                # Commands still work, and the 3.1.1 observer sees the readings too.
                gw.command("pump", "ON")
                self.assertTrue(observer.wait_for(
                    lambda: [m[1] for m in observer.on("gw/actuators/pump/state")][-1:] == ["ON"]))
                self.assertTrue(gw.on("sensors/air"))
                self.assertEqual(gw.stop(), 0)
            finally:
                observer.close()

    def queued_command_reaches_restarted_daemon(self, mqtt_section):
        with Gateway() as gw:
            config = {"mqtt": dict({"protocol": "5", "client_id": "gw5-session", "clean_session": False},
                                   **mqtt_section),
                      "board": {"kind": "sim"}, "actuators": [{"id": "pump", "line": "GPIO22"}]}
            gw.start(config)
            self.assertTrue(gw.wait_for(lambda m: [x.payload for x in gw.on("actuators/pump/state", m)] == ["OFF"]))
            self.assertEqual(gw.stop(), 0)
            self.assertIn("(p5, c0, k60)", gw.broker.log())
            gw.command("pump", "ON")  # QoS 1, while the daemon is away
            gw.start(config)
            # The restart announces OFF again; the queued command then switches it ON.
            self.assertTrue(gw.wait_for(lambda m: len(gw.on("actuators/pump/state", m)) >= 2))
            got_on = gw.wait_for(lambda m: "ON" in [x.payload for x in gw.on("actuators/pump/state", m)],
                                 timeout=3)
            self.assertEqual(gw.stop(), 0)
            return got_on

    def test_session_expiry_keeps_the_session_across_a_restart(self):
        self.assertTrue(self.queued_command_reaches_restarted_daemon({"session_expiry_s": 600}))
        # Default with clean_session false: never expires, as a 3.1.1 persistent session.
        self.assertTrue(self.queued_command_reaches_restarted_daemon({}))

    def test_session_expiry_0_ends_the_session_with_the_connection(self):
        self.assertFalse(self.queued_command_reaches_restarted_daemon({"session_expiry_s": 0}))


if __name__ == "__main__":
    unittest.main()
