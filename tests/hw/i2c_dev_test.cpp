// The /dev/i2c-N backend against a real kernel adapter: i2c-stub, which tests/hw/run_in_vm.sh
// loads in a VM (tests/hw/vm/fixture.sh) with chips at 0x76 and 0x77 on /dev/i2c-$I2C_STUB_BUS.
// i2c-stub is SMBus-only, so this covers the SMBus fallbacks and their limits; it keeps a
// 16-bit cell per register, and byte and block transfers use the low byte of each cell, which is
// what the seeding below relies on. The stub's registers live as long as the VM: each test uses
// its own register range.
#include <grp.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>
// SPDX-License-Identifier: Apache-2.0
#include <array>
#include <cstdlib>
#include <fstream>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

#include "hw/linux/linux_i2c.hpp"

namespace piogate::hw {
namespace {

constexpr std::uint8_t chip = 0x76;
constexpr std::uint8_t other_chip = 0x77;
constexpr std::uint8_t nobody_there = 0x50;

std::string stub_bus() {
    const char* bus = std::getenv("I2C_STUB_BUS");
    return bus != nullptr ? bus : "";
}

std::string open_error(const std::string& spec) {
    try {
        open_linux_i2c({spec, 0});
    } catch (const std::runtime_error& e) {
        return e.what();
    }
    return "(opened)";
}

std::vector<std::uint8_t> pattern(std::size_t n, std::uint8_t first) {
    std::vector<std::uint8_t> v(n);
    std::iota(v.begin(), v.end(), first);
    return v;
}

class i2c_dev : public ::testing::Test {
protected:
    void SetUp() override {
        number_ = stub_bus();
        if (number_.empty()) {
            GTEST_SKIP() << "I2C_STUB_BUS is not set, so there is no i2c-stub bus here; "
                            "tests/hw/run_in_vm.sh runs these tests in a VM that has one";
        }
        name_ = "i2c-" + number_;
        bus_ = open_linux_i2c({number_, 2});
    }

    // reg, then data: an SMBus I2C block write (byte data for one byte).
    void seed(std::uint8_t address, std::uint8_t reg, const std::vector<std::uint8_t>& data) {
        std::vector<std::uint8_t> bytes{reg};
        bytes.insert(bytes.end(), data.begin(), data.end());
        const auto r = bus_->write(address, bytes);
        ASSERT_TRUE(r.ok()) << r.err().message;
    }

    std::vector<std::uint8_t> read_regs(std::uint8_t address, std::uint8_t reg, std::size_t n) {
        std::vector<std::uint8_t> out(n, 0xEE);
        const auto r = read_registers(*bus_, address, reg, out);
        EXPECT_TRUE(r.ok()) << r.err().message;
        return out;
    }

