#include "app/counter_channel.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <cmath>
#include <stdexcept>

#include "app/counter_store.hpp"
#include "app/filters/precision.hpp"
#include "log/log.hpp"

namespace piogate::app {
namespace {

const log::logger counter_log("counter");

log::fields channel_field(const std::string& id) {
    return {{"PIOGATE_CHANNEL", id}};
}

pulse_counter_settings settings_of(const config::counter_config& c) {
    pulse_counter_settings s;
    s.multiplier = c.multiplier;
    s.min_interval = c.min_interval;
    s.window = c.rate_window;
    s.rate_per = c.rate_per == "min" ? std::chrono::nanoseconds(std::chrono::minutes(1))
                                     : std::chrono::nanoseconds(std::chrono::hours(1));
    return s;
}

// The count the state file holds (the newest saved, also one not on disk yet); throws for a
// file that is not ours.
std::uint64_t restore(const config::counter_config& c, const state_file_writer& states) {
    const auto unwritten = states.unwritten(c.state_file);
    auto f =
        unwritten ? decode_counter_state(*unwritten, c.id) : read_counter_file(c.state_file, c.id);
    switch (f.kind) {
        case counter_file::kind_t::absent:
            return 0;
        case counter_file::kind_t::own:
            counter_log.info("counter " + c.id + ": " + std::to_string(f.count) +
                                 " pulses restored from " + c.state_file,
                             channel_field(c.id));
            return f.count;
        case counter_file::kind_t::corrupted:
            counter_log.warning("counter " + c.id + ": state file " + c.state_file + " " +
                                    f.reason +
                                    "; counting starts from 0 and the file will be replaced",
                                channel_field(c.id));
            return 0;
        case counter_file::kind_t::foreign:
            break;
    }
    throw std::runtime_error(foreign_counter_file_message(c.state_file, f.reason));
}

hw::input_config request_of(const config::counter_config& c) {
    hw::input_config k;
    k.line = hw::line_address{c.chip, c.line};
    k.edges = c.edge == "rising" ? hw::edge::rising : hw::edge::falling;
    k.pull = c.bias == "pull_up"     ? hw::bias::pull_up
             : c.bias == "pull_down" ? hw::bias::pull_down
             : c.bias == "disabled"  ? hw::bias::disabled
                                     : hw::bias::as_is;
    k.active_low = c.active_low;
    k.debounce = c.debounce;
    return k;
}

}  // namespace

int decimals_of(double multiplier) {
    for (int d = 0; d < 9; ++d) {
        const double scaled = multiplier * std::pow(10.0, d);
        if (std::abs(scaled - std::round(scaled)) < 1e-9 * std::max(1.0, scaled)) return d;
    }
    return 9;
}

int rate_decimals_of(const config::counter_config& c) {
    const double per_s = std::chrono::duration<double>(settings_of(c).rate_per).count();
    const double window_s = std::chrono::duration<double>(c.rate_window).count();
    return filters::decimals_for_resolution(c.multiplier * per_s / window_s);
}

std::string counter_payload(std::uint64_t count, double total, int total_decimals, double rate,
                            int rate_decimals) {
    const auto places = [](int d) {
        return d <= filters::max_decimals ? std::optional<int>(d) : std::nullopt;
    };
    return "{\"count\":" + std::to_string(count) +
           ",\"rate\":" + filters::format_number(rate, places(rate_decimals)) +
           ",\"total\":" + filters::format_number(total, places(total_decimals)) + "}";
}

counter_channel::counter_channel(util::scheduler& time, channel_host& host,
                                 config::counter_config config, hw::gpio_provider& gpio,
                                 state_file_writer& states)
    : time_(time),
      host_(host),
      states_(states),
      config_(std::move(config)),
      counter_(settings_of(config_), restore(config_, states_), time_.now().time_since_epoch()),
      timer_(time_.make_timer()),
      saved_(counter_.count()),
      last_save_(time_.now()),
      decimals_(decimals_of(config_.multiplier)),
      rate_decimals_(rate_decimals_of(config_)) {
    input_ = gpio.request_input(request_of(config_));
    const bool rising = config_.edge == "rising";
    input_->on_edge([this, rising](const hw::edge_event& ev) {
        if (ev.missed > 0) {
            counter_log.warning("counter " + config_.id + ": " + std::to_string(ev.missed) +
                                    " edge events were lost by the kernel (not counted)",
                                channel_field(config_.id));
        }
        if (ev.level == rising) counter_.edge(ev.timestamp);
    });
}

counter_channel::~counter_channel() {
    timer_->cancel();
    save();
}

void counter_channel::start() {
    tick();
}

void counter_channel::tick() {
    timer_->wait_for(config_.interval, [this] {
        publish();
        if (time_.now() - last_save_ >= config_.persist_every) save();
        tick();
    });
}

void counter_channel::publish() {
    const auto payload =
        counter_payload(counter_.count(), counter_.total(), decimals_,
                        counter_.rate(time_.now().time_since_epoch()), rate_decimals_);
    host_.publish(host_.prefix() + "/counters/" + config_.id, payload, 1, true);
}

void counter_channel::save() {
    const auto& path = config_.state_file;
    if (counter_.count() == saved_ && !states_.failing(path)) return;
    last_save_ = time_.now();
    saved_ = counter_.count();
    // On the writer's worker; the report holds nothing of the channel (it may outlive it).
    states_.save(
        path, encode_counter_state(config_.id, saved_),
        [path, id = config_.id](const std::string& text) {
            return write_counter_text(path, id, text);
        },
        [id = config_.id](const util::result<void>& r, bool was_failing) {
            if (!r && !was_failing) {
                counter_log.error("counter " + id + ": cannot save the total: " + r.err().message,
                                  channel_field(id));
            } else if (r && was_failing) {
                counter_log.notice("counter " + id + ": saving works again", channel_field(id));
            }
        });
}

}  // namespace piogate::app
