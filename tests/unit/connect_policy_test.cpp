// The client's connect/reconnect decisions on virtual time: backoff, jitter, failover
// rounds, the connect timeout, reconnect()/disconnect() at every phase, auto_reconnect off,
// the spread after a drop. No clock, no sleeps: `now` is a number the test moves.
#include "mqtt/connect_policy.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include <deque>
#include <string>
#include <vector>

#include "piogate/mqtt/error.hpp"

namespace mqtt = piogate::mqtt;
using namespace std::chrono_literals;
using action = mqtt::close_decision::action;
using mqtt::connect_phase;

namespace {

const auto t0 = mqtt::connect_policy::time_point{} + 1h;

std::error_code lost() {
    return make_error_code(mqtt::errc::connection_lost);
}
std::error_code by_user() {
    return make_error_code(mqtt::errc::disconnected_by_user);
}

// A policy with a scripted random source: each draw takes the next value of `draws`
// (0.5 once they run out) and is counted.
struct fixture {
    explicit fixture(mqtt::connect_timing t = timing(),
                     std::vector<mqtt::broker_address> list = {{"only", 1883}})
        : policy(t, [this] {
              ++drawn;
              if (draws.empty()) return 0.5;
              const double d = draws.front();
              draws.pop_front();
              return d;
          }) {
        policy.set_brokers(std::move(list));
    }
    static mqtt::connect_timing timing() {
        mqtt::connect_timing t;
        t.connect_timeout = 3s;
        t.reconnect_min_delay = 1s;
        t.reconnect_max_delay = 60s;
        return t;
    }
    // The attempt fails before CONNACK; the round's report is given; returns the wait.
    std::optional<mqtt::retry_plan> fail_round(mqtt::connect_policy::time_point now) {
        policy.on_failed("connection refused");
        const auto d = policy.on_closed(now, lost(), "cannot connect: connection refused");
        EXPECT_EQ(d.what, action::report_connect_fail);
        return policy.after_report(now);
    }

    std::deque<double> draws;
    int drawn = 0;
    mqtt::connect_policy policy;
};

std::vector<mqtt::broker_address> three() {
    return {{"a", 1}, {"b", 2}, {"c", 3}};
}

}  // namespace

TEST(connect_policy, start_connects_to_the_first_broker_now_with_the_connect_deadline) {
    fixture f({}, three());
    EXPECT_EQ(f.policy.phase(), connect_phase::idle);
    f.policy.start(t0);
    EXPECT_EQ(f.policy.phase(), connect_phase::connecting);
    EXPECT_EQ(f.policy.current().host, "a");
    EXPECT_EQ(f.policy.connect_deadline(), t0 + 10s);  // connect_timing's default
    EXPECT_FALSE(f.policy.retry_at());
}

TEST(connect_policy, start_before_a_broker_list_is_an_error) {
    mqtt::connect_policy p({}, [] { return 0.0; });
    EXPECT_THROW(p.start(t0), std::invalid_argument);
}

TEST(connect_policy, failed_rounds_back_off_exponentially_between_min_and_max) {
    fixture f;
    f.policy.start(t0);
    auto now = t0;
    // Jitter 1.0 gives the top of each step's range: min * 2^n, capped at max.
    const std::vector<std::chrono::milliseconds> top = {1s, 2s, 4s, 8s, 16s, 32s, 60s, 60s};
    for (const auto want : top) {
        f.draws = {1.0};
        const auto plan = f.fail_round(now);
        ASSERT_TRUE(plan);
        EXPECT_EQ(plan->delay, want);
        EXPECT_EQ(plan->at, now + want);
        EXPECT_EQ(f.policy.phase(), connect_phase::waiting);
        EXPECT_EQ(f.policy.retry_at(), now + want);
        EXPECT_FALSE(f.policy.retry_due(plan->at - 1ms));  // not before its time
        now = plan->at;
        ASSERT_TRUE(f.policy.retry_due(now));
        EXPECT_EQ(f.policy.phase(), connect_phase::connecting);
        EXPECT_EQ(f.policy.connect_deadline(), now + 3s);
    }
}

