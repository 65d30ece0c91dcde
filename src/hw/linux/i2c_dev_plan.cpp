#include "hw/linux/i2c_dev_plan.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <linux/i2c.h>

#include <array>
#include <utility>

namespace piogate::hw {
namespace {

constexpr std::size_t block_max = I2C_SMBUS_BLOCK_MAX;  // 32 data bytes per SMBus block

bool has(unsigned long funcs, unsigned long bits) {
    return (funcs & bits) == bits;
}

i2c_dev_plan use(i2c_dev_method m) {
    return {m, {}};
}

i2c_dev_plan lacks(unsigned long funcs, const char* needed) {
    return {i2c_dev_method::unsupported, std::string("the adapter lacks I2C_FUNC_I2C and ") +
                                             needed + " (it has: " + describe_i2c_funcs(funcs) +
                                             ")"};
}

i2c_dev_plan too_long(unsigned long funcs, std::string what) {
    return {i2c_dev_method::unsupported,
            std::move(what) + " needs I2C_FUNC_I2C (plain I2C), which the adapter lacks (it has: " +
                describe_i2c_funcs(funcs) + ")"};
}

i2c_dev_plan plan_write(unsigned long funcs, std::size_t n) {
    if (n == 0) {
        return has(funcs, I2C_FUNC_SMBUS_QUICK) ? use(i2c_dev_method::smbus_quick)
                                                : lacks(funcs, "I2C_FUNC_SMBUS_QUICK");
    }
    if (n == 1) {
        return has(funcs, I2C_FUNC_SMBUS_WRITE_BYTE) ? use(i2c_dev_method::smbus_byte)
                                                     : lacks(funcs, "I2C_FUNC_SMBUS_WRITE_BYTE");
    }
    if (n == 2 && has(funcs, I2C_FUNC_SMBUS_WRITE_BYTE_DATA)) {
        return use(i2c_dev_method::smbus_byte_data);
    }
    if (n - 1 > block_max) {
        return too_long(funcs, "a write of " + std::to_string(n) +
                                   " bytes (an SMBus block carries a register and at most 32)");
    }
    return has(funcs, I2C_FUNC_SMBUS_WRITE_I2C_BLOCK)
               ? use(i2c_dev_method::smbus_i2c_block)
               : lacks(funcs, n == 2 ? "I2C_FUNC_SMBUS_WRITE_BYTE_DATA"
                                     : "I2C_FUNC_SMBUS_WRITE_I2C_BLOCK");
}

i2c_dev_plan plan_read(unsigned long funcs, std::size_t n) {
    if (n == 0) {
        return has(funcs, I2C_FUNC_SMBUS_QUICK) ? use(i2c_dev_method::smbus_quick)
                                                : lacks(funcs, "I2C_FUNC_SMBUS_QUICK");
    }
    return has(funcs, I2C_FUNC_SMBUS_READ_BYTE) ? use(i2c_dev_method::smbus_byte)
                                                : lacks(funcs, "I2C_FUNC_SMBUS_READ_BYTE");
}

i2c_dev_plan plan_write_read(unsigned long funcs, std::size_t write_len, std::size_t read_len) {
    if (write_len != 1) {
        return too_long(funcs, "a write of " + std::to_string(write_len) +
                                   " bytes, then a read after a repeated START,");
    }
    if (read_len == 1 && has(funcs, I2C_FUNC_SMBUS_READ_BYTE_DATA)) {
        return use(i2c_dev_method::smbus_byte_data);
    }
    if (has(funcs, I2C_FUNC_SMBUS_READ_I2C_BLOCK)) return use(i2c_dev_method::smbus_i2c_block);
    if (read_len == 2 && has(funcs, I2C_FUNC_SMBUS_READ_WORD_DATA)) {
        return use(i2c_dev_method::smbus_word_data);
    }
    return lacks(funcs,
                 read_len == 1 ? "I2C_FUNC_SMBUS_READ_BYTE_DATA" : "I2C_FUNC_SMBUS_READ_I2C_BLOCK");
}

}  // namespace

i2c_dev_plan plan_i2c_dev_transfer(unsigned long funcs, i2c_dev_op op, std::size_t write_len,
                                   std::size_t read_len) {
    // An empty transfer is what SMBus quick is for; the kernel emulates it on plain I2C
    // adapters with the same zero-length message.
    const bool empty = op == i2c_dev_op::read ? read_len == 0 : write_len == 0 && read_len == 0;
    if (empty && has(funcs, I2C_FUNC_SMBUS_QUICK)) return use(i2c_dev_method::smbus_quick);
    if (has(funcs, I2C_FUNC_I2C)) return use(i2c_dev_method::rdwr);
    switch (op) {
        case i2c_dev_op::write:
            return plan_write(funcs, write_len);
        case i2c_dev_op::read:
            return plan_read(funcs, read_len);
        case i2c_dev_op::write_read:
            if (read_len == 0) return plan_write(funcs, write_len);
            if (write_len == 0) return plan_read(funcs, read_len);
            return plan_write_read(funcs, write_len, read_len);
    }
    return {};
}

std::string describe_i2c_funcs(unsigned long funcs) {
    static constexpr std::array<std::pair<unsigned long, const char*>, 12> names{{
        {I2C_FUNC_I2C, "I2C"},
        {I2C_FUNC_SMBUS_QUICK, "SMBus quick"},
        {I2C_FUNC_SMBUS_READ_BYTE, "receive byte"},
        {I2C_FUNC_SMBUS_WRITE_BYTE, "send byte"},
        {I2C_FUNC_SMBUS_READ_BYTE_DATA, "read byte data"},
        {I2C_FUNC_SMBUS_WRITE_BYTE_DATA, "write byte data"},
        {I2C_FUNC_SMBUS_READ_WORD_DATA, "read word data"},
        {I2C_FUNC_SMBUS_WRITE_WORD_DATA, "write word data"},
        {I2C_FUNC_SMBUS_READ_BLOCK_DATA, "read block data"},
        {I2C_FUNC_SMBUS_WRITE_BLOCK_DATA, "write block data"},
        {I2C_FUNC_SMBUS_READ_I2C_BLOCK, "read I2C block"},
        {I2C_FUNC_SMBUS_WRITE_I2C_BLOCK, "write I2C block"},
    }};
    std::string out;
    for (const auto& [bit, name] : names) {
        if ((funcs & bit) == 0) continue;
        if (!out.empty()) out += ", ";
        out += name;
    }
    return out.empty() ? "nothing" : out;
}

}  // namespace piogate::hw
