#include "app/gateway.hpp"

#include <boost/asio/steady_timer.hpp>
#include <algorithm>
#include <ctime>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "app/command.hpp"
#include "app/sensor_factory.hpp"
#include "hw/i2c_worker.hpp"
#include "log/log.hpp"
#include "piogate/mqtt/async_client.hpp"
#include "util/backoff.hpp"

namespace piogate::app {
namespace asio = boost::asio;
using namespace std::chrono_literals;

std::string iso8601_utc(std::chrono::system_clock::time_point t) {
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch());
    const std::time_t secs = static_cast<std::time_t>(ms.count() / 1000);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[96];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                  static_cast<int>(ms.count() % 1000));
    return buf;
}

namespace {

const log::logger app_log("app");
const log::logger mqtt_log("mqtt");


mqtt::client_options client_options_of(const config::mqtt_config& m) {
    mqtt::client_options o;
    o.client_id = m.client_id;
    o.clean_session = m.clean_session;
    o.protocol = m.protocol == "3.1" ? mqtt::protocol_version::v31 : mqtt::protocol_version::v311;
    if (m.tls.enabled) {
        mqtt::tls_options t;
        t.ca_file = m.tls.ca_file;
        t.cert_file = m.tls.cert_file;
        t.key_file = m.tls.key_file;
        t.insecure = m.tls.insecure;
        o.tls = t;
    }
    if (!m.username.empty()) o.username = m.username;
    if (!m.password_file.empty()) {
        std::ifstream in(m.password_file);
        std::string password;
        if (!in || !std::getline(in, password)) {
            throw std::runtime_error("mqtt password_file '" + m.password_file + "' cannot be read");
        }
        o.password = password;
    }
    o.will = mqtt::will_message{m.topic_prefix + "/status", "offline", 1, true};
    o.reconnect_min_delay = m.reconnect_min;
    o.reconnect_max_delay = m.reconnect_max;
    o.max_queued = m.max_queued;
    o.when_full = m.drop_oldest ? mqtt::queue_full_policy::drop_oldest : mqtt::queue_full_policy::reject;
    return o;
}

}  // namespace

struct gateway::impl {
    struct channel {
        config::sensor_config config;
        std::unique_ptr<hw::sensor> sensor;
        hw::i2c_worker* worker = nullptr;
        std::unique_ptr<asio::steady_timer> timer;
        bool opened = false;
        bool busy = false;
        bool failing = false;
        util::backoff retry{1s, 60s};
    };

    struct input_channel {
        config::input_config config;
        std::unique_ptr<hw::gpio_input> input;
        bool level = false;
    };
    struct actuator_channel {
        config::actuator_config config;
        std::unique_ptr<hw::gpio_output> output;
        bool state = false;
        std::unique_ptr<asio::steady_timer> pulse;
    };

    impl(asio::io_context& io_, const config::piogate_config& cfg, board& hw_board)
        : io(io_), config(cfg), client(io_, client_options_of(cfg.mqtt)) {
        setup_gpio(hw_board.gpio());
        for (const auto& s : cfg.sensors) {
            auto& w = workers[s.bus];
            if (!w) w = std::make_unique<hw::i2c_worker>(io, "i2c-" + s.bus);
            auto bus = hw_board.i2c(s.bus);
            buses.push_back(bus);
            auto ch = std::make_unique<channel>();
            ch->config = s;
            ch->sensor = make_sensor(*bus, s);
            ch->worker = w.get();
            ch->timer = std::make_unique<asio::steady_timer>(io);
            channels.push_back(std::move(ch));
        }
        client.on_log = [](mqtt::log_level level, std::string_view text) {
            switch (level) {
                case mqtt::log_level::error: mqtt_log.error(text); break;
                case mqtt::log_level::warning: mqtt_log.warning(text); break;
                case mqtt::log_level::debug: mqtt_log.debug(text); break;
                default: mqtt_log.info(text); break;
            }
        };
        client.on_connect = [this](int rc, bool) {
            if (rc != 0) return;
            client.publish(prefix() + "/status", "online", 1, true);
            for (auto& in : inputs) publish_input(*in);
            for (auto& a : actuators) publish_state(*a);
        };
        if (!actuators.empty()) {
            client.subscribe(prefix() + "/actuators/+/set", 1);
            client.message_callback_add(prefix() + "/actuators/+/set",
                                        [this](const mqtt::message& m) { on_command(m); });
        }
    }

