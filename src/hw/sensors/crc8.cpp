#include "hw/sensors/crc8.hpp"
// SPDX-License-Identifier: Apache-2.0
#include "hw/hw_error.hpp"
#include "hw/i2c_bus.hpp"

namespace piogate::hw {

std::uint8_t crc8(std::span<const std::uint8_t> bytes, std::uint8_t polynomial, std::uint8_t init) {
    unsigned crc = init;
    for (const std::uint8_t byte : bytes) {
        crc ^= byte;
        for (int bit = 0; bit < 8; ++bit) {
            crc = (crc & 0x80U) != 0 ? (crc << 1) ^ polynomial : crc << 1;
            crc &= 0xFFU;
        }
    }
    return static_cast<std::uint8_t>(crc);
}

std::string hex_bytes(std::span<const std::uint8_t> bytes) {
    std::string out;
    for (const std::uint8_t byte : bytes) {
        if (!out.empty()) out += ' ';
        out += hex(byte);
    }
    return out;
}

util::result<void> check_crc8(std::span<const std::uint8_t> bytes, std::uint8_t received,
                              std::uint8_t polynomial, std::uint8_t init, const std::string& where,
                              const std::string& what) {
    const std::uint8_t expected = crc8(bytes, polynomial, init);
    if (expected == received) return {};
    return hw_fail(hw_errc::crc_mismatch, where + ": " + what + ": CRC mismatch: bytes " +
                                              hex_bytes(bytes) + " came with CRC " + hex(received) +
                                              ", expected " + hex(expected));
}

}  // namespace piogate::hw
