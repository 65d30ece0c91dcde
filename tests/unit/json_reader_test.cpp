// Config reading: every error names the JSON path; syntax errors carry line and column.
#include <gtest/gtest.h>
// SPDX-License-Identifier: Apache-2.0
#include "config/json_reader.hpp"

using namespace piogate::config;

namespace {

// The message of the config_error `f` throws, or "" when it does not throw.
template <class F>
std::string error_of(F f) {
    try {
        f();
    } catch (const config_error& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST(json_reader, syntax_errors_carry_line_and_column) {
    const std::string text = "{\n  \"a\": 1,\n  \"b\": ,\n}";
    auto msg = error_of([&] { parse_json(text, "cfg.json"); });
    EXPECT_NE(msg.find("cfg.json:3:8"), std::string::npos) << msg;
    EXPECT_NE(msg.find("JSON syntax error"), std::string::npos) << msg;
}

TEST(json_reader, missing_file_names_it) {
    auto msg = error_of([] { load_json_file("/nonexistent/piogate.json"); });
    EXPECT_NE(msg.find("/nonexistent/piogate.json: cannot read: No such file"), std::string::npos) << msg;
}

TEST(json_reader, types_ranges_and_paths) {
    const json j = json::parse(R"({"port": 70000, "host": 5, "on": "yes", "qos": 1,
                                   "level": "debg", "address": "0x76", "bad_address": "0x80"})");
    object_reader r(j, "/mqtt");
    EXPECT_EQ(error_of([&] { r.get_int("port", 1, 65535); }), "/mqtt/port: 70000 is out of range 1..65535");
    EXPECT_EQ(error_of([&] { r.get_string("host"); }), "/mqtt/host: expected a string, got an integer");
    EXPECT_EQ(error_of([&] { r.get_bool("on"); }), "/mqtt/on: expected true or false, got a string");
    EXPECT_EQ(r.get_int("qos", 0, 2), 1);
    EXPECT_EQ(error_of([&] { r.get_choice("level", {"debug", "info"}); }),
              "/mqtt/level: \"debg\" is not one of \"debug\", \"info\" (did you mean \"debug\"?)");
    EXPECT_EQ(r.get_i2c_address("address"), 0x76);
    EXPECT_EQ(error_of([&] { r.get_i2c_address("bad_address"); }),
              "/mqtt/bad_address: \"0x80\" is not a 7-bit I2C address (0x03..0x77)");
    EXPECT_EQ(error_of([&] { r.get_string("user"); }), "/mqtt/user: missing (a string is required)");
    EXPECT_EQ(r.get_string("client_id", "x"), "x");
}

TEST(json_reader, unknown_keys_suggest_the_closest_known_one) {
    const json j = json::parse(R"({"adress": "0x76", "type": "bme280"})");
    object_reader r(j, "/sensors/2");
    r.get_string("type");
    r.get_i2c_address("address", 0x76);
    EXPECT_EQ(error_of([&] { r.finish(); }), "/sensors/2/adress: unknown key (did you mean \"address\"?)");

    const json k = json::parse(R"({"zzzzzz": 1})");
    object_reader r2(k, "");
    r2.get_int("port", 1, 2, 1);
    EXPECT_EQ(error_of([&] { r2.finish(); }), "/zzzzzz: unknown key");
}

TEST(json_reader, arrays_give_each_element_its_path) {
    const json j = json::parse(R"({"sensors": [{"id": "a"}, {"id": 3}]})");
    object_reader r(j, "");
    std::vector<std::string> paths;
    auto msg = error_of([&] {
        r.for_each("sensors", [&](const json& e, const std::string& path) {
            paths.push_back(path);
            object_reader s(e, path);
            s.get_string("id");
        });
    });
    EXPECT_EQ(msg, "/sensors/1/id: expected a string, got an integer");
    EXPECT_EQ(paths, (std::vector<std::string>{"/sensors/0", "/sensors/1"}));
    EXPECT_EQ(error_of([] { object_reader(json::array(), "/mqtt"); }), "/mqtt: expected an object, got an array");
}
