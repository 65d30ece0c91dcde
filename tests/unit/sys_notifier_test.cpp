// The sd_notify protocol against a real AF_UNIX datagram socket standing in for systemd.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
// SPDX-License-Identifier: Apache-2.0
#include <boost/asio/io_context.hpp>
#include <boost/asio/local/datagram_protocol.hpp>
#include <boost/asio/steady_timer.hpp>
#include <array>
#include <chrono>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "sys/notifier.hpp"
#include "sys/watchdog_timer.hpp"

namespace {

using namespace std::chrono;
using piogate::sys::notifier;

// Sets an environment variable for the scope, restoring the old value (or its absence).
class scoped_env {
public:
    scoped_env(const char* name, const std::string& value) : name_(name) {
        if (const char* old = std::getenv(name)) old_ = old;
        ::setenv(name, value.c_str(), 1);
    }
    ~scoped_env() {
        if (old_) {
            ::setenv(name_, old_->c_str(), 1);
        } else {
            ::unsetenv(name_);
        }
    }

private:
    const char* name_;
    std::optional<std::string> old_;
};

class fake_systemd : public ::testing::Test {
protected:
    void SetUp() override {
        char tmpl[] = "/tmp/piogate-notify-XXXXXX";
        ASSERT_NE(::mkdtemp(tmpl), nullptr);
        dir_ = tmpl;
        path_ = dir_ + "/notify";
        fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        ASSERT_GE(fd_, 0);
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        ASSERT_LT(path_.size(), sizeof addr.sun_path);
        path_.copy(addr.sun_path, path_.size());
        ASSERT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
        timeval tv{2, 0};  // a bounded wait: a missing datagram fails, never hangs
        ASSERT_EQ(::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv), 0);
        env_.emplace("NOTIFY_SOCKET", path_);
    }
    void TearDown() override {
        env_.reset();
        if (fd_ >= 0) ::close(fd_);
        ::unlink(path_.c_str());
        ::rmdir(dir_.c_str());
    }

    std::optional<std::string> receive() {
        std::array<char, 4096> buf{};
        const auto n = ::recv(fd_, buf.data(), buf.size(), 0);
        if (n < 0) return std::nullopt;
        return std::string(buf.data(), static_cast<std::size_t>(n));
    }

    bool nothing_pending() {
        std::array<char, 64> buf{};
        return ::recv(fd_, buf.data(), buf.size(), MSG_DONTWAIT) < 0;
    }

    std::string dir_;
    std::string path_;
    int fd_ = -1;
    std::optional<scoped_env> env_;
};

TEST_F(fake_systemd, ready) {
    EXPECT_TRUE(notifier{}.ready());
    EXPECT_EQ(receive(), "READY=1");
    EXPECT_TRUE(nothing_pending());
}

TEST_F(fake_systemd, reloading_carries_monotonic_usec) {
    timespec before{};
    ::clock_gettime(CLOCK_MONOTONIC, &before);
    EXPECT_TRUE(notifier{}.reloading());
    timespec after{};
    ::clock_gettime(CLOCK_MONOTONIC, &after);
    const auto msg = receive();
    ASSERT_TRUE(msg);
    const std::string prefix = "RELOADING=1\nMONOTONIC_USEC=";
    ASSERT_EQ(msg->substr(0, prefix.size()), prefix);
    const auto usec = std::stoull(msg->substr(prefix.size()));
    const auto to_usec = [](const timespec& ts) {
        return static_cast<unsigned long long>(ts.tv_sec) * 1000000ull +
               static_cast<unsigned long long>(ts.tv_nsec) / 1000ull;
    };
    EXPECT_GE(usec, to_usec(before));
    EXPECT_LE(usec, to_usec(after));
    EXPECT_EQ(msg->find_first_not_of("0123456789", prefix.size()), std::string::npos);
}

TEST_F(fake_systemd, stopping_status_watchdog) {
    notifier n;
    EXPECT_TRUE(n.stopping());
    EXPECT_EQ(receive(), "STOPPING=1");
    EXPECT_TRUE(n.status("connected to broker; 3 sensors"));
    EXPECT_EQ(receive(), "STATUS=connected to broker; 3 sensors");
    EXPECT_TRUE(n.status("two\nlines"));
    EXPECT_EQ(receive(), "STATUS=two lines");
    EXPECT_TRUE(n.watchdog());
    EXPECT_EQ(receive(), "WATCHDOG=1");
    EXPECT_TRUE(nothing_pending());
}

