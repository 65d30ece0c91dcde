// A simulated board behind gpio_provider: chips with named lines, inputs driven by tests or the
// demo, outputs whose driven level tests can read, and the start-up errors of the real backend
// (line not found with similar names, line busy naming the consumer).
//
// Levels: set_input() and output_level() speak the physical (electrical) level, like gpio-sim's
// pull and value files; gpio_input/gpio_output speak logical levels (after active_low). A line
// nobody drives reads its bias: pull-up 1, otherwise 0 (or its last driven level).
// Events: a change of a requested input's level is posted to the io_context and delivered there
// through the shared edge_delivery (software debounce, edge filter), stamped with the
// scheduler's time at set_input(). Time: the real clock, or an injected scheduler (a virtual one
// in tests: then set_input() and the rest run on that scheduler's thread).
//
// Thread: set_input(), level(), output_level() and hold_line() may be called from any thread.
// Everything else (add_chip, requests, patterns, destruction) runs on the event-loop thread.
// Requested lines may outlive the sim_gpio (they share the board state).
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hw/gpio.hpp"
#include "util/scheduler.hpp"

namespace piogate::hw {

namespace detail {
struct sim_board;
}

// One step of a scripted input: after `after`, drive the line to `level` (physical).
struct sim_step {
    std::chrono::milliseconds after;
    bool level;
};

class sim_gpio final : public gpio_provider {
public:
    // Events are posted to `io`; debounce timers, stamps and patterns use `time`, which must
    // outlive the requested lines (without it: the real clock and timers on `io`).
    explicit sim_gpio(boost::asio::io_context& io);
    sim_gpio(boost::asio::io_context& io, util::scheduler& time);
    ~sim_gpio() override;
    sim_gpio(const sim_gpio&) = delete;
    sim_gpio& operator=(const sim_gpio&) = delete;

    // Set-up. A chip's lines are named in offset order ("" = unnamed); its path is /dev/<name>.
    void add_chip(std::string name, std::string label, std::vector<std::string> line_names);
    // gpiochip0 "pinctrl-bcm2835" with GPIO0..GPIO27, like a Raspberry Pi 4.
    void add_raspberry_pi_chip();

    // The outside world. `line` is a line address as in the configuration ("GPIO17",
    // "gpiochip0:17"); an unknown line throws std::invalid_argument.
    void set_input(std::string_view line, bool level);
    bool level(std::string_view line) const;  // physical, now
    std::optional<bool> output_level(
        std::string_view line) const;  // physical; nullopt unless an output
    // Another consumer holds the line (empty consumer: release it), for busy errors.
    void hold_line(std::string_view line, std::string consumer);

    // Scripted inputs, run by timers on the io_context until stopped or replaced:
    // `toggle_every` flips the level each period (a door contact that opens every 10 s);
    // `play` drives the steps in order, then starts again if `repeat`.
    void toggle_every(std::string_view line, std::chrono::milliseconds period);
    void play(std::string_view line, std::vector<sim_step> steps, bool repeat = false);
    void stop(std::string_view line);

    std::unique_ptr<gpio_input> request_input(const input_config& config) override;
    std::unique_ptr<gpio_output> request_output(const output_config& config) override;
    std::vector<chip_info> list_chips() override;

private:
    struct pattern;
    std::shared_ptr<detail::sim_board> board_;                  // shared with the requested lines
    std::map<std::string, std::shared_ptr<pattern>> patterns_;  // by line display name
    void start(std::string_view line, std::vector<sim_step> steps, bool repeat, bool toggle);
    void schedule(const std::shared_ptr<pattern>& p);
};

}  // namespace piogate::hw
