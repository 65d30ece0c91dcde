// gpio_provider over the libgpiod 2.x C API (Debian 13, bookworm-backports), kernel GPIO
// character device uAPI v2.
//
// - Lines are found by listing every chip (gpio_lookup.hpp), then requested by chip + offset.
//   A request outlives its chip handle, so the chip is closed right after the request.
// - Debounce is the kernel's (gpiod_line_settings_set_debounce_period_us; the kernel debounces
//   in software where the hardware cannot); if the kernel refuses it, the request is repeated
//   without it and the shared software debounce takes over. Inputs with edges are requested for
//   both edges; the subscription's filter runs afterwards (edge_delivery), as with v1.
// - Missed events: each event carries the line's sequence number; a gap is the number of events
//   the kernel dropped (its queue overflowed), reported exactly in edge_event::missed.
// - Timestamps: CLOCK_MONOTONIC, requested explicitly. With kernel debounce an event's time is
//   when the kernel accepted the level, not when it began.
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
using chip_info_ptr = c_handle<gpiod_chip_info, gpiod_chip_info_free>;
using line_info_ptr = c_handle<gpiod_line_info, gpiod_line_info_free>;
using settings_ptr = c_handle<gpiod_line_settings, gpiod_line_settings_free>;
using line_config_ptr = c_handle<gpiod_line_config, gpiod_line_config_free>;
using request_config_ptr = c_handle<gpiod_request_config, gpiod_request_config_free>;
using request_ptr = c_handle<gpiod_line_request, gpiod_line_request_release>;

constexpr std::size_t event_batch = 16;

chip_ptr open_chip(const std::string& path) {
    errno = 0;
    chip_ptr chip(gpiod_chip_open(path.c_str()));
    if (!chip) throw_errno(path, "open", errno ? errno : ENODEV);
    return chip;
}

std::string consumer_of(gpiod_line_info* line) {
    if (!gpiod_line_info_is_used(line)) return {};
    const char* c = gpiod_line_info_get_consumer(line);
    return c && *c ? c : "kernel";
}

chip_info describe(const std::string& path, gpiod_chip* chip) {
    chip_info_ptr ci(gpiod_chip_get_info(chip));
    if (!ci) throw_errno(path, "read chip info", errno);
    const char* name = gpiod_chip_info_get_name(ci.get());
    const char* label = gpiod_chip_info_get_label(ci.get());
    chip_info info{path, name ? name : "", label ? label : "", {}};
    const auto n = static_cast<unsigned>(gpiod_chip_info_get_num_lines(ci.get()));
    for (unsigned off = 0; off < n; ++off) {
        line_info_ptr li(gpiod_chip_get_line_info(chip, off));
        if (!li) throw_errno(info.name + ":" + std::to_string(off), "read line info", errno);
        const char* line_name = gpiod_line_info_get_name(li.get());
        info.lines.push_back(
            {off, line_name ? line_name : "", consumer_of(li.get()),
             gpiod_line_info_get_direction(li.get()) == GPIOD_LINE_DIRECTION_OUTPUT,
             gpiod_line_info_is_active_low(li.get())});
    }
    return info;
}

std::vector<chip_info> scan_chips() {
    std::vector<chip_info> chips;
    for (const auto& path : linux_backend::gpiochip_paths()) {
        if (!gpiod_is_gpiochip_device(path.c_str())) continue;
        auto chip = open_chip(path);
        chips.push_back(describe(path, chip.get()));
    }
    return chips;
}

gpiod_line_bias to_bias(bias b) {
    switch (b) {
        case bias::as_is:
            return GPIOD_LINE_BIAS_AS_IS;
        case bias::disabled:
            return GPIOD_LINE_BIAS_DISABLED;
        case bias::pull_up:
            return GPIOD_LINE_BIAS_PULL_UP;
        case bias::pull_down:
            return GPIOD_LINE_BIAS_PULL_DOWN;
    }
    return GPIOD_LINE_BIAS_AS_IS;
}

gpiod_line_drive to_drive(drive d) {
    switch (d) {
        case drive::push_pull:
            return GPIOD_LINE_DRIVE_PUSH_PULL;
        case drive::open_drain:
            return GPIOD_LINE_DRIVE_OPEN_DRAIN;
        case drive::open_source:
            return GPIOD_LINE_DRIVE_OPEN_SOURCE;
    }
    return GPIOD_LINE_DRIVE_PUSH_PULL;
}

