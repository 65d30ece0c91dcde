// Packet identifiers 1..65535, never handed out twice while in use (MQTT 3.1.1 section 2.3.1).
// Not thread-safe; owned by one session.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <bitset>
#include <cstdint>
#include <optional>

namespace piogate::mqtt {

class packet_id_pool {
public:
    // The next free identifier after the last one handed out, or nullopt when all are in use.
    std::optional<std::uint16_t> acquire() noexcept {
        if (in_use_ == 65535) return std::nullopt;
        while (true) {
            std::uint16_t id = next_;
            next_ = next_ == 65535 ? 1 : static_cast<std::uint16_t>(next_ + 1);
            if (!used_[id]) {
                used_[id] = true;
                ++in_use_;
                return id;
            }
        }
    }
    void release(std::uint16_t id) noexcept {
        if (id != 0 && used_[id]) {
            used_[id] = false;
            --in_use_;
        }
    }
    bool in_use(std::uint16_t id) const noexcept { return used_[id]; }
    std::size_t size() const noexcept { return in_use_; }
    void clear() noexcept {
        used_.reset();
        in_use_ = 0;
    }

private:
    std::bitset<65536> used_;
    std::size_t in_use_ = 0;
    std::uint16_t next_ = 1;
};

}  // namespace piogate::mqtt
