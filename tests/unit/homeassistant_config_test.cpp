// The "homeassistant" config section and the inputs' "device_class" key: defaults, values,
// and errors that name the JSON path.
#include <gtest/gtest.h>
// SPDX-License-Identifier: Apache-2.0
#include "config/config.hpp"
#include "config/gpio_config.hpp"
#include "config/homeassistant_config.hpp"
#include "config/mqtt_config.hpp"

using namespace piogate;

namespace {

config::homeassistant_config read(const std::string& text) {
    const auto j = config::json::parse(text);
    config::object_reader r(j, "");
    auto h = config::read_homeassistant_config(r);
    r.finish();
    return h;
}

std::string error_of(const std::string& text) {
    try {
        read(text);
    } catch (const config::config_error& e) {
        return e.what();
    }
    return "";
}

std::string input_error_of(const std::string& inputs) {
    try {
        config::parse_config(config::json::parse(R"({"inputs": )" + inputs + "}"));
    } catch (const config::config_error& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST(homeassistant_config, absent_section_is_off_with_defaults) {
    const auto h = read("{}");
    EXPECT_FALSE(h.enabled);
    EXPECT_EQ(h.discovery_prefix, "homeassistant");
    EXPECT_EQ(h.status_topic, "homeassistant/status");
    EXPECT_EQ(h.device_name, config::host_name());
}

TEST(homeassistant_config, present_section_is_on_unless_disabled) {
    EXPECT_TRUE(read(R"({"homeassistant": {}})").enabled);
    EXPECT_TRUE(read(R"({"homeassistant": {"enabled": true}})").enabled);
    EXPECT_FALSE(read(R"({"homeassistant": {"enabled": false}})").enabled);
}

TEST(homeassistant_config, reads_every_key) {
    const auto h = read(R"({"homeassistant": {"enabled": true, "discovery_prefix": "ha/disc",
        "device_name": "Garage Pi", "status_topic": "hass/status"}})");
    EXPECT_EQ(h.discovery_prefix, "ha/disc");
    EXPECT_EQ(h.device_name, "Garage Pi");
    EXPECT_EQ(h.status_topic, "hass/status");
    // The status topic follows a custom prefix unless given.
    EXPECT_EQ(read(R"({"homeassistant": {"discovery_prefix": "ha"}})").status_topic, "ha/status");
}

TEST(homeassistant_config, errors_name_the_path) {
    EXPECT_EQ(error_of(R"({"homeassistant": {"discovery_prefx": "ha"}})"),
              "/homeassistant/discovery_prefx: unknown key (did you mean \"discovery_prefix\"?)");
    EXPECT_EQ(error_of(R"({"homeassistant": {"discovery_prefix": "ha/#"}})"),
              "/homeassistant/discovery_prefix: \"ha/#\" must be a topic without wildcards and "
              "without a trailing '/'");
    EXPECT_EQ(error_of(R"({"homeassistant": {"discovery_prefix": "ha/"}})"),
              "/homeassistant/discovery_prefix: \"ha/\" must be a topic without wildcards and "
              "without a trailing '/'");
    EXPECT_EQ(error_of(R"({"homeassistant": {"discovery_prefix": ""}})"),
              "/homeassistant/discovery_prefix: \"\" must be a topic without wildcards and "
              "without a trailing '/'");
    EXPECT_EQ(error_of(R"({"homeassistant": {"status_topic": "+/status"}})"),
              "/homeassistant/status_topic: \"+/status\" must be a topic without wildcards and "
              "without a trailing '/'");
    EXPECT_EQ(error_of(R"({"homeassistant": {"device_name": ""}})"),
              "/homeassistant/device_name: must not be empty");
    EXPECT_EQ(error_of(R"({"homeassistant": {"enabled": "yes"}})"),
              "/homeassistant/enabled: expected true or false, got a string");
    EXPECT_EQ(error_of(R"({"homeassistant": true})"),
              "/homeassistant: expected an object, got a boolean");
}

TEST(homeassistant_config, input_device_class) {
    const auto cfg = config::parse_config(config::json::parse(R"({"inputs": [
        {"id": "door", "line": "GPIO17", "device_class": "door"},
        {"id": "button", "line": "GPIO18"}]})"));
    ASSERT_EQ(cfg.entries<config::input_config>().size(), 2u);
    EXPECT_EQ(cfg.entries<config::input_config>()[0].device_class, "door");
    EXPECT_EQ(cfg.entries<config::input_config>()[1].device_class, "");

    const std::string e =
        input_error_of(R"([{"id": "door", "line": "GPIO17", "device_class": "dor"}])");
    EXPECT_EQ(e.rfind("/inputs/0/device_class: \"dor\" is not one of \"battery\", ", 0), 0u) << e;
    EXPECT_NE(e.find("(did you mean \"door\"?)"), std::string::npos) << e;
    EXPECT_EQ(input_error_of(R"([{"id": "door", "line": "GPIO17", "device_class": 1}])")
                  .rfind("/inputs/0/device_class: expected one of \"battery\", ", 0),
              0u);
    EXPECT_EQ(input_error_of(R"([{"id": "door", "line": "GPIO17", "device_clas": "door"}])"),
              "/inputs/0/device_clas: unknown key (did you mean \"device_class\"?)");
    for (const auto& c : config::binary_sensor_device_classes()) {
        EXPECT_NO_THROW(config::parse_config(config::json::parse(
            R"({"inputs": [{"id": "i", "line": "GPIO17", "device_class": ")" + c + "\"}]}")))
            << c;
    }
}

TEST(homeassistant_config, discovery_form_defaults_to_device) {
    EXPECT_EQ(read(R"({"homeassistant": {}})").discovery, config::discovery_mode::device);
    EXPECT_EQ(read("{}").discovery, config::discovery_mode::device);
    EXPECT_EQ(read(R"({"homeassistant": {"discovery": "device"}})").discovery,
              config::discovery_mode::device);
    EXPECT_EQ(read(R"({"homeassistant": {"discovery": "entity"}})").discovery,
              config::discovery_mode::entity);
    EXPECT_NE(
        error_of(R"({"homeassistant": {"discovery": "devices"}})")
            .find("/homeassistant/discovery: \"devices\" is not one of \"device\", \"entity\""),
        std::string::npos)
        << error_of(R"({"homeassistant": {"discovery": "devices"}})");
    EXPECT_NE(error_of(R"({"homeassistant": {"discovery": 1}})").find("/homeassistant/discovery"),
              std::string::npos);
}
