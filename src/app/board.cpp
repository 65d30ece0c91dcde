#include "app/board.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

#include "app/sensor_kinds/registry.hpp"
#include "app/sim_sysfs_runner.hpp"
#include "hw/linux/linux_gpio.hpp"
#include "hw/linux/linux_i2c.hpp"
#include "hw/sim/sim_gpio.hpp"
#include "hw/sim/sim_i2c_bus.hpp"
#include "util/asio_scheduler.hpp"

namespace piogate::app {
namespace {

// One simulated chip from its config entry (its kind's simulated counterpart), set to the
// configured physical values.
std::shared_ptr<hw::sim_i2c_device> make_sim_device(const config::sim_device_config& d) {
    const sensor_kind* kind = find_sensor_kind(d.model);
    auto dev = kind ? kind->make_sim(d) : nullptr;
    if (!dev) throw std::runtime_error(d.path + ": no simulation model for \"" + d.model + "\"");
    return dev;
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

board::board(boost::asio::io_context& io, const config::board_config& config, util::scheduler* time)
    : io_(io) {
    if (config.kind == config::board_config::kind_t::linux) {
        sysfs_root_ = "/";
        return;  // opened on first use
    }
    auto sim =
        time ? std::make_unique<hw::sim_gpio>(io, *time) : std::make_unique<hw::sim_gpio>(io);
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
    if (!config.sysfs.empty()) {
        if (!time) time = (own_time_ = std::make_unique<util::asio_scheduler>(io)).get();
        sim_sysfs_runner_ = std::make_unique<sim_sysfs_runner>(*time, sysfs_root(), config.sysfs);
    }
}

void board::set_chip_clock(const util::clock& c) {
    for (const auto& [name, bus] : sim_buses_) {
        for (const auto address : bus->addresses()) bus->device(address)->set_clock(c);
    }
}

board::~board() {
    sim_sysfs_runner_.reset();  // stops writing before the tree goes
    if (!sim_sysfs_.empty()) {
        std::error_code ignored;
        std::filesystem::remove_all(sim_sysfs_, ignored);
    }
}

const std::filesystem::path& board::sysfs_root() {
    if (!sysfs_root_.empty()) return sysfs_root_;
    // The simulated board's own tree, made on first use and removed with the board.
    std::string dir =
        (std::filesystem::temp_directory_path() / "piogate-sim-sysfs-XXXXXX").string();
    if (!::mkdtemp(dir.data())) {
        throw std::runtime_error("simulated sysfs: cannot make a directory like " + dir + ": " +
                                 std::strerror(errno));
    }
    sim_sysfs_ = dir;
    sysfs_root_ = dir;
    return sysfs_root_;
}

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
