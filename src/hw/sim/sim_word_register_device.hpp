// Base for simulated chips with an 8-bit pointer register and 16-bit data registers (TI
// ADS1x15, INA219, TMP102, LM75, Microchip MCP9808): a write sets the pointer and, with two
// more bytes, writes the register MSB first; a read returns the register at the pointer, MSB
// first, and leaves the pointer where it is (no auto-increment). A few of these chips have
// 8-bit registers too (LM75 configuration, MCP9808 resolution): register_size() says so.
// Bytes read past the end of a register read 0xFF; a pointer the chip does not have is NACKed.
//
// Thread-safe: the bus thread calls on_write/on_read while tests or the demo call setters;
// everything is under `mutex_`, and the hooks run with it held.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <array>
#include <cstdint>
#include <mutex>

#include "hw/sim/sim_i2c_bus.hpp"

namespace piogate::hw {

class sim_word_register_device : public sim_i2c_device {
public:
    bool on_write(std::span<const std::uint8_t> data) override;
    bool on_read(std::span<std::uint8_t> out) override;
    std::uint16_t word(std::uint8_t reg) const;  // the stored value, without read hooks
    void set_word(std::uint8_t reg, std::uint16_t value);
    std::uint8_t pointer() const;

protected:
    // Which pointer values exist; default: all.
    virtual bool has_register(std::uint8_t reg) const;
    // 1 for an 8-bit register (value in the low byte), else 2.
    virtual int register_size(std::uint8_t reg) const;
    // A complete write of `value` to `reg`; the default stores it.
    virtual void on_word_written(std::uint8_t reg, std::uint16_t value);
    // What a read of `reg` returns; the default returns the stored value.
    virtual std::uint16_t on_word_read(std::uint8_t reg);

    mutable std::mutex mutex_;
    std::array<std::uint16_t, 256> words_{};
    std::uint8_t pointer_ = 0;
};

}  // namespace piogate::hw
