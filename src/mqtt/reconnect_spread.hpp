// Reconnect spread for large fleets: when one broker drops thousands of clients at once,
// each waits a random time in [0, spread] before its first attempt, so they do not all come
// back in the same second (client_options::reconnect_spread).
//
// Pure: the caller draws the random number. Units are milliseconds.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <chrono>

namespace piogate::mqtt {

// The wait before the first attempt after an accepted connection was lost.
// - spread <= 0: `backoff` (the reconnect backoff's delay after a drop), unchanged.
// - otherwise spread * unit_random (unit_random clamped to [0, 1]), i.e. uniform in
//   [0, spread] instead of the backoff's delay, not on top of it; but while the backoff is
//   holding back an accept-then-drop storm (`storm`: the connection dropped before it proved
//   healthy), never sooner than `backoff`.
std::chrono::milliseconds first_delay_after_drop(std::chrono::milliseconds backoff, bool storm,
                                                 std::chrono::milliseconds spread,
                                                 double unit_random) noexcept;

}  // namespace piogate::mqtt
