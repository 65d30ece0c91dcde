// "filters" and "precision" of a sensor entry: what is accepted and every refusal's path.
#include <gtest/gtest.h>
// SPDX-License-Identifier: Apache-2.0
#include "config/filter_config.hpp"

using namespace piogate::config;
using namespace std::chrono_literals;

namespace {

const std::vector<std::string> climate = {"temperature", "humidity"};

filter_config read(const std::string& text) {
    const json j = json::parse(text);
    object_reader r(j, "/sensors/0");
    auto out = read_filter_config(r, climate, "sensor type sht3x");
    r.finish();
    return out;
}

std::string error_of(const std::string& text) {
    try {
        read(text);
    } catch (const config_error& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST(filter_config, absent_means_no_filters_and_default_precision) {
    EXPECT_EQ(read("{}"), filter_config{});
}

TEST(filter_config, a_list_applies_to_every_quantity) {
    const auto c = read(R"({"filters": [{"offset": -0.5}, {"multiply": 2}]})");
    const std::vector<filter_spec> chain = {offset_spec{-0.5}, multiply_spec{2}};
    EXPECT_EQ(c.chains.at("temperature"), chain);
    EXPECT_EQ(c.chains.at("humidity"), chain);
}

TEST(filter_config, an_object_gives_each_quantity_its_own_chain) {
    const auto c = read(R"({"filters": {
        "temperature": [{"offset": -0.5}, {"sliding_average": {"window": 5, "send_every": 5}}],
        "humidity": [{"calibrate_linear": [[10, 12], [80, 78.5]]}, {"clamp": {"min": 0, "max": 100}},
                     {"median": {"window": 3}}, {"throttle_s": 60}]},
        "precision": {"humidity": 0}})");
    EXPECT_EQ(c.chains.at("temperature"),
              (std::vector<filter_spec>{offset_spec{-0.5}, sliding_average_spec{{5, 5, 1}}}));
    EXPECT_EQ(
        c.chains.at("humidity"),
        (std::vector<filter_spec>{calibrate_linear_spec{{{10, 12}, {80, 78.5}}}, clamp_spec{0, 100},
                                  median_spec{{3, 3, 1}}, throttle_spec{60s}}));
    EXPECT_EQ(c.precision, (std::map<std::string, int>{{"humidity", 0}}));
}

TEST(filter_config, clamp_with_one_bound_and_precision_for_all) {
    const auto c = read(R"({"filters": {"humidity": [{"clamp": {"max": 100}}]}, "precision": 1})");
    const auto& clamp = std::get<clamp_spec>(c.chains.at("humidity").at(0));
    EXPECT_EQ(clamp.max, 100);
    EXPECT_EQ(clamp.min, -std::numeric_limits<double>::infinity());
    EXPECT_EQ(c.precision, (std::map<std::string, int>{{"temperature", 1}, {"humidity", 1}}));
}

TEST(filter_config, every_refusal_names_its_path) {
    struct row {
        std::string config, error;
    };
    for (
        const row& r : std::vector<row>{
            {R"({"filters": 5})",
             "/sensors/0/filters: expected a list of filters or an object of quantity: list, got "
             "an integer"},
            {R"({"filters": {"pressure": []}})",
             "/sensors/0/filters/pressure: sensor type sht3x reports no \"pressure\" (it reports "
             "temperature, humidity)"},
            {R"({"filters": {"humidity": {"offset": 1}}})",
             "/sensors/0/filters/humidity: expected a list of filters, got an object"},
            {R"({"filters": [{"smooth": 3}]})",
             "/sensors/0/filters/0/smooth: unknown filter \"smooth\"; filters are offset, "
             "multiply, "
             "calibrate_linear, clamp, median, sliding_average, throttle_s"},
            {R"({"filters": [{"throttle": 3}]})",
             "/sensors/0/filters/0/throttle: unknown filter \"throttle\" (did you mean "
             "\"throttle_s\"?); "
             "filters are offset, multiply, calibrate_linear, clamp, median, sliding_average, "
             "throttle_s"},
            {R"({"filters": [{"offset": 1, "multiply": 2}]})",
             "/sensors/0/filters/0: a filter is an object with one key, its name (offset, "
             "multiply, "
             "calibrate_linear, clamp, median, sliding_average, throttle_s), got 2 keys"},
            {R"({"filters": ["offset"]})",
             "/sensors/0/filters/0: a filter is an object with one key, its name (offset, "
             "multiply, "
             "calibrate_linear, clamp, median, sliding_average, throttle_s), got a string"},
            {R"({"filters": [{"offset": "1"}]})",
             "/sensors/0/filters/0/offset: expected a number, got a string"},
            {R"({"filters": [{"multiply": 2e9}]})",
             "/sensors/0/filters/0/multiply: 2e+09 is out of range -1e+09..1e+09"},
            {R"({"filters": [{"median": {"window": 0}}]})",
             "/sensors/0/filters/0/median/window: 0 is out of range 1..1000"},
            {R"({"filters": [{"sliding_average": {"window": 3, "send_every": 4}}]})",
             "/sensors/0/filters/0/sliding_average/send_every: 4 is larger than window 3 (samples "
             "would be skipped)"},
            {R"({"filters": [{"sliding_average": {"window": 4, "send_every": 2, "send_first_at": 3}}]})",
             "/sensors/0/filters/0/sliding_average/send_first_at: 3 is larger than send_every 2"},
            {R"({"filters": [{"median": {"window": 3, "sendevery": 3}}]})",
             "/sensors/0/filters/0/median/sendevery: unknown key (did you mean \"send_every\"?)"},
            {R"({"filters": [{"median": 5}]})",
             "/sensors/0/filters/0/median: expected an object, got an integer"},
            {R"({"filters": [{"calibrate_linear": [[1, 2]]}]})",
             "/sensors/0/filters/0/calibrate_linear: needs at least two points [measured, true], "
             "got 1"},
            {R"({"filters": [{"calibrate_linear": [[1, 2], [1.0, 3]]}]})",
             "/sensors/0/filters/0/calibrate_linear/1: measured value 1.0 is listed twice (each "
             "point needs its own measured value)"},
            {R"({"filters": [{"calibrate_linear": [[1, 2], [3]]}]})",
             "/sensors/0/filters/0/calibrate_linear/1: expected a pair [measured, true] of "
             "numbers, got [3]"},
            {R"({"filters": [{"calibrate_linear": [[1e-200, 0], [2e-200, 1]]}]})",
             "/sensors/0/filters/0/calibrate_linear: the measured values are too close together "
             "to fit a line through them (spread them over the sensor's range)"},
            {R"({"filters": [{"calibrate_linear": {"1": 2}}]})",
             "/sensors/0/filters/0/calibrate_linear: expected an array of [measured, true] pairs, "
             "got an object"},
            {R"({"filters": [{"clamp": {"min": 5, "max": 1}}]})",
             "/sensors/0/filters/0/clamp/max: is smaller than min"},
            {R"({"filters": [{"clamp": {}}]})",
             "/sensors/0/filters/0/clamp: needs \"min\", \"max\" or both"},
            {R"({"filters": [{"throttle_s": 0}]})",
             "/sensors/0/filters/0/throttle_s: 0 is out of range 0.001..604800"},
            {R"({"precision": 7})", "/sensors/0/precision: expected decimal places 0..6, got 7"},
            {R"({"precision": 1.5})",
             "/sensors/0/precision: expected decimal places 0..6, got 1.5"},
            {R"({"precision": {"humidity": -1}})",
             "/sensors/0/precision/humidity: expected decimal places 0..6, got -1"},
            {R"({"precision": {"pressure": 1}})",
             "/sensors/0/precision/pressure: sensor type sht3x reports no \"pressure\" (it reports "
             "temperature, humidity)"},
            {R"({"precision": "2"})",
             "/sensors/0/precision: expected decimal places 0..6 or an object of quantity: decimal "
             "places, got a string"},
        }) {
        EXPECT_EQ(error_of(r.config), r.error) << r.config;
    }
}
