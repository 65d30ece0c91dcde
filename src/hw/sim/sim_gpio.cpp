#include "hw/sim/sim_gpio.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/post.hpp>
#include <mutex>
#include <stdexcept>

#include "hw/edge_delivery.hpp"
#include "hw/gpio_lookup.hpp"
#include "util/asio_scheduler.hpp"

namespace piogate::hw {
namespace detail {

struct sim_input_state {
    sim_input_state(util::scheduler& time, const input_config& config, bool initial)
        : delivery(time, config.edges, config.debounce, initial), active_low(config.active_low) {}
    edge_delivery delivery;
    bool active_low;
};

struct sim_line {
    std::string name;
    std::optional<bool> external;  // driven from outside (set_input, patterns)
    bool bias_level = false;       // what the line reads when nothing drives it
    std::string consumer;          // empty when free
    bool output = false;
    bool out_level = false;  // physical, while an output
    bool active_low = false;
    std::weak_ptr<sim_input_state> input;

    bool level() const { return output ? out_level : external.value_or(bias_level); }
};

struct sim_chip {
    std::string name;
    std::string label;
    std::vector<sim_line> lines;
};

struct sim_board {
    sim_board(boost::asio::any_io_executor ex, std::shared_ptr<util::scheduler> owned,
              util::scheduler& t)
        : executor(std::move(ex)), owned_time(std::move(owned)), time(t) {}

    boost::asio::any_io_executor executor;
    std::shared_ptr<util::scheduler> owned_time;  // the real clock, when none was injected
    util::scheduler& time;
    mutable std::mutex mutex;
    std::vector<sim_chip> chips;

    // Callers hold the mutex.
    std::vector<chip_info> infos() const {
        std::vector<chip_info> out;
        for (const auto& c : chips) {
            chip_info info{"/dev/" + c.name, c.name, c.label, {}};
            for (unsigned off = 0; off < c.lines.size(); ++off) {
                const auto& l = c.lines[off];
                info.lines.push_back({off, l.name, l.consumer, l.output, l.active_low});
            }
            out.push_back(std::move(info));
        }
        return out;
    }
    sim_line& at(const line_location& loc) { return chips[loc.chip].lines[loc.offset]; }
    const sim_line& at(const line_location& loc) const { return chips[loc.chip].lines[loc.offset]; }

    // For the test side: "GPIO17" or "gpiochip0:17"; unknown lines are a programming error.
    line_location find(std::string_view text) const {
        line_address address;
        if (auto colon = text.find(':'); colon != std::string_view::npos) {
            address.chip = std::string(text.substr(0, colon));
            address.line = std::string(text.substr(colon + 1));
        } else {
            address.line = std::string(text);
        }
        try {
            return locate_line(infos(), address, "simulate");
        } catch (const std::runtime_error& e) {
            throw std::invalid_argument(e.what());
        }
    }

    // Drives a line from outside; posts the new level to a requested input when it changed.
    void drive(const line_location& loc, bool level) {
        const auto stamp = time.now().time_since_epoch();
        std::lock_guard lock(mutex);
        auto& line = at(loc);
        const bool before = line.level();
        line.external = level;
        const bool after = line.level();
        if (before == after) return;
        // Posted under the lock so events keep the order of the calls across threads.
        boost::asio::post(executor, [weak = line.input, after, stamp] {
            if (auto s = weak.lock()) s->delivery.feed(after != s->active_low, stamp);
        });
    }

    void release(const line_location& loc) {
        std::lock_guard lock(mutex);
        auto& line = at(loc);
        line.consumer.clear();
        line.output = false;
        line.active_low = false;
        line.input.reset();
    }

    // Claims a free line for piogate (callers hold the mutex).
    line_location claim(const line_address& address, const char* operation, std::string& name) {
        const auto all = infos();
        const line_location loc = locate_line(all, address, operation);
        name = line_display_name(all[loc.chip], loc.offset);
        auto& line = at(loc);
        if (!line.consumer.empty()) throw_line_busy(name, operation, line.consumer);
        line.consumer = gpio_consumer;
        return loc;
    }
};

}  // namespace detail

namespace {

using detail::sim_board;

class sim_input final : public gpio_input {
public:
    sim_input(std::shared_ptr<sim_board> board, line_location loc, std::string name,
              std::shared_ptr<detail::sim_input_state> state)
        : board_(std::move(board)), loc_(loc), name_(std::move(name)), state_(std::move(state)) {}
    ~sim_input() override { board_->release(loc_); }

    const std::string& name() const override { return name_; }
    util::result<bool> value() override {
        std::lock_guard lock(board_->mutex);
        return board_->at(loc_).level() != state_->active_low;
    }
    void on_edge(std::function<void(const edge_event&)> handler) override {
        state_->delivery.set_handler(std::move(handler));
    }

private:
    std::shared_ptr<sim_board> board_;
    line_location loc_;
    std::string name_;
    std::shared_ptr<detail::sim_input_state> state_;
};

class sim_output final : public gpio_output {
public:
    sim_output(std::shared_ptr<sim_board> board, line_location loc, std::string name)
        : board_(std::move(board)), loc_(loc), name_(std::move(name)) {}
    ~sim_output() override { board_->release(loc_); }

