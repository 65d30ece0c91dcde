// The sysfs PWM backend against a temporary directory tree laid out like /sys/class/pwm:
// export when needed, the bounded wait for udev, what is written where, read-back, the
// errors for a missing chip, a channel beyond npwm, unreadable or corrupted attributes.
#include "hw/linux/sysfs_pwm.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace piogate::hw {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

std::string slurp(const fs::path& p) {
    std::ifstream in(p);
    return std::string(std::istreambuf_iterator<char>(in), {});
}
void put(const fs::path& p, const std::string& text) {
    std::ofstream(p) << text;
}

class SysfsPwm : public ::testing::Test {
protected:
    SysfsPwm() {
        char tmpl[] = "/tmp/piogate-pwm-XXXXXX";
        root = ::mkdtemp(tmpl);
        chip = root / "pwmchip0";
        fs::create_directories(chip);
        put(chip / "npwm", "2\n");
        put(chip / "export", "");
        put(chip / "unexport", "");
    }
    ~SysfsPwm() override { fs::remove_all(root); }

    // What the kernel creates on export.
    void make_channel(unsigned n, const std::string& period = "0", const std::string& duty = "0",
                      const std::string& polarity = "normal", const std::string& enable = "0") {
        const auto d = chip / ("pwm" + std::to_string(n));
        fs::create_directories(d);
        put(d / "period", period + "\n");
        put(d / "duty_cycle", duty + "\n");
        put(d / "polarity", polarity + "\n");
        put(d / "enable", enable + "\n");
    }

    sysfs_pwm_options options(std::function<void(std::chrono::milliseconds)> wait = {}) {
        sysfs_pwm_options o;
        o.root = root;
        o.open_attempts = 5;
        o.retry_delay = 20ms;
        o.wait = wait ? std::move(wait) : [this](std::chrono::milliseconds) { ++waits; };
        return o;
    }

    fs::path root;
    fs::path chip;
    int waits = 0;
};

TEST_F(SysfsPwm, ExportsWaitsForTheFilesWritesAndUnexports) {
    auto pwm = make_sysfs_pwm(options([&](std::chrono::milliseconds d) {
        EXPECT_EQ(d, 20ms);
        if (++waits == 2) make_channel(1);  // udev done after the second wait
    }));
    {
        auto out = pwm->request({0, 1});
        ASSERT_TRUE(out) << out.err().message;
        EXPECT_EQ(slurp(chip / "export"), "1");
        EXPECT_EQ(waits, 2);
        EXPECT_EQ((*out)->name(), "pwmchip0/pwm1");
        ASSERT_TRUE(apply_pwm(**out, {40000, 10000, pwm_polarity::inversed, true}));
        EXPECT_EQ(slurp(chip / "pwm1/period"), "40000");
        EXPECT_EQ(slurp(chip / "pwm1/duty_cycle"), "10000");
        EXPECT_EQ(slurp(chip / "pwm1/polarity"), "inversed");
        EXPECT_EQ(slurp(chip / "pwm1/enable"), "1");
        auto back = (*out)->read();
        ASSERT_TRUE(back) << back.err().message;
        EXPECT_EQ(*back, (pwm_state{40000, 10000, pwm_polarity::inversed, true}));
        EXPECT_EQ(slurp(chip / "unexport"), "");
    }
    EXPECT_EQ(slurp(chip / "unexport"), "1");
}

TEST_F(SysfsPwm, AnExportedChannelIsUsedAsItIsAndNotUnexported) {
    make_channel(0, "20000000", "1500000", "normal", "1");
    auto pwm = make_sysfs_pwm(options());
    {
        auto out = pwm->request({0, 0});
        ASSERT_TRUE(out) << out.err().message;
        EXPECT_EQ(waits, 0);
        EXPECT_EQ(slurp(chip / "export"), "");
        auto s = (*out)->read();
        ASSERT_TRUE(s);
        EXPECT_EQ(*s, (pwm_state{20000000, 1500000, pwm_polarity::normal, true}));
    }
    EXPECT_EQ(slurp(chip / "unexport"), "");
}

