// The narrow I2C interface every sensor driver talks through, real (/dev/i2c-N) or simulated.
//
// Thread: calls block (ioctls, clock stretching, retries): call them only from an I2C worker
// thread (hw/i2c_worker.hpp), never from the event loop. One bus object is used by one thread
// at a time.
// Errors: results, never exceptions; messages name the bus, the address and, when known, the
// register: "i2c-1 0x76 reg 0xD0: read failed: no device answered (NACK)".
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <cstdint>
#include <span>
#include <string>

#include "hw/hw_error.hpp"
#include "util/result.hpp"

namespace piogate::hw {

class i2c_bus {
public:
    virtual ~i2c_bus() = default;
    virtual const std::string& name() const = 0;  // "i2c-1", "sim-i2c-0"

    // START, address+W, bytes, STOP.
    virtual util::result<void> write(std::uint8_t address, std::span<const std::uint8_t> data) = 0;
    // START, address+R, `out.size()` bytes, STOP.
    virtual util::result<void> read(std::uint8_t address, std::span<std::uint8_t> out) = 0;
    // START, address+W, `data`, repeated START, address+R, `out.size()` bytes, STOP.
    virtual util::result<void> write_read(std::uint8_t address, std::span<const std::uint8_t> data,
                                          std::span<std::uint8_t> out) = 0;
};

// Register helpers for the common "register pointer, then data" chips.
util::result<void> read_registers(i2c_bus& bus, std::uint8_t address, std::uint8_t reg,
                                  std::span<std::uint8_t> out);
util::result<void> write_register(i2c_bus& bus, std::uint8_t address, std::uint8_t reg,
                                  std::uint8_t value);
// Adds "<bus> 0x<addr> reg 0x<reg>: <what>: " in front of the error message.
util::error describe(const i2c_bus& bus, std::uint8_t address, int reg, const std::string& what,
                     const util::error& cause);
std::string hex(unsigned value, int digits = 2);

}  // namespace piogate::hw
