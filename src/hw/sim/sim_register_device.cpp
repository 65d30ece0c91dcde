#include "hw/sim/sim_register_device.hpp"
// SPDX-License-Identifier: Apache-2.0
namespace piogate::hw {

bool sim_register_device::on_write(std::span<const std::uint8_t> data) {
    std::lock_guard lock(mutex_);
    if (data.empty()) return true;
    pointer_ = data[0];
    for (std::size_t i = 1; i < data.size(); ++i) {
        const auto address = static_cast<std::uint8_t>(pointer_ + i - 1);
        regs_[address] = data[i];
        on_register_written(address, data[i]);
    }
    return true;
}

bool sim_register_device::on_read(std::span<std::uint8_t> out) {
    std::lock_guard lock(mutex_);
    before_read(pointer_);
    for (std::size_t i = 0; i < out.size(); ++i) {
        out[i] = regs_[static_cast<std::uint8_t>(pointer_ + i)];
    }
    return true;
}

std::uint8_t sim_register_device::reg(std::uint8_t address) const {
    std::lock_guard lock(mutex_);
    return regs_[address];
}

void sim_register_device::set_reg(std::uint8_t address, std::uint8_t value) {
    std::lock_guard lock(mutex_);
    regs_[address] = value;
}

void sim_register_device::on_register_written(std::uint8_t, std::uint8_t) {}
void sim_register_device::before_read(std::uint8_t) {}

}  // namespace piogate::hw