TEST(connect_policy, jitter_draws_within_half_to_full_step_never_below_min) {
    fixture f;
    f.policy.start(t0);
    // Step 0 has no range below min: both ends give min_delay.
    f.draws = {0.0};
    EXPECT_EQ(f.fail_round(t0)->delay, 1s);
    ASSERT_TRUE(f.policy.retry_due(t0 + 1s));
    // Steps 1..3: [full/2, full] with full = 2 s, 4 s, 8 s.
    f.draws = {0.0};
    EXPECT_EQ(f.fail_round(t0)->delay, 1s);
    ASSERT_TRUE(f.policy.retry_due(t0 + 1s));
    f.draws = {0.5};
    EXPECT_EQ(f.fail_round(t0)->delay, 3s);
    ASSERT_TRUE(f.policy.retry_due(t0 + 3s));
    f.draws = {0.999};
    const auto d = f.fail_round(t0)->delay;
    EXPECT_GE(d, 4s);
    EXPECT_LE(d, 8s);
    EXPECT_EQ(f.drawn, 4);  // one draw per failed round
}

TEST(connect_policy, a_healthy_connection_resets_the_backoff) {
    fixture f;
    f.policy.start(t0);
    auto now = t0;
    for (int i = 0; i < 8; ++i) {  // a long outage: the waits reach max_delay
        f.draws = {1.0};
        const auto plan = f.fail_round(now);
        now = plan->at;
        ASSERT_TRUE(f.policy.retry_due(now));
    }
    f.policy.on_transport_open();
    f.policy.on_accepted(now);
    EXPECT_EQ(f.policy.phase(), connect_phase::connected);
    f.policy.on_healthy();  // a PINGRESP
    now += 1s;
    EXPECT_EQ(f.policy.on_closed(now, lost(), "broker closed the connection").what,
              action::report_disconnect);
    f.draws = {1.0};
    const auto plan = f.policy.after_report(now);
    ASSERT_TRUE(plan);
    EXPECT_EQ(plan->delay, 1s);  // min_delay again, not 60 s
    ASSERT_TRUE(f.policy.retry_due(plan->at));
    f.draws = {1.0};
    EXPECT_EQ(f.fail_round(plan->at)->delay, 2s);  // the outage series starts again
}

TEST(connect_policy, a_broker_that_accepts_and_drops_at_once_is_retried_more_slowly_up_to_the_cap) {
    fixture f;
    f.policy.start(t0);
    auto now = t0;
    std::vector<std::chrono::milliseconds> waits;
    for (int i = 0; i < 6; ++i) {
        f.policy.on_transport_open();
        f.policy.on_accepted(now);
        now += 100ms;  // dropped before any PINGRESP
        EXPECT_EQ(f.policy.on_closed(now, lost(), "broker closed the connection").what,
                  action::report_disconnect);
        f.draws = {1.0, 0.0};
        const auto plan = f.policy.after_report(now);
        ASSERT_TRUE(plan);
        waits.push_back(plan->delay);
        now = plan->at;
        ASSERT_TRUE(f.policy.retry_due(now));
    }
    // storm level 1, 2, 3, 4 (the cap: min(max_delay, 10 s) reached), then held
    EXPECT_EQ(waits, (std::vector<std::chrono::milliseconds>{2s, 4s, 8s, 10s, 10s, 10s}));
    EXPECT_EQ(f.policy.backoff().storm_level(), 4u);
}

TEST(connect_policy, failover_tries_each_broker_at_once_and_reports_the_round_once) {
    fixture f({}, three());
    f.policy.start(t0);
    int reports = 0;
    std::string detail;
    const std::vector<std::string> why = {"connection refused", "timed out after 3000 ms",
                                          "refused: not authorized"};
    const std::vector<std::string> logs = {
        "broker a:1 unreachable (connection refused); trying b:2",
        "broker b:2 unreachable (timed out after 3000 ms); trying c:3"};
    for (std::size_t i = 0; i < 3; ++i) {
        EXPECT_EQ(f.policy.current().port, i + 1);
        if (i == 2) {
            EXPECT_FALSE(f.policy.on_refused(why[i]));  // the last: on_connect reports it
        } else {
            f.policy.on_failed(why[i]);
        }
        const auto d = f.policy.on_closed(t0 + std::chrono::seconds(i), lost(), "long detail");
        ASSERT_TRUE(d.log);
        if (i < 2) {
            EXPECT_EQ(d.what, action::fail_over);
            EXPECT_EQ(d.log->level, piogate::mqtt::log_level::info);
            EXPECT_EQ(d.log->text, logs[i]);
            EXPECT_EQ(f.policy.phase(), connect_phase::connecting);
            EXPECT_EQ(f.policy.connect_deadline(), t0 + std::chrono::seconds(i) + 10s);
        } else {
            EXPECT_EQ(d.what, action::report_connect_fail);
            ++reports;
            detail = d.detail;
            EXPECT_EQ(d.log->level, piogate::mqtt::log_level::warning);
            EXPECT_EQ(d.log->text, detail);
        }
    }
    EXPECT_EQ(reports, 1);
    EXPECT_EQ(detail,
              "no broker reachable: a:1 (connection refused), b:2 (timed out after 3000 ms), "
              "c:3 (refused: not authorized)");
    const auto plan = f.policy.after_report(t0 + 2s);
    ASSERT_TRUE(plan);
    EXPECT_EQ(f.policy.current().host, "a");  // the next round starts at the first
    ASSERT_TRUE(f.policy.retry_due(plan->at));
    EXPECT_EQ(f.policy.current().host, "a");
    // The second round's summary names only its own failures.
    for (int i = 0; i < 3; ++i) {
        f.policy.on_failed("down");
        const auto d = f.policy.on_closed(plan->at, lost(), "x");
        if (i == 2) {
            EXPECT_EQ(d.detail, "no broker reachable: a:1 (down), b:2 (down), c:3 (down)");
        }
    }
}

