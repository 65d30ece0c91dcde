// A simulated I2C bus: devices answer at their addresses through the same transactions a
// real chip sees, and faults can be injected per address.
//
// Thread: the bus may be used from one worker thread while a test or the demo changes device
// state from another: device models guard their own state; fault settings are atomic.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "hw/i2c_bus.hpp"
#include "util/clock.hpp"

namespace piogate::hw {

// A device model on the simulated bus. Return false to NACK the transaction.
class sim_i2c_device {
public:
    virtual ~sim_i2c_device() = default;
    virtual bool on_write(std::span<const std::uint8_t> data) = 0;
    virtual bool on_read(std::span<std::uint8_t> out) = 0;

    // The time a model keeps its conversion times by (util/clock.hpp): the real steady clock
    // unless set, a util::manual_clock in tests. Set it before the device sees bus traffic;
    // it must outlive the device.
    void set_clock(const util::clock& c) { clock_ = &c; }

protected:
    const util::clock& chip_clock() const { return *clock_; }

private:
    const util::clock* clock_ = &util::real_clock();
};

struct sim_fault {
    bool nack = false;                   // the address stops answering
    bool corrupt = false;                // flip the last byte of every read (breaks CRCs)
    std::chrono::milliseconds stall{0};  // hold every transaction this long, then time out
};

class sim_i2c_bus final : public i2c_bus {
public:
    explicit sim_i2c_bus(std::string name);
    const std::string& name() const override { return name_; }
    void attach(std::uint8_t address, std::shared_ptr<sim_i2c_device> device);
    void set_fault(std::uint8_t address, sim_fault fault);
    std::shared_ptr<sim_i2c_device> device(std::uint8_t address) const;
    std::vector<std::uint8_t> addresses() const;

    util::result<void> write(std::uint8_t address, std::span<const std::uint8_t> data) override;
    util::result<void> read(std::uint8_t address, std::span<std::uint8_t> out) override;
    util::result<void> write_read(std::uint8_t address, std::span<const std::uint8_t> data,
                                  std::span<std::uint8_t> out) override;

private:
    util::result<void> check(std::uint8_t address, int reg, const char* what,
                             std::shared_ptr<sim_i2c_device>& dev, sim_fault& fault);
    std::string name_;
    mutable std::mutex mutex_;
    std::map<std::uint8_t, std::shared_ptr<sim_i2c_device>> devices_;
    std::map<std::uint8_t, sim_fault> faults_;
};

}  // namespace piogate::hw
