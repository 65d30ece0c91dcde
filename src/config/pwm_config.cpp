#include "config/pwm_config.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <map>
#include <set>

namespace piogate::config {

std::vector<pwm_config> read_pwm_configs(object_reader& parent) {
    std::vector<pwm_config> out;
    std::set<std::string> ids;
    std::map<std::pair<unsigned, unsigned>, std::string> claimed;
    parent.for_each("pwm", [&](const json& j, const std::string& path) {
        object_reader r(j, path);
        pwm_config c;
        c.path = path;
        c.id = r.get_id("id");
        if (!ids.insert(c.id).second) r.fail("id", "duplicate pwm id \"" + c.id + "\"");
        c.chip = static_cast<unsigned>(r.get_int("chip", 0, 1023, 0));
        c.channel = static_cast<unsigned>(r.get_int("channel", 0, 1023));
        if (auto [it, fresh] = claimed.emplace(std::make_pair(c.chip, c.channel), path); !fresh) {
            r.fail("channel", "pwmchip" + std::to_string(c.chip) + " channel " +
                                  std::to_string(c.channel) + " is already used by " + it->second);
        }
        c.frequency_hz = r.get_number("frequency_hz", 0.1, 100e6, 1000);
        c.inversed = r.get_choice("polarity", {"normal", "inversed"}, 0) == 1;
        c.initial = r.get_number("initial", 0, 100, 0);
        c.failsafe = r.get_number("failsafe", 0, 100, c.initial);
        c.failsafe_after = std::chrono::milliseconds(
            static_cast<std::int64_t>(r.get_number("failsafe_after_s", 0, 86400 * 7, 0) * 1000));
        c.ramp = std::chrono::milliseconds(r.get_int("ramp_ms", 0, 3'600'000, 0));
        c.accept_retained = r.get_bool("accept_retained", false);
        const std::vector<std::string> entities{"light", "number"};
        c.homeassistant = entities[r.get_choice("homeassistant", entities, 0)];
        r.finish();
        out.push_back(std::move(c));
    });
    return out;
}

}  // namespace piogate::config