    std::string number_;
    std::string name_;
    std::unique_ptr<i2c_bus> bus_;
};

TEST_F(i2c_dev, opens_by_number_name_and_path) {
    EXPECT_EQ(bus_->name(), name_);
    EXPECT_EQ(open_linux_i2c({name_, 0})->name(), name_);
    EXPECT_EQ(open_linux_i2c({"/dev/" + name_, 0})->name(), name_);
}

TEST_F(i2c_dev, byte_write_reads_back_per_chip) {
    ASSERT_TRUE(write_register(*bus_, chip, 0xD0, 0x60).ok());
    ASSERT_TRUE(write_register(*bus_, other_chip, 0xD0, 0x58).ok());
    EXPECT_EQ(read_regs(chip, 0xD0, 1), std::vector<std::uint8_t>{0x60});
    EXPECT_EQ(read_regs(other_chip, 0xD0, 1), std::vector<std::uint8_t>{0x58});
}

TEST_F(i2c_dev, block_write_reads_back_as_block_and_bytes) {
    const auto calib = pattern(26, 0x10);  // a BME280-sized calibration block at 0x88
    seed(chip, 0x88, calib);
    EXPECT_EQ(read_regs(chip, 0x88, 26), calib);
    EXPECT_EQ(read_regs(chip, 0x89, 1), std::vector<std::uint8_t>{0x11});
    EXPECT_EQ(read_regs(chip, 0x8A, 3), pattern(3, 0x12));
}

TEST_F(i2c_dev, long_reads_are_split_into_32_byte_blocks) {
    seed(chip, 0x00, pattern(32, 0x40));
    seed(chip, 0x20, pattern(32, 0x60));
    EXPECT_EQ(read_regs(chip, 0x00, 64), pattern(64, 0x40));
    EXPECT_EQ(read_regs(chip, 0x10, 40), pattern(40, 0x50));
}

TEST_F(i2c_dev, pointer_write_then_plain_read_receives_bytes) {
    seed(chip, 0xC0, {0xA1, 0xA2, 0xA3, 0xA4});
    const std::array<std::uint8_t, 1> pointer{0xC0};
    ASSERT_TRUE(bus_->write(chip, pointer).ok());
    std::array<std::uint8_t, 4> out{};
    const auto r = bus_->read(chip, out);
    ASSERT_TRUE(r.ok()) << r.err().message;
    EXPECT_EQ(out, (std::array<std::uint8_t, 4>{0xA1, 0xA2, 0xA3, 0xA4}));
}

TEST_F(i2c_dev, empty_write_probes_the_address) {
    EXPECT_TRUE(bus_->write(chip, {}).ok());
    const auto r = bus_->write(nobody_there, {});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.err().code, hw_errc::no_device);
}

TEST_F(i2c_dev, missing_device_names_bus_address_and_register) {
    std::array<std::uint8_t, 1> out{};
    const auto r = read_registers(*bus_, nobody_there, 0xD0, out);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.err().code, hw_errc::no_device);
    EXPECT_EQ(r.err().message.rfind(name_ + " 0x50 reg 0xD0: read failed: no device answered", 0),
              0u)
        << r.err().message;
    EXPECT_NE(r.err().message.find("3 attempts"), std::string::npos) << r.err().message;

    const auto w = write_register(*bus_, nobody_there, 0xF4, 0x27);
    ASSERT_FALSE(w.ok());
    EXPECT_EQ(w.err().code, hw_errc::no_device);
    EXPECT_NE(w.err().message.find(name_ + " 0x50 reg 0xF4: write failed"), std::string::npos)
        << w.err().message;
}

TEST_F(i2c_dev, i2c_only_transfers_are_not_supported_on_smbus_adapter) {
    // A two-byte register address (EEPROM style) needs a repeated START after two bytes.
    const std::array<std::uint8_t, 2> wide_reg{0x01, 0x02};
    std::array<std::uint8_t, 2> out{};
    const auto r = bus_->write_read(chip, wide_reg, out);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.err().code, hw_errc::not_supported);
    EXPECT_NE(r.err().message.find(name_ + " 0x76 reg 0x01: read failed"), std::string::npos)
        << r.err().message;
    EXPECT_NE(r.err().message.find("I2C_FUNC_I2C"), std::string::npos) << r.err().message;

    const auto long_write = pattern(40, 0x00);  // reg + 39 bytes: more than one SMBus block
    const auto w = bus_->write(chip, long_write);
    ASSERT_FALSE(w.ok());
    EXPECT_EQ(w.err().code, hw_errc::not_supported);
    EXPECT_NE(w.err().message.find("a write of 40 bytes"), std::string::npos) << w.err().message;

    const auto bad = bus_->write(0x80, {});
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.err().code, hw_errc::not_supported);
}

// i2c-stub's `functionality` parameter narrows what the adapter reports, so the fallbacks for
// adapters without I2C block transfers can be exercised too.
class stub_functionality {
public:
    explicit stub_functionality(unsigned long remove) {
        std::ifstream in(path_);
        if (!(in >> saved_)) return;
        std::ofstream(path_) << (saved_ & ~remove);
        ok_ = true;
    }
    ~stub_functionality() {
        if (ok_) std::ofstream(path_) << saved_;
    }
    bool ok() const { return ok_; }

private:
    const char* path_ = "/sys/module/i2c_stub/parameters/functionality";
    unsigned long saved_ = 0;
    bool ok_ = false;
};

