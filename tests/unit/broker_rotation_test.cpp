// The order in which a broker list is tried: rounds, failover, return to the first.
#include "mqtt/broker_rotation.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include <vector>

namespace mqtt = piogate::mqtt;
using mqtt::broker_address;

namespace {

mqtt::broker_rotation three() {
    mqtt::broker_rotation r;
    r.reset({{"a", 1}, {"b", 2}, {"c", 3}});
    return r;
}

}  // namespace

TEST(broker_rotation, a_round_tries_each_address_in_order_then_starts_again_at_the_first) {
    auto r = three();
    EXPECT_EQ(r.current().host, "a");
    EXPECT_TRUE(r.has_next());
    EXPECT_TRUE(r.advance());  // a failed: b at once
    EXPECT_EQ(r.current().host, "b");
    EXPECT_TRUE(r.advance());
    EXPECT_EQ(r.current().host, "c");
    EXPECT_FALSE(r.has_next());
    EXPECT_FALSE(r.advance());  // the round failed: back off, then a again
    EXPECT_EQ(r.current().host, "a");
    EXPECT_EQ(r.index(), 0u);
    EXPECT_TRUE(r.advance());  // the next round fails over the same way
    EXPECT_EQ(r.current().host, "b");
}

TEST(broker_rotation, a_lost_connection_to_a_backup_returns_to_the_primary) {
    auto r = three();
    r.advance();
    r.advance();
    EXPECT_EQ(r.current(), (broker_address{"c", 3}));  // connected to c
    r.restart();                                       // lost: the next round starts at a
    EXPECT_EQ(r.current(), (broker_address{"a", 1}));
    EXPECT_TRUE(r.has_next());
}

TEST(broker_rotation, one_address_is_a_round_of_one) {
    mqtt::broker_rotation r;
    r.reset({{"only", 1883}});
    EXPECT_FALSE(r.has_next());
    EXPECT_FALSE(r.advance());
    EXPECT_EQ(r.current().host, "only");
}

TEST(broker_rotation, a_new_list_starts_at_its_first_address) {
    auto r = three();
    r.advance();
    r.reset({{"x", 9}, {"y", 8}});
    EXPECT_EQ(r.current().host, "x");
    EXPECT_EQ(r.brokers().size(), 2u);
}

TEST(broker_rotation, empty_before_reset) {
    mqtt::broker_rotation r;
    EXPECT_TRUE(r.current().host.empty());
    EXPECT_FALSE(r.has_next());
    EXPECT_FALSE(r.advance());
}
