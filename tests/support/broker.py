# SPDX-License-Identifier: Apache-2.0
"""Test fixture: a real mosquitto broker (Debian 2.0.x) on free loopback ports.

Python twin of tests/support/mosquitto_broker.hpp; standard library only.

    with Broker(tls=True) as b:
        client.tls_set(ca_certs=b.ca_file)
        client.connect("localhost", b.tls_port)

Each Broker owns a fresh temp dir (b.dir) holding mosquitto.conf, mosquitto.log
(mosquitto's log plus its stdout/stderr) and, with tls, certificates generated
with the openssl CLI (EC P-256). The constructor starts the broker and waits
(<= 5 s) until every listener accepts; it raises RuntimeError with mosquitto's
log on failure. close() (or leaving the with block, or interpreter exit) stops
the broker and removes the dir. Not thread-safe.

Environment: PIOGATE_MOSQUITTO / PIOGATE_OPENSSL override the binaries;
PIOGATE_KEEP_BROKER_DIR=1 keeps the temp dir for debugging.
"""

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import weakref

__all__ = ["Broker", "free_loopback_port"]

_START_TIMEOUT = 5.0
_STOP_TIMEOUT = 3.0
_LAUNCH_ATTEMPTS = 5

# Extension sections for `openssl req -x509 -config`; independent of the system
# openssl.cnf (whose v3_ca would mark every cert as a CA).
_OPENSSL_CONFIG = """
[req]
distinguished_name = dn
prompt = no
[dn]
[ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[server]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, IP:127.0.0.1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[client]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
"""


