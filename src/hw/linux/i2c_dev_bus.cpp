// i2c_bus over /dev/i2c-N. Each transaction sets the address (I2C_SLAVE), picks the kernel
// transfer with plan_i2c_dev_transfer (I2C_RDWR, or the SMBus transfer with the same bytes on
// the wire), and retries bus errors, NACKs and timeouts `retries` times with a short pause.
// Thread: blocking; one thread at a time (the bus's i2c_worker).
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <thread>
#include <utility>
// SPDX-License-Identifier: Apache-2.0
#include "hw/linux/i2c_dev_io.hpp"
#include "hw/linux/i2c_dev_open.hpp"
#include "hw/linux/i2c_dev_plan.hpp"
#include "hw/linux/linux_i2c.hpp"

namespace piogate::hw {
namespace {

constexpr std::size_t block_max = 32;                // bytes per SMBus I2C block transfer
constexpr std::chrono::milliseconds first_pause{1};  // doubles after each failed attempt

bool retryable(int err) {
    const util::error e = i2c_dev::transfer_error(err);
    return e.code == hw_errc::bus_error || e.code == hw_errc::no_device ||
           e.code == hw_errc::timeout;
}

class i2c_dev_bus final : public i2c_bus {
public:
    i2c_dev_bus(i2c_dev::opened_bus bus, int retries)
        : bus_(std::move(bus)), retries_(std::max(retries, 0)) {}

    const std::string& name() const override { return bus_.name; }

    util::result<void> write(std::uint8_t address, std::span<const std::uint8_t> data) override {
        const int reg = data.empty() ? -1 : data[0];
        const auto plan = plan_i2c_dev_transfer(bus_.funcs, i2c_dev_op::write, data.size(), 0);
        return transact(address, reg, "write failed", plan, [&](i2c_dev_method m) {
            const int fd = bus_.fd.get();
            switch (m) {
                case i2c_dev_method::rdwr:
                    return attempt([&] { return i2c_dev::rdwr(fd, address, data, {}); });
                case i2c_dev_method::smbus_quick:
                    return attempt([&] { return i2c_dev::smbus_quick(fd, false); });
                case i2c_dev_method::smbus_byte:
                    return attempt([&] { return i2c_dev::smbus_send_byte(fd, data[0]); });
                case i2c_dev_method::smbus_byte_data:
                    return attempt(
                        [&] { return i2c_dev::smbus_write_byte_data(fd, data[0], data[1]); });
                case i2c_dev_method::smbus_i2c_block:
                    return attempt([&] {
                        return i2c_dev::smbus_write_i2c_block(fd, data[0], data.subspan(1));
                    });
                default:
                    return EOPNOTSUPP;
            }
        });
    }

    util::result<void> read(std::uint8_t address, std::span<std::uint8_t> out) override {
        const auto plan = plan_i2c_dev_transfer(bus_.funcs, i2c_dev_op::read, 0, out.size());
        return transact(address, -1, "read failed", plan, [&](i2c_dev_method m) {
            const int fd = bus_.fd.get();
            switch (m) {
                case i2c_dev_method::rdwr:
                    return attempt([&] { return i2c_dev::rdwr(fd, address, {}, out); });
                case i2c_dev_method::smbus_quick:
                    return attempt([&] { return i2c_dev::smbus_quick(fd, true); });
                case i2c_dev_method::smbus_byte:
                    // Not one n-byte read: each byte is its own START ... STOP.
                    for (auto& byte : out) {
                        const int err =
                            attempt([&] { return i2c_dev::smbus_receive_byte(fd, byte); });
                        if (err != 0) return err;
                    }
                    return 0;
                default:
                    return EOPNOTSUPP;
            }
        });
    }

