#include "hw/sensors/temperature_range.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include "hw/hw_error.hpp"

using piogate::hw::check_temperature;

TEST(temperature_range, inside_including_the_limits_passes) {
    EXPECT_TRUE(check_temperature("w", -40.0, 0, 4, "SHT3x", -40.0, 125.0));
    EXPECT_TRUE(check_temperature("w", 125.0, 0, 4, "SHT3x", -40.0, 125.0));
}

TEST(temperature_range, outside_names_the_device_value_raw_word_and_range) {
    auto r = check_temperature("i2c-1 0x44 sht3x", 130.017, 0xFFFF, 4, "SHT3x", -40.0, 125.0);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.err().code, piogate::hw::hw_errc::out_of_range);
    EXPECT_EQ(r.err().message,
              "i2c-1 0x44 sht3x: temperature 130.02 °C (raw 0xFFFF) is outside the SHT3x range -40..125 °C");
    auto low = check_temperature("i2c-1 0x38 aht20", -50.0, 0x1, 5, "AHT20", -40.0, 85.0);
    ASSERT_FALSE(low);
    EXPECT_NE(low.err().message.find("(raw 0x00001) is outside the AHT20 range -40..85 °C"), std::string::npos)
        << low.err().message;
}
