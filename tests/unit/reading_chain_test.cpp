// Filters and precision over whole readings: which quantities a message carries and when.
#include <gtest/gtest.h>
// SPDX-License-Identifier: Apache-2.0
#include "app/filters/precision.hpp"
#include "app/filters/reading_chain.hpp"
#include "app/filters/reading_json.hpp"

#include <nlohmann/json.hpp>

using namespace piogate;
using namespace std::chrono_literals;
namespace f = piogate::app::filters;

namespace {

const f::clock::time_point t0{};

hw::reading climate(double t, double h) {
    return {{"temperature", t, "°C"}, {"humidity", h, "%RH"}};
}

std::string text(const std::optional<hw::reading>& r) {
    if (!r) return "-";
    std::string s;
    for (const auto& m : *r)
        s += (s.empty() ? "" : " ") + m.name + "=" + f::format_number(m.value, {});
    return s;
}

}  // namespace

TEST(reading_chain, rounds_every_quantity_to_its_decimals) {
    f::reading_chain c({}, {{"temperature", 2}, {"humidity", 1}});
    EXPECT_EQ(text(c.apply(climate(18.999771114671546, 39.9951171875), t0)),
              "temperature=19.0 humidity=40.0");
    EXPECT_EQ(c.decimals("humidity"), 1);
    EXPECT_EQ(c.decimals("pressure"), std::nullopt);
    // A quantity without decimals passes as it is.
    f::reading_chain raw({}, {});
    EXPECT_EQ(text(raw.apply(climate(18.999771114671546, 40), t0)),
              "temperature=18.999771114671546 humidity=40.0");
}

TEST(reading_chain, filters_run_before_rounding) {
    config::filter_config cfg;
    cfg.chains["temperature"] = {config::offset_spec{-0.5}, config::multiply_spec{1.8},
                                 config::offset_spec{32}};
    f::reading_chain c(cfg, {{"temperature", 1}, {"humidity", 0}});
    EXPECT_EQ(text(c.apply(climate(20.5, 55.5), t0)), "temperature=68.0 humidity=56.0");
}

TEST(reading_chain, a_swallowed_quantity_carries_its_last_value) {
    config::filter_config cfg;
    cfg.chains["humidity"] = {config::sliding_average_spec{{3, 3, 3}}};
    f::reading_chain c(cfg, {});
    struct row {
        double t, h;
        std::string expected;
    };
    auto now = t0;
    for (const row& r : std::vector<row>{
             {20, 50, "temperature=20.0"},  // humidity has produced nothing yet: left out
             {21, 52, "temperature=21.0"},
             {22, 54, "temperature=22.0 humidity=52.0"},
             {23, 60, "temperature=23.0 humidity=52.0"},  // carried until the next average
             {24, 60, "temperature=24.0 humidity=52.0"},
             {25, 60, "temperature=25.0 humidity=60.0"},
         }) {
        EXPECT_EQ(text(c.apply(climate(r.t, r.h), now)), r.expected) << r.t;
        now += 1s;
    }
}

TEST(reading_chain, nothing_new_means_no_reading) {
    config::filter_config cfg;
    cfg.chains["temperature"] = {config::throttle_spec{10s}};
    cfg.chains["humidity"] = {config::throttle_spec{10s}};
    f::reading_chain c(cfg, {{"temperature", 1}, {"humidity", 1}});
    EXPECT_EQ(text(c.apply(climate(20, 50), t0)), "temperature=20.0 humidity=50.0");
    EXPECT_EQ(text(c.apply(climate(21, 51), t0 + 5s)), "-");
    EXPECT_EQ(text(c.apply(climate(22, 52), t0 + 10s)), "temperature=22.0 humidity=52.0");
}

TEST(reading_chain, a_non_finite_value_is_skipped_not_published) {
    f::reading_chain c({}, {{"temperature", 1}, {"humidity", 1}});
    EXPECT_EQ(text(c.apply(climate(20, 50), t0)), "temperature=20.0 humidity=50.0");
    EXPECT_EQ(text(c.apply(climate(std::nan(""), 51), t0 + 1s)), "temperature=20.0 humidity=51.0");
}

TEST(reading_chain, decimals_come_from_precision_then_resolution) {
    config::filter_config cfg;
    cfg.precision["humidity"] = 0;
    EXPECT_EQ(f::resolve_decimals(cfg, "humidity", 1.0 / 1024), 0);
    EXPECT_EQ(f::resolve_decimals(cfg, "temperature", 0.01), 2);
    EXPECT_EQ(f::resolve_decimals(cfg, "temperature", std::nullopt), std::nullopt);
    EXPECT_EQ(f::resolve_decimals(cfg, "temperature", 0.0), std::nullopt);  // unknown
}

TEST(reading_chain, json_text_prints_the_rounded_numbers) {
    f::reading_chain c({}, {{"temperature", 2}, {"humidity", 2}, {"illuminance", 0}});
    hw::reading r = climate(18.999771114671546, 39.9951171875);
    r.push_back({"illuminance", 412.6, "lx"});
    r.push_back({"pressure", 1013.2468, "hPa"});  // no decimals: as it is
    const auto out = c.apply(r, t0);
    ASSERT_TRUE(out);
    const auto text = f::reading_json(
        *out, [&](const std::string& q) { return c.decimals(q); }, "2026-12-06T12:00:00.000Z");
    EXPECT_EQ(text, R"({"humidity":40.0,"illuminance":413,"pressure":1013.2468,"temperature":19.0,)"
                    R"("ts":"2026-12-06T12:00:00.000Z"})");
    // Still JSON, with the same members nlohmann::json would give.
    const auto j = nlohmann::json::parse(text);
    EXPECT_EQ(j["humidity"].get<double>(), 40.0);
    EXPECT_EQ(j.size(), 5u);
}
