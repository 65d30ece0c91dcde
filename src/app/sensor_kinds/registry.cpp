#include "app/sensor_kinds/registry.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <stdexcept>

namespace piogate::app {

// The table: one line per kind, in the order a bad "type" lists them. KIND(x) stands for the
// descriptor `const sensor_kind& kinds::x_kind()` defined in sensor_kinds/<family>.cpp.
#define PIOGATE_SENSOR_KINDS(KIND) \
    KIND(bme280)                   \
    KIND(bmp280)                   \
    KIND(sht3x)                    \
    KIND(aht20)                    \
    KIND(htu21d)                   \
    KIND(bh1750)                   \
    KIND(ads1115)                  \
    KIND(ads1015)                  \
    KIND(lm75)                     \
    KIND(tmp102)                   \
    KIND(mcp9808)                  \
    KIND(ina219)                   \
    KIND(generic)                  \
    KIND(ds18b20)                  \
    KIND(w1)                       \
    KIND(dht22)                    \
    KIND(dht11)                    \
    KIND(iio)                      \
    KIND(hwmon)                    \
    KIND(soc_temperature)          \
    KIND(thermal)

namespace kinds {
#define PIOGATE_DECLARE_KIND(name) const sensor_kind& name##_kind();
PIOGATE_SENSOR_KINDS(PIOGATE_DECLARE_KIND)
#undef PIOGATE_DECLARE_KIND
}  // namespace kinds

const std::vector<const sensor_kind*>& sensor_kinds() {
#define PIOGATE_LIST_KIND(name) &kinds::name##_kind(),
    static const std::vector<const sensor_kind*> table = {PIOGATE_SENSOR_KINDS(PIOGATE_LIST_KIND)};
#undef PIOGATE_LIST_KIND
    return table;
}

#undef PIOGATE_SENSOR_KINDS

const sensor_kind* find_sensor_kind(const std::string& name) {
    for (const auto* k : sensor_kinds()) {
        if (k->name() == name) return k;
    }
    return nullptr;
}

const sensor_kind& kind_of(const config::sensor_config& c) {
    const auto* k = dynamic_cast<const sensor_kind*>(c.kind);
    if (!k) throw std::logic_error(c.path + ": sensor \"" + c.id + "\" has no kind from the table");
    return *k;
}

void install_sensor_kinds() {
    static const config::sensor_kind_table table = [] {
        config::sensor_kind_table t;
        for (const auto* k : sensor_kinds()) t.push_back(k);
        return t;
    }();
    config::install_sensor_kinds(table);
}

}  // namespace piogate::app
