#include "hw/sim/sim_i2c_bus.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <thread>

namespace piogate::hw {

sim_i2c_bus::sim_i2c_bus(std::string name) : name_(std::move(name)) {}

void sim_i2c_bus::attach(std::uint8_t address, std::shared_ptr<sim_i2c_device> device) {
    std::lock_guard lock(mutex_);
    devices_[address] = std::move(device);
}

void sim_i2c_bus::set_fault(std::uint8_t address, sim_fault fault) {
    std::lock_guard lock(mutex_);
    faults_[address] = fault;
}

std::shared_ptr<sim_i2c_device> sim_i2c_bus::device(std::uint8_t address) const {
    std::lock_guard lock(mutex_);
    auto it = devices_.find(address);
    return it == devices_.end() ? nullptr : it->second;
}

std::vector<std::uint8_t> sim_i2c_bus::addresses() const {
    std::lock_guard lock(mutex_);
    std::vector<std::uint8_t> out;
    for (const auto& [a, d] : devices_) out.push_back(a);
    return out;
}

util::result<void> sim_i2c_bus::check(std::uint8_t address, int reg, const char* what,
                                      std::shared_ptr<sim_i2c_device>& dev, sim_fault& fault) {
    {
        std::lock_guard lock(mutex_);
        auto it = devices_.find(address);
        if (it != devices_.end()) dev = it->second;
        auto f = faults_.find(address);
        if (f != faults_.end()) fault = f->second;
    }
    auto where = [&] {
        std::string s = name_ + " " + hex(address);
        if (reg >= 0) s += " reg " + hex(static_cast<unsigned>(reg));
        return s + ": " + what + " failed: ";
    };
    if (fault.stall.count() > 0) {
        std::this_thread::sleep_for(fault.stall);
        return hw_fail(hw_errc::timeout, where() + "device held the bus for " +
                                             std::to_string(fault.stall.count()) + " ms");
    }
    if (!dev || fault.nack) {
        return hw_fail(hw_errc::no_device, where() + "no device answered (NACK)");
    }
    return {};
}

util::result<void> sim_i2c_bus::write(std::uint8_t address, std::span<const std::uint8_t> data) {
    std::shared_ptr<sim_i2c_device> dev;
    sim_fault fault;
    const int reg = data.empty() ? -1 : data[0];
    if (auto r = check(address, reg, "write", dev, fault); !r) return r;
    if (!dev->on_write(data)) {
        return hw_fail(hw_errc::no_device, name_ + " " + hex(address) + ": write failed: NACK");
    }
    return {};
}

util::result<void> sim_i2c_bus::read(std::uint8_t address, std::span<std::uint8_t> out) {
    std::shared_ptr<sim_i2c_device> dev;
    sim_fault fault;
    if (auto r = check(address, -1, "read", dev, fault); !r) return r;
    if (!dev->on_read(out)) {
        return hw_fail(hw_errc::no_device, name_ + " " + hex(address) + ": read failed: NACK");
    }
    if (fault.corrupt && !out.empty()) out.back() ^= 0xFF;
    return {};
}

util::result<void> sim_i2c_bus::write_read(std::uint8_t address, std::span<const std::uint8_t> data,
                                           std::span<std::uint8_t> out) {
    std::shared_ptr<sim_i2c_device> dev;
    sim_fault fault;
    const int reg = data.empty() ? -1 : data[0];
    if (auto r = check(address, reg, "write-read", dev, fault); !r) return r;
    if (!dev->on_write(data) || !dev->on_read(out)) {
        return hw_fail(hw_errc::no_device, name_ + " " + hex(address) + " reg " +
                                               hex(static_cast<unsigned>(reg < 0 ? 0 : reg)) +
                                               ": write-read failed: NACK");
    }
    if (fault.corrupt && !out.empty()) out.back() ^= 0xFF;
    return {};
}

}  // namespace piogate::hw
