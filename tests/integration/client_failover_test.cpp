// Broker lists against real mosquittos: failover within a round, return to the first
// address, one error for a round that failed; and the reconnect spread of a small fleet.
#include <gtest/gtest.h>
// SPDX-License-Identifier: Apache-2.0
#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "piogate/mqtt/async_client.hpp"
#include "piogate/mqtt/client.hpp"
#include "support/mosquitto_broker.hpp"

namespace mqtt = piogate::mqtt;
using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;
using piogate::test::mosquitto_broker;

namespace {

template <class Pred>
bool run_until(boost::asio::io_context& io, Pred done, std::chrono::milliseconds limit = 5s) {
    const auto deadline = steady::now() + limit;
    io.restart();
    while (!done()) {
        if (steady::now() >= deadline) return false;
        io.run_one_for(20ms);
    }
    return true;
}

mqtt::broker_address at(const mosquitto_broker& b) {
    return {"127.0.0.1", b.port()};
}

// A client with a long backoff: anything that waited for it would miss the deadlines below.
struct watched_client {
    watched_client(boost::asio::io_context& io, const std::string& id,
                   std::chrono::milliseconds min_delay = 5s)
        : c(io, options(id, min_delay)) {
        c.on_connect = [this](int rc, bool) { rc == 0 ? ++ups : ++refusals; };
        c.on_connect_fail = [this](std::error_code, std::string_view d) {
            ++fails;
            last_fail = d;
        };
        c.on_disconnect = [this](std::error_code) { ++downs; };
        c.on_log = [this](mqtt::log_level level, std::string_view text) {
            if (level == mqtt::log_level::info && text.starts_with("broker ")) {
                failovers.emplace_back(text);
            }
        };
    }
    static mqtt::client_options options(const std::string& id, std::chrono::milliseconds min) {
        mqtt::client_options o;
        o.client_id = id;
        o.reconnect_min_delay = min;
        o.reconnect_max_delay = 2 * min;
        return o;
    }
    mqtt::async_client c;
    int ups = 0, refusals = 0, fails = 0, downs = 0;
    std::string last_fail;
    std::vector<std::string> failovers;
};

}  // namespace

namespace piogate::mqtt {
void PrintTo(const broker_address& b, std::ostream* os) {
    *os << to_string(b);
}
}  // namespace piogate::mqtt

TEST(client_failover, a_closed_first_address_fails_over_to_the_second_at_once) {
    mosquitto_broker first, second;
    first.stop();  // its port is closed now: connection refused
    boost::asio::io_context io;
    watched_client w(io, "fo-closed-first");
    const auto start = steady::now();
    w.c.connect({at(first), at(second)});
    ASSERT_TRUE(run_until(
        io, [&] { return w.ups == 1; }, 3s));
    EXPECT_LT(steady::now() - start, 1s);  // the backoff is 5 s: no wait between addresses
    EXPECT_EQ(w.c.current_broker(), at(second));
    EXPECT_EQ(w.fails, 0);  // one round that succeeded: no on_connect_fail
    ASSERT_EQ(w.failovers.size(), 1u);
    EXPECT_EQ(w.failovers[0], "broker 127.0.0.1:" + std::to_string(first.port()) +
                                  " unreachable (Connection refused); trying 127.0.0.1:" +
                                  std::to_string(second.port()));
}

TEST(client_failover, a_lost_connection_returns_to_the_first_address) {
    mosquitto_broker first, second;
    first.stop();
    boost::asio::io_context io;
    watched_client w(io, "fo-return", 200ms);
    w.c.connect({at(first), at(second)});
    ASSERT_TRUE(run_until(io, [&] { return w.ups == 1; }));
    ASSERT_EQ(w.c.current_broker(), at(second));
    first.start();  // the primary is back, on the same port
    second.kill();
    ASSERT_TRUE(run_until(
        io, [&] { return w.ups == 2; }, 3s));
    EXPECT_EQ(w.c.current_broker(), at(first));
    EXPECT_EQ(w.downs, 1);
}