    static hw::line_address address(const std::string& chip, const std::string& line) {
        return hw::line_address{chip, line};
    }

    void setup_gpio(hw::gpio_provider& gpio) {
        for (const auto& c : config.inputs) {
            hw::input_config k;
            k.line = address(c.chip, c.line);
            k.edges = c.edges == "rising" ? hw::edge::rising : c.edges == "falling" ? hw::edge::falling : hw::edge::both;
            k.pull = c.bias == "pull_up"     ? hw::bias::pull_up
                     : c.bias == "pull_down" ? hw::bias::pull_down
                     : c.bias == "disabled"  ? hw::bias::disabled
                                             : hw::bias::as_is;
            k.active_low = c.active_low;
            k.debounce = c.debounce;
            auto ch = std::make_unique<input_channel>();
            ch->config = c;
            ch->input = gpio.request_input(k);
            if (auto v = ch->input->value()) ch->level = *v;
            input_channel* raw = ch.get();
            ch->input->on_edge([this, raw](const hw::edge_event& ev) {
                if (ev.missed > 0) {
                    app_log.warning("input " + raw->config.id + ": " + std::to_string(ev.missed) +
                                            " edge events were lost by the kernel");
                }
                raw->level = ev.level;
                publish_input(*raw);
            });
            inputs.push_back(std::move(ch));
        }
        for (const auto& c : config.actuators) {
            hw::output_config k;
            k.line = address(c.chip, c.line);
            k.initial = c.initial;
            k.active_low = c.active_low;
            k.mode = c.drive == "open_drain"    ? hw::drive::open_drain
                     : c.drive == "open_source" ? hw::drive::open_source
                                                : hw::drive::push_pull;
            auto ch = std::make_unique<actuator_channel>();
            ch->config = c;
            ch->output = gpio.request_output(k);
            ch->state = c.initial;
            ch->pulse = std::make_unique<asio::steady_timer>(io);
            actuators.push_back(std::move(ch));
        }
    }

    void publish_input(input_channel& in) {
        client.publish(prefix() + "/inputs/" + in.config.id, in.level ? "ON" : "OFF", 1, true);
    }

    void publish_state(actuator_channel& a) {
        client.publish(prefix() + "/actuators/" + a.config.id + "/state", a.state ? "ON" : "OFF", 1, true);
    }

    bool apply(actuator_channel& a, bool level) {
        if (auto r = a.output->set(level); !r) {
            app_log.error("actuator " + a.config.id + ": " + r.err().message);
            client.publish(prefix() + "/actuators/" + a.config.id + "/error", r.err().message, 1, true);
            return false;
        }
        a.state = level;
        publish_state(a);
        return true;
    }

    void on_command(const mqtt::message& m) {
        const std::string base = prefix() + "/actuators/";
        const std::string_view topic = m.topic;
        const std::string id(topic.substr(base.size(), topic.size() - base.size() - 4));
        auto it = std::find_if(actuators.begin(), actuators.end(),
                               [&](const auto& a) { return a->config.id == id; });
        if (it == actuators.end()) {
            app_log.warning("command for unknown actuator on " + std::string(topic) + " ignored");
            return;
        }
        actuator_channel& a = **it;
        if (m.retain && !a.config.accept_retained) {
            app_log.info("retained command on " + std::string(topic) + " ignored (accept_retained is off)");
            return;
        }
        std::string why;
        auto cmd = parse_command(m.payload, why);
        if (!cmd) {
            app_log.warning("bad command on " + std::string(topic) + ": " + why + ": \"" +
                                    truncate_payload(m.payload) + "\"");
            return;
        }
        const bool target = cmd->what == command::action::toggle ? !a.state : cmd->what == command::action::on;
        a.pulse->cancel();
        if (!apply(a, target) || !cmd->pulse) return;
        a.pulse->expires_after(*cmd->pulse);
        a.pulse->async_wait([this, &a, target](const boost::system::error_code& ec) {
            if (!ec && !stopping) apply(a, !target);
        });
    }

