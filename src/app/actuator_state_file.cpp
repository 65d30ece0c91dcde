#include "app/actuator_state_file.hpp"
// SPDX-License-Identifier: Apache-2.0
#include "app/state_file.hpp"
#include "config/config_error.hpp"
#include "config/state_directory.hpp"

namespace piogate::app {
namespace {

const state_file_format format{"actuator", "piogate actuator state file", "state", "cut short?"};

using kind_t = actuator_state_file::kind_t;

actuator_state_file from(const state_file_read& r) {
    if (r.kind != kind_t::own) return {r.kind, false, r.reason};
    if (!r.value.is_string() || (r.value != "ON" && r.value != "OFF"))
        return {kind_t::corrupted, false, "has no \"state\" that is \"ON\" or \"OFF\""};
    return {kind_t::own, r.value == "ON", {}};
}

}  // namespace

std::string encode_actuator_state(const std::string& id, bool state) {
    return encode_state_file(format, id, state ? "ON" : "OFF");
}

actuator_state_file decode_actuator_state(std::string_view content, const std::string& id) {
    return from(decode_state_file(format, content, id));
}

actuator_state_file read_actuator_state(const std::string& path, const std::string& id) {
    return from(read_state_file(format, path, id));
}

util::result<void> write_actuator_state(const std::string& path, const std::string& id,
                                        bool state) {
    return write_actuator_text(path, id, encode_actuator_state(id, state));
}

util::result<void> write_actuator_text(const std::string& path, const std::string& id,
                                       const std::string& text) {
    return replace_state_file(format, path, id, text);
}

void check_actuator_state_files(const std::vector<config::actuator_config>& actuators) {
    for (const auto& a : actuators) {
        if (!a.restore) continue;
        const auto path = default_actuator_state_path(a.id);
        const auto f = read_actuator_state(path, a.id);
        if (f.kind != kind_t::foreign) continue;
        throw config::config_error(a.path + "/initial",
                                   "state file \"" + path + "\" " + f.reason +
                                       "; piogate will not use or overwrite it "
                                       "(move it away)");
    }
}

std::string default_actuator_state_path(const std::string& id) {
    return config::state_file_path("actuator-" + id + ".json");
}

}  // namespace piogate::app
