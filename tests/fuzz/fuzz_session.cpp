// libFuzzer target: the session state machine (src/mqtt/session.hpp) facing a hostile broker.
//
// The input is a script read front to back: a few configuration bytes, then operations — raw
// broker bytes in chunks, well-formed broker replies aimed at what the session has outstanding
// (so the fuzzer gets deep quickly), clock ticks, publish / subscribe / unsubscribe / disconnect
// calls, and transport close and reopen. Handler callbacks re-enter the session the way
// application callbacks do.
//
// Checked besides "no crash, no sanitizer report, no exception":
//  - memory stays bounded: the unconsumed receive buffer of a live session is under
//    max_packet_size (64 KiB here), the queue and the in-flight window keep their limits;
//  - once the session asked to close, it consumes no byte, calls no callback and writes nothing;
//  - everything it writes decodes as a well-formed client packet, CONNECT first on each link,
//    DISCONNECT last and followed by on_close;
//  - each message id is reported done at most once, and only ids publish() handed out;
//  - after on_tick(now), next_deadline() is not in the past (the timer would spin).
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>
// SPDX-License-Identifier: Apache-2.0
#include "mqtt/session.hpp"
#include "piogate/mqtt/topic.hpp"

using namespace piogate::mqtt;

namespace {

void require(bool ok, const char* what) {
    if (ok) return;
    std::fprintf(stderr, "fuzz_session: %s\n", what);
    std::abort();
}

// The fuzzer's bytes, read from the front; zeros once they run out.
class script {
public:
    script(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
    bool done() const { return pos_ >= size_; }
    std::uint8_t u8() { return pos_ < size_ ? data_[pos_++] : 0; }
    std::uint16_t u16() { return static_cast<std::uint16_t>(u8() << 8 | u8()); }
    std::span<const std::uint8_t> take(std::size_t n) {
        n = std::min(n, size_ - std::min(pos_, size_));
        std::span<const std::uint8_t> s(data_ + pos_, n);
        pos_ += n;
        return s;
    }

private:
    const std::uint8_t* data_;
    std::size_t size_;
    std::size_t pos_ = 0;
};

constexpr std::uint32_t max_packet = 64 * 1024;
const char* const topics[] = {"a", "a/b", "$SYS/x", "sport/tennis/p1", "/", "\xC3\xBC/t"};
const char* const filters[] = {"a", "a/#", "#", "+/b", "+", "$SYS/#", "sport/+/p1", "/"};
template <typename T, std::size_t N>
const T& pick(const T (&table)[N], std::uint8_t b) {
    return table[b % N];
}

class harness final : public session_handler {
public:
    harness(session_config config, std::uint8_t reentry)
        : config_(config), sess_(std::move(config), *this), reentry_(reentry) {}

    void run(script& in) {
        open(in.u8());
        for (int ops = 0; ops < 4000 && !in.done(); ++ops) {
            step(in);
            drain();
            check_bounds();
        }
    }

private:
    enum class link : std::uint8_t { down, up, closing };

    // ---- the operations ----
    void step(script& in) {
        const std::uint8_t op = in.u8();
        switch (op % 16) {
            case 0:
            case 1:
            case 2:
            case 3:
                feed(in.take(1 + std::size_t{in.u8()}));
                break;
            case 4:
                tick(std::chrono::milliseconds(in.u8()));
                break;
            case 5:
                tick(std::chrono::seconds(in.u8()));
                break;
            case 6:
                tick(std::chrono::minutes(in.u8()));
                break;
            case 7: {
                const std::uint8_t b = in.u8();
                publish(pick(topics, b), in.u8(), (b >> 4) % 3, (b >> 6) & 1);
                break;
            }
            case 8: {
                const std::uint8_t b = in.u8();
                std::vector<std::pair<std::string, int>> list;
                for (int i = 0; i <= b % 3; ++i) {
                    const std::uint8_t f = in.u8();
                    list.emplace_back(pick(filters, f), (f >> 4) % 3);
                }
                subscribe(list);
                break;
            }
            case 9: {
                const std::uint8_t b = in.u8();
                std::vector<std::string> list;
                for (int i = 0; i <= b % 2; ++i) list.emplace_back(pick(filters, in.u8()));
                unsubscribe(list);
                break;
            }
            case 10:
                sess_.disconnect(now_);
                break;
            case 11: {
                const std::uint8_t b = in.u8();
                if (link_ != link::down) close_transport();
                if (b & 0x80) sess_.clear_disconnect();  // what reconnect() after disconnect() does
                if (b & 1) open(b >> 1);
                break;
            }
            default:
                reply(in);
                break;
        }
    }

