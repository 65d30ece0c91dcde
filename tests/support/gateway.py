# SPDX-License-Identifier: Apache-2.0
"""The daemon under test: a real mosquitto, the real piogate binary with a generated config,
a paho observer subscribed to the gateway's topics, and an optional NOTIFY_SOCKET.

    with Gateway() as gw:
        gw.start({...config without mqtt host/port...})
        gw.wait_for(lambda msgs: ...)
"""
import json
import os
import signal
import socket
import subprocess
import tempfile
import threading
import time

import paho.mqtt.client as mqtt
from broker import Broker

PIOGATE = os.environ.get("PIOGATE_DAEMON", "build/src/piogate")


class Message:
    __slots__ = ("topic", "payload", "retain", "qos", "at")

    def __init__(self, msg):
        self.topic, self.payload = msg.topic, msg.payload.decode(errors="replace")
        self.retain, self.qos, self.at = bool(msg.retain), msg.qos, time.monotonic()

    def json(self):
        return json.loads(self.payload)

    def __repr__(self):
        return "%s %r%s" % (self.topic, self.payload, " (retained)" if self.retain else "")


class Gateway:
    def __init__(self, prefix="gw", notify=False, **broker_options):
        self.prefix = prefix
        self.broker = Broker(**broker_options)
        self.dir = tempfile.mkdtemp(prefix="piogate-gw-")
        self.config_path = os.path.join(self.dir, "config.json")
        self.messages, self.lock = [], threading.Lock()
        self.daemon, self.stderr_lines, self._stderr_thread = None, [], None
        self.notify_sock, self.notifications = None, []
        if notify:
            path = os.path.join(self.dir, "notify.sock")
            self.notify_sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
            self.notify_sock.bind(path)
            self.notify_sock.settimeout(0.05)
            self.notify_path = path
        self.observer = None
        self.connect_observer()

    # -- lifetime ------------------------------------------------------------------

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        if self.daemon and self.daemon.poll() is None:
            self.daemon.kill()
            self.daemon.wait()
        if self.observer:
            self.observer.loop_stop()
            self.observer.disconnect()
        if self.notify_sock:
            self.notify_sock.close()
        self.broker.close()
        subprocess.run(["rm", "-rf", self.dir], check=False)

    def connect_observer(self, topics=None):
        """(Re)connects the observer and waits for its SUBACK."""
        if self.observer:
            self.observer.loop_stop()
        subscribed = threading.Event()
        c = mqtt.Client(client_id="observer-%d" % os.getpid())
        c.on_message = lambda client, userdata, msg: self._record(msg)
        c.on_subscribe = lambda *a: subscribed.set()
        c.connect("127.0.0.1", self.broker.port)
        c.subscribe([(t, 2) for t in (topics or [self.prefix + "/#"])])
        c.loop_start()
        if not subscribed.wait(5):
            raise RuntimeError("observer: no SUBACK")
        self.observer = c

    def _record(self, msg):
        with self.lock:
            self.messages.append(Message(msg))

    # -- the daemon ----------------------------------------------------------------

    def write_config(self, config, raw=None):
        """Writes `config` (mqtt host, port and prefix filled in), or `raw` text verbatim."""
        if raw is not None:
            with open(self.config_path, "w") as f:
                f.write(raw)
            return
        config = json.loads(json.dumps(config))
        mqtt_section = config.setdefault("mqtt", {})
        if "hosts" not in mqtt_section and mqtt_section.get("transport") != "unix":
            # a list of brokers names its own; a Unix socket has no host
            mqtt_section.setdefault("host", "127.0.0.1")
            mqtt_section.setdefault("port", self.broker.port)
        mqtt_section.setdefault("topic_prefix", self.prefix)
        with open(self.config_path, "w") as f:
            f.write(json.dumps(config))

    def start(self, config, extra_env=None, args=()):
        self.write_config(config)
        env = dict(os.environ, **(extra_env or {}))
        if self.notify_sock:
            env["NOTIFY_SOCKET"] = self.notify_path
        self.stderr_lines = []
        self.daemon = subprocess.Popen([PIOGATE, "-c", self.config_path, *args], env=env,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        self._stderr_thread = threading.Thread(target=self._read_stderr, args=(self.daemon,), daemon=True)
        self._stderr_thread.start()
        return self.daemon

    def _read_stderr(self, proc):
        for line in proc.stderr:
            self.stderr_lines.append(line.rstrip("\n"))

    def wait_exit(self, timeout=5):
        """The exit code of a daemon that stops by itself; stderr is complete then."""
        code = self.daemon.wait(timeout=timeout)
        self._stderr_thread.join(2)
        return code

    def signal(self, sig):
        self.daemon.send_signal(sig)

    def stop(self, timeout=5):
        """SIGTERM; returns the exit code (must come within `timeout`); stderr is complete then."""
        self.daemon.send_signal(signal.SIGTERM)
        code = self.daemon.wait(timeout=timeout)
        self._stderr_thread.join(2)
        return code

    def stderr(self):
        return "\n".join(self.stderr_lines)

    # -- observations --------------------------------------------------------------

    def snapshot(self):
        with self.lock:
            return list(self.messages)

    def on(self, topic, msgs=None, prefix=None):
        """The messages on PREFIX/topic (the gateway's prefix unless given), oldest first."""
        full = (prefix or self.prefix) + "/" + topic
        return [m for m in (msgs if msgs is not None else self.snapshot()) if m.topic == full]

    def wait_for(self, predicate, timeout=10):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate(self.snapshot()):
                return True
            time.sleep(0.02)
        return False

    def wait_stderr(self, text, timeout=10):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(text in line for line in self.stderr_lines):
                return True
            time.sleep(0.02)
        return False

    def command(self, actuator, payload, retain=False):
        self.observer.publish("%s/actuators/%s/set" % (self.prefix, actuator), payload, qos=1,
                              retain=retain).wait_for_publish()

    def wait_notify(self, state, timeout=10):
        """Collects notifications until one equals (or starts with) `state`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(n == state or n.startswith(state) for n in self.notifications):
                return True
            try:
                self.notifications.append(self.notify_sock.recv(4096).decode())
            except socket.timeout:
                pass
        return False