TEST(client_failover, a_backup_that_stays_up_is_left_for_the_first_after_a_drop) {
    // The backup drops the client (another client takes its id) but stays up: the next round
    // starts at the primary, it does not go on where the last one succeeded.
    mosquitto_broker first, second;
    first.stop();
    boost::asio::io_context io;
    watched_client w(io, "fo-primary", 200ms);
    w.c.connect({at(first), at(second)});
    ASSERT_TRUE(run_until(io, [&] { return w.ups == 1; }));
    first.start();
    mqtt::client kicker("fo-primary");
    kicker.connect("127.0.0.1", second.port());
    ASSERT_TRUE(run_until(
        io, [&] { return w.ups == 2; }, 3s));
    EXPECT_EQ(w.c.current_broker(), at(first));
    EXPECT_TRUE(w.failovers.size() == 1u) << w.failovers.size();  // only the first round's
}

TEST(client_failover, a_refused_connack_fails_over_without_reporting_the_refusal) {
    mosquitto_broker strict({.extra_config = "allow_anonymous false"}), open;
    boost::asio::io_context io;
    watched_client w(io, "fo-refused");
    w.c.connect({at(strict), at(open)});
    ASSERT_TRUE(run_until(
        io, [&] { return w.ups == 1; }, 3s));
    EXPECT_EQ(w.refusals, 0);
    EXPECT_EQ(w.c.current_broker(), at(open));
    ASSERT_EQ(w.failovers.size(), 1u);
    EXPECT_NE(w.failovers[0].find("not authorized"), std::string::npos) << w.failovers[0];
}

TEST(client_failover, a_failed_round_is_one_error_naming_every_address_then_backs_off) {
    mosquitto_broker a, b;
    a.stop();
    b.stop();
    boost::asio::io_context io;
    watched_client w(io, "fo-none", 300ms);
    std::vector<steady::time_point> fails;
    w.c.on_connect_fail = [&](std::error_code, std::string_view d) {
        fails.push_back(steady::now());
        w.last_fail = d;
    };
    const auto start = steady::now();
    w.c.connect({at(a), at(b)});
    ASSERT_TRUE(run_until(
        io, [&] { return fails.size() == 3; }, 5s));
    EXPECT_LT(fails[0] - start, 250ms);  // no backoff (300 ms) between the two addresses
    EXPECT_EQ(w.last_fail, "no broker reachable: 127.0.0.1:" + std::to_string(a.port()) +
                               " (Connection refused), 127.0.0.1:" + std::to_string(b.port()) +
                               " (Connection refused)");
    for (std::size_t i = 1; i < fails.size(); ++i) {
        EXPECT_GE(fails[i] - fails[i - 1], 290ms);  // the backoff applies between rounds only
    }
    EXPECT_EQ(w.c.current_broker(), at(a));  // each round starts at the first
    // The blocking face: one round, then connect_error with the same detail.
    mqtt::client blocking("fo-none-blocking");
    try {
        blocking.connect({at(a), at(b)});
        FAIL() << "connected to a stopped broker";
    } catch (const mqtt::connect_error& e) {
        EXPECT_EQ(e.code(), mqtt::errc::connection_lost);
        EXPECT_NE(std::string(e.what()).find(to_string(at(b))), std::string::npos) << e.what();
    }
    a.start();
    b.start();
    // Back within one backoff (at most 600 ms); the bound is for a CI machine loaded by the VM
    // tiers, where one run took over 3 s.
    ASSERT_TRUE(run_until(
        io, [&] { return w.ups == 1; }, 10s))
        << "fails " << fails.size() << ", last: " << w.last_fail;
    EXPECT_EQ(w.c.current_broker(), at(a));
}