    void open(std::uint8_t how) {
        rx_.clear();
        link_ = link::up;
        got_connack_ = false;
        expect_connect_ = true;
        closed_before_step_ = false;
        sess_.on_transport_open(now_);
        if (how & 1) {
            byte_buffer b;
            encode_connack({(how & 2) != 0, 0}, b, config_.version);
            feed(b);
        }
    }

    void close_transport() {
        sess_.on_transport_closed();
        link_ = link::down;
        rx_.clear();
    }

    void feed(std::span<const std::uint8_t> chunk) {
        rx_.insert(rx_.end(), chunk.begin(), chunk.end());
        const bool live = link_ == link::up;
        const std::size_t used = sess_.on_data(rx_, now_);
        require(used <= rx_.size(), "on_data consumed more than it was given");
        if (!live) {
            require(used == 0, "bytes consumed after the session asked to close");
            rx_.clear();  // nobody reads a closed link; keep memory bounded
            return;
        }
        rx_.erase(rx_.begin(), rx_.begin() + static_cast<std::ptrdiff_t>(used));
        if (link_ == link::up) {
            // What is left is the start of one packet that is not complete yet.
            require(rx_.size() < max_packet, "live session left a whole packet's worth unread");
            const std::size_t want = sess_.bytes_wanted(rx_);
            require(want > rx_.size(), "bytes_wanted not beyond what is buffered");
            require(want <= max_packet, "bytes_wanted above max_packet_size");
        }
    }

    void tick(std::chrono::milliseconds d) {
        now_ += d;
        sess_.on_tick(now_);
        if (auto next = sess_.next_deadline()) {
            require(*next > now_, "after on_tick, next_deadline is not in the future");
        }
    }

    void publish(std::string_view topic, std::size_t size, int qos, bool retain) {
        const std::string payload(size, 'p');
        publish_result r = sess_.publish(topic, payload, qos, retain, now_);
        if (!r) {
            require(r.rc == errc::queue_full, "publish failed with something but queue_full");
            return;
        }
        require(r.mid > 0, "publish mid not positive");
        require(mids_.emplace(r.mid, qos).second, "publish mid handed out twice");
    }

    void subscribe(std::span<const std::pair<std::string, int>> list) {
        subscribe_mids_.insert(sess_.subscribe(list, now_));
    }

    void unsubscribe(std::span<const std::string> list) {
        unsubscribe_mids_.insert(sess_.unsubscribe(list, now_));
    }

