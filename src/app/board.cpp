#include "app/board.hpp"

#include <stdexcept>

#include "hw/linux/linux_gpio.hpp"
#include "hw/linux/linux_i2c.hpp"
#include "hw/sim/sim_ads1115.hpp"
#include "hw/sim/sim_aht20.hpp"
#include "hw/sim/sim_bh1750.hpp"
#include "hw/sim/sim_bme280.hpp"
#include "hw/sim/sim_gpio.hpp"
#include "hw/sim/sim_htu21d.hpp"
#include "hw/sim/sim_ina219.hpp"
#include "hw/sim/sim_lm75.hpp"
#include "hw/sim/sim_mcp9808.hpp"
#include "hw/sim/sim_sht3x.hpp"

namespace piogate::app {
namespace {

double value_or(const config::sim_device_config& d, const char* key, double fallback) {
    auto it = d.values.find(key);
    return it == d.values.end() ? fallback : it->second;
}

// One simulated chip from its config entry, set to the configured physical values.
std::shared_ptr<hw::sim_i2c_device> make_sim_device(const config::sim_device_config& d) {
    const double t = value_or(d, "temperature", 21.5);
    const double rh = value_or(d, "humidity", 45.0);
    if (d.model == "bme280" || d.model == "bmp280") {
        auto dev = std::make_shared<hw::sim_bme280>(d.model == "bme280" ? hw::sim_bmx280_model::bme280
                                                                        : hw::sim_bmx280_model::bmp280);
        dev->set_environment(t, rh, value_or(d, "pressure", 1013.25));
        return dev;
    }
    if (d.model == "sht3x") {
        auto dev = std::make_shared<hw::sim_sht3x>();
        dev->set_environment(t, rh);
        return dev;
    }
    if (d.model == "aht20") {
        auto dev = std::make_shared<hw::sim_aht20>();
        dev->set_environment(t, rh);
        return dev;
    }
    if (d.model == "htu21d") {
        auto dev = std::make_shared<hw::sim_htu21d>();
        dev->set_environment(t, rh);
        return dev;
    }
    if (d.model == "bh1750") {
        auto dev = std::make_shared<hw::sim_bh1750>();
        dev->set_lux(value_or(d, "illuminance", 250.0));
        return dev;
    }
    if (d.model == "ads1115" || d.model == "ads1015") {
        auto dev = std::make_shared<hw::sim_ads1115>(d.model == "ads1115" ? hw::ads1x15_chip::ads1115
                                                                          : hw::ads1x15_chip::ads1015);
        dev->set_inputs({value_or(d, "voltage0", 0), value_or(d, "voltage1", 0),
                         value_or(d, "voltage2", 0), value_or(d, "voltage3", 0)});
        return dev;
    }
    if (d.model == "lm75" || d.model == "tmp102") {
        auto dev = std::make_shared<hw::sim_lm75>(d.model == "lm75" ? hw::lm75_variant::lm75
                                                                    : hw::lm75_variant::tmp102);
        dev->set_temperature(t);
        return dev;
    }
    if (d.model == "mcp9808") {
        auto dev = std::make_shared<hw::sim_mcp9808>();
        dev->set_temperature(t);
        return dev;
    }
    if (d.model == "ina219") {
        auto dev = std::make_shared<hw::sim_ina219>();
        dev->set_bus(value_or(d, "voltage", 5.0), value_or(d, "current", 0.1));
        return dev;
    }
    throw std::runtime_error(d.path + ": no simulation model for \"" + d.model + "\"");
}

}  // namespace

std::string bus_key(const std::string& bus) {
    std::string s = bus;
    for (const char* prefix : {"/dev/i2c-", "i2c-"}) {
        const std::string p = prefix;
        if (s.rfind(p, 0) == 0) return s.substr(p.size());
    }
    return s;
}

board::board(boost::asio::io_context& io, const config::board_config& config) : io_(io) {
    if (config.kind == config::board_config::kind_t::linux) return;  // opened on first use
    auto sim = std::make_unique<hw::sim_gpio>(io);
    for (const auto& chip : config.gpio) {
        std::vector<std::string> names;
        for (unsigned i = 0; i < chip.lines; ++i) names.push_back("GPIO" + std::to_string(i));
        sim->add_chip(chip.name, chip.label, std::move(names));
    }
    for (const auto& p : config.patterns) sim->toggle_every(p.line, p.toggle_every);
    sim_gpio_ = sim.get();
    gpio_ = std::move(sim);
    for (const auto& bus_config : config.i2c) {
        auto bus = std::make_shared<hw::sim_i2c_bus>("sim-i2c-" + bus_config.bus);
        for (const auto& d : bus_config.devices) bus->attach(d.address, make_sim_device(d));
        sim_buses_[bus_config.bus] = bus;
        buses_[bus_config.bus] = bus;
    }
}

board::~board() = default;

hw::gpio_provider& board::gpio() {
    if (!gpio_) gpio_ = hw::make_linux_gpio(io_);
    return *gpio_;
}

std::shared_ptr<hw::i2c_bus> board::i2c(const std::string& bus) {
    const std::string key = bus_key(bus);
    auto it = buses_.find(key);
    if (it != buses_.end()) return it->second;
    if (simulated()) {
        std::string known;
        for (const auto& [k, b] : sim_buses_) known += (known.empty() ? "" : ", ") + k;
        throw std::runtime_error("I2C bus " + bus + " is not on the simulated board (it has: " +
                                 (known.empty() ? "none" : known) + ")");
    }
    std::shared_ptr<hw::i2c_bus> opened = hw::open_linux_i2c({bus, 2});
    buses_[key] = opened;
    return opened;
}

std::shared_ptr<hw::sim_i2c_bus> board::sim_i2c(const std::string& bus) {
    auto it = sim_buses_.find(bus_key(bus));
    return it == sim_buses_.end() ? nullptr : it->second;
}

}  // namespace piogate::app
