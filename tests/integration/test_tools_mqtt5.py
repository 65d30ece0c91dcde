# SPDX-License-Identifier: Apache-2.0
"""piogate-pub / piogate-sub with MQTT 5.0 (-V 5): -D properties, -F property codes, sessions.

Independent peers are mosquitto_pub / mosquitto_sub 2.0 (-V 5 -D / -F); the broker is a real
mosquitto (tests/support/broker.py) with a verbose log. Usage errors for -D and -F exit 2 with
one line on stderr, as every other usage error of the tools.

Run by CTest with PIOGATE_BIN_DIR=build/src/tools and PYTHONPATH=tests/support.
"""

import json
import os
import shutil
import signal
import subprocess
import time
import unittest

from broker import Broker, free_loopback_port
from test_tools_cli import PUB, SUB, RUN_TIMEOUT, ToolTestCase

MOSQUITTO_PUB = shutil.which("mosquitto_pub")
MOSQUITTO_SUB = shutil.which("mosquitto_sub")

PROPERTY_CODES = "%C|%E|%F|%R|%D|%P|%p"


class Mqtt5CommandLineTest(ToolTestCase):
    """-V 5, -D and -F mistakes: exit 2 and one line naming the problem; no broker needed."""

    def bad(self, tool, *args, words=()):
        r = self.run_tool(tool, "-p", free_loopback_port(), *args)
        name = os.path.basename(tool)
        self.assert_one_error_line(r, name, 2, name + ": error: ", *words)
        self.assertEqual(r.stdout, b"")

    def test_d_needs_v5(self):
        self.bad(PUB, "-t", "a", "-m", "x", "-D", "publish", "content-type", "t", words=["-D", "-V 5"])
        self.bad(SUB, "-t", "a", "-V", "311", "-D", "connect", "receive-maximum", "5", words=["-V 5"])

    def test_property_on_the_wrong_command(self):
        self.bad(PUB, "-V", "5", "-t", "a", "-m", "x", "-D", "connect", "content-type", "t",
                 words=["'content-type' is not a property connect takes"])
        self.bad(PUB, "-V", "5", "-t", "a", "-m", "x", "-D", "publish", "session-expiry-interval", "1",
                 words=["'session-expiry-interval' is not a property publish takes"])
        self.bad(PUB, "-V", "5", "-t", "a", "-m", "x", "-D", "subscribe", "user-property", "k", "v",
                 words=["piogate-pub subscribes to nothing"])
        self.bad(SUB, "-V", "5", "-t", "a", "-D", "publish", "content-type", "t",
                 words=["piogate-sub publishes nothing"])
        self.bad(PUB, "-V", "5", "-t", "a", "-m", "x", "-D", "nonsense", "content-type", "t",
                 words=["unknown command 'nonsense'"])
        self.bad(PUB, "-V", "5", "-t", "a", "-m", "x", "-D", "publish", "topic-alias", "1",
                 words=["topic alias"])
        self.bad(PUB, "-V", "5", "-t", "a", "-m", "x", "-D", "will", "content-type", "t",
                 words=["--will-topic"])

    def test_bad_values(self):
        self.bad(PUB, "-V", "5", "-t", "a", "-m", "x", "-D", "publish", "message-expiry-interval", "soon",
                 words=["invalid value 'soon' for -D publish message-expiry-interval (must be 0..4294967295)"])
        self.bad(PUB, "-V", "5", "-t", "a", "-m", "x", "-D", "publish", "payload-format-indicator", "2",
                 words=["(must be 0..1)"])
        self.bad(SUB, "-V", "5", "-t", "a", "-D", "connect", "receive-maximum", "0", words=["(must be 1..65535)"])
        self.bad(SUB, "-V", "5", "-t", "a", "-D", "connect", "receive-maximum", "70000")
        r = subprocess.run([PUB, "-p", str(free_loopback_port()), "-V", "5", "-t", "a", "-m", b"\xff",
                            "-D", "publish", "payload-format-indicator", "1"], capture_output=True, timeout=RUN_TIMEOUT)
        self.assert_one_error_line(r, "piogate-pub", 2, "not UTF-8")
        self.bad(PUB, "-V", "5", "-t", "a", "-m", "x", "-D", "publish", "response-topic", "a/+",
                 words=["response-topic"])
        self.bad(PUB, "-V", "5", "-t", "a", "-m", "x", "-D", "publish", "user-property", "k",
                 words=["-D publish user-property needs a NAME and a VALUE"])
        self.bad(PUB, "-V", "5", "-t", "a", "-m", "x", "-D", "publish", words=["-D needs"])
        self.bad(SUB, "-V", "5", "-t", "a", "-D", "disconnect", "session-expiry-interval", "60",
                 words=["must be 0 when the session expires with the connection"])

    def test_bad_formats_and_versions(self):
        self.bad(SUB, "-t", "a", "-F", "%Q", words=["-F: invalid format specifier 'Q'"])
        self.bad(SUB, "-t", "a", "-F", "%t %", words=["-F: incomplete"])
        self.bad(SUB, "-t", "a", "-V", "6", words=["protocol version", "mqttv5"])

    def test_help_names_the_mqtt5_options(self):
        for tool in (PUB, SUB):
            text = " ".join(self.run_tool(tool, "--help").stdout.decode().split())
            self.assertIn("5 or mqttv5 (5.0)", text)
            self.assertIn("-D [ --property ] CMD PROP [NAME] VALUE", text)
        self.assertIn("%P user properties", " ".join(self.run_tool(SUB, "--help").stdout.decode().split()))