    // A well-formed broker packet aimed at what the session has outstanding.
    void reply(script& in) {
        const std::uint8_t kind = in.u8();
        const std::uint8_t b = in.u8();
        byte_buffer out;
        switch (kind % 8) {
            case 0:
                encode_connack(
                    {(b & 1) != 0, b & 0x80 ? std::uint8_t((b >> 1) % 6) : std::uint8_t{0}}, out,
                    config_.version);
                break;
            case 1:
                if (pubs_.empty()) {
                    encode_empty({packet_type::pingresp}, out, config_.version);
                } else {
                    auto it = std::next(pubs_.begin(), b % pubs_.size());
                    packet_type t = it->second == 1   ? packet_type::puback
                                    : it->second == 2 ? packet_type::pubrec
                                                      : packet_type::pubcomp;
                    if (b & 0x80) t = packet_type::pubcomp;  // sometimes the wrong one
                    encode_ack({t, it->first}, out, config_.version);
                    if (t != packet_type::pubrec) pubs_.erase(it);
                }
                break;
            case 2:
                if (subs_.empty()) {
                    encode_suback({static_cast<std::uint16_t>(1 + b % 8), {0}}, out,
                                  config_.version);
                } else {
                    auto it = std::next(subs_.begin(), b % subs_.size());
                    suback_packet p{it->first, {}};
                    const std::size_t n = it->second + ((b & 0x80) ? 1 : 0);
                    static constexpr std::uint8_t codes[] = {0, 1, 2, 0x80};
                    for (std::size_t i = 0; i < n; ++i)
                        p.return_codes.push_back(codes[in.u8() % 4]);
                    encode_suback(p, out, config_.version);
                    subs_.erase(it);
                }
                break;
            case 3:
                if (unsubs_.empty()) {
                    encode_ack({packet_type::unsuback, static_cast<std::uint16_t>(1 + b % 8)}, out,
                               config_.version);
                } else {
                    auto it = std::next(unsubs_.begin(), b % unsubs_.size());
                    encode_ack({packet_type::unsuback, *it}, out, config_.version);
                    unsubs_.erase(it);
                }
                break;
            case 4:
                encode_empty({packet_type::pingresp}, out, config_.version);
                break;
            case 5: {
                const std::uint8_t qos = b % 3;
                const std::string payload(in.u8() % 32, 'm');
                encode_publish({pick(topics, b >> 2), payload, qos, ((b >> 5) & 1) != 0,
                                qos > 0 && ((b >> 6) & 1),
                                static_cast<std::uint16_t>(qos ? 1 + in.u8() % 8 : 0)},
                               out, config_.version);
                break;
            }
            case 6:
                encode_ack({packet_type::pubrel, static_cast<std::uint16_t>(1 + b % 8)}, out,
                           config_.version);
                break;
            default: {
                static constexpr packet_type types[] = {packet_type::puback, packet_type::pubrec,
                                                        packet_type::pubrel, packet_type::pubcomp,
                                                        packet_type::unsuback};
                const std::uint16_t id = std::max<std::uint16_t>(1, in.u16());
                if (b % 6 == 5) {
                    encode_suback({id, {b}}, out,
                                  config_.version);  // b may be a bad code: malformed on purpose
                } else {
                    encode_ack({types[b % 6], id}, out, config_.version);
                }
                break;
            }
        }
        // Deliver in two pieces so framing across reads is exercised.
        const std::size_t cut = in.u8() % (out.size() + 1);
        feed(std::span(out).first(cut));
        feed(std::span(out).subspan(cut));
    }

    // ---- output: everything the session writes must be a well-formed client packet ----
    void drain() {
        byte_buffer out;
        std::vector<int> qos0;
        sess_.take_output(out, qos0);
        if (link_ != link::up) {
            // Output written before on_close in this very step is legitimate; after, none.
            require(out.empty() || !closed_before_step_, "output after the session asked to close");
        }
        closed_before_step_ = link_ != link::up;
        std::span<const std::uint8_t> rest = out;
        bool saw_disconnect = false;
        while (!rest.empty()) {
            require(!saw_disconnect, "a packet after DISCONNECT");
            decode_result r = decode_packet(rest, config_.version);
            require(r.status == decode_status::ok, "session wrote a packet that does not decode");
            rest = rest.subspan(r.consumed);
            const packet_type t = type_of(r.pkt);
            require(expect_connect_ == (t == packet_type::connect), "CONNECT not first, or again");
            expect_connect_ = false;
            switch (t) {
                case packet_type::publish: {
                    const auto& p = std::get<publish_packet>(r.pkt);
                    // A DUP resend keeps the stage the broker side already reached.
                    if (p.qos > 0 && (!p.dup || !pubs_.count(p.packet_id))) {
                        pubs_[p.packet_id] = p.qos;
                    }
                    break;
                }
                case packet_type::pubrel: {
                    auto it = pubs_.find(std::get<ack_packet>(r.pkt).packet_id);
                    if (it != pubs_.end()) it->second = 3;
                    break;
                }
                case packet_type::subscribe: {
                    const auto& p = std::get<subscribe_packet>(r.pkt);
                    subs_[p.packet_id] = p.filters.size();
                    break;
                }
                case packet_type::unsubscribe:
                    unsubs_.insert(std::get<unsubscribe_packet>(r.pkt).packet_id);
                    break;
                case packet_type::disconnect:
                    saw_disconnect = true;
                    break;
                case packet_type::connect:
                case packet_type::puback:
                case packet_type::pubrec:
                case packet_type::pubcomp:
                case packet_type::pingreq:
                    break;
                default:
                    require(false, "session wrote a packet only a broker sends");
            }
        }
        if (saw_disconnect) require(link_ == link::closing, "DISCONNECT without on_close");
        for (int mid : qos0) {
            auto it = mids_.find(mid);
            require(it != mids_.end() && it->second == 0, "QoS 0 mid that publish() never gave");
            require(done_.insert(mid).second, "QoS 0 mid written twice");
        }
    }

