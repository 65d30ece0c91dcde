#include "config/channel_kind.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <map>
#include <stdexcept>
#include <utility>

namespace piogate::config {
namespace {

const channel_kind_table* installed = nullptr;

}  // namespace

void install_channel_kinds(const channel_kind_table& kinds) {
    installed = &kinds;
}

const channel_kind_table& installed_channel_kinds() {
    if (!installed) {
        throw std::logic_error(
            "no channel kinds installed: call app::install_channel_kinds() first");
    }
    return *installed;
}

void check_line_claims(const std::vector<entry_facts>& entries) {
    std::map<std::pair<std::string, std::string>, const std::string*> claimed;
    for (const auto& e : entries) {
        if (!e.line) continue;
        const auto& [chip, line] = *e.line;
        auto [it, fresh] = claimed.emplace(std::make_pair(chip, line), &e.path);
        if (!fresh) {
            throw config_error(e.path + "/line", "line " + (chip.empty() ? "" : chip + ":") + line +
                                                     " is already claimed by " + *it->second);
        }
    }
}

void check_role_ids(const std::vector<entry_facts>& entries) {
    std::map<std::string, const std::string*> sources;
    std::map<std::string, const std::string*> switchables;
    auto check = [](std::map<std::string, const std::string*>& seen, const entry_facts& e,
                    const char* noun) {
        auto [it, fresh] = seen.emplace(e.id, &e.path);
        if (!fresh) {
            throw config_error(e.path + "/id", std::string(noun) + " id \"" + e.id +
                                                   "\" is already used by " + *it->second);
        }
    };
    for (const auto& e : entries) {
        if (e.binary_source && e.switchable) {
            throw std::logic_error(e.path + ": a kind's entry is both a rule's source and target");
        }
        if (e.binary_source) check(sources, e, "input");
        if (e.switchable) check(switchables, e, "actuator");
    }
}

const entry_facts* find_binary_source(const std::vector<entry_facts>& entries,
                                      const std::string& id) {
    for (const auto& e : entries) {
        if (e.binary_source && e.id == id) return &e;
    }
    return nullptr;
}

const entry_facts* find_switchable(const std::vector<entry_facts>& entries, const std::string& id) {
    for (const auto& e : entries) {
        if (e.switchable && e.id == id) return &e;
    }
    return nullptr;
}

}  // namespace piogate::config