TEST(connect_policy, a_refusal_with_brokers_left_fails_over) {
    fixture f({}, three());
    f.policy.start(t0);
    EXPECT_TRUE(f.policy.on_refused("refused: not authorized"));
    const auto d = f.policy.on_closed(t0, make_error_code(mqtt::errc::connection_refused), "x");
    EXPECT_EQ(d.what, action::fail_over);
    EXPECT_EQ(d.log->text, "broker a:1 unreachable (refused: not authorized); trying b:2");
}

TEST(connect_policy, one_broker_reports_the_attempts_own_detail) {
    fixture f;
    f.policy.start(t0);
    f.policy.on_failed("connection refused");
    const auto d =
        f.policy.on_closed(t0, lost(), "cannot connect to only:1883: connection refused");
    EXPECT_EQ(d.what, action::report_connect_fail);
    EXPECT_EQ(d.detail, "cannot connect to only:1883: connection refused");
    EXPECT_FALSE(d.log);  // the shell logged the detail itself
}

TEST(connect_policy, a_connection_lost_on_a_backup_returns_to_the_primary) {
    fixture f({}, three());
    f.policy.start(t0);
    f.policy.on_failed("down");
    ASSERT_EQ(f.policy.on_closed(t0, lost(), "x").what, action::fail_over);
    EXPECT_EQ(f.policy.current().host, "b");
    f.policy.on_transport_open();
    f.policy.on_accepted(t0 + 1s);
    EXPECT_EQ(f.policy.on_closed(t0 + 20s, lost(), "broker closed the connection").what,
              action::report_disconnect);
    EXPECT_EQ(f.policy.current().host, "a");
    const auto plan = f.policy.after_report(t0 + 20s);
    ASSERT_TRUE(plan);
    ASSERT_TRUE(f.policy.retry_due(plan->at));
    EXPECT_EQ(f.policy.current().host, "a");
}

TEST(connect_policy, lost_before_connack_is_a_failed_attempt_keeping_an_earlier_reason) {
    fixture f({}, three());
    f.policy.start(t0);
    f.policy.on_transport_open();
    f.policy.on_lost("broker closed the connection");
    f.policy.on_lost("a later reason is not kept");
    const auto d = f.policy.on_closed(t0, lost(), "x");
    EXPECT_EQ(d.what, action::fail_over);
    EXPECT_EQ(d.log->text, "broker a:1 unreachable (broker closed the connection); trying b:2");
}

TEST(connect_policy, one_connect_deadline_covers_the_handshakes_and_the_connack) {
    fixture f;
    f.policy.start(t0);
    EXPECT_EQ(f.policy.connect_deadline(), t0 + 3s);
    EXPECT_FALSE(f.policy.connect_timed_out(t0 + 3s - 1ms));
    EXPECT_EQ(f.policy.connect_timed_out(t0 + 3s), "timed out after 3000 ms");
    // The handshakes took most of the budget: CONNACK gets what is left, not a fresh timeout
    // (it did: an attempt could take twice connect_timeout).
    f.policy.on_transport_open();
    EXPECT_EQ(f.policy.connect_deadline(), t0 + 3s);
    EXPECT_FALSE(f.policy.connect_timed_out(t0 + 3s - 1ms));
    EXPECT_EQ(f.policy.connect_timed_out(t0 + 3s), "no CONNACK within 3000 ms");
    f.policy.on_accepted(t0 + 2s);  // connected: no deadline any more
    EXPECT_FALSE(f.policy.connect_deadline());
    EXPECT_FALSE(f.policy.connect_timed_out(t0 + 1h));
    // A new attempt has a deadline of its own.
    f.policy.start(t0 + 5s);
    EXPECT_EQ(f.policy.connect_deadline(), t0 + 8s);
}

