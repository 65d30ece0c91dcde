// Which broker of the list the next connection attempt goes to (Paho C's server URI list).
//
// A round tries the addresses in order, each at once after the one before failed (resolve,
// TCP, TLS, CONNACK refused or timed out); only when the whole round failed does the caller
// wait its reconnect backoff, and the next round starts again at the first address. A lost
// connection (to any address) and a user's reconnect also start the next round at the
// first address, so a client returns to the primary broker as soon as it is back.
//
// Pure: no I/O, no time; the client carries out what it says. Not thread-safe.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <cstddef>
#include <vector>

#include "piogate/mqtt/broker_address.hpp"

namespace piogate::mqtt {

class broker_rotation {
public:
    // A new list (not empty); the next attempt goes to its first address.
    void reset(std::vector<broker_address> brokers);

    const std::vector<broker_address>& brokers() const noexcept { return brokers_; }
    // The address being tried or connected to, or the next to try; empty before reset().
    const broker_address& current() const noexcept;
    std::size_t index() const noexcept { return index_; }
    bool has_next() const noexcept { return index_ + 1 < brokers_.size(); }  // in this round

    // The attempt on current() failed. true: current() is now the next address, try it at
    // once; false: the round is over, current() is the first again, the caller backs off.
    bool advance() noexcept;
    // The next round starts at the first address (after a lost connection, on reconnect()).
    void restart() noexcept { index_ = 0; }

private:
    std::vector<broker_address> brokers_;
    std::size_t index_ = 0;
};

}  // namespace piogate::mqtt
