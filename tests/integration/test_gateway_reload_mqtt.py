# SPDX-License-Identifier: Apache-2.0
"""Reloads that change the mqtt section: the broker the gateway leaves does not keep it
"online"; with a persistent session no command is lost in a burst of reloads."""
import os
import signal
import threading
import time
import unittest

import paho.mqtt.client as mqtt
from broker import Broker
from gateway import Gateway

RELAY = {"id": "relay", "line": "GPIO22"}


def retained(port, topic, timeout=5):
    """The retained payload on `topic` at the broker on `port` (None when there is none)."""
    got, done = [], threading.Event()
    c = mqtt.Client(client_id="peek-%d" % os.getpid())
    c.on_message = lambda cl, u, m: (got.append(m.payload.decode()), done.set())
    c.on_subscribe = lambda *a: threading.Timer(0.5, done.set).start()
    c.connect("127.0.0.1", port)
    c.subscribe(topic, 1)
    c.loop_start()
    done.wait(timeout)
    c.loop_stop()
    c.disconnect()
    return got[0] if got else None


def transitions(payloads):
    """The state changes in a sequence of state messages (repeats collapsed)."""
    out = []
    for p in payloads:
        if not out or out[-1] != p:
            out.append(p)
    return out


class gateway_reload_mqtt(unittest.TestCase):
    def test_leaving_a_broker_says_offline_there(self):
        with Gateway() as gw, Broker() as other:
            gw.start({"board": {"kind": "sim"}, "actuators": [RELAY]})
            self.assertTrue(gw.wait_for(lambda m: [x.payload for x in gw.on("status", m)][-1:] == ["online"]))
            gw.write_config({"mqtt": {"port": other.port}, "board": {"kind": "sim"}, "actuators": [RELAY]})
            gw.signal(signal.SIGHUP)
            self.assertTrue(gw.wait_for(lambda m: [x.payload for x in gw.on("status", m)][-1:] == ["offline"]),
                            gw.stderr())
            self.assertTrue(gw.wait_stderr("configuration reloaded"), gw.stderr())
            deadline = time.monotonic() + 5
            while retained(other.port, "gw/status") != "online" and time.monotonic() < deadline:
                time.sleep(0.1)
            self.assertEqual(retained(other.port, "gw/status"), "online")
            self.assertEqual(retained(gw.broker.port, "gw/status"), "offline")
            self.assertEqual(gw.stop(), 0)

    def test_no_command_lost_in_a_burst_of_reloads_with_a_persistent_session(self):
        with Gateway() as gw:
            def cfg(keepalive):
                return {"mqtt": {"client_id": "gw-reload-test", "clean_session": False,
                                 "keepalive_s": keepalive},
                        "board": {"kind": "sim"}, "actuators": [RELAY]}
            gw.start(cfg(30))
            self.assertTrue(gw.wait_for(lambda m: gw.on("actuators/relay/state", m)))
            commands = 120
            stop = threading.Event()

            def reload_burst():
                n = 0
                while not stop.is_set() and n < 40:  # bounded
                    gw.write_config(cfg(30 + n % 2 + 1))
                    gw.signal(signal.SIGHUP)
                    n += 1
                    time.sleep(0.1)

            reloader = threading.Thread(target=reload_burst)
            reloader.start()
            for i in range(commands):
                gw.observer.publish("gw/actuators/relay/set", "ON" if i % 2 == 0 else "OFF", qos=1)
                time.sleep(0.02)
            stop.set()
            reloader.join()
            want = ["OFF"] + ["ON", "OFF"] * (commands // 2)
            self.assertTrue(gw.wait_for(lambda m: transitions([x.payload for x in gw.on("actuators/relay/state", m)]) == want,
                                        timeout=15),
                            "%d state changes for %d commands\n%s" % (
                                len(transitions([x.payload for x in gw.on("actuators/relay/state")])) - 1, commands,
                                gw.stderr()[-3000:]))
            self.assertTrue(gw.wait_stderr("mqtt settings changed"), gw.stderr())
            self.assertEqual(gw.stop(), 0)


if __name__ == "__main__":
    unittest.main()
