// CRC-8 as the humidity sensors compute it: MSB first, no reflection, no final XOR. The
// polynomial is given without its x^8 term: x^8+x^5+x^4+1 is 0x31 (TE calls it 0x131).
//   Sensirion SHT3x, Aosong AHT20: polynomial 0x31, init 0xFF (CRC(0xBE 0xEF) = 0x92).
//   TE HTU21D, Silicon Labs Si7021: polynomial 0x31, init 0x00 (CRC(0xDC) = 0x79).
//
// Pure functions; thread-safe.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <cstdint>
#include <span>
#include <string>

#include "util/result.hpp"

namespace piogate::hw {

std::uint8_t crc8(std::span<const std::uint8_t> bytes, std::uint8_t polynomial, std::uint8_t init);

// "0xBE 0xEF": bytes for error messages.
std::string hex_bytes(std::span<const std::uint8_t> bytes);

// Checks a received checksum. On mismatch: hw_errc::crc_mismatch with the message
// "<where>: <what>: CRC mismatch: bytes 0x66 0x8A came with CRC 0x75, expected 0x8A".
util::result<void> check_crc8(std::span<const std::uint8_t> bytes, std::uint8_t received,
                              std::uint8_t polynomial, std::uint8_t init, const std::string& where,
                              const std::string& what);

}  // namespace piogate::hw
