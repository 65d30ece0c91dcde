// The PWM outputs and pulse counters of a gateway: they are made, reloaded and sent their
// commands here; the gateway starts, announces and stops them with its other channels
// (channel.hpp, through list()). PWM hardware: /sys/class/pwm on a Linux board; on the simulated
// board a simulated controller, pwmchip0 with 4 channels, whose writes are logged at debug
// level ("simulated pwmchip0/pwm1: ...").
//
// Thread: the event loop's. Errors: the constructor throws like the channels do (start-up
// fails); reload() logs a channel that cannot be made and goes on without it.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <boost/asio/io_context.hpp>
#include <memory>
#include <string>
#include <vector>

#include "app/board.hpp"
#include "app/channel_host.hpp"
#include "app/counter_channel.hpp"
#include "app/mqtt_link.hpp"
#include "app/pwm_channel.hpp"
#include "app/state_file_writer.hpp"
#include "config/config.hpp"
#include "hw/pwm.hpp"
#include "util/scheduler.hpp"

namespace piogate::app {

class extra_channels {
public:
    // `states` (the counters' totals) must outlive this.
    // `time`: the PWM outputs' ramps and failsafe delays, the counters' publish timers and
    // clock; it must outlive this.
    extra_channels(boost::asio::io_context& io, util::scheduler& time, channel_host& host,
                   const config::piogate_config& cfg, board& hardware, state_file_writer& states);
    ~extra_channels();

    // Subscribes `client` to PREFIX/pwm/+/set and routes the commands here.
    void subscribe(mqtt_link& client, const std::string& prefix);
    // Appends the channels, PWM outputs first, then the counters, each in config order.
    void list(std::vector<channel*>& out) const;
    // The gateway started its channels: a counter added by a later reload starts at once.
    void mark_started() { started_ = true; }
    void reload(const config::piogate_config& next, std::vector<std::string>& changes);

private:
    void command(const mqtt::message& m);
    hw::pwm_provider& pwm_hardware();

    boost::asio::io_context& io_;
    util::scheduler& time_;
    channel_host& host_;
    board& hardware_;
    state_file_writer& states_;
    std::unique_ptr<hw::pwm_provider> pwm_hw_;  // made on first use
    std::vector<std::unique_ptr<pwm_channel>> pwm_;
    std::vector<std::unique_ptr<counter_channel>> counters_;
    bool started_ = false;
    // Writes the counts of suppressed warnings (unknown PWM outputs' commands) after the window.
    std::unique_ptr<util::timer> limited_flush_ = time_.make_timer();
    bool limited_flush_armed_ = false;
};

}  // namespace piogate::app