@unittest.skipUnless(MOSQUITTO_PUB and MOSQUITTO_SUB, "needs mosquitto_pub and mosquitto_sub")
class Mqtt5PropertiesTest(ToolTestCase):
    """Properties between our tools and mosquitto's, through a real broker."""

    @classmethod
    def setUpClass(cls):
        cls.broker = Broker()

    @classmethod
    def tearDownClass(cls):
        cls.broker.close()

    def wait_for_log(self, text, p=None, timeout=10):
        deadline = time.monotonic() + timeout
        while text not in self.broker.log():
            if p is not None and p.poll() is not None:
                self.fail(f"subscriber exited with {p.returncode}: {p.stderr.read().decode()}")
            if time.monotonic() > deadline:
                self.fail(f"{text!r} not in the broker's log within {timeout} s")
            time.sleep(0.01)

    def mosquitto_sub(self, client_id, *args):
        p = self.start(MOSQUITTO_SUB, "-p", self.broker.port, "-V", "5", "-i", client_id, *args)
        self.wait_for_log(f"Sending SUBACK to {client_id}", p)
        return p

    def pub(self, *args):
        r = self.run_tool(PUB, "-p", self.broker.port, "-V", "5", *args)
        self.assertEqual(r.returncode, 0, r.stderr.decode())
        self.assertEqual(r.stderr, b"")
        return r

    def test_pub_properties_reach_mosquitto_sub(self):
        sub = self.mosquitto_sub("m5-props", "-t", "m5/props", "-C", "1", "-F", PROPERTY_CODES)
        self.pub("-t", "m5/props", "-q", "1", "-m", '{"t":21.5}',
                 "-D", "publish", "content-type", "application/json",
                 "-D", "publish", "message-expiry-interval", "60",
                 "-D", "publish", "payload-format-indicator", "1",
                 "-D", "publish", "response-topic", "m5/reply",
                 "-D", "publish", "correlation-data", "req-7",
                 "-D", "publish", "user-property", "site", "garage",
                 "-D", "publish", "user-property", "site", "attic")
        code, out, err = self.finish(sub)
        self.assertEqual(code, 0, err.decode())
        fields = out.decode().rstrip("\n").split("|")
        self.assertEqual(fields[0], "application/json")
        self.assertIn(int(fields[1]), (59, 60))  # the broker passes on what is left
        self.assertEqual(fields[2:], ["1", "m5/reply", "req-7", "site:garage site:attic", '{"t":21.5}'])
        self.assertIn("(p5, c1, k60", self.broker.log())

    def test_line_that_is_not_utf8_is_refused_under_payload_format_indicator(self):
        sub = self.mosquitto_sub("m5-lines", "-t", "m5/lines", "-C", "2", "-F", "%F %p")
        r = self.run_tool(PUB, "-p", self.broker.port, "-V", "5", "-t", "m5/lines", "-q", "1", "-l",
                          "-D", "publish", "payload-format-indicator", "1", stdin=b"ok\n\xff\xfe\nfine\n")
        self.assert_one_error_line(r, "piogate-pub", 1, "not UTF-8")
        code, out, err = self.finish(sub)
        self.assertEqual(code, 0, err.decode())
        self.assertEqual(out, b"1 ok\n1 fine\n")

    def test_sub_prints_properties_from_mosquitto_pub(self):
        sub = self.start_sub(self.broker, "-V", "5", "-t", "m5/in", "-C", "2", "-q", "1",
                             "-F", PROPERTY_CODES + "|%q|%l|%x")
        r = subprocess.run([MOSQUITTO_PUB, "-p", str(self.broker.port), "-V", "5", "-t", "m5/in", "-q", "1",
                            "-m", "hello", "-D", "publish", "content-type", "text/plain",
                            "-D", "publish", "message-expiry-interval", "300",
                            "-D", "publish", "response-topic", "m5/back",
                            "-D", "publish", "correlation-data", "c1",
                            "-D", "publish", "payload-format-indicator", "1",
                            "-D", "publish", "user-property", "a", "1",
                            "-D", "publish", "user-property", "b", "2"],
                           capture_output=True, timeout=RUN_TIMEOUT)
        self.assertEqual(r.returncode, 0, r.stderr.decode())
        # A message without properties: every property code prints nothing.
        r = subprocess.run([MOSQUITTO_PUB, "-p", str(self.broker.port), "-V", "5", "-t", "m5/in", "-m", "bare"],
                           capture_output=True, timeout=RUN_TIMEOUT)
        self.assertEqual(r.returncode, 0, r.stderr.decode())
        code, out, err = self.finish(sub)
        self.assertEqual(code, 0, err.decode())
        lines = out.decode().splitlines()
        self.assertEqual(len(lines), 2, out)
        first = lines[0].split("|")
        self.assertEqual(first[0], "text/plain")
        self.assertIn(int(first[1]), (299, 300))
        self.assertEqual(first[2:], ["1", "m5/back", "c1", "a:1 b:2", "hello", "1", "5", "68656c6c6f"])
        self.assertEqual(lines[1], "||||||bare|0|4|62617265")

    def test_sub_json_output_carries_the_properties(self):
        sub = self.start_sub(self.broker, "-V", "5", "-t", "m5/json", "-C", "1", "-F", "%J")
        self.pub("-t", "m5/json", "-m", '{"v":1}', "-D", "publish", "content-type", "application/json",
                 "-D", "publish", "user-property", "k", "v")
        code, out, err = self.finish(sub)
        self.assertEqual(code, 0, err.decode())
        j = json.loads(out)
        self.assertEqual(j["topic"], "m5/json")
        self.assertEqual(j["payload"], {"v": 1})
        self.assertEqual(j["properties"], {"content-type": "application/json", "user-properties": {"k": "v"}})

    def test_subscription_identifier_and_subscribe_user_property(self):
        sub = self.start_sub(self.broker, "-V", "5", "-t", "m5/sid/#", "-C", "1", "-F", "%S %t",
                             "-D", "subscribe", "subscription-identifier", "42",
                             "-D", "subscribe", "user-property", "why", "test")
        self.pub("-t", "m5/sid/x", "-m", "x")
        code, out, err = self.finish(sub)
        self.assertEqual(code, 0, err.decode())
        self.assertEqual(out, b"42 m5/sid/x\n")

    def test_3_1_1_message_prints_empty_property_fields(self):
        sub = self.start_sub(self.broker, "-t", "m5/old", "-C", "1", "-F", "[%C|%E|%P]%p")
        r = self.run_tool(PUB, "-p", self.broker.port, "-t", "m5/old", "-m", "x")
        self.assertEqual(r.returncode, 0, r.stderr.decode())
        self.assertEqual(self.finish(sub)[1], b"[||]x\n")

    def test_will_properties(self):
        watcher = self.mosquitto_sub("m5-will-watch", "-t", "m5/will", "-C", "1", "-F", "%C|%P|%p")
        victim = self.start_sub(self.broker, "-V", "5", "-t", "m5/none", "--will-topic", "m5/will",
                                "--will-payload", "gone", "-D", "will", "content-type", "text/plain",
                                "-D", "will", "user-property", "who", "victim")
        victim.send_signal(signal.SIGKILL)
        code, out, err = self.finish(watcher)
        self.assertEqual(code, 0, err.decode())
        self.assertEqual(out, b"text/plain|who:victim|gone\n")

    def persistent_sub(self, client_id, *args):
        """piogate-sub with a persistent 5.0 session on m5/session/#, QoS 1; ends after -W 1."""
        return self.run_tool(SUB, "-p", self.broker.port, "-V", "5", "-c", "-i", client_id, "-q", "1",
                             "-t", "m5/session/" + client_id, "-W", "1", *args)

    def offline_message_reaches(self, client_id, *first_args):
        r = self.persistent_sub(client_id, *first_args)
        self.assertEqual(r.returncode, 27, r.stderr.decode())
        self.pub("-t", "m5/session/" + client_id, "-q", "1", "-m", "while away")
        r = self.run_tool(SUB, "-p", self.broker.port, "-V", "5", "-c", "-i", client_id, "-q", "1",
                          "-t", "m5/session/" + client_id, "-C", "1", "-W", "2")
        return r.returncode == 0 and r.stdout == b"while away\n"

    def test_session_expiry(self):
        # -c alone: the session never expires (as mosquitto's tools); an explicit interval keeps it
        # too; 0 ends it with the connection.
        self.assertTrue(self.offline_message_reaches("sx-default"))
        self.assertTrue(self.offline_message_reaches("sx-3600", "-D", "connect", "session-expiry-interval", "3600"))
        self.assertFalse(self.offline_message_reaches("sx-0", "-D", "connect", "session-expiry-interval", "0"))

    def test_session_expiry_0_in_the_disconnect_ends_the_session(self):
        self.assertFalse(self.offline_message_reaches("sx-disc", "-D", "connect", "session-expiry-interval", "3600",
                                                      "-D", "disconnect", "session-expiry-interval", "0"))


if __name__ == "__main__":
    unittest.main()
