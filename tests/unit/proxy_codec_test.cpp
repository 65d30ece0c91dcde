// Proxy handshakes as bytes: the HTTP CONNECT request and its reply parser, the SOCKS5
// (RFC 1928/1929) client state machine. Replies split at every byte, every failure.
#include "mqtt/proxy_codec.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace piogate::mqtt {
namespace {

std::span<const std::uint8_t> bytes_of(const std::string& s) {
    return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

// --- base64, ports, authorities ---

TEST(proxy_codec, base64_rfc4648_vectors) {
    EXPECT_EQ(base64_encode(""), "");
    EXPECT_EQ(base64_encode("f"), "Zg==");
    EXPECT_EQ(base64_encode("fo"), "Zm8=");
    EXPECT_EQ(base64_encode("foo"), "Zm9v");
    EXPECT_EQ(base64_encode("foob"), "Zm9vYg==");
    EXPECT_EQ(base64_encode("fooba"), "Zm9vYmE=");
    EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
    EXPECT_EQ(base64_encode("Aladdin:open sesame"), "QWxhZGRpbjpvcGVuIHNlc2FtZQ==");  // RFC 7617
    EXPECT_EQ(base64_encode(std::string("\xff\xfe\x00", 3)), "//4A");
    EXPECT_EQ(base64_encode("\xfb\xff"), "+/8=");
}

TEST(proxy_codec, default_ports_and_authority) {
    proxy_options proxy;
    proxy.kind = proxy_kind::http;
    EXPECT_EQ(effective_proxy_port(proxy), 8080);
    proxy.kind = proxy_kind::socks5;
    EXPECT_EQ(effective_proxy_port(proxy), 1080);
    proxy.port = 9;
    EXPECT_EQ(effective_proxy_port(proxy), 9);
    EXPECT_EQ(proxy_authority("broker", 1883), "broker:1883");
    EXPECT_EQ(proxy_authority("::1", 8883), "[::1]:8883");
    EXPECT_EQ(proxy_authority("10.0.0.1", 1), "10.0.0.1:1");
}

// --- HTTP CONNECT request ---

TEST(proxy_codec, http_request_without_credentials) {
    const auto r = encode_http_connect("broker.example", 1883, std::nullopt, std::nullopt);
    ASSERT_FALSE(r.error);
    EXPECT_EQ(r.bytes, "CONNECT broker.example:1883 HTTP/1.1\r\nHost: broker.example:1883\r\n\r\n");
}

TEST(proxy_codec, http_request_with_basic_credentials_and_ipv6) {
    const auto r = encode_http_connect("::1", 8883, "Aladdin", "open sesame");
    ASSERT_FALSE(r.error);
    EXPECT_EQ(r.bytes,
              "CONNECT [::1]:8883 HTTP/1.1\r\nHost: [::1]:8883\r\n"
              "Proxy-Authorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==\r\n\r\n");
    // A username without a password sends "user:".
    EXPECT_NE(encode_http_connect("b", 1, "u", std::nullopt).bytes.find(base64_encode("u:")),
              std::string::npos);
}

TEST(proxy_codec, http_request_refuses_what_it_cannot_send) {
    const auto refused = [](const std::string& host, std::uint16_t port,
                            std::optional<std::string> user, std::optional<std::string> pass) {
        const auto r = encode_http_connect(host, port, user, pass);
        EXPECT_TRUE(r.bytes.empty());
        return r.error ? r.error->code == std::errc::invalid_argument && !r.error->reason.empty()
                       : false;
    };
    EXPECT_TRUE(refused("", 1883, std::nullopt, std::nullopt));
    EXPECT_TRUE(refused("b", 0, std::nullopt, std::nullopt));
    EXPECT_TRUE(refused("b roker", 1883, std::nullopt, std::nullopt));
    EXPECT_TRUE(refused("b\r\nX-Evil: 1", 1883, std::nullopt, std::nullopt));
    EXPECT_TRUE(refused("b", 1883, "us:er", "p"));
    EXPECT_TRUE(refused("b", 1883, std::nullopt, "p"));
    EXPECT_TRUE(refused("b", 1883, "u", "p\r\nX: y"));
}

// --- HTTP CONNECT reply ---

struct parsed {
    proxy_step step;
    std::size_t consumed;
    proxy_error error;
    int status;
};

// Feeds `reply` in two parts split at `split` (each part fed until it is used up or the
// parser stops), as reads of any size would deliver it.
parsed parse_split(const std::string& reply, std::size_t split, std::size_t max = 8192) {
    http_connect_parser p(max);
    std::size_t consumed = 0;
    for (const auto& [from, to] : {std::pair{std::size_t{0}, split}, {split, reply.size()}}) {
        std::size_t at = from;
        while (at < to && p.step() == proxy_step::need_more) {
            const std::size_t n = p.feed(bytes_of(reply).subspan(at, to - at));
            if (n == 0) break;
            at += n;
            consumed += n;
        }
    }
    return {p.step(), consumed, p.error(), p.status_code()};
}

TEST(proxy_codec, http_200_consumes_exactly_the_headers_at_every_split) {
    const std::string headers =
        "HTTP/1.0 200 Connection established\r\nProxy-agent: tinyproxy/1.11.1\r\n\r\n";
    const std::string reply = headers + "\x20\x02\x00\x00";  // a CONNACK through the tunnel
    for (std::size_t split = 0; split <= reply.size(); ++split) {
        const auto r = parse_split(reply, split);
        ASSERT_EQ(r.step, proxy_step::done) << "split " << split;
        EXPECT_EQ(r.consumed, headers.size()) << "split " << split;
        EXPECT_EQ(r.status, 200);
    }
}

TEST(proxy_codec, http_any_2xx_bare_lf_and_interim_1xx) {
    EXPECT_EQ(parse_split("HTTP/1.1 200\r\n\r\n", 3).step, proxy_step::done);  // no reason
    EXPECT_EQ(parse_split("HTTP/1.1 204 No Content\n\n", 7).step, proxy_step::done);
    const std::string interim = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nA: b\r\n\r\nX";
    for (std::size_t split = 0; split <= interim.size(); ++split) {
        const auto r = parse_split(interim, split);
        ASSERT_EQ(r.step, proxy_step::done) << "split " << split;
        EXPECT_EQ(r.consumed, interim.size() - 1);
    }
}

TEST(proxy_codec, http_refusals_name_status_and_reason_at_every_split) {
    struct row {
        std::string reply;
        std::errc code;
        std::string reason;
    };
    const std::vector<row> rows = {
        {"HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic "
         "realm=\"x\"\r\n\r\n",
         std::errc::permission_denied,
         "407 Proxy Authentication Required (authentication required or refused)"},
        {"HTTP/1.0 401 Unauthorized\r\n\r\n", std::errc::permission_denied,
         "401 Unauthorized (authentication required or refused)"},
        {"HTTP/1.0 403 Forbidden\r\nContent-Length: 3\r\n\r\nno!", std::errc::permission_denied,
         "403 Forbidden"},
        {"HTTP/1.1 502 Bad Gateway\r\n\r\n", std::errc::connection_refused, "502 Bad Gateway"},
        {"HTTP/1.1 500 Unable to connect\r\n\r\n", std::errc::connection_refused,
         "500 Unable to connect"},
        {"HTTP/1.1 504 Gateway Timeout\r\n\r\n", std::errc::timed_out, "504 Gateway Timeout"},
        {"HTTP/1.1 301\r\nLocation: x\r\n\r\n", std::errc::connection_refused, "301"},
        {"HTTP/1.1 404 Not\x01"
         "Found\r\n\r\n",
         std::errc::connection_refused, "404 Not?Found"},
    };
    for (const auto& row : rows) {
        for (std::size_t split = 0; split <= row.reply.size(); ++split) {
            const auto r = parse_split(row.reply, split);
            ASSERT_EQ(r.step, proxy_step::failed) << row.reply << " split " << split;
            EXPECT_EQ(r.error.code, row.code) << row.reply;
            EXPECT_EQ(r.error.reason, row.reason);
        }
    }
}

TEST(proxy_codec, http_malformed_replies_fail_early_and_clearly) {
    struct row {
        std::string reply;
        std::string reason_part;
        std::size_t consumed;  // the parser stops at the first byte it knows is wrong
    };
    const std::vector<row> rows = {
        {"SSH-2.0-OpenSSH\r\n", "reply is not HTTP (starts with \"S\")", 1},
        {std::string("\x05\x00", 2), "reply is not HTTP", 1},
        {"HTTX/1.1 200 OK\r\n\r\n", "not HTTP (starts with \"HTTX\")", 4},
        {"HTTP/2 200\r\n\r\n", "malformed status line \"HTTP/2 200\"", 12},
        {"HTTP/1.1 2x0 OK\r\n\r\n", "malformed status line", 17},
        {"HTTP/1.1 200OK\r\n\r\n", "malformed status line", 16},
        {"HTTP/1.1 099 Low\r\n\r\n", "malformed status line", 18},
        {"HTTP/1.1 200 OK\r\nno colon here\r\n\r\n", "malformed header line \"no colon here\"", 32},
        {"HTTP/1.1 200 OK\r\n: empty name\r\n\r\n", "malformed header line", 31},
    };
    for (const auto& row : rows) {
        for (std::size_t split = 0; split <= row.reply.size(); ++split) {
            const auto r = parse_split(row.reply, split);
            ASSERT_EQ(r.step, proxy_step::failed) << row.reply << " split " << split;
            EXPECT_EQ(r.error.code, std::errc::protocol_error);
            EXPECT_NE(r.error.reason.find(row.reason_part), std::string::npos) << r.error.reason;
            EXPECT_EQ(r.consumed, row.consumed) << row.reply;
        }
    }
}

TEST(proxy_codec, http_truncated_reply_needs_more_and_oversized_headers_fail) {
    const std::string reply = "HTTP/1.1 200 OK\r\nA: b\r\n\r\n";
    for (std::size_t cut = 0; cut < reply.size(); ++cut) {
        const auto r = parse_split(reply.substr(0, cut), cut / 2);
        EXPECT_EQ(r.step, proxy_step::need_more) << cut;
        EXPECT_EQ(r.consumed, cut);
    }
    std::string big = "HTTP/1.1 200 OK\r\n";
    while (big.size() < 9000) big += "X-Pad: 0123456789\r\n";
    const auto r = parse_split(big + "\r\n", 100);
    ASSERT_EQ(r.step, proxy_step::failed);
    EXPECT_EQ(r.error.code, std::errc::message_size);
    EXPECT_EQ(r.consumed, 8192u);
    EXPECT_EQ(parse_split(reply, 5, reply.size()).step, proxy_step::done);  // bound inclusive
    EXPECT_EQ(parse_split(reply, 5, reply.size() - 1).step, proxy_step::failed);
}

TEST(proxy_codec, http_parser_consumes_nothing_once_finished) {
    http_connect_parser p;
    const std::string ok = "HTTP/1.1 200 OK\r\n\r\n";
    EXPECT_EQ(p.feed(bytes_of(ok)), ok.size());
    EXPECT_EQ(p.feed(bytes_of(ok)), 0u);
    EXPECT_EQ(p.step(), proxy_step::done);
}

// --- SOCKS5 ---

using bytes = std::vector<std::uint8_t>;

struct socks_run {
    proxy_step step;
    bytes sent;  // everything the client sent
    std::size_t consumed;
    proxy_error error;
};

// Plays the proxy's side: `server` holds its replies back to back; they reach the client in
// two parts split at `split`, read as the shell reads (at most bytes_wanted() per read).
socks_run run_socks(socks5_handshake hs, const bytes& server, std::size_t split) {
    socks_run r{proxy_step::need_more, {}, 0, {}};
    std::size_t available = std::min(split, server.size());
    for (int guard = 0; guard < 100 && hs.step() == proxy_step::need_more; ++guard) {
        const auto out = hs.take_output();
        r.sent.insert(r.sent.end(), out.begin(), out.end());
        if (r.consumed == available) {
            if (available == server.size()) break;  // truncated: the proxy said no more
            available = server.size();
        }
        const std::size_t wanted = hs.bytes_wanted();
        const std::size_t n = std::min(wanted, available - r.consumed);
        EXPECT_EQ(hs.feed(std::span(server).subspan(r.consumed, n)), n);
        r.consumed += n;
    }
    r.step = hs.step();
    r.error = hs.error();
    return r;
}

bytes cat(std::initializer_list<bytes> parts) {
    bytes all;
    for (const auto& p : parts) all.insert(all.end(), p.begin(), p.end());
    return all;
}

const bytes ipv4_ok = {5, 0, 0, 1, 127, 0, 0, 1, 0x9c, 0x40};

TEST(proxy_codec, socks5_no_auth_domain_name_at_every_split) {
    const bytes server = cat({{5, 0}, ipv4_ok, {0x10, 0x00}});  // + 2 tunnel bytes
    const bytes client = {5, 1, 0, 5, 1, 0, 3, 6, 'b', 'r', 'o', 'k', 'e', 'r', 0x07, 0x5b};
    for (std::size_t split = 0; split <= server.size(); ++split) {
        const auto r =
            run_socks(socks5_handshake("broker", 1883, std::nullopt, std::nullopt), server, split);
        ASSERT_EQ(r.step, proxy_step::done) << split;
        EXPECT_EQ(r.sent, client);
        EXPECT_EQ(r.consumed, server.size() - 2) << "tunnel bytes taken at split " << split;
    }
}

TEST(proxy_codec, socks5_address_literals_and_bound_address_types) {
    const auto v4 = run_socks(socks5_handshake("10.1.2.3", 1, std::nullopt, std::nullopt),
                              cat({{5, 0}, ipv4_ok}), 0);
    ASSERT_EQ(v4.step, proxy_step::done);
    EXPECT_EQ(v4.sent, (bytes{5, 1, 0, 5, 1, 0, 1, 10, 1, 2, 3, 0, 1}));

    bytes v6_ok = {5, 0, 0, 4};
    v6_ok.resize(4 + 16 + 2, 0);
    const auto v6 = run_socks(socks5_handshake("::1", 8883, std::nullopt, std::nullopt),
                              cat({{5, 0}, v6_ok, {9}}), 7);
    ASSERT_EQ(v6.step, proxy_step::done);
    bytes want = {5, 1, 0, 5, 1, 0, 4};
    want.resize(want.size() + 15, 0);
    want.insert(want.end(), {1, 0x22, 0xb3});
    EXPECT_EQ(v6.sent, want);
    EXPECT_EQ(v6.consumed, 2u + v6_ok.size());

    const bytes domain_ok = {5, 0, 0, 3, 4, 'h', 'o', 's', 't', 0, 80};
    const auto dn = run_socks(socks5_handshake("b", 1, std::nullopt, std::nullopt),
                              cat({{5, 0}, domain_ok, {1, 2}}), 4);
    ASSERT_EQ(dn.step, proxy_step::done);
    EXPECT_EQ(dn.consumed, 2u + domain_ok.size());
}

TEST(proxy_codec, socks5_username_password_at_every_split) {
    const bytes server = cat({{5, 2}, {1, 0}, ipv4_ok});
    const bytes client =
        cat({{5, 2, 0, 2}, {1, 4, 'u', 's', 'e', 'r', 2, 'p', 'w'}, {5, 1, 0, 3, 1, 'b', 0, 1}});
    for (std::size_t split = 0; split <= server.size(); ++split) {
        const auto r = run_socks(socks5_handshake("b", 1, "user", "pw"), server, split);
        ASSERT_EQ(r.step, proxy_step::done) << split;
        EXPECT_EQ(r.sent, client);
    }
    // A proxy that needs no authentication may pick method 0 though we offered 2.
    const auto none = run_socks(socks5_handshake("b", 1, "user", "pw"), cat({{5, 0}, ipv4_ok}), 1);
    EXPECT_EQ(none.step, proxy_step::done);
    // Some servers answer the sub-negotiation with version 5.
    EXPECT_EQ(
        run_socks(socks5_handshake("b", 1, "u", std::nullopt), cat({{5, 2}, {5, 0}, ipv4_ok}), 0)
            .step,
        proxy_step::done);
}

void expect_socks_failure(const socks_run& r, std::errc code, const std::string& reason_part) {
    ASSERT_EQ(r.step, proxy_step::failed);
    EXPECT_EQ(r.error.code, code);
    EXPECT_NE(r.error.reason.find(reason_part), std::string::npos) << r.error.reason;
}

TEST(proxy_codec, socks5_authentication_failures) {
    expect_socks_failure(run_socks(socks5_handshake("b", 1, "u", "bad"), {5, 2, 1, 1}, 2),
                         std::errc::permission_denied,
                         "username/password authentication failed (status 1)");
    expect_socks_failure(
        run_socks(socks5_handshake("b", 1, std::nullopt, std::nullopt), {5, 0xFF}, 1),
        std::errc::permission_denied, "no proxy username set");
    expect_socks_failure(run_socks(socks5_handshake("b", 1, "u", "p"), {5, 0xFF}, 1),
                         std::errc::permission_denied, "no acceptable authentication method");
    expect_socks_failure(run_socks(socks5_handshake("b", 1, std::nullopt, std::nullopt), {5, 2}, 1),
                         std::errc::protocol_error, "method 2, which was not offered");
    expect_socks_failure(run_socks(socks5_handshake("b", 1, "u", "p"), {5, 2, 3, 0}, 1),
                         std::errc::protocol_error, "malformed authentication reply");
}

TEST(proxy_codec, socks5_every_reply_code_in_words_even_from_a_short_reply) {
    struct row {
        std::uint8_t rep;
        std::errc code;
        std::string text;
    };
    const std::vector<row> rows = {
        {1, std::errc::connection_refused, "general SOCKS server failure"},
        {2, std::errc::permission_denied, "connection not allowed by ruleset"},
        {3, std::errc::network_unreachable, "network unreachable"},
        {4, std::errc::host_unreachable, "host unreachable"},
        {5, std::errc::connection_refused, "connection refused by the destination host"},
        {6, std::errc::timed_out, "TTL expired"},
        {7, std::errc::operation_not_supported, "command not supported"},
        {8, std::errc::address_family_not_supported, "address type not supported"},
        {9, std::errc::connection_refused, "unknown reply code 9"},
    };
    for (const auto& row : rows) {
        EXPECT_EQ(socks5_reply_text(row.rep), row.text);
        const bytes full = {5, 0, 5, row.rep, 0, 1, 0, 0, 0, 0, 0, 0};
        for (std::size_t split = 0; split <= full.size(); ++split) {
            const auto r =
                run_socks(socks5_handshake("b", 1, std::nullopt, std::nullopt), full, split);
            expect_socks_failure(r, row.code, row.text);
            EXPECT_LE(r.consumed, 7u);  // decided by the 5-byte header at the latest
        }
        // A proxy that closes right after REP: still the reason, not "truncated".
        expect_socks_failure(
            run_socks(socks5_handshake("b", 1, std::nullopt, std::nullopt), {5, 0, 5, row.rep}, 4),
            row.code, row.text);
    }
    EXPECT_EQ(socks5_reply_text(0), "succeeded");
}

TEST(proxy_codec, socks5_malformed_and_truncated_replies) {
    const auto plain = [] { return socks5_handshake("b", 1, std::nullopt, std::nullopt); };
    expect_socks_failure(run_socks(plain(), {4, 0}, 0), std::errc::protocol_error,
                         "not SOCKS5 (version byte 4)");
    expect_socks_failure(run_socks(plain(), {'H', 'T'}, 0), std::errc::protocol_error,
                         "not SOCKS5 (version byte 72)");
    expect_socks_failure(run_socks(plain(), {5, 0, 4, 0}, 0), std::errc::protocol_error,
                         "not SOCKS5 (version byte 4)");
    expect_socks_failure(run_socks(plain(), {5, 0, 5, 0, 0, 2, 0}, 0), std::errc::protocol_error,
                         "unknown address type 2");
    const bytes server = cat({{5, 0}, ipv4_ok});
    for (std::size_t cut = 0; cut < server.size(); ++cut) {
        const auto r = run_socks(plain(), bytes(server.begin(), server.begin() + cut), cut);
        EXPECT_EQ(r.step, proxy_step::need_more) << cut;
        EXPECT_EQ(r.consumed, cut);
    }
}

TEST(proxy_codec, socks5_refuses_what_it_cannot_send) {
    const auto invalid = [](socks5_handshake hs) {
        return hs.step() == proxy_step::failed && hs.error().code == std::errc::invalid_argument &&
               hs.take_output().empty() && hs.bytes_wanted() == 0;
    };
    EXPECT_TRUE(invalid(socks5_handshake("", 1, std::nullopt, std::nullopt)));
    EXPECT_TRUE(invalid(socks5_handshake(std::string(256, 'a'), 1, std::nullopt, std::nullopt)));
    EXPECT_TRUE(invalid(socks5_handshake("b", 0, std::nullopt, std::nullopt)));
    EXPECT_TRUE(invalid(socks5_handshake("b", 1, std::nullopt, "p")));
    EXPECT_TRUE(invalid(socks5_handshake("b", 1, "", "p")));
    EXPECT_TRUE(invalid(socks5_handshake("b", 1, std::string(256, 'u'), "p")));
    EXPECT_TRUE(invalid(socks5_handshake("b", 1, "u", std::string(256, 'p'))));
    EXPECT_FALSE(invalid(socks5_handshake(std::string(255, 'a'), 1, "u", std::string(255, 'p'))));
}

}  // namespace
}  // namespace piogate::mqtt
