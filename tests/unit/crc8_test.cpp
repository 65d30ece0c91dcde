// CRC-8 of the humidity sensors: the datasheets' examples and the CRC catalogue check values.
#include <gtest/gtest.h>
// SPDX-License-Identifier: Apache-2.0
#include <array>
#include <string_view>
#include <vector>

#include "hw/hw_error.hpp"
#include "hw/sensors/crc8.hpp"

namespace hw = piogate::hw;

namespace {

std::uint8_t crc(std::vector<std::uint8_t> bytes, std::uint8_t polynomial, std::uint8_t init) {
    return hw::crc8(bytes, polynomial, init);
}

std::vector<std::uint8_t> ascii(std::string_view text) {
    return {text.begin(), text.end()};
}

}  // namespace

TEST(crc8, sensirion_and_aosong_parameters) {
    EXPECT_EQ(crc({0xBE, 0xEF}, 0x31, 0xFF), 0x92);  // SHT3x datasheet, table 20
    EXPECT_EQ(crc({0xAB, 0xCD}, 0x31, 0xFF), 0x6F);  // same CRC in TI's HDC302x datasheet
    EXPECT_EQ(crc({0xAB, 0xAB}, 0x31, 0xFF), 0x72);
    EXPECT_EQ(crc(ascii("123456789"), 0x31, 0xFF), 0xF7);  // CRC-8/NRSC-5 check value
    EXPECT_EQ(crc({0x1C, 0x26, 0x9A, 0x76, 0x42, 0xE7}, 0x31, 0xFF), 0x76);  // an AHT20 frame
}

TEST(crc8, te_and_silicon_labs_parameters) {
    EXPECT_EQ(crc({0xDC}, 0x31, 0x00), 0x79);  // HTU21D datasheet examples
    EXPECT_EQ(crc({0x68, 0x3A}, 0x31, 0x00), 0x7C);
    EXPECT_EQ(crc({0x4E, 0x85}, 0x31, 0x00), 0x6B);
    EXPECT_EQ(crc({0x7C, 0x82}, 0x31, 0x00), 0x97);  // HTU21D no-hold sequence figure
}

TEST(crc8, polynomial_and_init_are_parameters) {
    EXPECT_EQ(crc(ascii("123456789"), 0x07, 0x00), 0xF4);  // CRC-8/SMBUS check value
    EXPECT_EQ(crc({}, 0x31, 0xFF), 0xFF);
    EXPECT_EQ(crc({}, 0x31, 0x00), 0x00);
    EXPECT_EQ(crc({0x00, 0x00}, 0x31, 0x00), 0x00) << "why init 0x00 cannot catch a bus stuck low";
    EXPECT_NE(crc({0x00, 0x00}, 0x31, 0xFF), 0x00);
}

TEST(crc8, every_single_bit_flip_is_detected) {
    const std::array<std::uint8_t, 6> frame{0x1C, 0x26, 0x9A, 0x76, 0x42, 0xE7};
    const std::uint8_t good = hw::crc8(frame, 0x31, 0xFF);
    for (std::size_t byte = 0; byte < frame.size(); ++byte) {
        for (int bit = 0; bit < 8; ++bit) {
            auto copy = frame;
            copy[byte] ^= static_cast<std::uint8_t>(1U << bit);
            EXPECT_NE(hw::crc8(copy, 0x31, 0xFF), good) << byte << ":" << bit;
        }
    }
}

TEST(crc8, check_names_the_device_and_the_bytes) {
    const std::array<std::uint8_t, 2> word{0xBE, 0xEF};
    EXPECT_TRUE(hw::check_crc8(word, 0x92, 0x31, 0xFF, "i2c-1 0x44 sht3x", "status").ok());
    auto r = hw::check_crc8(word, 0x93, 0x31, 0xFF, "i2c-1 0x44 sht3x", "status");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.err().code, hw::hw_errc::crc_mismatch);
    EXPECT_EQ(r.err().message,
              "i2c-1 0x44 sht3x: status: CRC mismatch: bytes 0xBE 0xEF came with CRC 0x93, "
              "expected 0x92");
}

TEST(crc8, hex_bytes) {
    const std::array<std::uint8_t, 3> bytes{0x00, 0x0A, 0xFF};
    EXPECT_EQ(hw::hex_bytes(bytes), "0x00 0x0A 0xFF");
    EXPECT_EQ(hw::hex_bytes({}), "");
}
