#include <gtest/gtest.h>
// SPDX-License-Identifier: Apache-2.0
#include "config/config.hpp"

using namespace piogate::config;

namespace {
std::string error_of(const std::string& text) {
    try {
        parse_config(json::parse(text));
    } catch (const config_error& e) {
        return e.what();
    }
    return "";
}
}  // namespace

TEST(board_config, defaults_to_linux) {
    auto c = parse_config(json::parse("{}"));
    EXPECT_EQ(c.board.kind, board_config::kind_t::linux);
}

TEST(board_config, simulated_board) {
    auto c = parse_config(json::parse(R"({"board": {"kind": "sim",
        "i2c": [{"bus": 1, "devices": [{"model": "bme280", "address": "0x76", "temperature": -5.5}]}],
        "patterns": [{"line": "GPIO17", "toggle_every_ms": 10000}]}})"));
    ASSERT_EQ(c.board.kind, board_config::kind_t::sim);
    ASSERT_EQ(c.board.gpio.size(), 1u);  // a default Pi-like chip
    EXPECT_EQ(c.board.gpio[0].lines, 28u);
    ASSERT_EQ(c.board.i2c.size(), 1u);
    EXPECT_EQ(c.board.i2c[0].bus, "1");
    EXPECT_EQ(c.board.i2c[0].devices[0].address, 0x76);
    EXPECT_DOUBLE_EQ(c.board.i2c[0].devices[0].values.at("temperature"), -5.5);
    EXPECT_EQ(c.board.patterns[0].toggle_every.count(), 10000);
}

TEST(board_config, errors_name_the_path) {
    EXPECT_EQ(error_of(R"({"board": {"kind": "simulated"}})"),
              "/board/kind: \"simulated\" is not one of \"linux\", \"sim\"");
    EXPECT_EQ(error_of(R"({"board": {"kind": "linux", "i2c": []}})"),
              "/board/i2c: only a simulated board (\"kind\": \"sim\") has this");
    EXPECT_EQ(error_of(R"({"board": {"kind": "sim", "i2c": [{"bus": 1, "devices": [
                {"model": "bme280", "address": "0x76"}, {"model": "sht3x", "address": 118}]}]}})"),
              "/board/i2c/0/devices/1/address: two devices at the same address on bus 1");
    EXPECT_EQ(error_of(R"({"board": {"kind": "sim", "i2c": [{"bus": 1, "devices": [
                {"model": "bme280", "address": "0x76", "lux": 3}]}]}})"),
              "/board/i2c/0/devices/0/lux: unknown key");
    EXPECT_EQ(error_of(R"({"bord": {}})"), "/bord: unknown key (did you mean \"board\"?)");
}
