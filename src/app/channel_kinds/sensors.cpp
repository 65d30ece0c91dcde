// The sensors ("sensors" in the config): one sensor_channel per entry (sensor_channel.hpp),
// its driver from the entry's sensor kind (app/sensor_kinds/: each I2C chip or sysfs reader is
// a kind of its own there, with its keys, quantities and Home Assistant mapping), its blocking
// work on the worker the driver names (channel_services::workers). A sensor keeps running
// across a reload only when nothing about it changed, its topic prefix included; any other is
// retired (a job in flight keeps it alive until done) and made again ("restarted").
// SPDX-License-Identifier: Apache-2.0
#include "app/channel_kinds/registry.hpp"
#include "app/channel_list.hpp"
#include "app/sensor_channel.hpp"
#include "app/sensor_factory.hpp"

namespace piogate::app {
namespace {

const log::logger reload_log("reload");

using sensor_ptr = std::shared_ptr<sensor_channel>;

sensor_ptr make_sensor_channel(channel_services& s, const config::sensor_config& c) {
    auto driver = make_sensor(s.hardware, c);
    auto& w = s.workers[driver.worker];
    if (!w) w = std::make_unique<hw::i2c_worker>(s.io, driver.worker);
    return std::make_shared<sensor_channel>(s.time, s.host, c, std::move(driver), *w);
}

class sensor_group final : public list_group<sensor_ptr, config::sensor_config> {
public:
    sensor_group(channel_services& s, const config::piogate_config& cfg)
        : list_group({"sensor", "restarted",
                      [this](const sensor_ptr& ch, const config::sensor_config& c) {
                          return same_prefix_ && detail::same_but_path(ch->config(), c);
                      },
                      nullptr, [](const sensor_ptr& ch, bool) { ch->retire(); },
                      [&s](const config::sensor_config& c) { return make_sensor_channel(s, c); }},
                     reload_log, s.started, cfg, &sensors_of),
          host_(s.host) {}
    void release_unkept(const config::piogate_config& next,
                        std::vector<std::string>& changes) override {
        // The host's prefix is still the running config's.
        same_prefix_ = next.mqtt.topic_prefix == host_.prefix();
        list_group::release_unkept(next, changes);
    }

private:
    static const std::vector<config::sensor_config>& sensors_of(const config::piogate_config& c) {
        return c.sensors;
    }

    channel_host& host_;
    bool same_prefix_ = true;  // read by the keep rule, on reloads only (after construction)
};

// Their Home Assistant entities come from their sensor kinds' quantities (discovery.cpp).
class sensor_channel_kind final : public channel_group_kind {
public:
    std::string_view name() const override { return "sensor"; }
    status_noun status() const override { return {"sensor", 0, true}; }
    std::size_t count(const config::piogate_config& cfg) const override {
        return cfg.sensors.size();
    }
    std::unique_ptr<channel_group> make(channel_services& s,
                                        const config::piogate_config& cfg) const override {
        return std::make_unique<sensor_group>(s, cfg);
    }
};

}  // namespace

const channel_group_kind& kinds::sensor_channels_kind() {
    static const sensor_channel_kind kind;
    return kind;
}

}  // namespace piogate::app