    util::result<void> write_read(std::uint8_t address, std::span<const std::uint8_t> data,
                                  std::span<std::uint8_t> out) override {
        if (out.empty()) return write(address, data);
        if (data.empty()) return read(address, out);
        const auto plan =
            plan_i2c_dev_transfer(bus_.funcs, i2c_dev_op::write_read, data.size(), out.size());
        return transact(address, data[0], "read failed", plan, [&](i2c_dev_method m) {
            const int fd = bus_.fd.get();
            const std::uint8_t reg = data[0];
            switch (m) {
                case i2c_dev_method::rdwr:
                    return attempt([&] { return i2c_dev::rdwr(fd, address, data, out); });
                case i2c_dev_method::smbus_byte_data:
                    return attempt([&] { return i2c_dev::smbus_read_byte_data(fd, reg, out[0]); });
                case i2c_dev_method::smbus_word_data: {
                    std::uint16_t word = 0;  // SMBus words travel low byte first
                    const int err =
                        attempt([&] { return i2c_dev::smbus_read_word_data(fd, reg, word); });
                    out[0] = static_cast<std::uint8_t>(word & 0xFF);
                    out[1] = static_cast<std::uint8_t>(word >> 8);
                    return err;
                }
                case i2c_dev_method::smbus_i2c_block:
                    for (std::size_t at = 0; at < out.size(); at += block_max) {
                        const auto chunk = out.subspan(at, std::min(block_max, out.size() - at));
                        const auto chunk_reg = static_cast<std::uint8_t>(reg + at);
                        const int err = attempt(
                            [&] { return i2c_dev::smbus_read_i2c_block(fd, chunk_reg, chunk); });
                        if (err != 0) return err;
                    }
                    return 0;
                default:
                    return EOPNOTSUPP;
            }
        });
    }

private:
    // Runs one kernel transfer, retrying the transient failures; 0 or the last errno.
    template <class Transfer>
    int attempt(Transfer&& transfer) {
        auto pause = first_pause;
        for (attempts_ = 1;; ++attempts_) {
            const int err = transfer();
            if (err == 0 || attempts_ > retries_ || !retryable(err)) return err;
            std::this_thread::sleep_for(pause);
            pause *= 2;
        }
    }

    template <class Body>
    util::result<void> transact(std::uint8_t address, int reg, const char* what,
                                const i2c_dev_plan& plan, Body&& body) {
        if (address > 0x7F) {
            return describe(*this, address, reg, what,
                            hw_fail(hw_errc::not_supported, "not a 7-bit I2C address"));
        }
        if (plan.method == i2c_dev_method::unsupported) {
            return describe(*this, address, reg, what,
                            hw_fail(hw_errc::not_supported, plan.why_not));
        }
        if (const int err = i2c_dev::set_address(bus_.fd.get(), address); err != 0) {
            return describe(*this, address, reg, what, address_error(err, address));
        }
        attempts_ = 0;
        if (const int err = body(plan.method); err != 0) {
            util::error cause = i2c_dev::transfer_error(err);
            if (attempts_ > 1) cause.message += ", " + std::to_string(attempts_) + " attempts";
            return describe(*this, address, reg, what, cause);
        }
        return {};
    }

    // I2C_SLAVE fails with EBUSY when a kernel driver has claimed the address.
    util::error address_error(int err, std::uint8_t address) const {
        if (err != EBUSY) return i2c_dev::transfer_error(err);
        std::string text = "the address is in use by a kernel driver";
        if (bus_.number >= 0) {
            char client_buf[32];  // the kernel's client name: "1-0076"
            std::snprintf(client_buf, sizeof client_buf, "%d-%04x", bus_.number, address);
            const std::string client = client_buf;
            std::error_code ec;
            const auto driver =
                std::filesystem::read_symlink("/sys/bus/i2c/devices/" + client + "/driver", ec);
            if (!ec) {
                const std::string name = driver.filename().string();
                text += " (" + name + "; unbind it: echo " + client + " > /sys/bus/i2c/drivers/" +
                        name + "/unbind, or remove its dtoverlay)";
            }
        }
        return hw_fail(hw_errc::busy, text);
    }

    i2c_dev::opened_bus bus_;
    int retries_;
    int attempts_ = 0;  // of the last kernel transfer, for the error message
};

}  // namespace

std::unique_ptr<i2c_bus> open_linux_i2c(const linux_i2c_config& config) {
    return std::make_unique<i2c_dev_bus>(i2c_dev::open_bus(config.bus), config.retries);
}

}  // namespace piogate::hw