TEST(notifier, without_notify_socket_is_a_no_op) {
    std::optional<std::string> old;
    if (const char* v = std::getenv("NOTIFY_SOCKET")) old = v;
    ::unsetenv("NOTIFY_SOCKET");
    notifier n;
    EXPECT_FALSE(n.ready());
    EXPECT_FALSE(n.reloading());
    EXPECT_FALSE(n.stopping());
    EXPECT_FALSE(n.status("x"));
    EXPECT_FALSE(n.watchdog());
    if (old) ::setenv("NOTIFY_SOCKET", old->c_str(), 1);
}

TEST(watchdog_interval, from_watchdog_usec_and_pid) {
    {
        scoped_env usec("WATCHDOG_USEC", "200000");
        scoped_env pid("WATCHDOG_PID", std::to_string(::getpid()));
        EXPECT_EQ(piogate::sys::watchdog_interval(), microseconds(200000));
    }
    {
        scoped_env usec("WATCHDOG_USEC", "200000");
        scoped_env pid("WATCHDOG_PID", std::to_string(::getpid() + 1));  // meant for another
        EXPECT_EQ(piogate::sys::watchdog_interval(), std::nullopt);
    }
    {
        std::optional<std::string> old;
        if (const char* v = std::getenv("WATCHDOG_USEC")) old = v;
        ::unsetenv("WATCHDOG_USEC");
        EXPECT_EQ(piogate::sys::watchdog_interval(), std::nullopt);
        if (old) ::setenv("WATCHDOG_USEC", old->c_str(), 1);
    }
}

TEST_F(fake_systemd, watchdog_timer_pings_every_half_interval) {
    scoped_env usec("WATCHDOG_USEC", "200000");
    scoped_env pid("WATCHDOG_PID", std::to_string(::getpid()));
    const auto interval = piogate::sys::watchdog_interval();
    ASSERT_EQ(interval, milliseconds(200));

    namespace asio = boost::asio;
    asio::io_context io;
    asio::local::datagram_protocol::socket peer(io, asio::local::datagram_protocol(), fd_);
    fd_ = -1;  // owned by `peer` now

    std::vector<std::string> messages;
    std::vector<steady_clock::duration> arrivals;
    std::array<char, 256> buf{};
    const auto start = steady_clock::now();

    piogate::sys::watchdog_timer wd(io, *interval);
    EXPECT_EQ(wd.period(), milliseconds(100));

    std::function<void()> receive_next = [&] {
        peer.async_receive(asio::buffer(buf), [&](const boost::system::error_code& ec,
                                                 std::size_t n) {
            if (ec) return;
            messages.emplace_back(buf.data(), n);
            arrivals.push_back(steady_clock::now() - start);
            if (messages.size() == 3) {
                wd.stop();
                io.stop();
                return;
            }
            receive_next();
        });
    };
    receive_next();
    wd.start();
    io.run_for(seconds(3));  // the bound: three pings take ~300 ms

    ASSERT_EQ(messages.size(), 3u);
    EXPECT_EQ(wd.pings(), 3u);
    for (const auto& m : messages) EXPECT_EQ(m, "WATCHDOG=1");
    // About half the interval: not before it, and well before the full interval plus slack
    // (a shared CI machine may be slow, so only the lower bound is tight).
    EXPECT_GE(arrivals[0], milliseconds(95));
    EXPECT_LT(arrivals[0], milliseconds(1000));
    EXPECT_GE(arrivals[2] - arrivals[0], milliseconds(190));
}

TEST(watchdog_timer, destroyed_while_armed_is_safe) {
    boost::asio::io_context io;
    {
        piogate::sys::watchdog_timer wd(io, milliseconds(2));
        wd.start();
    }
    io.run_for(milliseconds(20));  // the cancelled handler runs after the timer is gone
    SUCCEED();
}

}  // namespace
