#include "config/filter_config.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <algorithm>
#include <cmath>

#include "config/linear_fit.hpp"

namespace piogate::config {

const std::vector<std::string>& filter_names() {
    static const std::vector<std::string> names = {"offset",    "multiply", "calibrate_linear",
                                                   "clamp",     "median",   "sliding_average",
                                                   "throttle_s"};
    return names;
}

namespace {

constexpr double value_limit = 1e9;

std::string list_of(const std::vector<std::string>& names) {
    std::string all;
    for (const auto& n : names) all += (all.empty() ? "" : ", ") + n;
    return all;
}

window_spec read_window(const json& j, const std::string& path) {
    object_reader r(j, path);
    window_spec w;
    w.window = static_cast<int>(r.get_int("window", 1, 1000, 5));
    w.send_every = static_cast<int>(r.get_int("send_every", 1, 1000, w.window));
    if (w.send_every > w.window) {
        r.fail("send_every", std::to_string(w.send_every) + " is larger than window " +
                                 std::to_string(w.window) + " (samples would be skipped)");
    }
    w.send_first_at = static_cast<int>(r.get_int("send_first_at", 1, 1000, 1));
    if (w.send_first_at > w.send_every) {
        r.fail("send_first_at", std::to_string(w.send_first_at) + " is larger than send_every " +
                                    std::to_string(w.send_every));
    }
    r.finish();
    return w;
}

calibrate_linear_spec read_calibration(const json& j, const std::string& path) {
    if (!j.is_array()) {
        throw config_error(
            path, std::string("expected an array of [measured, true] pairs, got ") + type_name(j));
    }
    calibrate_linear_spec c;
    for (std::size_t i = 0; i < j.size(); ++i) {
        const json& p = j[i];
        const std::string at = child_path(path, i);
        if (!p.is_array() || p.size() != 2 || !p[0].is_number() || !p[1].is_number()) {
            throw config_error(at, "expected a pair [measured, true] of numbers, got " + p.dump());
        }
        const calibration_point point{p[0].get<double>(), p[1].get<double>()};
        if (!(std::abs(point.measured) <= value_limit && std::abs(point.truth) <= value_limit)) {
            throw config_error(at, "values must be between -1e9 and 1e9, got " + p.dump());
        }
        for (const auto& q : c.points) {
            if (q.measured == point.measured) {
                throw config_error(
                    at, "measured value " + p[0].dump() +
                            " is listed twice (each point needs its own measured value)");
            }
        }
        c.points.push_back(point);
    }
    if (c.points.size() < 2) {
        throw config_error(path, "needs at least two points [measured, true], got " +
                                     std::to_string(c.points.size()));
    }
    if (!fit_line(c.points)) {
        throw config_error(path, "the measured values are too close together to fit a line "
                                 "through them (spread them over the sensor's range)");
    }
    return c;
}

clamp_spec read_clamp(const json& j, const std::string& path) {
    object_reader r(j, path);
    clamp_spec c;
    if (!r.has("min") && !r.has("max")) {
        throw config_error(path, "needs \"min\", \"max\" or both");
    }
    if (r.has("min")) c.min = r.get_number("min", -value_limit, value_limit);
    if (r.has("max")) c.max = r.get_number("max", -value_limit, value_limit);
    if (c.min > c.max) r.fail("max", "is smaller than min");
    r.finish();
    return c;
}

filter_spec read_filter(const json& j, const std::string& path) {
    const auto& names = filter_names();
    if (!j.is_object() || j.size() != 1) {
        throw config_error(
            path, std::string("a filter is an object with one key, its name (") + list_of(names) +
                      "), got " +
                      (j.is_object() ? std::to_string(j.size()) + " keys" : type_name(j)));
    }
    const std::string name = j.begin().key();
    const json& value = j.begin().value();
    const std::string at = child_path(path, name);
    object_reader r(j, path);
    if (name == "offset") return offset_spec{r.get_number(name, -value_limit, value_limit)};
    if (name == "multiply") return multiply_spec{r.get_number(name, -value_limit, value_limit)};
    if (name == "calibrate_linear") return read_calibration(value, at);
    if (name == "clamp") return read_clamp(value, at);
    if (name == "median") return median_spec{read_window(value, at)};
    if (name == "sliding_average") return sliding_average_spec{read_window(value, at)};
    if (name == "throttle_s") {
        const double s = r.get_number(name, 0.001, 86400 * 7);
        return throttle_spec{std::chrono::milliseconds(static_cast<std::int64_t>(s * 1000 + 0.5))};
    }
    const std::string hint = did_you_mean(name, names);
    throw config_error(at, "unknown filter \"" + name + "\"" +
                               (hint.empty() ? "" : " (did you mean \"" + hint + "\"?)") +
                               "; filters are " + list_of(names));
}

std::vector<filter_spec> read_chain(const json& j, const std::string& path) {
    if (!j.is_array()) {
        throw config_error(path, std::string("expected a list of filters, got ") + type_name(j));
    }
    std::vector<filter_spec> out;
    for (std::size_t i = 0; i < j.size(); ++i)
        out.push_back(read_filter(j[i], child_path(path, i)));
    return out;
}

void check_quantity(const std::string& key, const std::string& path,
                    const std::vector<std::string>& quantities, const std::string& subject) {
    if (std::find(quantities.begin(), quantities.end(), key) == quantities.end()) {
        throw config_error(
            child_path(path, key),
            subject + " reports no \"" + key + "\" (it reports " + list_of(quantities) + ")");
    }
}

}  // namespace

filter_config read_filter_config(object_reader& r, const std::vector<std::string>& quantities,
                                 const std::string& subject) {
    filter_config out;
    if (const json* f = r.get_child("filters")) {
        const std::string path = child_path(r.path(), "filters");
        if (f->is_array()) {
            const auto chain = read_chain(*f, path);
            if (!chain.empty()) {
                for (const auto& q : quantities) out.chains[q] = chain;
            }
        } else if (f->is_object()) {
            for (const auto& [key, value] : f->items()) {
                check_quantity(key, path, quantities, subject);
                auto chain = read_chain(value, child_path(path, key));
                if (!chain.empty()) out.chains[key] = std::move(chain);
            }
        } else {
            throw config_error(path, std::string("expected a list of filters or an object of "
                                                 "quantity: list, got ") +
                                         type_name(*f));
        }
    }
    if (const json* p = r.get_child("precision")) {
        const std::string path = child_path(r.path(), "precision");
        auto decimals = [](const json& v, const std::string& at) {
            if (!v.is_number_integer() || v.get<std::int64_t>() < 0 || v.get<std::int64_t>() > 6) {
                throw config_error(at, "expected decimal places 0..6, got " + v.dump());
            }
            return static_cast<int>(v.get<std::int64_t>());
        };
        if (p->is_object()) {
            for (const auto& [key, value] : p->items()) {
                check_quantity(key, path, quantities, subject);
                out.precision[key] = decimals(value, child_path(path, key));
            }
        } else if (p->is_number()) {
            const int d = decimals(*p, path);
            for (const auto& q : quantities) out.precision[q] = d;
        } else {
            throw config_error(path, std::string("expected decimal places 0..6 or an object of "
                                                 "quantity: decimal places, got ") +
                                         type_name(*p));
        }
    }
    return out;
}

}  // namespace piogate::config
