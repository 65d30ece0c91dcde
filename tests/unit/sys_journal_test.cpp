#include <gtest/gtest.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
// SPDX-License-Identifier: Apache-2.0
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>

#include "log/terminal_sink.hpp"
#include "sys/journal_sink.hpp"
#include "sys/journald.hpp"

namespace {

using namespace piogate;

class journal_stream_env : public ::testing::Test {
protected:
    void SetUp() override {
        if (const char* v = std::getenv("JOURNAL_STREAM")) old_ = v;
        char tmpl[] = "/tmp/piogate-journal-XXXXXX";
        fd_ = ::mkstemp(tmpl);
        ASSERT_GE(fd_, 0);
        path_ = tmpl;
    }
    void TearDown() override {
        if (old_) {
            ::setenv("JOURNAL_STREAM", old_->c_str(), 1);
        } else {
            ::unsetenv("JOURNAL_STREAM");
        }
        if (fd_ >= 0) ::close(fd_);
        ::unlink(path_.c_str());
    }
    static std::string stream_of(int fd) {
        struct stat st {};
        EXPECT_EQ(::fstat(fd, &st), 0);
        return std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino);
    }
    std::optional<std::string> old_;
    std::string path_;
    int fd_ = -1;
};

TEST_F(journal_stream_env, matches_the_fd) {
    ::setenv("JOURNAL_STREAM", stream_of(fd_).c_str(), 1);
    EXPECT_TRUE(sys::under_journald(fd_));
}

TEST_F(journal_stream_env, matches_stderr_by_default) {
    ::setenv("JOURNAL_STREAM", stream_of(STDERR_FILENO).c_str(), 1);
    EXPECT_TRUE(sys::under_journald());
}

TEST_F(journal_stream_env, inherited_by_a_redirected_child_does_not_match) {
    // The variable names another stream (the parent's), as after `cmd 2>file` in a service.
    ::setenv("JOURNAL_STREAM", stream_of(STDERR_FILENO).c_str(), 1);
    struct stat a {}, b {};
    ASSERT_EQ(::fstat(fd_, &a), 0);
    ASSERT_EQ(::fstat(STDERR_FILENO, &b), 0);
    if (a.st_dev == b.st_dev && a.st_ino == b.st_ino) GTEST_SKIP() << "stderr is the temp file";
    EXPECT_FALSE(sys::under_journald(fd_));
}

TEST_F(journal_stream_env, absent_or_malformed) {
    ::unsetenv("JOURNAL_STREAM");
    EXPECT_FALSE(sys::under_journald(fd_));
    const auto good = stream_of(fd_);
    for (const std::string& bad : {std::string(""), std::string("garbage"), std::string("12"),
                                  good + "x", good.substr(0, good.find(':'))}) {
        ::setenv("JOURNAL_STREAM", bad.c_str(), 1);
        EXPECT_FALSE(sys::under_journald(fd_)) << bad;
    }
    ::setenv("JOURNAL_STREAM", good.c_str(), 1);
    EXPECT_FALSE(sys::under_journald(-1));  // fstat fails
}

TEST_F(journal_stream_env, default_sink_is_terminal_off_journald) {
    ::unsetenv("JOURNAL_STREAM");
    auto s = sys::default_sink();
    EXPECT_NE(dynamic_cast<log::terminal_sink*>(s.get()), nullptr);
    ::setenv("JOURNAL_STREAM", stream_of(STDERR_FILENO).c_str(), 1);
    s = sys::default_sink();
    EXPECT_NE(dynamic_cast<sys::journal_sink*>(s.get()), nullptr);
}

TEST(journal_sink, priorities_are_syslog_levels) {
    EXPECT_EQ(sys::journal_priority(log::level::debug), 7);
    EXPECT_EQ(sys::journal_priority(log::level::info), 6);
    EXPECT_EQ(sys::journal_priority(log::level::notice), 5);
    EXPECT_EQ(sys::journal_priority(log::level::warning), 4);
    EXPECT_EQ(sys::journal_priority(log::level::error), 3);
}

TEST(journal_sink, field_names_are_made_valid) {
    EXPECT_EQ(sys::journal_field_name("PIOGATE_CHANNEL"), "PIOGATE_CHANNEL");
    EXPECT_EQ(sys::journal_field_name("mqtt_topic"), "MQTT_TOPIC");
    EXPECT_EQ(sys::journal_field_name("hw.i2c-bus"), "HW_I2C_BUS");
    EXPECT_EQ(sys::journal_field_name("_PID"), "PID");  // trusted fields cannot be forged
    EXPECT_EQ(sys::journal_field_name("1WIRE"), "F_1WIRE");
    EXPECT_EQ(sys::journal_field_name("__"), "");
    EXPECT_EQ(sys::journal_field_name(""), "");
    EXPECT_EQ(sys::journal_field_name(std::string(100, 'A')).size(), 64u);
}

class recording_sink : public log::sink {
public:
    void write(log::level, std::string_view, std::string_view message,
               const log::fields&) override {
        last = std::string(message);
        ++count;
    }
    std::string last;
    int count = 0;
};

// This machine has no journald (/run/systemd/journal/socket). libsystemd treats a missing
// socket as "no journal, drop silently" (sd_journal_sendv returns 0 on ENOENT), so what can
// be checked here is that writing neither throws nor crashes nor counts it as a failure.
TEST(journal_sink, without_journald_does_not_throw) {
    if (::access("/run/systemd/journal/socket", F_OK) == 0) {
        GTEST_SKIP() << "journald is running here; this test is for a machine without it";
    }
    auto fallback = std::make_shared<recording_sink>();
    sys::journal_sink with_fallback("piogate-test", fallback);
    EXPECT_NO_THROW(with_fallback.write(log::level::warning, "app", "sensor kitchen: failed",
                                        {{"PIOGATE_CHANNEL", "kitchen"}, {"_PID", "1"},
                                         {"", "dropped"}, {"MESSAGE", "not twice"}}));
    EXPECT_EQ(with_fallback.failures(), 0u);
    EXPECT_EQ(fallback->count, 0);

    sys::journal_sink alone;
    for (auto l : {log::level::debug, log::level::info, log::level::notice, log::level::warning,
                   log::level::error}) {
        EXPECT_NO_THROW(alone.write(l, "mqtt", std::string(100000, 'x'), {}));
    }
}

}  // namespace
