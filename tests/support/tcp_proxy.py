# SPDX-License-Identifier: Apache-2.0
"""A TCP proxy on a free loopback port, for faults no broker makes by itself.

    with TcpProxy(broker.port) as proxy:
        client.connect("127.0.0.1", proxy.port)
        proxy.partition()   # silent: both sides stay connected, nothing gets through
        proxy.heal()        # bytes flow again (what was swallowed stays lost)

A partition swallows bytes in both directions without closing anything, the way a dead Wi-Fi
link or a pulled cable upstream looks to a client before its keepalive notices. One thread;
standard library only.
"""
import selectors
import socket
import threading



class TcpProxy:
    def __init__(self, target_port, target_host="127.0.0.1"):
        self.target = (target_host, target_port)
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        self.port = self.listener.getsockname()[1]
        self.partitioned = False
        self.swallowed = 0  # bytes dropped while partitioned
        self.connections = 0
        self._pairs = {}
        self._stop = False
        self._sel = selectors.DefaultSelector()
        self._sel.register(self.listener, selectors.EVENT_READ)
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def partition(self):
        self.partitioned = True

    def heal(self):
        self.partitioned = False

    def close(self):
        self._stop = True
        self._thread.join(2)
        for s in list(self._pairs):
            s.close()
        self.listener.close()

    def _run(self):
        while not self._stop:
            for key, _ in self._sel.select(0.05):
                s = key.fileobj
                if s is self.listener:
                    self._accept()
                    continue
                try:
                    data = s.recv(65536)
                except OSError:
                    data = b""
                peer = self._pairs.get(s)
                if not data or peer is None:
                    self._drop(s)
                    continue
                if self.partitioned:
                    self.swallowed += len(data)
                    continue
                try:
                    peer.sendall(data)
                except OSError:
                    self._drop(s)

    def _accept(self):
        client, _ = self.listener.accept()
        try:
            upstream = socket.create_connection(self.target, timeout=2)
        except OSError:
            client.close()
            return
        self.connections += 1
        for a, b in ((client, upstream), (upstream, client)):
            self._pairs[a] = b
            self._sel.register(a, selectors.EVENT_READ)

    def _drop(self, s):
        peer = self._pairs.pop(s, None)
        for x in (s, peer):
            if x is None:
                continue
            self._pairs.pop(x, None)
            try:
                self._sel.unregister(x)
            except (KeyError, ValueError):
                pass
            x.close()
