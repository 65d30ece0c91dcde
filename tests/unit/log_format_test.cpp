#include <gtest/gtest.h>
// SPDX-License-Identifier: Apache-2.0
#include <chrono>
#include <cstdio>
#include <string>

#include "log/terminal_sink.hpp"

namespace {

using namespace piogate::log;
using namespace std::chrono;

// 2026-11-25T12:00:00.123Z
system_clock::time_point example_time() {
    return system_clock::time_point(seconds(1795608000)) + milliseconds(123);
}

TEST(log_format, timestamp_is_utc_with_milliseconds) {
    EXPECT_EQ(format_timestamp(example_time()), "2026-11-25T12:00:00.123Z");
    EXPECT_EQ(format_timestamp(system_clock::time_point{}), "1970-01-01T00:00:00.000Z");
    EXPECT_EQ(format_timestamp(system_clock::time_point(seconds(1795608000)) + microseconds(999)),
              "2026-11-25T12:00:00.000Z");
}

TEST(log_format, line_with_fields) {
    EXPECT_EQ(format_line(example_time(), level::warning, "app", "sensor kitchen: read failed",
                          {{"PIOGATE_CHANNEL", "kitchen"}}),
              "2026-11-25T12:00:00.123Z warning app: sensor kitchen: read failed "
              "[PIOGATE_CHANNEL=kitchen]");
    EXPECT_EQ(format_line(example_time(), level::info, "mqtt", "connected",
                          {{"MQTT_BROKER", "localhost:1883"}, {"MQTT_CLIENT_ID", "pi"}}),
              "2026-11-25T12:00:00.123Z info mqtt: connected "
              "[MQTT_BROKER=localhost:1883 MQTT_CLIENT_ID=pi]");
}

TEST(log_format, line_without_fields) {
    EXPECT_EQ(format_line(example_time(), level::error, "hw.i2c", "i2c-1 0x76: gone", {}),
              "2026-11-25T12:00:00.123Z error hw.i2c: i2c-1 0x76: gone");
}

TEST(log_format, one_event_is_one_line) {
    const auto line = format_line(example_time(), level::notice, "config", "a\nb\tc\x01", {});
    EXPECT_EQ(line, "2026-11-25T12:00:00.123Z notice config: a\\nb\\tc\\x01");
    EXPECT_EQ(line.find('\n'), std::string::npos);
}

TEST(log_format, field_values_with_spaces_are_quoted) {
    EXPECT_EQ(format_line(example_time(), level::debug, "app", "m",
                          {{"A", "two words"}, {"B", ""}, {"C", "say \"hi\""}}),
              "2026-11-25T12:00:00.123Z debug app: m [A=\"two words\" B=\"\" C=\"say \\\"hi\\\"\"]");
}

TEST(log_format, terminal_sink_writes_one_line_per_event) {
    std::FILE* f = std::tmpfile();
    ASSERT_NE(f, nullptr);
    terminal_sink s(f);
    s.write(level::warning, "app", "first", {{"PIOGATE_CHANNEL", "kitchen"}});
    s.write(level::info, "mqtt", "second", {});
    std::rewind(f);
    char buf[512] = {};
    const auto n = std::fread(buf, 1, sizeof buf - 1, f);
    std::fclose(f);
    const std::string text(buf, n);
    const auto nl = text.find('\n');
    ASSERT_NE(nl, std::string::npos);
    const std::string first = text.substr(0, nl);
    const std::string second = text.substr(nl + 1);
    // "YYYY-MM-DDTHH:MM:SS.mmmZ " is 25 characters.
    ASSERT_GT(first.size(), 25u);
    EXPECT_EQ(first.substr(24), " warning app: first [PIOGATE_CHANNEL=kitchen]");
    EXPECT_EQ(first[23], 'Z');
    EXPECT_EQ(second.substr(24), " info mqtt: second\n");
}

}  // namespace
