// Component tier: the proof at run time that a kind of channel is its own file plus a line in
// the table (issue 11 §1). `gadget_kind` below is a whole kind, config side and channels,
// defined in this file only and run by the unchanged gateway through a test table (the app's
// kinds, then it: gateway_environment::kinds). A gadget entry with "output": true is switchable
// (a rule's "actuator", an interlock member), any other a binary source (a rule's "input").
// Local rules fed by a GPIO input and by a sensor's threshold drive a gadget, a gadget drives a
// GPIO actuator, and a reload that puts a gadget and an actuator that are both ON into one
// interlock group switches the gadget OFF: the gateway finds them by role, not by kind.
//
// The board: the simulated GPIO chip (GPIO17 toggles every 500 ms) and an MCP9808 at 20 °C,
// on virtual time; a fake MQTT link (component/fake_link.hpp).
#include <gtest/gtest.h>
// SPDX-License-Identifier: Apache-2.0
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "app/board.hpp"
#include "app/channel_kinds/registry.hpp"
#include "app/channel_list.hpp"
#include "app/channel_roles.hpp"
#include "app/gateway_impl.hpp"
#include "component/fake_link.hpp"
#include "component/state_dir.hpp"
#include "component/virtual_loop.hpp"
#include "config/config.hpp"
#include "hw/sim/sim_gpio.hpp"

using namespace piogate;
using namespace std::chrono_literals;

namespace {

const log::logger test_log("gadget");

// "gadgets": [{"id": ..., "output": bool, "initial": bool}]
struct gadget_config {
    std::string id;
    bool output = false;
    bool initial = false;
    std::string path;

    bool operator==(const gadget_config&) const = default;
};

// A gadget: publishes its state / level on PREFIX/gadgets/ID (retained), asks the interlock
// before switching ON and publishes a refusal on PREFIX/gadgets/ID/error, like an actuator.
class gadget final : public app::channel, public app::binary_source, public app::switchable {
public:
    gadget(app::channel_services& s, gadget_config c)
        : s_(s), c_(std::move(c)), on_(c_.output && c_.initial), pulse_(s.time.make_timer()) {
        if (c_.output) s_.interlock.changed(c_.id, on_, s_.time.now());
    }

    // channel
    const std::string& id() const override { return c_.id; }
    void announce() override { publish(); }
    app::binary_source* as_binary_source() override { return c_.output ? nullptr : this; }
    app::switchable* as_switchable() override { return c_.output ? this : nullptr; }

    // binary_source
    void on_level_change(change_fn callback) override { on_change_ = std::move(callback); }
    bool level() const override { return on_; }
    // The test's hand on a source: a new level, published, then the callback.
    void set_level(bool level) {
        on_ = level;
        publish();
        if (on_change_) on_change_(on_);
    }

    // switchable
    bool state() const override { return on_; }
    std::string switch_to(bool target, std::optional<std::chrono::milliseconds> pulse) override {
        if (auto d = s_.interlock.check(c_.id, target, s_.time.now()); !d.allowed) {
            s_.host.publish(topic() + "/error", "refused: " + d.reason, 1, false);
            return d.reason;
        }
        set(target);
        if (pulse) pulse_->wait_for(*pulse, [this, target] { set(!target); });
        return {};
    }

    const gadget_config& config() const { return c_; }

private:
    std::string topic() const { return s_.host.prefix() + "/gadgets/" + c_.id; }
    void publish() { s_.host.publish(topic(), on_ ? "ON" : "OFF", 1, true); }
    void set(bool on) {
        on_ = on;
        s_.interlock.changed(c_.id, on_, s_.time.now());
        publish();
    }