    const std::string& name() const override { return name_; }
    util::result<void> set(bool level) override {
        std::lock_guard lock(board_->mutex);
        auto& line = board_->at(loc_);
        line.out_level = level != line.active_low;
        return {};
    }
    util::result<bool> get() override {
        std::lock_guard lock(board_->mutex);
        const auto& line = board_->at(loc_);
        return line.out_level != line.active_low;
    }

private:
    std::shared_ptr<sim_board> board_;
    line_location loc_;
    std::string name_;
};

}  // namespace

struct sim_gpio::pattern {
    explicit pattern(util::scheduler& time) : timer(time.make_timer()) {}
    std::unique_ptr<util::timer> timer;
    util::steady_time due;  // of the step armed last
    line_location loc;
    std::vector<sim_step> steps;
    bool repeat = false;
    bool toggle = false;
    std::size_t next = 0;
};

sim_gpio::sim_gpio(boost::asio::io_context& io) {
    auto time = std::make_shared<util::asio_scheduler>(io);
    auto& t = *time;
    board_ = std::make_shared<sim_board>(io.get_executor(), std::move(time), t);
}

sim_gpio::sim_gpio(boost::asio::io_context& io, util::scheduler& time)
    : board_(std::make_shared<sim_board>(io.get_executor(), nullptr, time)) {}

sim_gpio::~sim_gpio() = default;  // patterns_ go first: their timers are cancelled

void sim_gpio::add_chip(std::string name, std::string label, std::vector<std::string> line_names) {
    detail::sim_chip chip{std::move(name), std::move(label), {}};
    for (auto& n : line_names) {
        detail::sim_line line;
        line.name = std::move(n);
        chip.lines.push_back(std::move(line));
    }
    std::lock_guard lock(board_->mutex);
    board_->chips.push_back(std::move(chip));
}

void sim_gpio::add_raspberry_pi_chip() {
    std::vector<std::string> names;
    for (int i = 0; i < 28; ++i) names.push_back("GPIO" + std::to_string(i));
    add_chip("gpiochip0", "pinctrl-bcm2835", std::move(names));
}

void sim_gpio::set_input(std::string_view line, bool level) {
    line_location loc;
    {
        std::lock_guard lock(board_->mutex);
        loc = board_->find(line);
    }
    board_->drive(loc, level);
}

bool sim_gpio::level(std::string_view line) const {
    std::lock_guard lock(board_->mutex);
    return board_->at(board_->find(line)).level();
}

std::optional<bool> sim_gpio::output_level(std::string_view line) const {
    std::lock_guard lock(board_->mutex);
    const auto& l = board_->at(board_->find(line));
    if (!l.output) return std::nullopt;
    return l.out_level;
}

void sim_gpio::hold_line(std::string_view line, std::string consumer) {
    std::lock_guard lock(board_->mutex);
    auto& l = board_->at(board_->find(line));
    if (l.consumer == gpio_consumer)
        throw std::invalid_argument("sim gpio " + std::string(line) + ": requested by piogate");
    l.consumer = std::move(consumer);
}

std::unique_ptr<gpio_input> sim_gpio::request_input(const input_config& config) {
    std::lock_guard lock(board_->mutex);
    std::string name;
    const auto loc = board_->claim(config.line, "request input", name);
    auto& line = board_->at(loc);
    if (config.pull == bias::pull_up) line.bias_level = true;
    if (config.pull == bias::pull_down) line.bias_level = false;
    line.active_low = config.active_low;
    auto state = std::make_shared<detail::sim_input_state>(board_->time, config,
                                                           line.level() != config.active_low);
    line.input = state;
    return std::make_unique<sim_input>(board_, loc, std::move(name), std::move(state));
}

std::unique_ptr<gpio_output> sim_gpio::request_output(const output_config& config) {
    std::lock_guard lock(board_->mutex);
    std::string name;
    const auto loc = board_->claim(config.line, "request output", name);
    auto& line = board_->at(loc);
    line.output = true;
    line.active_low = config.active_low;
    line.out_level = config.initial != config.active_low;
    return std::make_unique<sim_output>(board_, loc, std::move(name));
}

std::vector<chip_info> sim_gpio::list_chips() {
    std::lock_guard lock(board_->mutex);
    return board_->infos();
}

void sim_gpio::toggle_every(std::string_view line, std::chrono::milliseconds period) {
    start(line, {{period, false}}, true, true);
}

void sim_gpio::play(std::string_view line, std::vector<sim_step> steps, bool repeat) {
    start(line, std::move(steps), repeat, false);
}

void sim_gpio::stop(std::string_view line) {
    std::string name;
    {
        std::lock_guard lock(board_->mutex);
        const auto loc = board_->find(line);
        name = line_display_name(board_->infos()[loc.chip], loc.offset);
    }
    patterns_.erase(name);
}

void sim_gpio::start(std::string_view line, std::vector<sim_step> steps, bool repeat, bool toggle) {
    auto p = std::make_shared<pattern>(board_->time);
    std::string name;
    {
        std::lock_guard lock(board_->mutex);
        p->loc = board_->find(line);
        name = line_display_name(board_->infos()[p->loc.chip], p->loc.offset);
    }
    p->steps = std::move(steps);
    p->repeat = repeat;
    p->toggle = toggle;
    patterns_[name] = p;  // replaces (and so cancels) an earlier pattern on the line
    if (p->steps.empty()) return;
    p->due = board_->time.now();
    schedule(p);
}

void sim_gpio::schedule(const std::shared_ptr<pattern>& p) {
    // Steps count from the previous step's due time, so a pattern does not drift.
    p->due += p->steps[p->next].after;
    p->timer->wait_until(p->due, [this, weak = std::weak_ptr<pattern>(p)] {
        auto p = weak.lock();
        if (!p) return;  // a live pattern means a live sim_gpio: it owns the patterns
        bool level = p->steps[p->next].level;
        if (p->toggle) {
            std::lock_guard lock(board_->mutex);
            level = !board_->at(p->loc).external.value_or(board_->at(p->loc).level());
        }
        board_->drive(p->loc, level);
        if (++p->next == p->steps.size()) {
            if (!p->repeat) return;
            p->next = 0;
        }
        schedule(p);
    });
}

}  // namespace piogate::hw
