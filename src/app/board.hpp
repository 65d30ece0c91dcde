// The board the gateway runs on, built from the config's "board" section: the libgpiod and
// /dev/i2c-N backends and the real sysfs, or the simulated board with its device models
// (each sensor kind's simulated chip), input patterns and a sysfs tree of its own.
//
// Thread: built and used on the event-loop thread; I2C buses are handed to I2C workers.
// Errors: throws std::runtime_error at start-up (a bus that cannot be opened, ...).
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <boost/asio/io_context.hpp>
#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "config/board_config.hpp"
#include "hw/gpio.hpp"
#include "hw/i2c_bus.hpp"
#include "util/clock.hpp"
#include "util/scheduler.hpp"

namespace piogate::hw {
class sim_gpio;
class sim_i2c_bus;
}  // namespace piogate::hw

namespace piogate::app {

class sim_sysfs_runner;

class board {
public:
    // `time`, when given (tests: virtual time), runs the simulated GPIO chip's input patterns
    // and the simulated sysfs tree's values, and must outlive the board; by default they run
    // on the io_context's real clock.
    board(boost::asio::io_context& io, const config::board_config& config,
          util::scheduler* time = nullptr);
    ~board();

    bool simulated() const { return sim_gpio_ != nullptr; }
    hw::gpio_provider& gpio();
    // "1", "i2c-1" or "/dev/i2c-1". The same bus object is returned for the same bus.
    std::shared_ptr<hw::i2c_bus> i2c(const std::string& bus);
    hw::sim_gpio* sim_gpio() { return sim_gpio_; }
    // The clock the simulated I2C chips keep their conversion times by (default the real
    // one): tests give virtual time as a clock the I2C workers may read. Call before the
    // workers use the buses; `c` must outlive the board. Nothing on a real board.
    void set_chip_clock(const util::clock& c);
    std::shared_ptr<hw::sim_i2c_bus> sim_i2c(const std::string& bus);
    // Where sysfs readers look (their paths are relative to it): "/" on a real board; on the
    // simulated one a private directory, made on first call (throws std::runtime_error when it
    // cannot be) and removed with the board, which the simulated sysfs devices fill.
    const std::filesystem::path& sysfs_root();

private:
    boost::asio::io_context& io_;
    std::unique_ptr<hw::gpio_provider> gpio_;
    hw::sim_gpio* sim_gpio_ = nullptr;
    std::map<std::string, std::shared_ptr<hw::i2c_bus>> buses_;
    std::map<std::string, std::shared_ptr<hw::sim_i2c_bus>> sim_buses_;
    std::filesystem::path sysfs_root_;
    std::filesystem::path sim_sysfs_;            // the simulated board's tree, removed with it
    std::unique_ptr<util::scheduler> own_time_;  // the real clock, when none was given
    std::unique_ptr<sim_sysfs_runner> sim_sysfs_runner_;  // writes it ("sysfs" section)
};

// The bus number of "1", "i2c-1" or "/dev/i2c-1"; the text as given otherwise.
std::string bus_key(const std::string& bus);

}  // namespace piogate::app