    void check_bounds() {
        require(sess_.inflight() <= config_.max_inflight, "in-flight window exceeded");
        // A lost session puts the in-flight messages back at the head of the queue.
        require(sess_.queued() <= config_.max_queued + config_.max_inflight, "queue exceeded");
        const session_state s = sess_.state();
        if (s == session_state::connected && sess_.disconnect_requested()) {
            require(sess_.queued() > 0 || sess_.inflight() > 0 || sess_.draining_inbound() > 0,
                    "disconnect requested, nothing outstanding, but no DISCONNECT");
        }
        if (s == session_state::connected && !sess_.disconnect_requested() && sess_.queued() > 0) {
            // Messages wait only for a free place in the in-flight window.
            require(sess_.inflight() == config_.max_inflight, "queue stalled with a free window");
        }
        switch (link_) {
            case link::down:
                require(s == session_state::idle, "state not idle");
                break;
            case link::up:
                require(s == session_state::connecting || s == session_state::connected,
                        "state not connecting/connected on a live link");
                break;
            case link::closing:
                require(s == session_state::closing, "state not closing");
                break;
        }
    }

    // ---- session_handler ----
    void on_connack(bool, int return_code) override {
        require(link_ == link::up, "on_connack on a link that is not up");
        require(!got_connack_, "on_connack twice on one link");
        got_connack_ = true;
        if (return_code != 0) return;
        if (reentry_ & 0x02) subscribe(std::vector<std::pair<std::string, int>>{{"r/#", 1}});
        if (reentry_ & 0x04) sess_.disconnect(now_);
    }
    void on_message(const message& m) override {
        require(link_ == link::up, "on_message on a link that is not up");
        require(is_valid_topic_name(m.topic), "delivered an invalid topic");
        require(m.qos >= 0 && m.qos <= 2, "delivered QoS out of range");
        if ((reentry_ & 0x01) && m.qos > 0) publish("echo", m.payload.size(), m.qos, false);
        if ((reentry_ & 0x10) && m.payload.size() % 4 == 1) {
            subscribe(std::vector<std::pair<std::string, int>>{{std::string(m.topic), m.qos}});
        }
    }
    void on_published(int mid) override {
        require(link_ == link::up, "on_published on a link that is not up");
        auto it = mids_.find(mid);
        require(it != mids_.end() && it->second > 0, "on_published for an id never handed out");
        require(done_.insert(mid).second, "on_published twice for one id");
        if ((reentry_ & 0x08) && mid % 3 == 0) publish("again", 1, mid % 2 + 1, false);
    }
    void on_subscribed(int mid, std::span<const int> granted) override {
        require(link_ == link::up, "on_subscribed on a link that is not up");
        require(subscribe_mids_.count(mid) == 1, "on_subscribed for an unknown id");
        require(subscribed_.insert(mid).second, "on_subscribed twice for one id");
        // 3.1.1: a granted QoS or 0x80; 5.0: the SUBACK reason codes (section 3.9.3), such as
        // 0x87 Not authorized, which the session hands on as they came.
        const auto v5_code = [](int g) {
            switch (g) {
                case 0x83:
                case 0x87:
                case 0x8F:
                case 0x91:
                case 0x97:
                case 0x9E:
                case 0xA1:
                case 0xA2:
                    return true;
                default:
                    return false;
            }
        };
        for (int g : granted)
            require(g == 0 || g == 1 || g == 2 || g == 0x80 ||
                        (config_.version == protocol_version::v5 && v5_code(g)),
                    "bad granted QoS");
        if (reentry_ & 0x20) unsubscribe(std::vector<std::string>{"a/#", "r/#"});
    }
    void on_unsubscribed(int mid) override {
        require(link_ == link::up, "on_unsubscribed on a link that is not up");
        require(unsubscribe_mids_.count(mid) == 1, "on_unsubscribed for an unknown id");
        require(unsubscribed_.insert(mid).second, "on_unsubscribed twice for one id");
    }
    void on_close(std::error_code reason, std::string_view) override {
        require(link_ == link::up, "on_close on a link that is not up (twice?)");
        require(reason && reason.category() == mqtt_category(), "on_close without an mqtt reason");
        link_ = link::closing;
    }
    void on_log(log_level, std::string_view text) override {
        require(!text.empty(), "empty log line");
    }

