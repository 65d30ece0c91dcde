// A sensor entry's "filters" and "precision": what happens to each quantity between the
// reading and the message. Parsed and validated here into plain specs; app/filters/ builds the
// running filters from them.
//
// "filters": a list applied to every quantity, or an object quantity -> list. Each element
// is an object with one key, the filter, applied in list order:
//   {"offset": -0.5}                        value + offset
//   {"multiply": 1.8}                       value × factor
//   {"calibrate_linear": [[m, t], ...]}     least-squares line through ≥ 2 points
//                                            [measured, true] (exact through 2)
//   {"clamp": {"min": 0, "max": 100}}       outside values become the bound (min or max optional)
//   {"median": {"window": 5, "send_every": 5, "send_first_at": 1}}
//   {"sliding_average": {"window": 5, "send_every": 5, "send_first_at": 1}}
//   {"throttle_s": 60}                      at most one value per 60 s
// "precision": decimal places 0..6, one number for every quantity or an object
// quantity -> number; absent quantities take the default of their sensor's resolution.
//
// Thread: start-up and reload only. Errors throw config_error naming the JSON path.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <chrono>
#include <limits>
#include <map>
#include <string>
#include <variant>
#include <vector>

#include "config/json_reader.hpp"

namespace piogate::config {

struct offset_spec {
    double value = 0;
    bool operator==(const offset_spec&) const = default;
};
struct multiply_spec {
    double factor = 1;
    bool operator==(const multiply_spec&) const = default;
};
struct calibration_point {
    double measured = 0;
    double truth = 0;
    bool operator==(const calibration_point&) const = default;
};
struct calibrate_linear_spec {
    std::vector<calibration_point> points;  // ≥ 2 that config/linear_fit.hpp can fit
    bool operator==(const calibrate_linear_spec&) const = default;
};
struct clamp_spec {
    double min = -std::numeric_limits<double>::infinity();  // absent bound = unbounded
    double max = std::numeric_limits<double>::infinity();
    bool operator==(const clamp_spec&) const = default;
};
// median and sliding_average: over the last `window` samples; one value out every
// `send_every` samples, the first after `send_first_at`.
struct window_spec {
    int window = 5;
    int send_every = 5;
    int send_first_at = 1;
    bool operator==(const window_spec&) const = default;
};
struct median_spec : window_spec {
    bool operator==(const median_spec&) const = default;
};
struct sliding_average_spec : window_spec {
    bool operator==(const sliding_average_spec&) const = default;
};
struct throttle_spec {
    std::chrono::milliseconds interval{0};
    bool operator==(const throttle_spec&) const = default;
};

using filter_spec = std::variant<offset_spec, multiply_spec, calibrate_linear_spec, clamp_spec,
                                 median_spec, sliding_average_spec, throttle_spec>;

struct filter_config {
    // Quantity -> its filters in order; quantities without filters are absent.
    std::map<std::string, std::vector<filter_spec>> chains;
    // Quantity -> decimal places configured; absent = the default of the resolution.
    std::map<std::string, int> precision;
    bool operator==(const filter_config&) const = default;
};

// The filter names as written in the config, in the order of filter_spec's alternatives.
const std::vector<std::string>& filter_names();

// Reads "filters" and "precision" of the entry `r` (marks both keys used). `quantities` are
// those the channel reports; `subject` names the channel in errors ("sensor type sht3x").
filter_config read_filter_config(object_reader& r, const std::vector<std::string>& quantities,
                                 const std::string& subject);

}  // namespace piogate::config
