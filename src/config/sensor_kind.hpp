// A sensor kind as the config layer sees it: its name, where it reads from, its own config
// keys and what it reports. The kinds themselves live in app/sensor_kinds/ (each with its
// driver factory and simulated chip, which config/ must not know); the app installs its table
// here before any config is loaded, so that start-up, `--check-config` and reload all read
// the "sensors" entries with the same code.
//
// Thread: install_sensor_kinds() once, before loading a config; the rest is read-only.
// Errors: read_options() throws config_error naming the JSON path (through object_reader).
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <typeinfo>
#include <vector>

#include "config/json_reader.hpp"

namespace piogate::config {

// Where a kind's sensors read from; decides the common keys ("bus" and "address" for i2c).
enum class sensor_source { i2c, sysfs };

// One quantity a sensor reports: the reading's member, its unit and the smallest step the
// sensor resolves (from the datasheet, in `unit`; 0 = not known), and how Home Assistant
// shows it.
struct quantity_spec {
    std::string name;          // "temperature", "voltage0", ...
    std::string unit;          // "°C", "%RH", "hPa", "lx", "V", "A", "W" (hw/sensor.hpp)
    double resolution = 0;     // e.g. 0.01 for a BME280's temperature
    std::string device_class;  // Home Assistant's sensor device class; "" = none
    std::string ha_unit;       // Home Assistant's unit when it differs ("%RH" -> "%"); "" = unit

    bool operator==(const quantity_spec&) const = default;
};

// A kind's own settings, as read from its config block. Compared by value on reload: an
// unchanged sensor keeps running.
class sensor_options {
public:
    virtual ~sensor_options() = default;
    virtual bool equals(const sensor_options& other) const = 0;
};

// The usual implementation: a plain struct with operator== (see kind_options::of).
template <class T>
class typed_options final : public sensor_options {
public:
    explicit typed_options(T v) : value(std::move(v)) {}
    bool equals(const sensor_options& other) const override {
        const auto* o = dynamic_cast<const typed_options*>(&other);
        return o && o->value == value;
    }
    T value;
};

// Holds a kind's options by value semantics (shared, immutable); == compares the contents.
class kind_options {
public:
    kind_options() = default;
    explicit kind_options(std::shared_ptr<const sensor_options> p) : p_(std::move(p)) {}
    template <class T>
    static kind_options of(T value) {
        return kind_options(std::make_shared<const typed_options<T>>(std::move(value)));
    }
    // The settings struct a kind stored with of<T>(); throws std::logic_error for another type.
    template <class T>
    const T& as() const {
        const auto* t = dynamic_cast<const typed_options<T>*>(p_.get());
        if (!t) throw std::logic_error(std::string("sensor options are not ") + typeid(T).name());
        return t->value;
    }
    const sensor_options* get() const { return p_.get(); }
    bool operator==(const kind_options& o) const {
        if (!p_ || !o.p_) return p_ == o.p_;
        return p_->equals(*o.p_);
    }

private:
    std::shared_ptr<const sensor_options> p_;
};

class sensor_kind {
public:
    virtual ~sensor_kind() = default;
    // The "type" of the config entry: "bme280".
    virtual const std::string& name() const = 0;
    virtual sensor_source source() const = 0;
    // i2c kinds: the address when the entry names none; 0 = "address" is required.
    virtual std::uint8_t default_address() const { return 0; }
    // Reads the kind's own keys from the entry (the common ones are read already; keys left
    // unread are refused as unknown afterwards).
    virtual kind_options read_options(object_reader& r) const = 0;
    // What a sensor of this kind with these options reports, in the reading's order.
    virtual std::vector<quantity_spec> quantities(const kind_options& options) const = 0;
    // The physical values a simulated chip of this kind takes in the sim board's "i2c"
    // devices ("temperature", ...); empty: the kind has no simulated I2C chip.
    virtual std::vector<std::string> sim_values() const { return {}; }
};

using sensor_kind_table = std::vector<const sensor_kind*>;

// The kinds config loading accepts, in the order error messages list them. The table must
// outlive every later load (the app's is static).
void install_sensor_kinds(const sensor_kind_table& kinds);
// Throws std::logic_error when none were installed (a program that forgot the app's table).
const sensor_kind_table& installed_sensor_kinds();
// nullptr when no installed kind has this name.
const sensor_kind* find_sensor_kind(const std::string& name);

}  // namespace piogate::config