TEST_F(SysfsPwm, FilesThatNeverAppearAreATimeoutAndTheExportIsUndone) {
    auto pwm = make_sysfs_pwm(options());
    auto out = pwm->request({0, 0});
    ASSERT_FALSE(out);
    EXPECT_EQ(waits, 4) << "5 checks, 4 waits: bounded";
    EXPECT_EQ(out.err().code, make_error_code(hw_errc::timeout));
    EXPECT_NE(
        out.err().message.find("pwmchip0/pwm0: " + (chip / "pwm0").string() +
                               " not there after export (No such file or directory, waited 80 ms)"),
        std::string::npos)
        << out.err().message;
    EXPECT_EQ(slurp(chip / "unexport"), "0");
}

TEST_F(SysfsPwm, FilesThatStayUnwritableArePermissionDenied) {
    if (::geteuid() == 0) GTEST_SKIP() << "root writes read-only files";
    make_channel(0);
    fs::permissions(chip / "pwm0/duty_cycle", fs::perms::owner_read);
    auto out = make_sysfs_pwm(options())->request({0, 0});
    ASSERT_FALSE(out);
    EXPECT_EQ(out.err().code, make_error_code(hw_errc::permission));
    EXPECT_NE(out.err().message.find("not writable"), std::string::npos) << out.err().message;
}

TEST_F(SysfsPwm, MissingChipAndChannelBeyondNpwm) {
    fs::create_directories(root / "pwmchip2");
    auto pwm = make_sysfs_pwm(options());
    auto no_chip = pwm->request({1, 0});
    ASSERT_FALSE(no_chip);
    EXPECT_EQ(no_chip.err().code, make_error_code(hw_errc::not_found));
    const auto& m = no_chip.err().message;
    EXPECT_NE(m.find("pwmchip1/pwm0: no " + (root / "pwmchip1").string()), std::string::npos) << m;
    EXPECT_NE(m.find("pwmchip0"), std::string::npos) << m;
    EXPECT_NE(m.find("pwmchip2"), std::string::npos) << m;
    EXPECT_NE(m.find("dtoverlay=pwm"), std::string::npos) << m;
    auto beyond = pwm->request({0, 2});
    ASSERT_FALSE(beyond);
    EXPECT_EQ(beyond.err().message, "pwmchip0/pwm2: pwmchip0 has 2 channels (0..1)");
    EXPECT_EQ(slurp(chip / "export"), "") << "nothing exported";
}

TEST_F(SysfsPwm, CorruptedOrUnreadableAttributesAreClearErrors) {
    make_channel(0, "forty", "0");
    auto out = make_sysfs_pwm(options())->request({0, 0});
    ASSERT_TRUE(out);
    auto r = (*out)->read();
    ASSERT_FALSE(r);
    EXPECT_EQ(r.err().message, "pwmchip0/pwm0: read period: unexpected content \"forty\"");
    put(chip / "pwm0/period", "40000\n");
    put(chip / "pwm0/polarity", "sideways\n");
    r = (*out)->read();
    ASSERT_FALSE(r);
    EXPECT_EQ(r.err().message, "pwmchip0/pwm0: read polarity: unexpected content \"sideways\"");
    fs::remove(chip / "pwm0/enable");
    r = (*out)->read();
    ASSERT_FALSE(r);
    EXPECT_EQ(r.err().code, make_error_code(hw_errc::not_found));
    EXPECT_EQ(r.err().message, "pwmchip0/pwm0: read enable: No such file or directory");
}

TEST_F(SysfsPwm, AWriteErrorNamesChipChannelAttributeAndValue) {
    make_channel(0);
    auto out = make_sysfs_pwm(options())->request({0, 0});
    ASSERT_TRUE(out);
    // A directory in place of the file: open(O_WRONLY) fails with EISDIR.
    fs::remove(chip / "pwm0/duty_cycle");
    fs::create_directory(chip / "pwm0/duty_cycle");
    auto r = (*out)->write_duty(5);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.err().message, "pwmchip0/pwm0: write duty_cycle 5: Is a directory");
}

}  // namespace
}  // namespace piogate::hw