    session_config config_;
    session sess_;
    std::uint8_t reentry_;
    session::time_point now_ = session::time_point{} + std::chrono::hours(1);
    link link_ = link::down;
    bool got_connack_ = false;
    bool expect_connect_ = false;
    bool closed_before_step_ = false;
    byte_buffer rx_;
    std::map<int, int> mids_;  // publish mid -> QoS
    std::set<int> done_;
    std::set<int> subscribe_mids_, subscribed_, unsubscribe_mids_, unsubscribed_;
    // What the broker side owes an answer to: packet id -> 1 PUBACK, 2 PUBREC, 3 PUBCOMP.
    std::map<std::uint16_t, int> pubs_;
    std::map<std::uint16_t, std::size_t> subs_;  // SUBSCRIBE id -> filter count
    std::set<std::uint16_t> unsubs_;
};

session_config make_config(script& in) {
    const std::uint8_t a = in.u8();
    const std::uint8_t b = in.u8();
    const std::uint8_t c = in.u8();
    session_config cfg;
    static constexpr protocol_version versions[] = {protocol_version::v311, protocol_version::v31,
                                                    protocol_version::v5, protocol_version::v5};
    cfg.version = versions[(a & 1) | ((c & 1) << 1)];
    if (cfg.version == protocol_version::v5) {
        cfg.mqtt5.topic_alias_maximum = b & 0x40 ? 2 : 0;
        cfg.mqtt5.outbound_topic_aliases = b & 0x40 ? 2 : 0;
        cfg.mqtt5.receive_maximum = static_cast<std::uint16_t>(1 + ((b >> 4) & 3));
    }
    cfg.client_id = "fuzz";
    cfg.clean_session = a & 2;
    static constexpr std::uint16_t keepalives[] = {0, 1, 5, 60};
    cfg.keepalive = keepalives[(a >> 2) & 3];
    cfg.when_full = (a & 0x10) ? queue_full_policy::drop_oldest : queue_full_policy::reject;
    cfg.resubscribe = a & 0x20;
    cfg.log_packets = a & 0x40;
    if (a & 0x80)
        cfg.will = will_message{"will/t", "gone", ((b >> 6) & 1) ? 2 : 1, (b & 0x20) != 0};
    cfg.max_inflight = static_cast<std::uint16_t>(1 + (b & 3));
    cfg.max_queued = 1 + ((b >> 2) & 7);
    cfg.max_packet_size = max_packet;
    cfg.connect_timeout = std::chrono::milliseconds(500 * (1 + (c & 15)));
    cfg.disconnect_timeout = std::chrono::milliseconds(250 * (1 + (c >> 4)));
    if (b & 0x80) {
        cfg.username = "user";
        cfg.password = "pass";
    }
    return cfg;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    script in(data, size);
    session_config cfg = make_config(in);
    harness h(std::move(cfg), in.u8());
    h.run(in);
    return 0;
}
