// The narrow GPIO interface: inputs with edge events, outputs with set/read-back, and a
// provider that finds lines by name ("GPIO17") or chip + offset. Implemented by libgpiod
// (hw/linux, v1 or v2 chosen at build time) and by the simulated board (hw/sim).
//
// Thread: everything runs on the event-loop thread. Edge events arrive through the
// io_context (the request's file descriptor in a posix::stream_descriptor; no polling thread).
// Errors: request_* throw std::runtime_error at start-up with a clear message (line not found
// with similar names, line busy with its consumer, permission denied with a hint); set/value
// at run time return results.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "hw/hw_error.hpp"
#include "util/result.hpp"

namespace piogate::hw {

enum class edge { none, rising, falling, both };
enum class bias { as_is, disabled, pull_up, pull_down };
enum class drive { push_pull, open_drain, open_source };

// Where a line is: `chip` is a path (/dev/gpiochip0), a name (gpiochip0) or a label
// (pinctrl-rp1); empty = every chip. `line` is a line name ("GPIO17") or, with a chip, an
// offset written as a number ("17").
struct line_address {
    std::string chip;
    std::string line;
    std::string to_string() const;
};

struct input_config {
    line_address line;
    edge edges = edge::both;
    bias pull = bias::as_is;
    bool active_low = false;
    std::chrono::milliseconds debounce{0};  // level must hold this long to count
};

struct output_config {
    line_address line;
    bool initial = false;  // logical level (after active_low)
    bool active_low = false;
    drive mode = drive::push_pull;
};

struct edge_event {
    bool level = false;                  // logical level after the edge (debounced if configured)
    std::chrono::nanoseconds timestamp;  // kernel timestamp (monotonic) or sim time
    std::uint64_t missed = 0;            // events the kernel dropped before this one (seqno gap)
};

class gpio_input {
public:
    virtual ~gpio_input() = default;
    virtual const std::string& name() const = 0;  // "gpiochip0:GPIO17"
    virtual util::result<bool> value() = 0;       // logical level now
    // Delivers each edge (after debounce) on the event-loop thread until destroyed.
    virtual void on_edge(std::function<void(const edge_event&)> handler) = 0;
};

class gpio_output {
public:
    virtual ~gpio_output() = default;
    virtual const std::string& name() const = 0;
    virtual util::result<void> set(bool level) = 0;  // logical level
    virtual util::result<bool> get() = 0;            // read back from the line
};

struct line_info {
    unsigned offset = 0;
    std::string name;
    std::string consumer;  // empty when free
    bool output = false;
    bool active_low = false;
};

struct chip_info {
    std::string path;   // /dev/gpiochip0
    std::string name;   // gpiochip0
    std::string label;  // pinctrl-bcm2835
    std::vector<line_info> lines;
};

class gpio_provider {
public:
    virtual ~gpio_provider() = default;
    virtual std::unique_ptr<gpio_input> request_input(const input_config& config) = 0;
    virtual std::unique_ptr<gpio_output> request_output(const output_config& config) = 0;
    virtual std::vector<chip_info> list_chips() = 0;
};

inline constexpr const char* gpio_consumer = "piogate";

}  // namespace piogate::hw