TEST_F(i2c_dev, without_i2c_block_two_bytes_use_word_data_and_more_are_refused) {
    constexpr unsigned long i2c_block = 0x0C000000;  // I2C_FUNC_SMBUS_{READ,WRITE}_I2C_BLOCK
    ASSERT_TRUE(write_register(*bus_, chip, 0xE0, 0x11).ok());
    const stub_functionality narrowed(i2c_block);
    if (!narrowed.ok()) GTEST_SKIP() << "cannot change i2c-stub's functionality parameter";
    const auto bus = open_linux_i2c({number_, 0});

    // Read word data: i2c-stub answers with cell 0xE0 alone (its high byte is 0), where a real
    // chip would send registers 0xE0 and 0xE1: the same bytes as an I2C block read of two.
    std::array<std::uint8_t, 2> two{};
    const auto r2 = read_registers(*bus, chip, 0xE0, two);
    ASSERT_TRUE(r2.ok()) << r2.err().message;
    EXPECT_EQ(two[0], 0x11);

    std::array<std::uint8_t, 3> three{};
    const auto r3 = read_registers(*bus, chip, 0xE0, three);
    ASSERT_FALSE(r3.ok());
    EXPECT_EQ(r3.err().code, hw_errc::not_supported);
    EXPECT_NE(r3.err().message.find("I2C_FUNC_SMBUS_READ_I2C_BLOCK"), std::string::npos)
        << r3.err().message;

    const std::array<std::uint8_t, 3> reg_and_two{0xE0, 1, 2};
    const auto w = bus->write(chip, reg_and_two);
    ASSERT_FALSE(w.ok());
    EXPECT_NE(w.err().message.find("I2C_FUNC_SMBUS_WRITE_I2C_BLOCK"), std::string::npos)
        << w.err().message;
}

// Runs `open_linux_i2c(spec)` as user nobody in a child process; returns the error text.
std::string open_error_as_nobody(const std::string& spec) {
    int fds[2];
    if (::pipe(fds) != 0) return "pipe failed";
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::close(fds[0]);
        std::string text = "(no error)";
        if (::setgroups(0, nullptr) != 0 || ::setgid(65534) != 0 || ::setuid(65534) != 0) {
            text = "cannot become nobody";
        } else {
            text = open_error(spec);
        }
        (void)!::write(fds[1], text.data(), text.size());
        ::_exit(0);
    }
    ::close(fds[1]);
    std::string text;
    char buf[512];
    for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;) text.append(buf, n);
    ::close(fds[0]);
    ::waitpid(pid, nullptr, 0);
    return text;
}

TEST_F(i2c_dev, permission_denied_names_the_group) {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root to run a child as nobody";
    const std::string text = open_error_as_nobody(number_);
    EXPECT_NE(text.find("I2C bus " + name_ + " (/dev/" + name_ + "): permission denied"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("group 'i2c'"), std::string::npos) << text;
}

// These need no I2C hardware: they run everywhere.
TEST(i2c_dev_open, missing_bus_lists_the_existing_ones) {
    if (::access("/dev/i2c-99", F_OK) == 0) GTEST_SKIP() << "this machine has an i2c-99";
    const std::string text = open_error("99");
    EXPECT_EQ(text.rfind("I2C bus i2c-99 (/dev/i2c-99): not found", 0), 0u) << text;
    if (!stub_bus().empty()) {
        EXPECT_NE(text.find("existing buses: "), std::string::npos) << text;
        EXPECT_NE(text.find("i2c-" + stub_bus() + " (SMBus stub driver)"), std::string::npos)
            << text;
    } else if (text.find("existing buses") == std::string::npos) {
        EXPECT_NE(text.find("modprobe i2c-dev"), std::string::npos) << text;
    }
}

TEST(i2c_dev_open, rejects_a_malformed_bus_name) {
    EXPECT_NE(open_error("bus1").find("expected a bus number (1), a name (i2c-1)"),
              std::string::npos);
    EXPECT_NE(open_error("").find("not set"), std::string::npos);
}

TEST(i2c_dev_open, rejects_a_file_that_is_not_an_i2c_device) {
    const std::string text = open_error("/dev/null");
    EXPECT_NE(text.find("(/dev/null): not an i2c-dev device"), std::string::npos) << text;
}

}  // namespace
}  // namespace piogate::hw
