// Which kernel transfer carries an i2c_bus transaction on a given /dev/i2c-N adapter: a pure
// function of the adapter's I2C_FUNCS mask and the transaction's shape, so the fallback rules
// are tested without hardware.
//
// With I2C_FUNC_I2C every transaction is one I2C_RDWR (a repeated START between the write and
// the read), except empty ones, which are SMBus quick wherever the adapter has it. SMBus-only
// adapters (i2c-stub, many PC SMBus controllers) get the SMBus transfer that puts the same bytes on
// the wire, where one exists:
//   write 0 bytes            -> quick write          read 0 bytes  -> quick read
//   write 1 byte             -> write byte           read n bytes  -> receive byte, n times
//   write reg + 1 byte       -> write byte data      (each with its own START/STOP)
//   write reg + 2..32 bytes  -> I2C block write
//   write reg, read 1        -> read byte data
//   write reg, read n        -> I2C block read in chunks of <= 32 bytes (reg, reg+32, ...:
//                               assumes the chip auto-increments its register pointer)
//   write reg, read 2        -> read word data when the adapter lacks I2C block reads
// Anything else (two-byte register addresses, writes over 33 bytes) is not_supported, and
// `why_not` names the functionality the adapter lacks.
// Thread: pure, any thread.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <cstddef>
#include <string>

namespace piogate::hw {

enum class i2c_dev_op { write, read, write_read };

enum class i2c_dev_method {
    rdwr,             // I2C_RDWR: one or two messages, repeated START
    smbus_quick,      // address + R/W bit only
    smbus_byte,       // write: send byte; read: receive byte, once per requested byte
    smbus_byte_data,  // register + one byte
    smbus_word_data,  // register + two bytes, low byte first (read only)
    smbus_i2c_block,  // register + up to 32 bytes (reads are split into such chunks)
    unsupported,      // see why_not
};

struct i2c_dev_plan {
    i2c_dev_method method = i2c_dev_method::unsupported;
    std::string why_not;  // for unsupported: what the adapter lacks, for the error message
};

// `funcs` is the I2C_FUNCS mask. For write_read, `write_len` and `read_len` are both > 0.
i2c_dev_plan plan_i2c_dev_transfer(unsigned long funcs, i2c_dev_op op, std::size_t write_len,
                                   std::size_t read_len);

// "I2C, SMBus quick, byte, byte data, ..." for logs and error messages.
std::string describe_i2c_funcs(unsigned long funcs);

}  // namespace piogate::hw
