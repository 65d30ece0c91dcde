#include "app/preflight_gpio.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <map>
#include <utility>

#include "hw/gpio_lookup.hpp"
#include "hw/linux/linux_gpio.hpp"

namespace piogate::app {
namespace {

struct claim {
    std::string path;  // JSON path of the entry ("/inputs/0", "/counters/1", "/board/patterns/1")
    hw::line_address address;
    bool pattern = false;  // a simulated input pattern: drives a line, does not claim it
};

std::vector<claim> claims_of(const config::piogate_config& config) {
    std::vector<claim> out;
    for (const auto& e : config.channel_facts()) {
        if (e.line) out.push_back({e.path, {e.line->chip, e.line->line}});
    }
    if (config.board.kind == config::board_config::kind_t::sim) {
        for (std::size_t i = 0; i < config.board.patterns.size(); ++i) {
            // "GPIO17" or "gpiochip0:17", as hw::sim_gpio reads it.
            const std::string& text = config.board.patterns[i].line;
            const auto colon = text.find(':');
            hw::line_address a =
                colon == std::string::npos
                    ? hw::line_address{"", text}
                    : hw::line_address{text.substr(0, colon), text.substr(colon + 1)};
            out.push_back({"/board/patterns/" + std::to_string(i), std::move(a), true});
        }
    }
    return out;
}

// "GPIO22", or "gpiochip0 line 22" for an offset: how the entry spelt the line.
std::string spelling(const hw::line_address& a) {
    return a.chip.empty() ? "\"" + a.line + "\""
                          : "chip \"" + a.chip + "\" line \"" + a.line + "\"";
}

}  // namespace

std::vector<hw::chip_info> sim_chip_infos(const config::board_config& board) {
    std::vector<hw::chip_info> out;
    for (const auto& chip : board.gpio) {
        hw::chip_info info{"/dev/" + chip.name, chip.name, chip.label, {}};
        for (unsigned i = 0; i < chip.lines; ++i)
            info.lines.push_back({i, "GPIO" + std::to_string(i), {}, false, false});
        out.push_back(std::move(info));
    }
    return out;
}

void check_gpio_lines(const config::piogate_config& config, const std::vector<hw::chip_info>& chips,
                      bool complete) {
    if (chips.empty() && !complete) return;  // nothing to resolve against: start-up decides
    std::map<std::pair<std::size_t, unsigned>, const claim*> claimed;
    const auto all = claims_of(config);
    for (const auto& c : all) {
        const hw::line_lookup found = hw::find_line(chips, c.address);
        if (!found.location) {
            using miss = hw::line_lookup::miss;
            if (!complete && found.missing == miss::chip) continue;  // may be plugged in later
            const bool chip_part = found.missing == miss::chip;
            const std::string where =
                complete ? "not on the simulated board: " : "not on this machine: ";
            throw config::config_error(c.path + (chip_part ? "/chip" : "/line"),
                                       where + found.reason);
        }
        if (c.pattern) continue;
        const auto key = std::make_pair(found.location->chip, found.location->offset);
        auto [it, fresh] = claimed.emplace(key, &c);
        if (!fresh) {
            const claim& first = *it->second;
            throw config::config_error(
                c.path + "/line", "line " + hw::line_display_name(chips[key.first], key.second) +
                                      " is already claimed by " + first.path + " (as " +
                                      spelling(first.address) + "; here as " + spelling(c.address) +
                                      ")");
        }
    }
}

void check_gpio_lines(const config::piogate_config& config) {
    if (config.board.kind == config::board_config::kind_t::sim) {
        check_gpio_lines(config, sim_chip_infos(config.board), true);
        return;
    }
    const auto facts = config.channel_facts();
    if (std::none_of(facts.begin(), facts.end(), [](const auto& e) { return e.line.has_value(); }))
        return;
    std::vector<hw::chip_info> chips;
    try {
        boost::asio::io_context io;  // the provider needs one; nothing is requested or run
        chips = hw::make_linux_gpio(io)->list_chips();
    } catch (const std::exception&) {
        return;  // chips that cannot be listed (permissions): start-up names the problem
    }
    check_gpio_lines(config, chips, false);
}

}  // namespace piogate::app