    app::channel_services& s_;
    gadget_config c_;
    bool on_;
    std::unique_ptr<util::timer> pulse_;
    change_fn on_change_;
};

using gadget_ptr = std::unique_ptr<gadget>;

class gadget_group final : public app::list_group<gadget_ptr, gadget_config> {
public:
    gadget_group(app::channel_services& s, const config::piogate_config& cfg)
        : list_group({"gadget",
                      "role changed",
                      [](const gadget_ptr& g, const gadget_config& c) {
                          return g->config().output == c.output;
                      },
                      {},
                      {},
                      [&s](const gadget_config& c) { return std::make_unique<gadget>(s, c); }},
                     test_log, s.started, cfg) {}
};

class gadget_kind final : public app::entries_channel_kind<gadget_config> {
public:
    std::string_view name() const override { return "gadget"; }
    status_noun status() const override { return {"gadget", 10, false}; }
    const char* section() const override { return "gadgets"; }
    std::unique_ptr<app::channel_group> make(app::channel_services& s,
                                             const config::piogate_config& cfg) const override {
        return std::make_unique<gadget_group>(s, cfg);
    }

protected:
    gadget_config read_entry(config::object_reader& r,
                             const std::vector<gadget_config>& before) const override {
        gadget_config c;
        c.id = read_unique_id(r, before, "gadget");
        c.output = r.get_bool("output", false);
        c.initial = r.get_bool("initial", false);
        return c;
    }
    void facts_of(const gadget_config& c, config::entry_facts& f) const override {
        if (c.output) {
            f.switchable = config::switch_states{c.initial, false};
        } else {
            f.binary_source = true;
        }
    }
};

const gadget_kind gadgets;

// The test table: the app's kinds, then the gadgets; installed for config loading while it
// lives (then the app's table again), and handed to the gateway.
class with_gadgets {
public:
    with_gadgets() : kinds_(app::channel_group_kinds()) {
        kinds_.push_back(&gadgets);
        for (const auto* k : kinds_) {
            if (const auto* c = k->config_kind()) table_.push_back(c);
        }
        config::install_channel_kinds(table_);
    }
    ~with_gadgets() { app::install_channel_kinds(); }
    const std::vector<const app::channel_group_kind*>& kinds() const { return kinds_; }

private:
    std::vector<const app::channel_group_kind*> kinds_;
    config::channel_kind_table table_;
};

const char* const board_json = R"("board": {"kind": "sim", "i2c": [{"bus": 1, "devices": [
    {"model": "mcp9808", "address": "0x18", "temperature": 20.0}]}],
    "patterns": [{"line": "GPIO17", "toggle_every_ms": 500}]})";

// The board above, "mqtt" with prefix "gw", and `rest` (JSON members after a comma).
config::piogate_config config_with(const std::string& rest) {
    return config::parse_config(
        config::json::parse("{" + std::string(board_json) + R"(, "mqtt": {"topic_prefix": "gw"},
        )" + rest + "}"));
}

struct fixture {
    explicit fixture(const std::string& rest)
        : cfg(config_with(rest)),
          board(loop.io, cfg.board, &loop.time),
          gw(loop.io, cfg, board,
             app::gateway_environment{&loop.time, broker.factory(), &table.kinds()}) {
        loop.watch([this] {
            std::size_t n = gw.states.pending();
            for (const auto& [name, w] : gw.workers) n += w->pending();
            if (gw.sync_worker) n += gw.sync_worker->pending();
            return n;
        });
        gw.start();
        broker.current->up();
        loop.settle();
    }
    ~fixture() {
        bool done = false;
        gw.stop([&] { done = true; });
        loop.settle();
        EXPECT_TRUE(done);
    }
    // The gadget channel with this id (the test knows its class; the gateway does not).
    gadget& find(const std::string& id) const {
        for (auto* c : gw.channels) {
            if (auto* g = dynamic_cast<gadget*>(c); g && g->id() == id) return *g;
        }
        ADD_FAILURE() << "no gadget " << id;
        throw std::runtime_error("no gadget " + id);
    }
    std::vector<std::string> payloads(const std::string& topic, std::size_t from = 0) const {
        std::vector<std::string> out;
        for (std::size_t i = from; i < broker.sent.size(); ++i) {
            if (broker.sent[i].m.topic == topic) out.push_back(broker.sent[i].m.payload);
        }
        return out;
    }
    bool line(const char* name) { return board.sim_gpio()->output_level(name).value_or(false); }

    with_gadgets table;  // first: the config below is read with it, the gateway holds its kinds
    component::state_dir dir;
    component::virtual_loop loop;
    component::fake_broker broker{loop};
    config::piogate_config cfg;
    app::board board;
    app::gateway::impl gw;
};

}  // namespace

