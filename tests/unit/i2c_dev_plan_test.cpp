// Which kernel transfer the /dev/i2c-N backend uses for each transaction shape, per adapter
// functionality: plain I2C adapters, i2c-stub's SMBus set, and narrower SMBus controllers.
#include <gtest/gtest.h>
#include <linux/i2c.h>
// SPDX-License-Identifier: Apache-2.0
#include "hw/linux/i2c_dev_plan.hpp"

namespace piogate::hw {
namespace {

using m = i2c_dev_method;
using op = i2c_dev_op;

constexpr unsigned long plain_i2c = I2C_FUNC_I2C | I2C_FUNC_SMBUS_EMUL;  // e.g. i2c-bcm2835
constexpr unsigned long stub = I2C_FUNC_SMBUS_QUICK | I2C_FUNC_SMBUS_BYTE |
                               I2C_FUNC_SMBUS_BYTE_DATA | I2C_FUNC_SMBUS_WORD_DATA |
                               I2C_FUNC_SMBUS_I2C_BLOCK;  // i2c-stub's default
constexpr unsigned long no_i2c_block = stub & ~I2C_FUNC_SMBUS_I2C_BLOCK;

m method(unsigned long funcs, op o, std::size_t w, std::size_t r) {
    return plan_i2c_dev_transfer(funcs, o, w, r).method;
}

TEST(i2c_dev_plan, plain_i2c_adapters_use_i2c_rdwr) {
    EXPECT_EQ(method(plain_i2c, op::write, 1, 0), m::rdwr);
    EXPECT_EQ(method(plain_i2c, op::write, 200, 0), m::rdwr);
    EXPECT_EQ(method(plain_i2c, op::read, 0, 6), m::rdwr);
    EXPECT_EQ(method(plain_i2c, op::write_read, 2, 64), m::rdwr);
}

TEST(i2c_dev_plan, empty_transfers_are_smbus_quick) {
    EXPECT_EQ(method(plain_i2c, op::write, 0, 0), m::smbus_quick);
    EXPECT_EQ(method(stub, op::read, 0, 0), m::smbus_quick);
    EXPECT_EQ(method(I2C_FUNC_I2C, op::write, 0, 0), m::rdwr);
}

TEST(i2c_dev_plan, smbus_writes_by_length) {
    EXPECT_EQ(method(stub, op::write, 1, 0), m::smbus_byte);
    EXPECT_EQ(method(stub, op::write, 2, 0), m::smbus_byte_data);
    EXPECT_EQ(method(stub, op::write, 3, 0), m::smbus_i2c_block);
    EXPECT_EQ(method(stub, op::write, 33, 0), m::smbus_i2c_block);
    EXPECT_EQ(method(stub, op::write, 34, 0), m::unsupported);
    // reg + 1 byte is also a one-byte I2C block write
    EXPECT_EQ(method(I2C_FUNC_SMBUS_WRITE_I2C_BLOCK, op::write, 2, 0), m::smbus_i2c_block);
}

TEST(i2c_dev_plan, smbus_reads_by_length) {
    EXPECT_EQ(method(stub, op::read, 0, 4), m::smbus_byte);
    EXPECT_EQ(method(stub, op::write_read, 1, 1), m::smbus_byte_data);
    EXPECT_EQ(method(stub, op::write_read, 1, 2), m::smbus_i2c_block);
    EXPECT_EQ(method(stub, op::write_read, 1, 200), m::smbus_i2c_block);
    EXPECT_EQ(method(no_i2c_block, op::write_read, 1, 2), m::smbus_word_data);
    EXPECT_EQ(method(no_i2c_block, op::write_read, 1, 3), m::unsupported);
    EXPECT_EQ(method(I2C_FUNC_SMBUS_READ_I2C_BLOCK, op::write_read, 1, 1), m::smbus_i2c_block);
}

TEST(i2c_dev_plan, degenerate_write_read_is_a_write_or_a_read) {
    EXPECT_EQ(method(stub, op::write_read, 2, 0), m::smbus_byte_data);
    EXPECT_EQ(method(stub, op::write_read, 0, 3), m::smbus_byte);
}

TEST(i2c_dev_plan, refusals_name_what_the_adapter_lacks) {
    const auto wide = plan_i2c_dev_transfer(stub, op::write_read, 2, 2);
    EXPECT_EQ(wide.method, m::unsupported);
    EXPECT_NE(wide.why_not.find("a write of 2 bytes, then a read after a repeated START"),
              std::string::npos)
        << wide.why_not;
    EXPECT_NE(wide.why_not.find("needs I2C_FUNC_I2C"), std::string::npos) << wide.why_not;
    EXPECT_NE(wide.why_not.find("it has: SMBus quick, receive byte"), std::string::npos)
        << wide.why_not;

    const auto block = plan_i2c_dev_transfer(no_i2c_block, op::write, 5, 0);
    EXPECT_NE(block.why_not.find("lacks I2C_FUNC_I2C and I2C_FUNC_SMBUS_WRITE_I2C_BLOCK"),
              std::string::npos)
        << block.why_not;

    const auto receive = plan_i2c_dev_transfer(I2C_FUNC_SMBUS_BYTE_DATA, op::read, 0, 1);
    EXPECT_NE(receive.why_not.find("I2C_FUNC_SMBUS_READ_BYTE"), std::string::npos);
    const auto quick = plan_i2c_dev_transfer(I2C_FUNC_SMBUS_BYTE_DATA, op::write, 0, 0);
    EXPECT_NE(quick.why_not.find("I2C_FUNC_SMBUS_QUICK"), std::string::npos);
}

TEST(i2c_dev_plan, describes_functionality) {
    EXPECT_EQ(describe_i2c_funcs(0), "nothing");
    EXPECT_EQ(describe_i2c_funcs(I2C_FUNC_I2C | I2C_FUNC_SMBUS_QUICK), "I2C, SMBus quick");
}

}  // namespace
}  // namespace piogate::hw