TEST(connect_policy, a_timed_out_attempt_fails_over_with_the_timeout_as_reason) {
    fixture f({}, three());
    f.policy.start(t0);
    const auto why = f.policy.connect_timed_out(t0 + 10s);
    ASSERT_TRUE(why);
    f.policy.on_failed(*why);
    const auto d = f.policy.on_closed(t0 + 10s, make_error_code(mqtt::errc::connect_timeout), "x");
    EXPECT_EQ(d.what, action::fail_over);
    EXPECT_EQ(d.log->text, "broker a:1 unreachable (timed out after 10000 ms); trying b:2");
    EXPECT_EQ(f.policy.connect_deadline(), t0 + 20s);
}

TEST(connect_policy, reconnect_while_waiting_starts_now_and_the_old_wait_does_nothing) {
    fixture f({}, three());
    f.policy.start(t0);
    for (int i = 0; i < 3; ++i) {
        f.policy.on_failed("down");
        f.policy.on_closed(t0, lost(), "x");
    }
    const auto plan = f.policy.after_report(t0);
    ASSERT_TRUE(plan);
    f.policy.start(t0 + 100ms);  // reconnect()
    EXPECT_EQ(f.policy.phase(), connect_phase::connecting);
    EXPECT_FALSE(f.policy.retry_at());
    EXPECT_FALSE(f.policy.retry_due(plan->at));  // the cancelled wait fires late: ignored
    EXPECT_EQ(f.policy.connect_deadline(), t0 + 100ms + 10s);
}

TEST(connect_policy, reconnect_while_connecting_to_a_backup_goes_back_to_the_primary) {
    fixture f({}, three());
    f.policy.start(t0);
    f.policy.on_failed("down");
    f.policy.on_closed(t0, lost(), "x");
    ASSERT_EQ(f.policy.current().host, "b");
    f.policy.start(t0 + 1s);
    EXPECT_EQ(f.policy.current().host, "a");
    // The round starts afresh: its summary does not name the earlier failure twice.
    for (int i = 0; i < 3; ++i) {
        f.policy.on_failed("down");
        const auto d = f.policy.on_closed(t0 + 2s, lost(), "x");
        if (i == 2) {
            EXPECT_EQ(d.detail, "no broker reachable: a:1 (down), b:2 (down), c:3 (down)");
        }
    }
}

TEST(connect_policy, disconnect_while_waiting_cancels_the_wait) {
    fixture f;
    f.policy.start(t0);
    const auto plan = f.fail_round(t0);
    ASSERT_TRUE(plan);
    EXPECT_EQ(f.policy.disconnect(), mqtt::connect_policy::disconnect_action::none);
    EXPECT_EQ(f.policy.phase(), connect_phase::idle);
    EXPECT_FALSE(f.policy.retry_due(plan->at));
    EXPECT_EQ(f.policy.phase(), connect_phase::idle);
}

TEST(connect_policy, disconnect_while_connecting_aborts_without_failover_or_retry) {
    fixture f({}, three());
    f.policy.start(t0);
    EXPECT_EQ(f.policy.disconnect(), mqtt::connect_policy::disconnect_action::abort_attempt);
    const auto d = f.policy.on_closed(t0, by_user(), "disconnect requested");
    EXPECT_EQ(d.what, action::report_connect_fail);  // b and c are not tried
    EXPECT_EQ(d.detail, "disconnect requested");
    EXPECT_FALSE(f.policy.after_report(t0));
    EXPECT_EQ(f.policy.phase(), connect_phase::idle);
    // A transport failure racing the disconnect does not fail over either.
    f.policy.start(t0);
    f.policy.disconnect();
    f.policy.on_failed("down");
    EXPECT_EQ(f.policy.on_closed(t0, lost(), "x").what, action::report_connect_fail);
    EXPECT_FALSE(f.policy.after_report(t0));
}