TEST(channel_roles_component, a_rule_from_a_gpio_input_drives_a_switchable_of_a_new_kind) {
    fixture f(R"("inputs": [{"id": "door", "line": "GPIO17", "debounce_ms": 5}],
        "gadgets": [{"id": "valve", "output": true}],
        "rules": [{"input": "door", "actuator": "valve", "action": "follow"}])");
    gadget& valve = f.find("valve");
    // GPIO17 toggles every 500 ms (debounced 5 ms): the valve follows the door's level,
    // change by change, looked at halfway between two changes.
    f.loop.advance(250ms);
    const std::size_t from = f.broker.sent.size();
    for (int i = 0; i < 4; ++i) {
        f.loop.advance(500ms);
        const auto door = f.payloads("gw/inputs/door", from);
        ASSERT_EQ(door.size(), static_cast<std::size_t>(i + 1));
        EXPECT_EQ(valve.state(), door.back() == "ON") << "after change " << i;
    }
    EXPECT_EQ(f.payloads("gw/gadgets/valve", from), f.payloads("gw/inputs/door", from));
}

TEST(channel_roles_component, a_sensor_threshold_rule_drives_a_switchable_of_a_new_kind) {
    // 20 °C < 25: the heating rule switches the gadget ON at the first reading.
    fixture f(R"("sensors": [{"id": "desk", "type": "mcp9808", "bus": 1, "address": "0x18",
                              "interval_s": 10}],
        "gadgets": [{"id": "heater", "output": true}],
        "rules": [{"sensor": "desk", "quantity": "temperature", "actuator": "heater",
                   "on_below": 25, "off_above": 26}])");
    f.loop.advance(11s);
    EXPECT_TRUE(f.find("heater").state());
    EXPECT_EQ(f.payloads("gw/gadgets/heater").back(), "ON");
}

TEST(channel_roles_component, a_binary_source_of_a_new_kind_drives_a_gpio_actuator) {
    fixture f(R"("actuators": [{"id": "pump", "line": "GPIO22"}],
        "gadgets": [{"id": "float_switch"}],
        "rules": [{"input": "float_switch", "actuator": "pump", "action": "follow"}])");
    EXPECT_FALSE(f.line("GPIO22"));
    f.find("float_switch").set_level(true);
    f.loop.settle();
    EXPECT_TRUE(f.line("GPIO22"));
    EXPECT_EQ(f.payloads("gw/actuators/pump/state").back(), "ON");
    f.find("float_switch").set_level(false);
    f.loop.settle();
    EXPECT_FALSE(f.line("GPIO22"));
}

TEST(channel_roles_component, rule_actions_on_a_new_kind_go_through_the_interlock_and_reloads) {
    const std::string channels = R"("inputs": [{"id": "door", "line": "GPIO17", "debounce_ms": 5}],
        "actuators": [{"id": "pump", "line": "GPIO22", "initial": "ON"}],
        "gadgets": [{"id": "valve", "output": true}, {"id": "horn", "output": true}],
        "rules": [{"input": "door", "actuator": "valve", "action": "follow"},
                  {"input": "door", "actuator": "horn", "action": "follow"}])";
    fixture f(channels + R"(, "interlocks": [{"actuators": ["pump", "horn"]}])");
    // The door goes ON (at 505 ms): the valve follows; the pump is ON, so the interlock
    // refuses the horn's ON, which the horn publishes itself.
    f.loop.advance(600ms);
    EXPECT_EQ(f.payloads("gw/inputs/door").back(), "ON");
    gadget& valve = f.find("valve");
    EXPECT_TRUE(valve.state());
    EXPECT_FALSE(f.find("horn").state());
    EXPECT_EQ(f.payloads("gw/gadgets/horn/error"),
              std::vector<std::string>{
                  "refused: " + f.gw.interlock.check("horn", true, f.loop.time.now()).reason});

    // A reload puts the pump and the valve, both ON, into one group: the valve (after the
    // pump in the group) goes OFF, found by its role.
    const std::string summary = f.gw.reload(config_with(
        channels +
        R"(, "interlocks": [{"actuators": ["pump", "horn"]}, {"actuators": ["pump", "valve"]}])"));
    f.loop.settle();
    EXPECT_NE(summary.find("interlocks changed"), std::string::npos) << summary;
    EXPECT_EQ(&f.find("valve"), &valve);  // kept, not remade
    EXPECT_FALSE(valve.state());
    EXPECT_EQ(f.payloads("gw/gadgets/valve").back(), "OFF");
    EXPECT_TRUE(f.line("GPIO22"));
}
