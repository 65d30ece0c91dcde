// Proxy handshakes as pure code: the bytes a client sends to an HTTP CONNECT or SOCKS5 proxy
// to open a tunnel to host:port, and incremental parsers of the proxy's replies. No sockets,
// no Asio: the I/O shell (proxy_connect.hpp) moves the bytes.
//
// Every parser consumes only the bytes of the reply it parses (never a byte after it), is fed
// any split of its input, bounds what it buffers, and turns every malformed or truncated reply
// into a proxy_error; it never reads past the span it is given. Callable from any thread; one
// object per handshake, used by one thread at a time.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "piogate/mqtt/client_options.hpp"

namespace piogate::mqtt {

using proxy_bytes = std::vector<std::uint8_t>;

enum class proxy_step : std::uint8_t {
    need_more,  // feed more bytes
    done,       // the tunnel is open: the next byte on the stream is the broker's
    failed,     // see error(); close the connection
};

// Why a handshake failed. `code` is a POSIX error condition (std::errc values), so the shell
// can hand it on as an error_code: permission_denied (authentication required or refused,
// HTTP 401/403/407, SOCKS5 "not allowed by ruleset"), connection_refused (the proxy refused the
// CONNECT: HTTP 4xx/5xx, SOCKS5 "general failure" / "connection refused"),
// network_unreachable, host_unreachable, timed_out (HTTP 504, SOCKS5 "TTL expired"),
// operation_not_supported, address_family_not_supported (SOCKS5 replies 7 and 8),
// protocol_error (a malformed reply: not HTTP, not SOCKS5, a method we did not offer),
// message_size (HTTP headers over the bound), invalid_argument (a host, port or credentials
// that cannot be sent). `reason` says it in words: "407 Proxy Authentication Required
// (authentication required)", "connection refused by the destination host".
struct proxy_error {
    std::errc code{};
    std::string reason;
};

// Base64 (RFC 4648, with padding) of `in`, for HTTP Basic credentials.
std::string base64_encode(std::string_view in);

// Default proxy port when proxy_options::port is 0: 8080 (http), 1080 (socks5).
std::uint16_t effective_proxy_port(const proxy_options& proxy);

// "host:port", brackets around an IPv6 literal.
std::string proxy_authority(const std::string& host, std::uint16_t port);

// --- HTTP CONNECT (RFC 9110 section 9.3.6) ---

// The request: "CONNECT host:port HTTP/1.1", a Host header, "Proxy-Authorization: Basic ..."
// when `username` is set (password empty if unset), and the empty line. Returns a
// proxy_error (invalid_argument) for an empty host, port 0, a host or credentials containing
// control characters or spaces, or a username with ':' (RFC 7617 cannot carry it).
struct http_connect_request {
    std::string bytes;
    std::optional<proxy_error> error;
};
http_connect_request encode_http_connect(const std::string& host, std::uint16_t port,
                                         const std::optional<std::string>& username,
                                         const std::optional<std::string>& password);

// Parses the response to a CONNECT: status line and headers up to and including the empty
// line (CRLF or bare LF line ends), at most `max_size` bytes. Any 2xx opens the tunnel; 1xx
// interim responses are skipped; any other status fails naming code and reason. Fails early
// on bytes that cannot start an HTTP status line.
class http_connect_parser {
public:
    explicit http_connect_parser(std::size_t max_size = 8192) : max_size_(max_size) {}

    // Consumes bytes of `in` up to the end of the response headers; returns how many. Bytes
    // after that belong to the tunnel and are not consumed. Returns 0 once done or failed.
    std::size_t feed(std::span<const std::uint8_t> in);
    proxy_step step() const { return step_; }
    const proxy_error& error() const { return error_; }
    int status_code() const { return status_; }  // 0 until the status line is complete
    const std::string& reason() const { return reason_phrase_; }

private:
    void line_complete();
    void fail(std::errc code, std::string reason);

    std::size_t max_size_;
    std::size_t total_ = 0;    // bytes consumed, all responses
    std::string line_;         // the current line, without its line end
    bool in_headers_ = false;  // past the status line of the current response
    proxy_step step_ = proxy_step::need_more;
    proxy_error error_;
    int status_ = 0;
    std::string reason_phrase_;
};

// --- SOCKS5 (RFC 1928), username/password (RFC 1929) ---

// SOCKS5 reply code (REP) in words: 1 "general SOCKS server failure", 5 "connection
// refused", ...; unknown codes as "unknown reply code N".
std::string socks5_reply_text(std::uint8_t rep);

// The whole client side of a SOCKS5 CONNECT: greeting (no authentication, plus
// username/password when a username is set), RFC 1929 sub-negotiation when the proxy chooses
// it, then CONNECT with the host as ATYP IPv4 or IPv6 for an address literal and as a domain
// name otherwise (the proxy resolves it, "socks5h"). Usage: send take_output(), read exactly
// bytes_wanted() bytes (or fewer), feed() them, repeat until step() is not need_more.
class socks5_handshake {
public:
    // Invalid input (empty host, host over 255 bytes, port 0, credentials over 255 bytes or a
    // password without a username) makes step() failed at once, with invalid_argument.
    socks5_handshake(const std::string& host, std::uint16_t port,
                     const std::optional<std::string>& username,
                     const std::optional<std::string>& password);

    // The bytes to send now (empty when nothing is due); the caller sends them before
    // reading the reply they ask for.
    proxy_bytes take_output();
    // Bytes the current reply still needs at least; never more than what belongs to it, so
    // reading exactly this many never takes a tunnel byte. 0 once done or failed.
    std::size_t bytes_wanted() const;
    // Consumes at most bytes_wanted() bytes (so at most one reply's worth: call
    // take_output() and bytes_wanted() again after each call); returns how many.
    std::size_t feed(std::span<const std::uint8_t> in);
    proxy_step step() const { return step_; }
    const proxy_error& error() const { return error_; }

private:
    enum class phase : std::uint8_t { method, auth, connect, finished };
    void message_complete();
    bool check_connect_header();  // VER and REP of the CONNECT reply; fails when not 5 and 0
    void fail(std::errc code, std::string reason);
    void queue_connect();

    std::string host_;
    std::uint16_t port_;
    std::optional<std::string> username_;
    std::optional<std::string> password_;
    phase phase_ = phase::method;
    proxy_step step_ = proxy_step::need_more;
    proxy_error error_;
    proxy_bytes output_;
    proxy_bytes reply_;         // the current reply so far
    std::size_t expected_ = 0;  // its length, as far as known
};

}  // namespace piogate::mqtt