TEST(connect_policy, disconnect_while_connected_is_graceful_and_final) {
    fixture f;
    f.policy.start(t0);
    f.policy.on_transport_open();
    f.policy.on_accepted(t0);
    EXPECT_EQ(f.policy.disconnect(), mqtt::connect_policy::disconnect_action::send_disconnect);
    EXPECT_EQ(f.policy.phase(), connect_phase::connected);  // until the session closes
    EXPECT_EQ(f.policy.on_closed(t0 + 1s, by_user(), "").what, action::report_disconnect);
    EXPECT_FALSE(f.policy.after_report(t0 + 1s));
    EXPECT_EQ(f.drawn, 0);
}

TEST(connect_policy, a_callback_that_reconnects_or_disconnects_is_honoured) {
    fixture f;
    f.policy.start(t0);
    f.policy.on_failed("down");
    f.policy.on_closed(t0, lost(), "x");
    f.policy.start(t0);  // on_connect_fail called reconnect()
    EXPECT_FALSE(f.policy.after_report(t0));
    EXPECT_EQ(f.policy.phase(), connect_phase::connecting);

    f.policy.on_failed("down");
    f.policy.on_closed(t0, lost(), "x");
    f.policy.disconnect();  // on_connect_fail called disconnect()
    EXPECT_FALSE(f.policy.after_report(t0));
    EXPECT_EQ(f.policy.phase(), connect_phase::idle);
    EXPECT_EQ(f.drawn, 0);
}

TEST(connect_policy, auto_reconnect_off_reports_and_stops) {
    fixture f;
    f.policy.set_auto_reconnect(false);
    f.policy.start(t0);
    EXPECT_FALSE(f.fail_round(t0));
    EXPECT_EQ(f.policy.phase(), connect_phase::idle);
    f.policy.start(t0);
    f.policy.on_transport_open();
    f.policy.on_accepted(t0);
    EXPECT_EQ(f.policy.on_closed(t0 + 1s, lost(), "x").what, action::report_disconnect);
    EXPECT_FALSE(f.policy.after_report(t0 + 1s));
    EXPECT_EQ(f.policy.phase(), connect_phase::idle);
    // Turned on again from the callback, before after_report: the retry is scheduled.
    f.policy.start(t0);
    f.policy.on_failed("down");
    f.policy.on_closed(t0, lost(), "x");
    f.policy.set_auto_reconnect(true);
    EXPECT_TRUE(f.policy.after_report(t0));
}

TEST(connect_policy, after_a_drop_the_spread_replaces_the_backoff) {
    auto t = fixture::timing();
    t.reconnect_spread = 30s;
    fixture f(t);
    f.policy.start(t0);
    f.policy.on_transport_open();
    f.policy.on_accepted(t0);
    f.policy.on_healthy();
    f.policy.on_closed(t0 + 1min, lost(), "x");
    f.draws = {1.0, 0.25};  // the backoff's jitter, then the spread's draw
    const auto plan = f.policy.after_report(t0 + 1min);
    ASSERT_TRUE(plan);
    EXPECT_EQ(plan->delay, 7500ms);  // 30 s * 0.25, not the backoff's 1 s
    EXPECT_EQ(f.drawn, 2);
    // A failed round afterwards backs off as usual: the spread is for the first wait only.
    ASSERT_TRUE(f.policy.retry_due(plan->at));
    f.draws = {1.0};
    EXPECT_EQ(f.fail_round(plan->at)->delay, 2s);
}

TEST(connect_policy, during_a_storm_the_spread_never_undercuts_the_backoff) {
    auto t = fixture::timing();
    t.reconnect_spread = 30s;
    fixture f(t);
    f.policy.start(t0);
    f.policy.on_transport_open();
    f.policy.on_accepted(t0);
    f.policy.on_closed(t0 + 100ms, lost(), "x");  // dropped before proving healthy
    f.draws = {1.0, 0.0};
    const auto plan = f.policy.after_report(t0 + 100ms);
    ASSERT_TRUE(plan);
    EXPECT_EQ(plan->delay, 2s);  // the storm's backoff, not the spread's 0
}

TEST(connect_policy, new_delays_apply_to_the_next_wait) {
    fixture f;
    f.policy.set_delays(5s, 7s);
    f.policy.start(t0);
    f.draws = {1.0};
    EXPECT_EQ(f.fail_round(t0)->delay, 5s);
    ASSERT_TRUE(f.policy.retry_due(t0 + 5s));
    f.draws = {1.0};
    EXPECT_EQ(f.fail_round(t0 + 5s)->delay, 7s);
}
