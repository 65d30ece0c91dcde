// MQTT 5.0 codec: every packet's bytes written out by hand from the spec's tables (section 3),
// decoded and encoded both ways, the short forms of acks and DISCONNECT, subscription options,
// AUTH, and the property types (byte, two/four byte integer, variable byte integer, UTF-8
// string, binary data, string pair).
#include <gtest/gtest.h>
// SPDX-License-Identifier: Apache-2.0
#include <stdexcept>
#include <string>

#include "fuzz/packet_equal.hpp"
#include "piogate/mqtt/codec.hpp"
#include "unit/codec_bytes.hpp"

using namespace piogate::mqtt;
using namespace piogate::mqtt::testing;

namespace {

constexpr auto v5 = protocol_version::v5;

// A property list: its length as a one-byte variable byte integer, then the bytes.
byte_buffer props(const byte_buffer& body) {
    return cat(bytes({static_cast<int>(body.size())}), body);
}

template <typename P>
byte_buffer encoded(const P& p) {
    byte_buffer out;
    encode(packet{p}, out, v5);
    return out;
}

packet decoded(const byte_buffer& in) {
    decode_result r = decode_packet(in, v5);
    EXPECT_EQ(r.status, decode_status::ok) << r.error;
    EXPECT_EQ(r.consumed, in.size());
    return r.pkt;
}

// Encodes `p` and expects `wire`; decodes `wire` and expects `p` back.
template <typename P>
void both_ways(const P& p, const byte_buffer& wire) {
    EXPECT_EQ(encoded(p), wire) << describe(packet{p});
    packet back = decoded(wire);
    EXPECT_TRUE(packets_equal(back, packet{p})) << describe(back);
}

TEST(codec_mqtt5, connect_with_properties_will_and_credentials) {
    connect_packet c;
    c.version = v5;
    c.client_id = "id";
    c.keepalive = 60;
    c.props.session_expiry_interval = 3600;
    c.props.receive_maximum = 20;
    c.props.user_properties = {{"k", "v"}, {"k", "w"}};
    c.will = will_message{"w/t", "bye", 1, true};
    c.will_props.will_delay_interval = 5;
    c.will_props.payload_format_indicator = 1;
    c.will_props.content_type = "text/plain";
    c.username = "u";
    c.password = std::string("\x00\xFF", 2);
    const byte_buffer connect_props =
        props(cat(bytes({0x21, 0, 20, 0x11, 0, 0, 0x0E, 0x10}),
                  cat(cat(bytes({0x26}), cat(field("k"), field("v"))),
                      cat(bytes({0x26}), cat(field("k"), field("w"))))));
    const byte_buffer will_props =
        props(cat(bytes({0x01, 1, 0x18, 0, 0, 0, 5}), cat(bytes({0x03}), field("text/plain"))));
    // flags: user name, password, will retain, will QoS 1, will, clean start
    const byte_buffer body =
        cat(cat(connect_head(0xEE, "MQTT", 5), connect_props),
            cat(field("id"),
                cat(will_props,
                    cat(field("w/t"), cat(field("bye"), cat(field("u"), field(*c.password)))))));
    both_ways(c, frame(0x10, body));
}

TEST(codec_mqtt5, minimal_connect_has_an_empty_property_list) {
    connect_packet c;
    c.version = v5;
    c.client_id = "";
    both_ways(c, frame(0x10, cat(connect_head(0x02, "MQTT", 5), cat(bytes({0}), field("")))));
}

TEST(codec_mqtt5, connack_with_server_properties) {
    connack_packet a;
    a.session_present = true;
    a.props.receive_maximum = 10;
    a.props.maximum_qos = 1;
    a.props.server_keep_alive = 30;
    a.props.assigned_client_identifier = "abc";
    a.props.topic_alias_maximum = 8;
    a.props.maximum_packet_size = 1024;
    a.props.shared_subscription_available = 0;
    const byte_buffer p =
        props(cat(bytes({0x24, 1, 0x2A, 0, 0x13, 0, 30, 0x21, 0, 10, 0x22, 0, 8, 0x27, 0, 0, 4, 0}),
                  cat(bytes({0x12}), field("abc"))));
    both_ways(a, frame(0x20, cat(bytes({0x01, 0x00}), p)));
}

TEST(codec_mqtt5, connack_refusal_carries_reason_and_reason_string) {
    connack_packet a;
    a.return_code = 0x87;
    a.props.reason_string = "no";
    both_ways(a, frame(0x20, cat(bytes({0x00, 0x87}), props(cat(bytes({0x1F}), field("no"))))));
}

TEST(codec_mqtt5, publish_with_properties) {
    publish_packet p;
    p.topic = "t";
    p.payload = "{}";
    p.qos = 1;
    p.packet_id = 7;
    p.props.payload_format_indicator = 1;
    p.props.message_expiry_interval = 60;
    p.props.topic_alias = 5;
    p.props.response_topic = "r/t";
    p.props.correlation_data = std::string("\x01\x00", 2);
    p.props.content_type = "application/json";
    p.props.user_properties = {{"a", "b"}};
    const byte_buffer pr = props(cat(cat(bytes({0x01, 1, 0x23, 0, 5, 0x02, 0, 0, 0, 60}),
                                         cat(bytes({0x03}), field("application/json"))),
                                     cat(cat(bytes({0x08}), field("r/t")),
                                         cat(cat(bytes({0x09}), field(*p.props.correlation_data)),
                                             cat(bytes({0x26}), cat(field("a"), field("b")))))));
    both_ways(p, frame(0x32, cat(cat(field("t"), bytes({0, 7})), cat(pr, bytes({'{', '}'})))));
}

TEST(codec_mqtt5, publish_with_alias_and_empty_topic) {
    publish_packet p;
    p.topic = "";
    p.payload = "x";
    p.props.topic_alias = 1;
    both_ways(p, bytes({0x30, 0x07, 0x00, 0x00, 0x03, 0x23, 0x00, 0x01, 'x'}));
}

TEST(codec_mqtt5, publish_with_several_subscription_identifiers) {
    publish_packet p;
    p.topic = "a";
    p.props.subscription_identifiers = {1, 128, 268'435'455};
    const byte_buffer pr =
        props(bytes({0x0B, 0x01, 0x0B, 0x80, 0x01, 0x0B, 0xFF, 0xFF, 0xFF, 0x7F}));
    both_ways(p, frame(0x30, cat(field("a"), pr)));
}

TEST(codec_mqtt5, acks_use_their_short_forms) {
    ack_packet a;
    a.type = packet_type::puback;
    a.packet_id = 1;
    both_ways(a, bytes({0x40, 0x02, 0x00, 0x01}));
    a.reason_code = 0x10;  // no matching subscribers, no properties: no property length
    both_ways(a, bytes({0x40, 0x03, 0x00, 0x01, 0x10}));
    a.type = packet_type::pubrec;
    a.reason_code = 0x87;
    a.props.reason_string = "no";
    both_ways(a,
              frame(0x50, cat(bytes({0x00, 0x01, 0x87}), props(cat(bytes({0x1F}), field("no"))))));
    ack_packet rel;
    rel.type = packet_type::pubrel;
    rel.packet_id = 2;
    rel.reason_code = 0x92;
    both_ways(rel, bytes({0x62, 0x03, 0x00, 0x02, 0x92}));
    ack_packet comp;
    comp.type = packet_type::pubcomp;
    comp.packet_id = 2;
    both_ways(comp, bytes({0x70, 0x02, 0x00, 0x02}));
}

TEST(codec_mqtt5, ack_with_properties_and_success_keeps_the_reason_byte) {
    ack_packet a;
    a.type = packet_type::puback;
    a.packet_id = 1;
    a.props.user_properties = {{"k", "v"}};
    both_ways(a, frame(0x40, cat(bytes({0x00, 0x01, 0x00}),
                                 props(cat(bytes({0x26}), cat(field("k"), field("v")))))));
    // A receiver takes a property length of 0 after the reason code too.
    packet p = decoded(bytes({0x40, 0x04, 0x00, 0x01, 0x10, 0x00}));
    EXPECT_EQ(std::get<ack_packet>(p).reason_code, 0x10);
}

TEST(codec_mqtt5, subscribe_options_byte) {
    subscribe_options o{1, true, true, 2};
    EXPECT_EQ(o.to_byte(), 0x2D);
    EXPECT_EQ(subscribe_options::from_byte(0x2D), o);
    subscribe_packet s;
    s.packet_id = 1;
    s.filters = {{"a/+", o.to_byte()}, {"b", subscribe_options{2, false, false, 1}.to_byte()}};
    s.props.subscription_identifiers = {5};
    s.props.user_properties = {{"x", "y"}};
    const byte_buffer pr = props(cat(bytes({0x0B, 5, 0x26}), cat(field("x"), field("y"))));
    both_ways(s, frame(0x82, cat(cat(bytes({0, 1}), pr), cat(cat(field("a/+"), bytes({0x2D})),
                                                             cat(field("b"), bytes({0x12}))))));
}

TEST(codec_mqtt5, suback_unsubscribe_unsuback) {
    suback_packet sa;
    sa.packet_id = 1;
    sa.return_codes = {0x01, 0xA2, 0x87};
    both_ways(sa, bytes({0x90, 0x06, 0x00, 0x01, 0x00, 0x01, 0xA2, 0x87}));
    unsubscribe_packet u;
    u.packet_id = 1;
    u.filters = {"a"};
    both_ways(u, frame(0xA2, cat(bytes({0, 1, 0}), field("a"))));
    ack_packet ua;
    ua.type = packet_type::unsuback;
    ua.packet_id = 1;
    ua.reason_codes = {0x00, 0x11};
    ua.props.reason_string = "r";
    both_ways(ua, frame(0xB0, cat(cat(bytes({0, 1}), props(cat(bytes({0x1F}), field("r")))),
                                  bytes({0x00, 0x11}))));
}

TEST(codec_mqtt5, disconnect_forms) {
    empty_packet d;
    d.type = packet_type::disconnect;
    both_ways(d, bytes({0xE0, 0x00}));
    d.reason_code = 0x04;
    both_ways(d, bytes({0xE0, 0x01, 0x04}));
    d.reason_code = 0x8E;
    d.props.reason_string = "taken";
    d.props.session_expiry_interval = 0;
    both_ways(d, frame(0xE0, cat(bytes({0x8E}),
                                 props(cat(bytes({0x11, 0, 0, 0, 0, 0x1F}), field("taken"))))));
    // A 3.1.1 DISCONNECT ignores the 5.0 fields.
    byte_buffer out;
    encode_empty(d, out, protocol_version::v311);
    EXPECT_EQ(out, bytes({0xE0, 0x00}));
}

TEST(codec_mqtt5, auth_exchange_packets) {
    auth_packet a;
    a.reason_code = 0x18;
    a.props.authentication_method = "SCRAM-SHA-1";
    a.props.authentication_data = std::string("\x01\x02", 2);
    both_ways(
        a, frame(0xF0, cat(bytes({0x18}),
                           props(cat(cat(bytes({0x15}), field("SCRAM-SHA-1")),
                                     cat(bytes({0x16}), field(*a.props.authentication_data)))))));
    auth_packet ok;
    both_ways(ok, bytes({0xF0, 0x00}));
    byte_buffer out;
    EXPECT_THROW(encode_auth(a, out, protocol_version::v311), std::invalid_argument);
    EXPECT_TRUE(out.empty());
}

TEST(codec_mqtt5, properties_ignored_by_3_1_1_encoders) {
    publish_packet p;
    p.topic = "t";
    p.payload = "x";
    p.props.topic_alias = 3;
    p.props.user_properties = {{"a", "b"}};
    byte_buffer out;
    encode_publish(p, out);
    EXPECT_EQ(out, bytes({0x30, 0x04, 0x00, 0x01, 't', 'x'}));
    ack_packet a;
    a.packet_id = 1;
    a.reason_code = 0x80;
    out.clear();
    encode_ack(a, out);
    EXPECT_EQ(out, bytes({0x40, 0x02, 0x00, 0x01}));
}

TEST(codec_mqtt5, encoder_refuses_properties_the_packet_may_not_carry) {
    byte_buffer out;
    connect_packet c;
    c.version = v5;
    c.props.topic_alias = 1;
    EXPECT_THROW(encode_connect(c, out), std::invalid_argument);
    ack_packet a;
    a.packet_id = 1;
    a.props.content_type = "x";
    EXPECT_THROW(encode_ack(a, out, v5), std::invalid_argument);
    subscribe_packet s;
    s.packet_id = 1;
    s.filters = {{"a", 0}};
    s.props.subscription_identifiers = {1, 2};
    EXPECT_THROW(encode_subscribe(s, out, v5), std::invalid_argument);
    s.props.subscription_identifiers = {0};
    EXPECT_THROW(encode_subscribe(s, out, v5), std::invalid_argument);
    EXPECT_TRUE(out.empty());
}

TEST(codec_mqtt5, long_property_list_takes_a_two_byte_length) {
    publish_packet p;
    p.topic = "t";
    p.props.content_type = std::string(200, 'c');
    byte_buffer out;
    encode_publish(p, out, v5);
    // topic (3) + property length (2: 203 = 0xCB 0x01) + identifier (1) + string (202) = 208
    EXPECT_EQ(out[1], 0xD0);
    EXPECT_EQ(out[2], 0x01);
    EXPECT_EQ(out[6], 0xCB);
    EXPECT_EQ(out[7], 0x01);
    packet back = decoded(out);
    EXPECT_TRUE(packets_equal(back, packet{p}));
}

}  // namespace
