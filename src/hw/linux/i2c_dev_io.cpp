#include "hw/linux/i2c_dev_io.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <linux/i2c-dev.h>
#include <linux/i2c.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <string>

#include "hw/hw_error.hpp"

namespace piogate::hw::i2c_dev {

util::error transfer_error(int err) {
    const hw_errc code = err == ENODEV ? hw_errc::no_device : classify_errno(err);
    std::string text = std::strerror(err);
    if (code == hw_errc::no_device) text = "no device answered (" + text + ")";
    return hw_fail(code, std::move(text));
}

namespace {

int ioctl_errno(int fd, unsigned long request, void* arg) {
    int rc;
    do {
        rc = ::ioctl(fd, request, arg);
    } while (rc < 0 && errno == EINTR);
    return rc < 0 ? errno : 0;
}

int smbus(int fd, char read_write, std::uint8_t command, int size, i2c_smbus_data* data) {
    i2c_smbus_ioctl_data args{};
    args.read_write = static_cast<__u8>(read_write);
    args.command = command;
    args.size = static_cast<__u32>(size);
    args.data = data;
    return ioctl_errno(fd, I2C_SMBUS, &args);
}

}  // namespace

int query_funcs(int fd, unsigned long& funcs) {
    return ioctl_errno(fd, I2C_FUNCS, &funcs);
}

int set_address(int fd, std::uint8_t address) {
    // I2C_SLAVE takes the address by value, not through a pointer.
    int rc;
    do {
        rc = ::ioctl(fd, I2C_SLAVE, static_cast<unsigned long>(address));
    } while (rc < 0 && errno == EINTR);
    return rc < 0 ? errno : 0;
}

int rdwr(int fd, std::uint8_t address, std::span<const std::uint8_t> w, std::span<std::uint8_t> r) {
    constexpr std::size_t max_message = 8192;  // i2c-dev refuses longer messages
    if (w.size() > max_message || r.size() > max_message) return EMSGSIZE;
    std::array<i2c_msg, 2> msgs{};
    __u32 count = 0;
    if (!w.empty() || r.empty()) {
        // The kernel copies write buffers and never writes through them.
        msgs[count++] = {address, 0, static_cast<__u16>(w.size()), const_cast<__u8*>(w.data())};
    }
    if (!r.empty()) {
        msgs[count++] = {address, I2C_M_RD, static_cast<__u16>(r.size()), r.data()};
    }
    i2c_rdwr_ioctl_data args{msgs.data(), count};
    return ioctl_errno(fd, I2C_RDWR, &args);
}

int smbus_quick(int fd, bool read) {
    return smbus(fd, read ? I2C_SMBUS_READ : I2C_SMBUS_WRITE, 0, I2C_SMBUS_QUICK, nullptr);
}

int smbus_send_byte(int fd, std::uint8_t value) {
    return smbus(fd, I2C_SMBUS_WRITE, value, I2C_SMBUS_BYTE, nullptr);
}

int smbus_receive_byte(int fd, std::uint8_t& value) {
    i2c_smbus_data data{};
    const int err = smbus(fd, I2C_SMBUS_READ, 0, I2C_SMBUS_BYTE, &data);
    if (err == 0) value = data.byte;
    return err;
}

int smbus_write_byte_data(int fd, std::uint8_t reg, std::uint8_t value) {
    i2c_smbus_data data{};
    data.byte = value;
    return smbus(fd, I2C_SMBUS_WRITE, reg, I2C_SMBUS_BYTE_DATA, &data);
}

int smbus_read_byte_data(int fd, std::uint8_t reg, std::uint8_t& value) {
    i2c_smbus_data data{};
    const int err = smbus(fd, I2C_SMBUS_READ, reg, I2C_SMBUS_BYTE_DATA, &data);
    if (err == 0) value = data.byte;
    return err;
}

int smbus_read_word_data(int fd, std::uint8_t reg, std::uint16_t& value) {
    i2c_smbus_data data{};
    const int err = smbus(fd, I2C_SMBUS_READ, reg, I2C_SMBUS_WORD_DATA, &data);
    if (err == 0) value = data.word;
    return err;
}

int smbus_write_i2c_block(int fd, std::uint8_t reg, std::span<const std::uint8_t> bytes) {
    if (bytes.empty() || bytes.size() > I2C_SMBUS_BLOCK_MAX) return EINVAL;
    i2c_smbus_data data{};
    data.block[0] = static_cast<__u8>(bytes.size());
    std::memcpy(&data.block[1], bytes.data(), bytes.size());
    return smbus(fd, I2C_SMBUS_WRITE, reg, I2C_SMBUS_I2C_BLOCK_DATA, &data);
}

int smbus_read_i2c_block(int fd, std::uint8_t reg, std::span<std::uint8_t> out) {
    if (out.empty() || out.size() > I2C_SMBUS_BLOCK_MAX) return EINVAL;
    i2c_smbus_data data{};
    data.block[0] = static_cast<__u8>(out.size());  // the length to read, in and out
    const int err = smbus(fd, I2C_SMBUS_READ, reg, I2C_SMBUS_I2C_BLOCK_DATA, &data);
    if (err != 0) return err;
    if (data.block[0] != out.size()) return EIO;
    std::memcpy(out.data(), &data.block[1], out.size());
    return 0;
}

}  // namespace piogate::hw::i2c_dev