    std::string prefix() const { return config.mqtt.topic_prefix; }

    void start() {
        client.connect(config.mqtt.host, config.mqtt.port, config.mqtt.keepalive,
                       config.mqtt.bind_address);
        for (auto& ch : channels) open(*ch);
    }

    void open(channel& ch) {
        ch.busy = true;
        hw::sensor* sensor = ch.sensor.get();
        ch.worker->submit([sensor] { return sensor->open(); }, [this, &ch](util::result<void> r) {
            ch.busy = false;
            if (stopping) return;
            if (!r) {
                fail(ch, r.err().message);
                schedule(ch, ch.retry.next(), false);
                return;
            }
            ch.opened = true;
            schedule(ch, 0ms, true);
        });
    }

    void schedule(channel& ch, std::chrono::milliseconds delay, bool measure_next) {
        ch.timer->expires_after(delay);
        ch.timer->async_wait([this, &ch, measure_next](const boost::system::error_code& ec) {
            if (ec || stopping) return;
            if (measure_next) {
                measure(ch);
            } else {
                open(ch);
            }
        });
    }

    void measure(channel& ch) {
        if (ch.busy) return;
        ch.busy = true;
        const auto started = std::chrono::steady_clock::now();
        hw::sensor* sensor = ch.sensor.get();
        ch.worker->submit([sensor] { return sensor->measure(); },
                          [this, &ch, started](util::result<hw::reading> r) {
                              ch.busy = false;
                              if (stopping) return;
                              if (!r) {
                                  fail(ch, r.err().message);
                                  schedule(ch, std::min(ch.retry.next(), ch.config.interval), true);
                                  return;
                              }
                              publish_reading(ch, *r);
                              const auto next = started + ch.config.interval;
                              schedule(ch, std::chrono::duration_cast<std::chrono::milliseconds>(
                                               std::max(next - std::chrono::steady_clock::now(),
                                                        std::chrono::steady_clock::duration{})),
                                       true);
                          });
    }

    void publish_reading(channel& ch, const hw::reading& r) {
        nlohmann::json j = nlohmann::json::object();
        for (const auto& m : r) j[m.name] = m.value;
        j["ts"] = iso8601_utc(std::chrono::system_clock::now());
        const std::string topic = prefix() + "/sensors/" + ch.config.id;
        client.publish(topic, j.dump(), 1, false);
        if (ch.failing) {
            ch.failing = false;
            ch.retry.reset();
            app_log.info("sensor " + ch.config.id + " recovered");
            client.publish(topic + "/error", "", 1, true);  // clears the retained error
        }
    }

    void fail(channel& ch, const std::string& reason) {
        if (!ch.failing) {
            app_log.warning("sensor " + ch.config.id + ": " + reason,
                     {{"PIOGATE_CHANNEL", ch.config.id}});
            client.publish(prefix() + "/sensors/" + ch.config.id + "/error", reason, 1, true);
        }
        ch.failing = true;
    }

    void stop(std::function<void()> done) {
        stopping = true;
        for (auto& ch : channels) ch->timer->cancel();
        for (auto& a : actuators) {
            a->pulse->cancel();
            apply(*a, a->config.failsafe);
        }
        client.publish(prefix() + "/status", "offline", 1, true);
        client.on_disconnect = [done](std::error_code) { done(); };
        client.disconnect();
        if (!client.is_connected()) {
            client.on_disconnect = nullptr;
            asio::post(io, done);
        }
    }

    asio::io_context& io;
    config::piogate_config config;
    mqtt::async_client client;
    std::map<std::string, std::unique_ptr<hw::i2c_worker>> workers;
    std::vector<std::shared_ptr<hw::i2c_bus>> buses;
    std::vector<std::unique_ptr<channel>> channels;
    std::vector<std::unique_ptr<input_channel>> inputs;
    std::vector<std::unique_ptr<actuator_channel>> actuators;
    bool stopping = false;
};

gateway::gateway(asio::io_context& io, const config::piogate_config& config, board& hardware)
    : impl_(std::make_unique<impl>(io, config, hardware)) {}

gateway::~gateway() = default;

void gateway::start() { impl_->start(); }

void gateway::stop(std::function<void()> done) { impl_->stop(std::move(done)); }

}  // namespace piogate::app
