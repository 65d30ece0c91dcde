# SPDX-License-Identifier: Apache-2.0
"""The daemon reaches its broker over every transport its config offers: WebSocket (with a path
and extra headers), a Unix socket, and through an HTTP CONNECT or SOCKS5 proxy. Each run
publishes readings the observer (plain TCP, another client) receives, and switches an output
on a command sent the other way; STATUS= and the start-up line name the transport."""
import http.server
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import unittest

from gateway import Gateway

BOARD = {"kind": "sim", "i2c": [{"bus": 1, "devices": [{"model": "sht3x", "address": "0x44"}]}]}
SENSOR = {"id": "air", "type": "sht3x", "bus": 1, "interval_s": 0.2}
ACTUATOR = {"id": "pump", "line": "GPIO22"}


def config(**mqtt):
    return {"board": BOARD, "sensors": [SENSOR], "actuators": [ACTUATOR], "mqtt": mqtt}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, proc, timeout=5):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("proxy exited with status %d" % proc.returncode)
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.02)
    raise RuntimeError("proxy did not listen on %d" % port)


class gateway_transports(unittest.TestCase):
    def round_trip(self, gw, cfg, expect_in_log):
        """Readings arrive and a command switches the output, over the configured transport."""
        gw.start(cfg)
        readings = lambda m: gw.on("sensors/air", m)  # noqa: E731
        states = lambda: [m.payload for m in gw.on("actuators/pump/state")]  # noqa: E731
        self.assertTrue(gw.wait_for(lambda m: len(readings(m)) >= 3), gw.stderr())
        self.assertTrue(gw.wait_for(lambda m: states() == ["OFF"]), gw.stderr())
        gw.command("pump", "ON")
        self.assertTrue(gw.wait_for(lambda m: states() == ["OFF", "ON"]), gw.stderr())
        self.assertTrue(gw.wait_stderr(expect_in_log), gw.stderr())
        self.assertEqual(gw.stop(), 0, gw.stderr())
        # The daemon has exited; its "offline" may still be on its way from the broker to the
        # observer (CI saw 'online' as the last status over the unix socket when read at once).
        self.assertTrue(gw.wait_for(lambda m: [x.payload for x in gw.on("status", m)][-1:] == ["offline"],
                                    timeout=5), gw.snapshot()[-5:])

    def test_websockets_with_a_path_and_headers(self):
        with Gateway(websockets=True) as gw:
            cfg = config(port=gw.broker.ws_port, transport="websockets", ws_path="/mqtt",
                         ws_headers={"X-Gateway": "piogate-test"})
            self.round_trip(gw, cfg, "ws://127.0.0.1:%d/mqtt" % gw.broker.ws_port)
            # mosquitto logs the client's WebSocket connection on the ws listener's port
            self.assertIn("on port %d" % gw.broker.ws_port, gw.broker.log())

    def test_unix_socket(self):
        with Gateway(unix_socket=True) as gw:
            cfg = config(transport="unix", unix_socket=gw.broker.unix_path)
            self.round_trip(gw, cfg, gw.broker.unix_path)
            self.assertIn("New client connected from %s" % gw.broker.unix_path, gw.broker.log())

    def test_websocket_upgrade_refused_is_logged_and_retried(self):
        # mosquitto accepts an upgrade on any path, so a scripted HTTP server refuses it: the
        # daemon names the status and reason, keeps running and tries again.
        class refuse(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                self.send_error(404, "Not Found")

            def log_message(self, *args):
                pass

        server = http.server.HTTPServer(("127.0.0.1", 0), refuse)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            with Gateway() as gw:
                port = server.server_address[1]
                gw.start(config(port=port, transport="websockets", reconnect_min_s=0.1, reconnect_max_s=0.2))
                refused = "WebSocket upgrade to ws://127.0.0.1:%d/mqtt refused: 404 Not Found" % port
                self.assertTrue(gw.wait_for(lambda m: sum(refused in line for line in gw.stderr_lines) >= 2
                                            or gw.daemon.poll() is not None), gw.stderr())
                self.assertIsNone(gw.daemon.poll(), gw.stderr())
                self.assertEqual(gw.stop(), 0, gw.stderr())
        finally:
            server.shutdown()
            server.server_close()

    def test_http_connect_proxy(self):
        tinyproxy = shutil.which("tinyproxy") or "/usr/bin/tinyproxy"
        if not os.path.exists(tinyproxy):
            self.fail("tinyproxy is not installed (bash .ci/deps)")
        with Gateway() as gw, tempfile.TemporaryDirectory() as d:
            port = free_port()
            conf = os.path.join(d, "tinyproxy.conf")
            with open(conf, "w") as f:
                f.write("Port %d\nListen 127.0.0.1\nTimeout 60\nAllow 127.0.0.1\nConnectPort %d\n"
                        "LogLevel Connect\nLogFile \"%s/tinyproxy.log\"\nMaxClients 10\n"
                        % (port, gw.broker.port, d))
            proxy = subprocess.Popen([tinyproxy, "-d", "-c", conf], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
            try:
                wait_port(port, proxy)
                cfg = config(proxy={"type": "http", "host": "127.0.0.1", "port": port})
                self.round_trip(gw, cfg, "via HTTP proxy 127.0.0.1:%d" % port)
                with open(os.path.join(d, "tinyproxy.log")) as f:
                    self.assertIn("127.0.0.1:%d" % gw.broker.port, f.read())
            finally:
                proxy.kill()
                proxy.wait()

    def test_socks5_proxy_with_a_password(self):
        microsocks = shutil.which("microsocks") or "/usr/bin/microsocks"
        if not os.path.exists(microsocks):
            self.fail("microsocks is not installed (bash .ci/deps)")
        with Gateway() as gw:
            port = free_port()
            password = os.path.join(gw.dir, "proxy.password")
            with open(password, "w") as f:
                f.write("pr0xy\n")
            proxy = subprocess.Popen([microsocks, "-i", "127.0.0.1", "-p", str(port), "-u", "gw",
                                      "-P", "pr0xy"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                wait_port(port, proxy)
                cfg = config(proxy={"type": "socks5", "host": "127.0.0.1", "port": port,
                                    "username": "gw", "password_file": password})
                self.round_trip(gw, cfg, "via SOCKS5 proxy 127.0.0.1:%d" % port)
            finally:
                proxy.kill()
                proxy.wait()


if __name__ == "__main__":
    unittest.main()
