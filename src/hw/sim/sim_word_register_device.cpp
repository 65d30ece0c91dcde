#include "hw/sim/sim_word_register_device.hpp"
// SPDX-License-Identifier: Apache-2.0
namespace piogate::hw {

bool sim_word_register_device::on_write(std::span<const std::uint8_t> data) {
    std::lock_guard lock(mutex_);
    if (data.empty()) return true;  // address-only write: a presence check
    if (!has_register(data[0])) return false;
    pointer_ = data[0];
    const auto size = static_cast<std::size_t>(register_size(pointer_));
    // A write shorter than the register leaves it unchanged; extra bytes are ignored.
    if (data.size() < 1 + size) return true;
    const std::uint16_t value =
        size == 1 ? data[1] : static_cast<std::uint16_t>(data[1] << 8 | data[2]);
    on_word_written(pointer_, value);
    return true;
}

bool sim_word_register_device::on_read(std::span<std::uint8_t> out) {
    std::lock_guard lock(mutex_);
    const std::uint16_t value = on_word_read(pointer_);
    const int size = register_size(pointer_);
    for (std::size_t i = 0; i < out.size(); ++i) {
        if (size == 1) {
            out[i] = i == 0 ? static_cast<std::uint8_t>(value & 0xFF) : 0xFF;
        } else {
            out[i] = i == 0   ? static_cast<std::uint8_t>(value >> 8)
                     : i == 1 ? static_cast<std::uint8_t>(value & 0xFF)
                              : 0xFF;
        }
    }
    return true;
}

std::uint16_t sim_word_register_device::word(std::uint8_t reg) const {
    std::lock_guard lock(mutex_);
    return words_[reg];
}

void sim_word_register_device::set_word(std::uint8_t reg, std::uint16_t value) {
    std::lock_guard lock(mutex_);
    words_[reg] = value;
}

std::uint8_t sim_word_register_device::pointer() const {
    std::lock_guard lock(mutex_);
    return pointer_;
}

bool sim_word_register_device::has_register(std::uint8_t) const {
    return true;
}
int sim_word_register_device::register_size(std::uint8_t) const {
    return 2;
}
void sim_word_register_device::on_word_written(std::uint8_t reg, std::uint16_t value) {
    words_[reg] = value;
}
std::uint16_t sim_word_register_device::on_word_read(std::uint8_t reg) {
    return words_[reg];
}

}  // namespace piogate::hw
