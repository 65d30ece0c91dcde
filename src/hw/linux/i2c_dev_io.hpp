// Thin wrappers over the i2c-dev ioctls (I2C_SLAVE, I2C_FUNCS, I2C_RDWR, I2C_SMBUS), and the one
// place where an errno from them becomes an error.
// Every transfer returns 0 or the errno of the failed ioctl; nothing here retries or formats
// the bus/address/register (i2c_dev_bus.cpp does).
// Thread: any; one fd is used by one thread at a time.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <cstdint>
#include <span>
#include <utility>

#include "util/result.hpp"
#include "util/unique_fd.hpp"

namespace piogate::hw::i2c_dev {

using util::unique_fd;

// errno from a transfer -> hw_errc + text. ENODEV from a transfer means nobody answered at
// the address (i2c-stub and some adapters say so instead of ENXIO/EREMOTEIO), not a missing
// bus, so it becomes no_device here; everything else goes through classify_errno.
util::error transfer_error(int err);

int query_funcs(int fd, unsigned long& funcs);
int set_address(int fd, std::uint8_t address);  // I2C_SLAVE (never _FORCE)

// I2C_RDWR with a write message (if `w` is not empty) and a read message (if `r` is not
// empty): one transaction, repeated START between them. Both empty: one empty write message.
int rdwr(int fd, std::uint8_t address, std::span<const std::uint8_t> w, std::span<std::uint8_t> r);

int smbus_quick(int fd, bool read);
int smbus_send_byte(int fd, std::uint8_t value);
int smbus_receive_byte(int fd, std::uint8_t& value);
int smbus_write_byte_data(int fd, std::uint8_t reg, std::uint8_t value);
int smbus_read_byte_data(int fd, std::uint8_t reg, std::uint8_t& value);
int smbus_read_word_data(int fd, std::uint8_t reg, std::uint16_t& value);
// 1..32 bytes. A read that returns fewer bytes than asked for fails with EIO.
int smbus_write_i2c_block(int fd, std::uint8_t reg, std::span<const std::uint8_t> data);
int smbus_read_i2c_block(int fd, std::uint8_t reg, std::span<std::uint8_t> out);

}  // namespace piogate::hw::i2c_dev
