// mid_map: session ids -> the ids client::publish() returned, across gaps and the wrap.
#include "mqtt/mid_map.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

using piogate::mqtt::mid_map;

TEST(mid_map, identity_until_something_is_recorded) {
    mid_map m;
    EXPECT_EQ(m.to_client(1), 1);
    EXPECT_EQ(m.to_client(12345), 12345);
    EXPECT_EQ(m.to_client(0), 0);  // an automatic resubscribe
}

TEST(mid_map, constant_offset_is_one_segment) {
    mid_map m;
    for (int s = 1; s <= 1000; ++s) m.record(s, s + 7);
    EXPECT_EQ(m.segments(), 1u);
    EXPECT_EQ(m.to_client(1), 8);
    EXPECT_EQ(m.to_client(1000), 1007);
}

TEST(mid_map, a_gap_opens_a_segment_and_older_ids_keep_theirs) {
    mid_map m;
    m.record(1, 1);
    m.record(2, 2);
    m.record(3, 5);  // client ids 3 and 4 never reached the session
    m.record(4, 6);
    EXPECT_EQ(m.segments(), 2u);
    EXPECT_EQ(m.to_client(2), 2);
    EXPECT_EQ(m.to_client(3), 5);
    EXPECT_EQ(m.to_client(4), 6);
}

TEST(mid_map, wraps_like_the_counters) {
    mid_map m;
    const int top = static_cast<int>(mid_map::max_mid);
    m.record(top - 1, 2);  // the client is 3 ahead (modulo the id space)
    EXPECT_EQ(m.to_client(top - 1), 2);
    EXPECT_EQ(m.to_client(top), 3);
    EXPECT_EQ(m.to_client(1), 4);  // the session wrapped to 1
    m.record(5, top);              // and now the client is the one about to wrap
    EXPECT_EQ(m.to_client(6), 1);
    EXPECT_EQ(m.to_client(top - 1), 2);  // the older segment still answers for older ids
}