def free_loopback_port():
    """A port that was free on 127.0.0.1 a moment ago."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _find_program(name, env_var):
    override = os.environ.get(env_var)
    if override:
        return override
    # Debian installs mosquitto in /usr/sbin, which is not in a user's PATH.
    path = os.environ.get("PATH", "") + ":/usr/local/sbin:/usr/sbin:/sbin:/usr/bin"
    found = shutil.which(name, path=path)
    if not found:
        raise RuntimeError(f"{name} not found in PATH or /usr/sbin (set {env_var})")
    return found


def _startup_complete(log):
    # "<ts>: mosquitto version 2.0.11 running" follows the opening of all listeners.
    return any("mosquitto version " in line and line.endswith(" running") for line in log.splitlines())


def _port_taken(log):
    return "Address already in use" in log or "Unable to create websockets listener" in log


def _cleanup(state):
    """Kills the broker and removes the dir; shared by close() and weakref.finalize."""
    proc = state.get("proc")
    if proc is not None and proc.poll() is None:
        proc.kill()
        proc.wait()
    if os.environ.get("PIOGATE_KEEP_BROKER_DIR") != "1":
        shutil.rmtree(state["dir"], ignore_errors=True)


class Broker:
    """A mosquitto broker on 127.0.0.1 with plain TCP (+ optional TLS, websockets) listeners.

    Options (same as the C++ broker_options):
      tls                 also open a TLS listener (server cert for DNS:localhost, IP:127.0.0.1)
      require_client_cert TLS listener requires a client cert signed by ca_file
      websockets          also open a plain websockets listener (mosquitto binds it on ALL interfaces)
      unix_socket         also listen on a Unix socket, unix_path (in the broker's temp dir)
      tcp_nodelay         mosquitto "set_tcp_nodelay"
      extra_config        appended verbatim after the listeners; the plain TCP listener is
                          last, so listener-scoped options apply to it

    Attributes: port, tls_port (0 if no TLS), ws_port (0 if none), unix_path (None if none), dir,
    conf_file, and
    ca_file, other_ca_file (an unrelated CA), client_cert_file, client_key_file (None if no TLS).
    """

    def __init__(self, tls=False, require_client_cert=False, websockets=False, tcp_nodelay=True,
                 extra_config="", unix_socket=False):
        self.tls, self.require_client_cert, self.websockets = tls, require_client_cert, websockets
        self.tcp_nodelay, self.extra_config = tcp_nodelay, extra_config
        self._mosquitto = _find_program("mosquitto", "PIOGATE_MOSQUITTO")
        self.dir = tempfile.mkdtemp(prefix="piogate-mosquitto-")
        self._state = {"dir": self.dir, "proc": None}
        self._finalizer = weakref.finalize(self, _cleanup, self._state)
        self.conf_file = os.path.join(self.dir, "mosquitto.conf")
        self._log_file = os.path.join(self.dir, "mosquitto.log")
        self.unix_path = os.path.join(self.dir, "mqtt.sock") if unix_socket else None
        cert = (lambda name: os.path.join(self.dir, name)) if tls else (lambda name: None)
        self.ca_file, self.other_ca_file = cert("ca.crt"), cert("other_ca.crt")
        self.client_cert_file, self.client_key_file = cert("client.crt"), cert("client.key")
        try:
            if tls:
                self._generate_certs()
            for attempt in range(1, _LAUNCH_ATTEMPTS + 1):
                self._pick_ports()
                self._write_config()
                if self._launch():
                    break
                if attempt == _LAUNCH_ATTEMPTS:
                    raise RuntimeError("mosquitto: listener ports kept being taken; log:\n" + self.log())
        except BaseException:
            self.close()
            raise

    # -- context manager / lifetime ------------------------------------------------

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        """Stops the broker (SIGTERM, SIGKILL after 3 s) and removes the temp dir."""
        try:
            self.stop()
        finally:
            self._finalizer()

    # -- control -------------------------------------------------------------------

    @property
    def pid(self):
        proc = self._state["proc"]
        return proc.pid if proc is not None else None

    def running(self):
        proc = self._state["proc"]
        return proc is not None and proc.poll() is None

    def start(self):
        """Starts again on the SAME ports and waits until accepting."""
        if self.running():
            raise RuntimeError("Broker.start: already running")
        if not self._launch():
            raise RuntimeError("mosquitto: a listener port is taken; log:\n" + self.log())

    def stop(self):
        """SIGTERM + wait (SIGKILL after 3 s); no-op if not running. Ports are kept."""
        self._signal_and_wait(signal.SIGTERM)

    def kill(self):
        """SIGKILL + wait (abnormal broker death); no-op if not running."""
        self._signal_and_wait(signal.SIGKILL)

    def pause(self):
        """SIGSTOP: the broker stops answering (sockets stay open)."""
        if not self.running():
            raise RuntimeError("Broker.pause: not running")
        os.kill(self.pid, signal.SIGSTOP)
        deadline = time.monotonic() + _START_TIMEOUT
        while self._proc_state() not in ("T", "t"):
            if time.monotonic() >= deadline:
                raise RuntimeError("mosquitto did not stop on SIGSTOP")
            time.sleep(0.001)

    def resume(self):
        """SIGCONT."""
        if not self.running():
            raise RuntimeError("Broker.resume: not running")
        os.kill(self.pid, signal.SIGCONT)

    def log(self):
        """mosquitto's log file so far (all starts)."""
        try:
            with open(self._log_file, encoding="utf-8", errors="replace") as f:
                return f.read()
        except FileNotFoundError:
            return ""

    # -- internals -----------------------------------------------------------------

    def _pick_ports(self):
        socks = []
        try:  # hold all sockets until every port is chosen so they are distinct
            for _ in range(1 + bool(self.tls) + bool(self.websockets)):
                s = socket.socket()
                socks.append(s)
                s.bind(("127.0.0.1", 0))
            ports = [s.getsockname()[1] for s in socks]
        finally:
            for s in socks:
                s.close()
        self.port = ports.pop(0)
        self.tls_port = ports.pop(0) if self.tls else 0
        self.ws_port = ports.pop(0) if self.websockets else 0

    def _generate_certs(self):
        openssl = _find_program("openssl", "PIOGATE_OPENSSL")
        conf = os.path.join(self.dir, "openssl.cnf")
        with open(conf, "w") as f:
            f.write(_OPENSSL_CONFIG)
        path = lambda name: os.path.join(self.dir, name)  # noqa: E731
        for name, cn, section, issuer in (("ca", "piogate-test-ca", "ca", None),
                                          ("other_ca", "piogate-other-ca", "ca", None),
                                          ("server", "localhost", "server", "ca"),
                                          ("client", "piogate-test-client", "client", "ca")):
            argv = [openssl, "req", "-x509", "-config", conf, "-extensions", section,
                    "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-noenc",
                    "-keyout", path(name + ".key"), "-out", path(name + ".crt"),
                    "-subj", "/CN=" + cn, "-days", "7"]
            if issuer:
                argv += ["-CA", path(issuer + ".crt"), "-CAkey", path(issuer + ".key")]
            r = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=10)
            if r.returncode != 0:
                raise RuntimeError(f"openssl req ({name}) exited with status {r.returncode}; output:\n"
                                   + r.stdout + r.stderr)

    def _write_config(self):
        lines = [
            "# generated by tests/support/broker.py",
            "per_listener_settings false",
            "allow_anonymous true",
            "persistence false",
            "# as root, mosquitto would switch to user mosquitto before opening the log",
            "# and certs in this 0700 dir; 'root' means no switch (ignored if not root)",
            "user root",
            f"log_dest file {self._log_file}",
            "log_type all",
            f"set_tcp_nodelay {'true' if self.tcp_nodelay else 'false'}",
            "max_queued_messages 1000000",
        ]
        if self.tls:
            lines += [f"listener {self.tls_port} 127.0.0.1",
                      f"cafile {self.ca_file}",
                      f"certfile {os.path.join(self.dir, 'server.crt')}",
                      f"keyfile {os.path.join(self.dir, 'server.key')}",
                      f"require_certificate {'true' if self.require_client_cert else 'false'}"]
        if self.websockets:
            lines += ["# mosquitto 2.0.11 ignores the address here and binds all interfaces",
                      f"listener {self.ws_port} 127.0.0.1",
                      "protocol websockets"]
        if self.unix_path:
            lines += [f"listener 0 {self.unix_path}"]
        lines += [f"listener {self.port} 127.0.0.1", self.extra_config]
        with open(self.conf_file, "w") as f:
            f.write("\n".join(lines) + "\n")

    def _launch(self):
        """Starts mosquitto; False if a listener port was taken, raises on other failures."""
        offset = os.path.getsize(self._log_file) if os.path.exists(self._log_file) else 0
        with open(self._log_file, "ab") as out:
            proc = subprocess.Popen([self._mosquitto, "-c", self.conf_file], stdin=subprocess.DEVNULL,
                                    stdout=out, stderr=subprocess.STDOUT, close_fds=True)
        self._state["proc"] = proc
        deadline = time.monotonic() + _START_TIMEOUT
        while True:
            text = self.log()[offset:]
            if _startup_complete(text):
                return True
            if proc.poll() is not None:
                self._state["proc"] = None
                text = self.log()[offset:]
                if _port_taken(text):
                    return False
                raise RuntimeError(f"mosquitto exited with status {proc.returncode} during startup; "
                                   f"log:\n{text}")
            if time.monotonic() >= deadline:
                self.kill()
                raise RuntimeError("mosquitto did not start within 5 s; log:\n" + text)
            time.sleep(0.001)

    def _signal_and_wait(self, sig):
        # mosquitto 2.0 sets its run flag *after* logging "running", so a SIGTERM sent
        # right after startup can be lost: repeat it until the broker exits. It acts on
        # signals only between 100 ms epoll_waits, so a stop takes ~100 ms.
        proc = self._state["proc"]
        if proc is None:
            return
        deadline = time.monotonic() + _STOP_TIMEOUT
        while proc.poll() is None:
            if time.monotonic() >= deadline:
                proc.kill()
                proc.wait()
                break
            try:
                proc.send_signal(sig)
                proc.send_signal(signal.SIGCONT)  # a paused broker must run to handle SIGTERM
            except ProcessLookupError:
                pass
            try:
                proc.wait(timeout=0.05)
            except subprocess.TimeoutExpired:
                pass
        self._state["proc"] = None

    def _proc_state(self):
        try:
            with open(f"/proc/{self.pid}/stat") as f:
                return f.read().rsplit(")", 1)[1].split()[0]
        except (FileNotFoundError, IndexError):
            return "?"
