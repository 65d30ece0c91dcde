// The whole configuration file, parsed once into typed, validated structs.
// load_config() is what start-up and `piogate --check-config` both run.
//
// The sections of the channel kinds ("inputs", "actuators", "pwm", "counters", ...) are read
// by the kinds installed with install_channel_kinds() (config/channel_kind.hpp; the app's table
// is app/channel_kinds/registry.cpp), then checked together over their entries' facts: a GPIO
// line claimed once, the ids rules and interlocks name. "sensors" is read with the installed
// sensor kinds (config/sensor_kind.hpp).
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <string>

#include "config/board_config.hpp"
#include "config/buffer_config.hpp"
#include "config/channel_kind.hpp"
#include "config/homeassistant_config.hpp"
#include "config/interlock_config.hpp"
#include "config/mqtt_config.hpp"
#include "config/rule_config.hpp"
#include "config/sensor_config.hpp"

namespace piogate::config {

inline constexpr const char* default_config_path = "/etc/piogate/config.json";

struct piogate_config {
    mqtt_config mqtt;
    board_config board;
    std::vector<sensor_config> sensors;
    // One section per installed channel kind, in the table's order (no entries when the
    // file has none of them).
    std::vector<channel_section> channels;
    std::vector<interlock_config> interlocks;
    std::vector<rule_config> rules;
    buffer_config buffer;
    homeassistant_config homeassistant;
    std::string file;  // the file it was read from ("" = none), for later checks' messages

    // The entries of the channel kind whose entries are T's (one kind per entry type), empty
    // when there is no such section: cfg.entries<pwm_config>().
    template <class T>
    const std::vector<T>& entries() const {
        for (const auto& s : channels) {
            if (const auto* e = s.entries_if<T>()) return *e;
        }
        static const std::vector<T> none;
        return none;
    }
    // Replaces `kind`'s section, or adds it after the others (tests that build a config by
    // hand).
    template <class T>
    void set_entries(const channel_config_kind& kind, std::vector<T> entries) {
        auto s = channel_section::of(kind, std::move(entries));
        for (auto& old : channels) {
            if (old.kind() == &kind) {
                old = std::move(s);
                return;
            }
        }
        channels.push_back(std::move(s));
    }
    // The facts of every channel entry, kind after kind in section order.
    std::vector<entry_facts> channel_facts() const;
};

// Throws config_error naming the file, the JSON path, and for syntax errors line and column.
// The file must be a regular file of at most 1 MiB; a key repeated in an object is an error.
piogate_config load_config(const std::string& path);
piogate_config parse_config(const json& j);

}  // namespace piogate::config
