// gpio_provider over the libgpiod 1.x C API (Debian 12: 1.6.3), kernel GPIO character device
// uAPI v1.
//
// - Lines are found by listing every chip (gpio_lookup.hpp), then opened by chip + offset.
// - Inputs with edges are requested for both edges whatever the subscription: the software
//   debounce needs both to know which level held, and the edge filter runs after it
//   (edge_delivery). uAPI v1 has no kernel debounce.
// - Missed events: uAPI v1 events carry no sequence number, and the kernel drops the newest
//   events silently when its 16-event queue is full. Two edges of the same direction in a row
//   prove that at least one was lost, and so does a full queue whose last event disagrees with
//   the line's level read right after it (that level is then delivered, so the state never
//   stays stale). `missed` counts such proofs (1 each): an estimate, not a count. libgpiod 2.x
//   (line seqno) counts exactly.
// - Timestamps are CLOCK_MONOTONIC on kernels 5.7+ (older ones used CLOCK_REALTIME; the
//   debounce then falls back to the loop's clock, see edge_delivery.hpp).
#include <gpiod.h>
// SPDX-License-Identifier: Apache-2.0
#include <cerrno>

#include "hw/gpio_lookup.hpp"
#include "hw/linux/gpio_common.hpp"
#include "hw/linux/linux_gpio.hpp"

namespace piogate::hw {
namespace {

using linux_backend::c_handle;
using linux_backend::errno_error;
using linux_backend::throw_errno;

using chip_ptr = c_handle<gpiod_chip, gpiod_chip_close>;
using line_claim = c_handle<gpiod_line, gpiod_line_release>;  // a requested line

chip_ptr open_chip(const std::string& path) {
    errno = 0;
    chip_ptr chip(gpiod_chip_open(path.c_str()));
    if (!chip) throw_errno(path, "open", errno ? errno : ENODEV);
    return chip;
}

std::string consumer_of(gpiod_line* line) {
    if (!gpiod_line_is_used(line)) return {};
    const char* c = gpiod_line_consumer(line);
    return c && *c ? c : "kernel";
}

chip_info describe(const std::string& path, gpiod_chip* chip) {
    const char* name = gpiod_chip_name(chip);
    const char* label = gpiod_chip_label(chip);
    chip_info info{path, name ? name : "", label ? label : "", {}};
    const unsigned n = gpiod_chip_num_lines(chip);
    for (unsigned off = 0; off < n; ++off) {
        gpiod_line* line = gpiod_chip_get_line(chip, off);
        if (!line) throw_errno(info.name + ":" + std::to_string(off), "read line info", errno);
        const char* line_name = gpiod_line_name(line);
        info.lines.push_back({off, line_name ? line_name : "", consumer_of(line),
                              gpiod_line_direction(line) == GPIOD_LINE_DIRECTION_OUTPUT,
                              gpiod_line_active_state(line) == GPIOD_LINE_ACTIVE_STATE_LOW});
    }
    return info;
}

std::vector<chip_info> scan_chips() {
    std::vector<chip_info> chips;
    for (const auto& path : linux_backend::gpiochip_paths()) {
        auto chip = open_chip(path);
        chips.push_back(describe(path, chip.get()));
    }
    return chips;
}

int bias_flags(bias b) {
    switch (b) {
        case bias::as_is:
            return 0;
        case bias::disabled:
            return GPIOD_LINE_REQUEST_FLAG_BIAS_DISABLE;
        case bias::pull_up:
            return GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_UP;
        case bias::pull_down:
            return GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_DOWN;
    }
    return 0;
}

int drive_flags(drive d) {
    switch (d) {
        case drive::push_pull:
            return 0;
        case drive::open_drain:
            return GPIOD_LINE_REQUEST_FLAG_OPEN_DRAIN;
        case drive::open_source:
            return GPIOD_LINE_REQUEST_FLAG_OPEN_SOURCE;
    }
    return 0;
}

// A requested line and the chip it came from (the line object belongs to the chip).
struct claimed_line {
    std::string name;  // gpiochip0:GPIO17
    chip_ptr chip;
    line_claim line;
};

// Finds the line, checks it is free, and requests it with `type` and `flags`.
claimed_line claim(const line_address& address, const char* operation, int type, int flags,
                   int initial) {
    const auto chips = scan_chips();
    const line_location loc = locate_line(chips, address, operation);
    const chip_info& info = chips[loc.chip];
    claimed_line out{line_display_name(info, loc.offset), open_chip(info.path), nullptr};
    if (const auto& held = info.lines[loc.offset].consumer; !held.empty())
        throw_line_busy(out.name, operation, held);
    gpiod_line* line = gpiod_chip_get_line(out.chip.get(), loc.offset);
    if (!line) throw_errno(out.name, operation, errno);
    const gpiod_line_request_config config{gpio_consumer, type, flags};
    if (gpiod_line_request(line, &config, initial) < 0) {
        const int err = errno;
        if (err == EBUSY) {  // taken between the listing and the request
            gpiod_line_update(line);
            throw_line_busy(out.name, operation, consumer_of(line));
        }
        throw_errno(out.name, operation, err);
    }
    out.line.reset(line);
    return out;
}

constexpr int kernel_queue = 16;  // events the v1 uAPI queues per line request

bool read_events(gpiod_line* line, int fd, std::vector<linux_backend::raw_edge>& out,
                 std::optional<bool>& last) {
    gpiod_line_event events[kernel_queue];
    const int n = gpiod_line_event_read_fd_multiple(fd, events, kernel_queue);
    if (n < 0) return false;
    for (int i = 0; i < n; ++i) {
        const bool level = events[i].event_type == GPIOD_LINE_EVENT_RISING_EDGE;
        const auto ts = std::chrono::seconds(events[i].ts.tv_sec) +
                        std::chrono::nanoseconds(events[i].ts.tv_nsec);
        out.push_back({level, ts, last == level ? 1u : 0u});  // same direction twice: one lost
        last = level;
    }
    // A full queue may have overflowed, and v1 drops the newest events: the last one read can
    // be stale. The line's level now is the truth; if it differs, edges were lost.
    if (n == kernel_queue) {
        const int now = gpiod_line_get_value(line);
        if (now >= 0 && last != (now == 1)) {
            out.push_back({now == 1, std::chrono::steady_clock::now().time_since_epoch(), 1});
            last = now == 1;
        }
    }
    return true;
}

class v1_input final : public gpio_input {
public:
    v1_input(boost::asio::io_context& io, const input_config& config) {
        const int type = config.edges == edge::none ? GPIOD_LINE_REQUEST_DIRECTION_INPUT
                                                    : GPIOD_LINE_REQUEST_EVENT_BOTH_EDGES;
        const int flags =
            bias_flags(config.pull) | (config.active_low ? GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW : 0);
        claimed_ = claim(config.line, "request input", type, flags, 0);
        const int level = gpiod_line_get_value(claimed_.line.get());
        if (level < 0) throw_errno(claimed_.name, "read", errno);
        if (config.edges == edge::none) return;
        const int fd = gpiod_line_event_get_fd(claimed_.line.get());
        if (fd < 0) throw_errno(claimed_.name, "get the event descriptor", errno);
        reader_ = std::make_unique<linux_backend::edge_reader>(
            io, claimed_.name, fd,
            [line = claimed_.line.get(), last = std::optional<bool>()](
                int fd, std::vector<linux_backend::raw_edge>& out) mutable {
                return read_events(line, fd, out, last);
            },
            config.edges, config.debounce, level == 1);
    }

