// A sensor described entirely by its configuration: one register of 1..4 bytes read with a
// "register pointer, then data" transaction, taken as a signed or unsigned big- or
// little-endian integer, and scaled: value = raw × scale + offset, reported under the
// configured name and unit. For chips without a driver whose value needs no sequence
// (a fuel gauge's state of charge, an EEPROM-backed counter, a GPIO expander's input port).
//
// Addresses: whatever the chip uses (0x03..0x77).
// open(): checks the configuration (hw_errc::not_supported: length outside 1..4, no name,
//   scale or offset not finite, scale 0) and reads the register once: the chip answers.
// measure(): one write-then-read of `length` bytes from `reg`: one measurement.
// No range checks: the driver cannot know which values the chip cannot produce.
//
// Thread: open(), measure() and generic_register_probe() block on the bus: call them on the
// bus's I2C worker thread. The bus must outlive the driver.
// Errors: results; bus errors carry bus, address, register and the step.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <cstdint>
#include <span>
#include <string>

#include "hw/i2c_bus.hpp"
#include "hw/sensor.hpp"

namespace piogate::hw {

enum class register_byte_order : std::uint8_t { big, little };  // big: MSB at the lowest address

struct generic_register_config {
    std::uint8_t address = 0;
    std::uint8_t reg = 0;
    unsigned length = 2;  // bytes, 1..4
    bool is_signed = false;
    register_byte_order order = register_byte_order::big;
    double scale = 1.0;
    double offset = 0.0;
    std::string name = "value";
    std::string unit{};  // "" when the quantity has none
};

// The configuration errors open() reports, as text ("" when the configuration is usable).
std::string generic_register_config_problem(const generic_register_config& config);
// `bytes` (1..4, as read) as an integer in the configured order and signedness.
std::int64_t generic_register_raw(std::span<const std::uint8_t> bytes, bool is_signed,
                                  register_byte_order order);
// raw × scale + offset, as a one-measurement reading.
reading generic_register_reading(std::span<const std::uint8_t> bytes,
                                 const generic_register_config& config);

class generic_register final : public sensor {
public:
    generic_register(i2c_bus& bus, generic_register_config config);
    const std::string& type() const override;  // "generic_register"
    util::result<void> open() override;
    util::result<reading> measure() override;

private:
    util::result<reading> read_once(const char* step);

    i2c_bus& bus_;
    generic_register_config config_;
};

// i2cdetect-like check: a one-byte read is acknowledged (the register pointer is not moved
// by a plain read, so nothing changes on most chips).
bool generic_register_probe(i2c_bus& bus, std::uint8_t address);

}  // namespace piogate::hw
