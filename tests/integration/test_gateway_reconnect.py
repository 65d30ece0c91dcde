# SPDX-License-Identifier: Apache-2.0
"""Reconnect backoff against a real mosquitto: a broker that flaps (killed, down 2 s, started
again, a few times) is used again within a bounded time after each start, however many flaps
came before; the protection against accept-and-drop storms stays (tests/unit/backoff_test.cpp
covers the policy on virtual time).

Issue 9: after a few flaps the daemon waited 58.7 s for a broker that had stayed up."""
import re
import time
import unittest

from gateway import Gateway

CLIENT_ID = "gw-flap"
RECONNECT_MIN_S = 0.5
FLAPS = 5
DOWN_S = 2.0
# The policy's cap after an accepted connection (10 s; README, "reconnect"), plus slack for a
# loaded machine. The old policy waited 14-30 s by the fifth flap.
BACK_WITHIN_S = 12.0


def connections(gw):
    return len(re.findall(r"New client connected from \S+ as %s " % re.escape(CLIENT_ID),
                          gw.broker.log()))


def wait_connections(gw, n, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if connections(gw) >= n:
            return True
        time.sleep(0.02)
    return False


class gateway_reconnect(unittest.TestCase):
    def test_flapping_broker_is_used_again_within_a_bound(self):
        with Gateway() as gw:
            gw.start({"mqtt": {"client_id": CLIENT_ID, "reconnect_min_s": RECONNECT_MIN_S},
                      "board": {"kind": "sim"}})
            self.assertTrue(wait_connections(gw, 1, 10), gw.stderr())
            waits = []
            for flap in range(FLAPS):
                time.sleep(0.3)  # a short connection: it never proves itself healthy
                gw.broker.kill()
                time.sleep(DOWN_S)
                gw.broker.start()
                started = time.monotonic()
                back = wait_connections(gw, flap + 2, BACK_WITHIN_S)
                waits.append(round(time.monotonic() - started, 2))
                self.assertTrue(back, "flap %d: not back within %.0f s of the broker's start "
                                "(waits so far %s)\n%s" % (flap + 1, BACK_WITHIN_S, waits, gw.stderr()))
            self.assertEqual(gw.stop(), 0)


if __name__ == "__main__":
    unittest.main()