struct located_line {
    std::string name;  // gpiochip0:GPIO17
    std::string path;
    unsigned offset = 0;
};

located_line locate(const line_address& address, const char* operation) {
    const auto chips = scan_chips();
    const line_location loc = locate_line(chips, address, operation);
    const chip_info& info = chips[loc.chip];
    located_line out{line_display_name(info, loc.offset), info.path, loc.offset};
    if (const auto& held = info.lines[loc.offset].consumer; !held.empty())
        throw_line_busy(out.name, operation, held);
    return out;
}

// Requests one line with `settings`; null and `err` when the kernel refuses.
request_ptr try_request(gpiod_chip* chip, unsigned offset, gpiod_line_settings* settings,
                        int& err) {
    line_config_ptr lines(gpiod_line_config_new());
    request_config_ptr config(gpiod_request_config_new());
    err = ENOMEM;
    if (!lines || !config) return nullptr;
    if (gpiod_line_config_add_line_settings(lines.get(), &offset, 1, settings) < 0) {
        err = errno;
        return nullptr;
    }
    gpiod_request_config_set_consumer(config.get(), gpio_consumer);
    gpiod_request_config_set_event_buffer_size(config.get(), 64);
    request_ptr request(gpiod_chip_request_lines(chip, config.get(), lines.get()));
    err = request ? 0 : errno;  // before the configs are freed
    return request;
}

[[noreturn]] void request_failed(gpiod_chip* chip, const located_line& where, const char* operation,
                                 int err) {
    if (err == EBUSY) {  // taken between the listing and the request
        line_info_ptr li(gpiod_chip_get_line_info(chip, where.offset));
        throw_line_busy(where.name, operation, li ? consumer_of(li.get()) : "another consumer");
    }
    throw_errno(where.name, operation, err);
}

settings_ptr new_settings(const std::string& name) {
    settings_ptr s(gpiod_line_settings_new());
    if (!s) throw_errno(name, "allocate line settings", errno);
    return s;
}

class v2_input final : public gpio_input {
public:
    v2_input(boost::asio::io_context& io, const input_config& config)
        : where_(locate(config.line, "request input")) {
        const char* op = "request input";
        auto chip = open_chip(where_.path);
        auto settings = new_settings(where_.name);
        gpiod_line_settings_set_direction(settings.get(), GPIOD_LINE_DIRECTION_INPUT);
        gpiod_line_settings_set_bias(settings.get(), to_bias(config.pull));
        gpiod_line_settings_set_active_low(settings.get(), config.active_low);
        const bool edges = config.edges != edge::none;
        if (edges) {
            gpiod_line_settings_set_edge_detection(settings.get(), GPIOD_LINE_EDGE_BOTH);
            gpiod_line_settings_set_event_clock(settings.get(), GPIOD_LINE_CLOCK_MONOTONIC);
        }
        auto software_debounce = config.debounce;
        if (config.debounce.count() > 0) {
            gpiod_line_settings_set_debounce_period_us(
                settings.get(),
                static_cast<unsigned long>(
                    std::chrono::duration_cast<std::chrono::microseconds>(config.debounce)
                        .count()));
            software_debounce = std::chrono::milliseconds(0);
        }
        int err = 0;
        request_ = try_request(chip.get(), where_.offset, settings.get(), err);
        if (!request_ && err == EINVAL && config.debounce.count() > 0) {
            gpiod_line_settings_set_debounce_period_us(settings.get(), 0);
            software_debounce = config.debounce;
            request_ = try_request(chip.get(), where_.offset, settings.get(), err);
        }
        if (!request_) request_failed(chip.get(), where_, op, err);
        const auto level = gpiod_line_request_get_value(request_.get(), where_.offset);
        if (level == GPIOD_LINE_VALUE_ERROR) throw_errno(where_.name, "read", errno);
        if (!edges) return;

        std::shared_ptr<gpiod_edge_event_buffer> buffer(gpiod_edge_event_buffer_new(event_batch),
                                                        gpiod_edge_event_buffer_free);
        if (!buffer) throw_errno(where_.name, "allocate the event buffer", errno);
        const int fd = gpiod_line_request_get_fd(request_.get());
        reader_ = std::make_unique<linux_backend::edge_reader>(
            io, where_.name, fd,
            [request = request_.get(), buffer, last = 0ul](
                int, std::vector<linux_backend::raw_edge>& out) mutable {
                const int n =
                    gpiod_line_request_read_edge_events(request, buffer.get(), event_batch);
                if (n < 0) return false;
                for (int i = 0; i < n; ++i) {
                    gpiod_edge_event* ev = gpiod_edge_event_buffer_get_event(buffer.get(), i);
                    const unsigned long seq = gpiod_edge_event_get_line_seqno(ev);
                    out.push_back(
                        {gpiod_edge_event_get_event_type(ev) == GPIOD_EDGE_EVENT_RISING_EDGE,
                         std::chrono::nanoseconds(gpiod_edge_event_get_timestamp_ns(ev)),
                         seq > last + 1 ? seq - last - 1 : 0});
                    last = seq;
                }
                return true;
            },
            config.edges, software_debounce, level == GPIOD_LINE_VALUE_ACTIVE);
    }

