// Decimal places from a resolution, rounding, and the JSON text a user sees.
#include <gtest/gtest.h>
// SPDX-License-Identifier: Apache-2.0
#include <nlohmann/json.hpp>

#include "app/filters/precision.hpp"

using namespace piogate::app::filters;

TEST(precision, decimals_follow_the_resolution_in_1_2_5_steps) {
    struct row {
        double resolution;
        int decimals;
    };
    for (const row& r : std::vector<row>{
             {0.01, 2},        // BME280 temperature
             {0.008, 2},       // BME280 humidity (datasheet resolution)
             {1.0 / 1024, 3},  // a 1/1024 LSB: 0.001 is the 1-2-5 step not finer than it
             {0.0018, 3},      // BME280 pressure in hPa (0.18 Pa)
             {0.0625, 1},      // DS18B20, TMP102, MCP9808: 1/16 °C
             {0.125, 1},       // LM75B
             {0.5, 1},         // LM75A: the half degree still shows
             {0.1, 1},         // DHT22
             {0.2, 1},
             {0.25, 1},
             {0.6, 0},
             {1, 0},         // DHT11, BH1750
             {4, 0},         // BH1750 low resolution
             {0.000125, 4},  // ADS1115 at ±4.096 V
             {0.004, 3},     // INA219 bus voltage
             {1e-9, 6},      // capped
             {0, 6},
             {-1, 6},
             {std::numeric_limits<double>::infinity(), 6},
             {std::numeric_limits<double>::quiet_NaN(), 6},
         }) {
        EXPECT_EQ(decimals_for_resolution(r.resolution), r.decimals) << r.resolution;
    }
}

TEST(precision, rounding_prints_what_a_user_expects) {
    struct row {
        double value;
        int decimals;
        std::string json;
    };
    for (const row& r : std::vector<row>{
             {39.9951171875, 2, "40.0"},  // the demo's BME280 humidity
             {39.9951171875, 3, "39.995"},
             {18.999771114671546, 2, "19.0"},  // the demo's BME280 temperature
             {18.999771114671546, 1, "19.0"},
             {18.999771114671546, 0, "19"},  // 0 decimals: an integer
             {0.1 + 0.2, 1, "0.3"},          // not 0.30000000000000004
             {0.1 + 0.2, 2, "0.3"},
             {0.1 + 0.2, 6, "0.3"},
             {1013.2468, 2, "1013.25"},
             {-7.25, 1, "-7.3"},  // half away from zero
             {-0.04, 1, "0.0"},   // never "-0.0"
             {-0.4, 0, "0"},
             {21.125, 6, "21.125"},
             {1.23456789, 6, "1.234568"},
             {1e300, 2, "1e+300"},         // too large for decimals: as it is
             {63.723001, 6, "63.723001"},  // nlohmann's dump says 63.723000999999996
             {0.00001, 5, "0.00001"},      // not 1e-05
             {-0.000004, 5, "0.0"},
             {100, 2, "100.0"},
             {412.6, 0, "413"},
         }) {
        EXPECT_EQ(format_number(r.value, r.decimals), r.json) << r.value << " to " << r.decimals;
    }
    EXPECT_EQ(format_number(39.9951171875, std::nullopt), "39.9951171875");  // not rounded
}

TEST(precision, nlohmann_dump_alone_is_not_enough) {
    // Why format_number prints with %.*f: the rounded double's dump is not always shortest.
    EXPECT_EQ(nlohmann::json(63.723001).dump(), "63.723000999999996");
    EXPECT_EQ(format_number(63.723001, 6), "63.723001");
}

TEST(precision, rounded_values_print_with_at_most_n_decimals) {
    // Every multiple of 0.001 between -100 and 100 (and some of 10^-6): the printed text has
    // no more decimals than asked for.
    for (int d = 1; d <= max_decimals; ++d) {
        for (int i = -100000; i <= 100000; i += 7) {
            const double v = i / 1000.0 + 0.1 + 0.2 - 0.3 + 1e-7 * (i % 13);
            const std::string text = format_number(v, d);
            const auto dot = text.find('.');
            ASSERT_NE(dot, std::string::npos) << text;
            EXPECT_LE(text.size() - dot - 1, static_cast<std::size_t>(d)) << v << " -> " << text;
            // And it is a JSON number that reads back as the rounded value.
            EXPECT_EQ(nlohmann::json::parse(text).get<double>(), round_to(v, d)) << text;
        }
    }
}
