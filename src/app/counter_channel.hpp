// A pulse counter channel: edges of a GPIO input counted by pulse_counter, published every
// interval_s on PREFIX/counters/ID as retained JSON {"total":12.345,"rate":0.96,"count":12345}
// (total in the configured unit, rate in unit per hour or minute), the count kept in its
// state file (counter_store.hpp) at most every persist_every_s and at shutdown/removal,
// through the gateway's state_file_writer (the fsync on its worker, never on the loop).
//
// Thread: the event loop's. Errors: the constructor throws std::runtime_error when the line
// cannot be requested or the state file is not piogate's (it is never overwritten); a
// corrupted state file is a warning naming it, and counting starts from 0. A failed save is
// logged (once per streak) and retried at the next persist_every_s.
//
// Time: the publish timer, the save spacing and the rate's "now" come from the injected
// scheduler (util/scheduler.hpp); edges carry timestamps on the same clock (the kernel's
// CLOCK_MONOTONIC, as steady_clock; the simulated board stamps them with its scheduler's time).
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "app/channel.hpp"
#include "app/channel_host.hpp"
#include "app/pulse_counter.hpp"
#include "app/state_file_writer.hpp"
#include "config/counter_config.hpp"
#include "hw/gpio.hpp"
#include "util/scheduler.hpp"

namespace piogate::app {

class counter_channel final : public channel {
public:
    // `time` and `states` must outlive the channel.
    counter_channel(util::scheduler& time, channel_host& host, config::counter_config config,
                    hw::gpio_provider& gpio, state_file_writer& states);
    ~counter_channel() override;  // saves an unsaved count

    void start() override;  // the publish timer
    void publish();

    // channel
    const std::string& id() const override { return config_.id; }
    void announce() override { publish(); }
    void stop(stop_pass pass) override {
        if (pass == stop_pass::engage) save();
    }

    // Hands the count to the writer now, if it changed since the last save (or that failed).
    void save();
    const config::counter_config& config() const { return config_; }
    std::uint64_t count() const { return counter_.count(); }

private:
    void tick();

    util::scheduler& time_;
    channel_host& host_;
    state_file_writer& states_;
    config::counter_config config_;
    pulse_counter counter_;
    std::unique_ptr<hw::gpio_input> input_;
    std::unique_ptr<util::timer> timer_;
    std::uint64_t saved_ = 0;
    util::steady_time last_save_;
    int decimals_ = 0;       // of the total
    int rate_decimals_ = 0;  // of the rate
};

// The decimals that show a multiple of `multiplier` exactly (0.001 -> 3; at most 9).
int decimals_of(double multiplier);

// The decimals of the rate: those of its resolution, one pulse over the window
// (multiplier * rate_per / rate_window, e.g. 0.001 kWh over 60 s per hour = 0.06 kW -> 1),
// by filters::decimals_for_resolution as for sensors. Pure.
int rate_decimals_of(const config::counter_config& c);

// The retained counter payload, {"count":N,"rate":R,"total":T}, numbers printed by
// filters::format_number (rounded, no binary noise such as 1.0799530000000001); decimals over
// filters::max_decimals (a multiplier finer than 1e-6) print the double as it is. Pure.
std::string counter_payload(std::uint64_t count, double total, int total_decimals, double rate,
                            int rate_decimals);

}  // namespace piogate::app