    const std::string& name() const override { return where_.name; }

    util::result<bool> value() override {
        if (reader_ && reader_->failure()) return *reader_->failure();
        const auto v = gpiod_line_request_get_value(request_.get(), where_.offset);
        if (v == GPIOD_LINE_VALUE_ERROR) return errno_error(where_.name, "read", errno);
        return v == GPIOD_LINE_VALUE_ACTIVE;
    }

    void on_edge(std::function<void(const edge_event&)> handler) override {
        if (reader_) reader_->set_handler(std::move(handler));
    }

private:
    located_line where_;
    request_ptr request_;
    std::unique_ptr<linux_backend::edge_reader> reader_;  // destroyed first, before the release
};

class v2_output final : public gpio_output {
public:
    explicit v2_output(const output_config& config)
        : where_(locate(config.line, "request output")) {
        auto chip = open_chip(where_.path);
        auto settings = new_settings(where_.name);
        gpiod_line_settings_set_direction(settings.get(), GPIOD_LINE_DIRECTION_OUTPUT);
        gpiod_line_settings_set_drive(settings.get(), to_drive(config.mode));
        gpiod_line_settings_set_active_low(settings.get(), config.active_low);
        gpiod_line_settings_set_output_value(
            settings.get(), config.initial ? GPIOD_LINE_VALUE_ACTIVE : GPIOD_LINE_VALUE_INACTIVE);
        int err = 0;
        request_ = try_request(chip.get(), where_.offset, settings.get(), err);
        if (!request_) request_failed(chip.get(), where_, "request output", err);
    }

    const std::string& name() const override { return where_.name; }

    util::result<void> set(bool level) override {
        if (gpiod_line_request_set_value(
                request_.get(), where_.offset,
                level ? GPIOD_LINE_VALUE_ACTIVE : GPIOD_LINE_VALUE_INACTIVE) < 0)
            return errno_error(where_.name, level ? "set to 1" : "set to 0", errno);
        return {};
    }

    util::result<bool> get() override {
        const auto v = gpiod_line_request_get_value(request_.get(), where_.offset);
        if (v == GPIOD_LINE_VALUE_ERROR) return errno_error(where_.name, "read back", errno);
        return v == GPIOD_LINE_VALUE_ACTIVE;
    }

private:
    located_line where_;
    request_ptr request_;
};

class v2_provider final : public gpio_provider {
public:
    explicit v2_provider(boost::asio::io_context& io) : io_(io) {}

    std::unique_ptr<gpio_input> request_input(const input_config& config) override {
        return std::make_unique<v2_input>(io_, config);
    }
    std::unique_ptr<gpio_output> request_output(const output_config& config) override {
        return std::make_unique<v2_output>(config);
    }
    std::vector<chip_info> list_chips() override { return scan_chips(); }

private:
    boost::asio::io_context& io_;
};

}  // namespace

std::unique_ptr<gpio_provider> make_linux_gpio(boost::asio::io_context& io) {
    return std::make_unique<v2_provider>(io);
}

}  // namespace piogate::hw
