// Pulse counters ("counters" in the config, config/counter_config.cpp): one counter_channel
// per entry (counter_channel.hpp), total and rate on PREFIX/counters/ID, the total kept in the
// state directory; two Home Assistant sensors each (discovery_outputs.hpp). A counter whose
// settings are all the same keeps counting across a reload; any other is saved and released
// (its destructor), and made again from its state file ("restarted").
// SPDX-License-Identifier: Apache-2.0
#include "app/channel_kinds/registry.hpp"
#include "app/channel_list.hpp"
#include "app/counter_channel.hpp"
#include "app/discovery_outputs.hpp"

namespace piogate::app {
namespace {

const log::logger app_log("app");

using counter_ptr = std::unique_ptr<counter_channel>;

class counter_group final : public channel_group {
public:
    counter_group(channel_services& s, const config::piogate_config& cfg)
        : list_({"counter", "restarted",
                 [](const counter_ptr& ch, const config::counter_config& c) {
                     return detail::same_but_path(ch->config(), c);
                 },
                 nullptr, nullptr,
                 [&s](const config::counter_config& c) {
                     return std::make_unique<counter_channel>(s.time, s.host, c, s.hardware.gpio(),
                                                              s.states);
                 }},
                app_log, s.started) {
        list_.build(cfg.counters);
    }
    void release_unkept(const config::piogate_config& next,
                        std::vector<std::string>& changes) override {
        list_.release_unkept(next.counters, changes);
    }
    void make_missing(const config::piogate_config& next,
                      std::vector<std::string>& changes) override {
        list_.make_missing(next.counters, changes);
    }
    void list(std::vector<channel*>& out) const override { list_.list(out); }

private:
    channel_list<counter_ptr, config::counter_config> list_;
};

class counter_kind final : public channel_group_kind {
public:
    std::string_view name() const override { return "counter"; }
    status_noun status() const override { return {"counter", 4, false}; }
    std::unique_ptr<channel_group> make(channel_services& s,
                                        const config::piogate_config& cfg) const override {
        return std::make_unique<counter_group>(s, cfg);
    }
    void entities(const config::piogate_config& cfg, std::vector<kind_entity>& out) const override {
        for (const auto& c : cfg.counters) {
            for (auto& o : counter_entities(cfg.mqtt.topic_prefix, c)) {
                out.push_back({o.component, "counter_" + c.id + o.suffix,
                               "counter/" + c.id + o.suffix, std::move(o.payload)});
            }
        }
    }
};

}  // namespace

const channel_group_kind& kinds::pulse_counter_kind() {
    static const counter_kind kind;
    return kind;
}

}  // namespace piogate::app
