#include "mqtt/broker_rotation.hpp"
// SPDX-License-Identifier: Apache-2.0
namespace piogate::mqtt {

void broker_rotation::reset(std::vector<broker_address> brokers) {
    brokers_ = std::move(brokers);
    index_ = 0;
}

const broker_address& broker_rotation::current() const noexcept {
    static const broker_address none{};
    return brokers_.empty() ? none : brokers_[index_];
}

bool broker_rotation::advance() noexcept {
    if (has_next()) {
        ++index_;
        return true;
    }
    index_ = 0;
    return false;
}

}  // namespace piogate::mqtt
