// list_group (app/channel_list.hpp), the channel_group every kind's group derives from: a
// channel per entry of its section, reloaded in two phases, and the lifetime rule the PWM
// group relies on: hardware held in a base listed before list_group is made before the first
// channel and destroyed after the last (pwm_output.cpp holds its controller so).
#include <gtest/gtest.h>
// SPDX-License-Identifier: Apache-2.0
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/channel_list.hpp"
#include "config/config.hpp"

using namespace piogate;

namespace {

std::vector<std::string> events;

struct probe_config {
    std::string id;
    int setting = 0;
    std::string path;

    bool operator==(const probe_config&) const = default;
};

// Only here to give the entries a kind (piogate_config::set_entries).
class probe_kind final : public config::entries_kind<probe_config> {
public:
    const char* section() const override { return "probes"; }

protected:
    probe_config read_entry(config::object_reader& r,
                            const std::vector<probe_config>& before) const override {
        return {read_unique_id(r, before, "probe"), 0, {}};
    }
};
const probe_kind kind;

struct hardware {
    hardware() { events.push_back("hardware made"); }
    ~hardware() { events.push_back("hardware gone"); }
    int users = 0;
};

class probe final : public app::channel {
public:
    probe(probe_config c, hardware& hw) : c_(std::move(c)), hw_(hw) {
        ++hw_.users;
        events.push_back("channel " + c_.id + " made");
    }
    ~probe() override {
        --hw_.users;  // a use-after-free here if the hardware went first (ASan)
        events.push_back("channel " + c_.id + " gone");
    }
    const std::string& id() const override { return c_.id; }
    void start() override { events.push_back("channel " + c_.id + " started"); }
    const probe_config& config() const { return c_; }

private:
    probe_config c_;
    hardware& hw_;
};

using probe_ptr = std::unique_ptr<probe>;

class hardware_holder {
public:
    hardware& get() {
        if (!hw_) hw_.emplace();
        return *hw_;
    }

private:
    std::optional<hardware> hw_;
};

const log::logger test_log("test");

// Shaped like pwm_output.cpp's pwm_group.
class probe_group final : private hardware_holder, public app::list_group<probe_ptr, probe_config> {
public:
    probe_group(const bool& started, const config::piogate_config& cfg)
        : list_group({"probe", "restarted",
                      [](const probe_ptr& ch, const probe_config& c) {
                          return app::detail::same_but_path(ch->config(), c);
                      },
                      nullptr, nullptr,
                      [hw = static_cast<hardware_holder*>(this)](const probe_config& c) {
                          return std::make_unique<probe>(c, hw->get());
                      }},
                     test_log, started, cfg) {}
    ~probe_group() override { events.push_back("group gone"); }
};

config::piogate_config with(std::vector<probe_config> probes) {
    config::piogate_config cfg;
    cfg.set_entries(kind, std::move(probes));
    return cfg;
}

std::vector<std::string> ids(const app::channel_group& g) {
    std::vector<app::channel*> listed;
    g.list(listed);
    std::vector<std::string> out;
    for (const auto* c : listed) out.push_back(c->id());
    return out;
}

}  // namespace

TEST(list_group,
     makes_reloads_and_lists_the_entries_of_its_section_with_its_hardware_outliving_them) {
    events.clear();
    bool started = false;
    {
        probe_group group(started, with({{"a", 1, "/probes/0"}, {"b", 1, "/probes/1"}}));
        EXPECT_EQ(ids(group), (std::vector<std::string>{"a", "b"}));
        EXPECT_EQ(events,
                  (std::vector<std::string>{"hardware made", "channel a made", "channel b made"}));
        events.clear();

        started = true;  // a channel a reload makes now starts at once
        const auto next =
            with({{"c", 1, "/probes/0"}, {"a", 1, "/probes/1"}, {"b", 2, "/probes/2"}});
        std::vector<std::string> changes;
        group.release_unkept(next, changes);
        group.make_missing(next, changes);
        EXPECT_EQ(ids(group), (std::vector<std::string>{"c", "a", "b"}));
        EXPECT_EQ(changes, (std::vector<std::string>{"probe c added", "probe b restarted"}));
        EXPECT_EQ(events,
                  (std::vector<std::string>{"channel b gone", "channel c made", "channel c started",
                                            "channel b made", "channel b started"}));
        events.clear();
    }
    // The derived group's members first, then the channels, then the hardware, last.
    ASSERT_EQ(events.size(), 5u);
    EXPECT_EQ(events.front(), "group gone");
    EXPECT_EQ(events.back(), "hardware gone");
}

TEST(list_group, an_absent_section_makes_no_channel_and_no_hardware) {
    events.clear();
    bool started = false;
    {
        probe_group group(started, config::piogate_config{});
        EXPECT_TRUE(ids(group).empty());
    }
    EXPECT_EQ(events, (std::vector<std::string>{"group gone"}));
}
