// Base for simulated chips with an 8-bit register pointer and auto-increment (BME280, BMP280
// style): a write sets the pointer and stores the following bytes; a read returns bytes from
// the pointer on. Subclasses fill registers from physical values and react to writes.
// Thread-safe: the register file is guarded; subclasses take `mutex_` when they touch it.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <array>
#include <cstdint>
#include <mutex>

#include "hw/sim/sim_i2c_bus.hpp"

namespace piogate::hw {

class sim_register_device : public sim_i2c_device {
public:
    bool on_write(std::span<const std::uint8_t> data) override;
    bool on_read(std::span<std::uint8_t> out) override;
    std::uint8_t reg(std::uint8_t address) const;
    void set_reg(std::uint8_t address, std::uint8_t value);

protected:
    // Called with mutex_ held after a data byte was written to `address`.
    virtual void on_register_written(std::uint8_t address, std::uint8_t value);
    // Called with mutex_ held before a read starting at `address`.
    virtual void before_read(std::uint8_t address);

    mutable std::mutex mutex_;
    std::array<std::uint8_t, 256> regs_{};
    std::uint8_t pointer_ = 0;
};

}  // namespace piogate::hw