TEST(client_failover, blocking_connect_goes_through_the_list) {
    mosquitto_broker first, second;
    first.stop();
    mqtt::client c("fo-blocking");  // reconnect_min_delay 1 s
    const auto start = steady::now();
    c.connect({at(first), {"localhost", second.port()}});
    EXPECT_LT(steady::now() - start, 900ms);
    EXPECT_TRUE(c.is_connected());
    EXPECT_EQ(c.current_broker(), (mqtt::broker_address{"localhost", second.port()}));
    EXPECT_THROW(c.connect(std::vector<mqtt::broker_address>{}), std::invalid_argument);
    const std::vector<mqtt::broker_address> no_host{{"", 1883}};
    EXPECT_THROW(c.connect(no_host), std::invalid_argument);
    const std::vector<mqtt::broker_address> no_port{{"h", 0}};
    EXPECT_THROW(c.connect(no_port), std::invalid_argument);
}

// The first reconnect of clients dropped together is spread over [0, reconnect_spread]; with
// no spread they all wait reconnect_min_delay.
namespace {

std::vector<std::chrono::milliseconds> first_reconnect_delays(std::chrono::milliseconds spread,
                                                              const std::string& prefix) {
    mosquitto_broker broker;
    boost::asio::io_context io;
    constexpr int clients = 10;
    std::vector<std::unique_ptr<mqtt::async_client>> fleet;
    std::vector<std::optional<steady::time_point>> dropped(clients), retried(clients);
    int ups = 0;
    for (int i = 0; i < clients; ++i) {
        mqtt::client_options o;
        o.client_id = prefix + std::to_string(i);
        o.reconnect_min_delay = 1000ms;
        o.reconnect_spread = spread;
        auto& c = *fleet.emplace_back(std::make_unique<mqtt::async_client>(io, o));
        c.on_connect = [&](int rc, bool) { ups += rc == 0; };
        c.on_disconnect = [&, i](std::error_code) { dropped[i] = steady::now(); };
        c.on_log = [&, i](mqtt::log_level, std::string_view text) {
            if (dropped[i] && !retried[i] && text.starts_with("connecting to ")) {
                retried[i] = steady::now();
            }
        };
        c.connect("127.0.0.1", broker.port(), 1);  // keepalive 1 s: a PINGRESP proves it healthy
    }
    EXPECT_TRUE(run_until(io, [&] { return ups == clients; }));
    // Healthy connections (else the backoff treats the drop as a storm, not the spread's job).
    run_until(
        io, [] { return false; }, 1500ms);
    broker.kill();
    broker.start();
    EXPECT_TRUE(run_until(
        io, [&] { return ups == 2 * clients; }, 8s));
    std::vector<std::chrono::milliseconds> delays;
    for (int i = 0; i < clients; ++i) {
        if (!dropped[i] || !retried[i]) continue;
        delays.push_back(
            std::chrono::duration_cast<std::chrono::milliseconds>(*retried[i] - *dropped[i]));
    }
    EXPECT_EQ(delays.size(), std::size_t{clients});
    return delays;
}

std::string joined(const std::vector<std::chrono::milliseconds>& delays) {
    std::string text;
    for (auto d : delays) text += (text.empty() ? "" : " ") + std::to_string(d.count());
    return text;
}

}  // namespace

TEST(client_failover, reconnect_spread_spreads_the_first_reconnect_of_a_fleet) {
    const auto spread = first_reconnect_delays(2000ms, "spread-");
    ASSERT_FALSE(spread.empty());
    const auto [lo, hi] = std::minmax_element(spread.begin(), spread.end());
    const std::string seen = "delays (ms): " + joined(spread);
    EXPECT_GE(*lo, 0ms) << seen;
    EXPECT_LE(*hi, 2300ms) << seen;       // [0, 2 s] plus the loop's latency
    EXPECT_GT(*hi - *lo, 500ms) << seen;  // 10 uniform draws within 0.5 s: p < 1e-4
    EXPECT_LT(*lo, 900ms) << seen;        // sooner than reconnect_min_delay for some
    const auto burst = first_reconnect_delays(0ms, "burst-");
    ASSERT_FALSE(burst.empty());
    const auto [blo, bhi] = std::minmax_element(burst.begin(), burst.end());
    const std::string burst_seen = "delays (ms): " + joined(burst);
    EXPECT_GE(*blo, 1000ms) << burst_seen;  // without a spread: all at reconnect_min_delay
    EXPECT_LT(*bhi - *blo, 200ms) << burst_seen;
}