    const std::string& name() const override { return claimed_.name; }

    util::result<bool> value() override {
        if (reader_ && reader_->failure()) return *reader_->failure();
        const int v = gpiod_line_get_value(claimed_.line.get());
        if (v < 0) return errno_error(claimed_.name, "read", errno);
        return v == 1;
    }

    void on_edge(std::function<void(const edge_event&)> handler) override {
        if (reader_) reader_->set_handler(std::move(handler));
    }

private:
    claimed_line claimed_;
    std::unique_ptr<linux_backend::edge_reader> reader_;  // destroyed first, before the release
};

class v1_output final : public gpio_output {
public:
    explicit v1_output(const output_config& config)
        : claimed_(claim(config.line, "request output", GPIOD_LINE_REQUEST_DIRECTION_OUTPUT,
                         drive_flags(config.mode) |
                             (config.active_low ? GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW : 0),
                         config.initial ? 1 : 0)) {}

    const std::string& name() const override { return claimed_.name; }

    util::result<void> set(bool level) override {
        if (gpiod_line_set_value(claimed_.line.get(), level ? 1 : 0) < 0)
            return errno_error(claimed_.name, level ? "set to 1" : "set to 0", errno);
        return {};
    }

    util::result<bool> get() override {
        const int v = gpiod_line_get_value(claimed_.line.get());
        if (v < 0) return errno_error(claimed_.name, "read back", errno);
        return v == 1;
    }

private:
    claimed_line claimed_;
};

class v1_provider final : public gpio_provider {
public:
    explicit v1_provider(boost::asio::io_context& io) : io_(io) {}

    std::unique_ptr<gpio_input> request_input(const input_config& config) override {
        return std::make_unique<v1_input>(io_, config);
    }
    std::unique_ptr<gpio_output> request_output(const output_config& config) override {
        return std::make_unique<v1_output>(config);
    }
    std::vector<chip_info> list_chips() override { return scan_chips(); }

private:
    boost::asio::io_context& io_;
};

}  // namespace

std::unique_ptr<gpio_provider> make_linux_gpio(boost::asio::io_context& io) {
    return std::make_unique<v1_provider>(io);
}

}  // namespace piogate::hw
