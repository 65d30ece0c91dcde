// The PWM outputs and pulse counters of a gateway, with everything the gateway does to them
// (commands, announce, failsafe, reload, shutdown) behind one object, so that the gateway
// needs one line per hook. PWM hardware: /sys/class/pwm on a Linux board; on the simulated
// board a simulated controller, pwmchip0 with 4 channels, whose writes are logged at debug
// level ("simulated pwmchip0/pwm1: ...").
//
// Thread: the event loop's. Errors: the constructor throws like the channels do (start-up
// fails); reload() logs a channel that cannot be made and goes on without it.
#pragma once

#include <boost/asio/io_context.hpp>
#include <memory>
#include <string>
#include <vector>

#include "app/board.hpp"
#include "app/channel_host.hpp"
#include "app/counter_channel.hpp"
#include "app/pwm_channel.hpp"
#include "app/state_file_writer.hpp"
#include "config/config.hpp"
#include "hw/pwm.hpp"
#include "piogate/mqtt/async_client.hpp"

namespace piogate::app {

class extra_channels {
public:
    // `states` (the counters' totals) must outlive this.
    // `time`: the PWM outputs' ramps and failsafe delays; it must outlive this.
    extra_channels(boost::asio::io_context& io, util::scheduler& time, channel_host& host,
                   const config::piogate_config& cfg, board& hardware, state_file_writer& states);
    ~extra_channels();

    // Subscribes `client` to PREFIX/pwm/+/set and routes the commands here.
    void subscribe(mqtt::async_client& client, const std::string& prefix);
    void start();     // counters' publish timers
    void announce();  // PWM states and counter totals
    void broker_lost();
    void broker_back();
    void stop();  // shutdown: PWM failsafe duties, counters saved
    void reload(const config::piogate_config& next, std::vector<std::string>& changes);

    std::size_t pwm_count() const { return pwm_.size(); }
    std::size_t counter_count() const { return counters_.size(); }

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
};

}  // namespace piogate::app
