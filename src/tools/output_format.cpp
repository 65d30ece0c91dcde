#include "output_format.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <cstdio>
#include <ctime>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "cli_options.hpp"

namespace piogate::tools {

namespace {

constexpr std::string_view field_codes = "ACDEFIjJlmPpqRrStUxX";
constexpr std::string_view zero_pad_codes = "AEFlmSxX";
constexpr std::string_view width_codes = "ACEFIlmpRStxX";
constexpr std::string_view max_codes = "CIRt";

bool in(std::string_view set, char c) {
    return set.find(c) != std::string_view::npos;
}

std::string hex(std::string_view bytes, bool upper) {
    const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (unsigned char b : bytes) {
        out += digits[b >> 4];
        out += digits[b & 0xF];
    }
    return out;
}

std::tm local_tm(std::chrono::system_clock::time_point t) {
    const std::time_t secs = std::chrono::system_clock::to_time_t(t);
    std::tm tm{};
    localtime_r(&secs, &tm);
    return tm;
}

std::string strftime_of(const std::tm& tm, const char* fmt) {
    char buf[128];
    const std::size_t n = std::strftime(buf, sizeof buf, fmt, &tm);
    return std::string(buf, n);
}

long nanos_of(std::chrono::system_clock::time_point t) {
    const auto since = t.time_since_epoch();
    return static_cast<long>((std::chrono::duration_cast<std::chrono::nanoseconds>(since) -
                              std::chrono::duration_cast<std::chrono::seconds>(since))
                                 .count());
}

std::string json_string(std::string_view s) {
    std::string out = "\"";
    for (unsigned char c : s) {
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            case '\b':
                out += "\\b";
                break;
            case '\f':
                out += "\\f";
                break;
            default:
                if (c < 0x20 || c == 0x7F) {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\u%04x", c);
                    out += buf;
                } else {
                    out += static_cast<char>(c);
                }
        }
    }
    return out + "\"";
}

std::string json_properties(const mqtt::properties& p) {
    std::string out;
    auto add = [&](std::string_view name, const std::string& value) {
        out += (out.empty() ? "" : ",") + json_string(name) + ":" + value;
    };
    if (p.content_type) add("content-type", json_string(*p.content_type));
    if (!p.user_properties.empty()) {
        std::string u;
        for (const auto& [k, v] : p.user_properties) {
            u += (u.empty() ? "" : ",") + json_string(k) + ":" + json_string(v);
        }
        add("user-properties", "{" + u + "}");
    }
    if (p.response_topic) add("response-topic", json_string(*p.response_topic));
    if (p.correlation_data) add("correlation-data", json_string(*p.correlation_data));
    if (p.payload_format_indicator) {
        add("payload-format-indicator", std::to_string(*p.payload_format_indicator));
    }
    if (p.message_expiry_interval) {
        add("message-expiry-interval", std::to_string(*p.message_expiry_interval));
    }
    if (!p.subscription_identifiers.empty()) {
        add("subscription-identifier", std::to_string(p.subscription_identifiers.front()));
    }
    if (p.topic_alias) add("topic-alias", std::to_string(*p.topic_alias));
    return out;
}

std::string json_of(const format_input& m, bool raw_payload) {
    if (raw_payload && !nlohmann::json::accept(m.payload)) {
        throw std::invalid_argument("payload is not valid JSON on topic " + std::string(m.topic));
    }
    const std::tm tm = [&] {
        const std::time_t secs = std::chrono::system_clock::to_time_t(m.received);
        std::tm t{};
        gmtime_r(&secs, &t);
        return t;
    }();
    char micros[32];  // room for any long: GCC -O0 checks the worst case
    std::snprintf(micros, sizeof micros, ".%06ldZ", nanos_of(m.received) / 1000);
    std::string out = "{\"tst\":\"" + strftime_of(tm, "%Y-%m-%dT%H:%M:%S") + micros + "\"";
    out += ",\"topic\":" + json_string(m.topic);
    out += ",\"qos\":" + std::to_string(m.qos);
    out += std::string(",\"retain\":") + (m.retain ? "1" : "0");
    out += ",\"payloadlen\":" + std::to_string(m.payload.size());
    if (m.qos > 0) out += ",\"mid\":" + std::to_string(m.mid);
    if (m.props) {
        if (const std::string p = json_properties(*m.props); !p.empty()) {
            out += ",\"properties\":{" + p + "}";
        }
    }
    out += ",\"payload\":" + (raw_payload ? std::string(m.payload) : json_string(m.payload));
    return out + "}";
}

template <class T>
std::string opt_number(const std::optional<T>& v) {
    return v ? std::to_string(*v) : std::string();
}

// The field's value before width and maximum; `number` says it pads with zeros.
std::string field_value(char code, const format_input& m) {
    const mqtt::properties* p = m.props;
    switch (code) {
        case 'A':
            return p ? opt_number(p->topic_alias) : "";
        case 'C':
            return p ? p->content_type.value_or("") : "";
        case 'D':
            return p ? p->correlation_data.value_or("") : "";
        case 'E':
            return p ? opt_number(p->message_expiry_interval) : "";
        case 'F':
            return p ? opt_number(p->payload_format_indicator) : "";
        case 'I':
            return strftime_of(local_tm(m.received), "%Y-%m-%dT%H:%M:%S%z");
        case 'j':
            return json_of(m, false);
        case 'J':
            return json_of(m, true);
        case 'l':
            return std::to_string(m.payload.size());
        case 'm':
            return std::to_string(m.mid);
        case 'P': {
            std::string out;
            if (!p) return out;
            for (const auto& [k, v] : p->user_properties)
                out += (out.empty() ? "" : " ") + k + ":" + v;
            return out;
        }
        case 'p':
            return std::string(m.payload);
        case 'q':
            return std::to_string(m.qos);
        case 'R':
            return p ? p->response_topic.value_or("") : "";
        case 'r':
            return m.retain ? "1" : "0";
        case 'S': {
            std::string out;
            if (!p) return out;
            for (auto id : p->subscription_identifiers)
                out += (out.empty() ? "" : ",") + std::to_string(id);
            return out;
        }
        case 't':
            return std::string(m.topic);
        case 'U': {
            char buf[48];
            std::snprintf(buf, sizeof buf, "%lld.%09ld",
                          static_cast<long long>(std::chrono::system_clock::to_time_t(m.received)),
                          nanos_of(m.received));
            return buf;
        }
        case 'x':
            return hex(m.payload, false);
        case 'X':
            return hex(m.payload, true);
        default:
            return "";
    }
}

}  // namespace

output_format::output_format(std::string_view format) {
    std::string literal;
    auto flush = [&] {
        if (!literal.empty())
            pieces_.push_back(piece{0, 0, false, false, 0, -1, std::move(literal)});
        literal.clear();
    };
    for (std::size_t i = 0; i < format.size(); ++i) {
        const char c = format[i];
        if (c == '%') {
            piece f;
            f.kind = '%';
            std::size_t j = i + 1;
            for (; j < format.size() && (format[j] == '-' || format[j] == '0'); ++j) {
                (format[j] == '-' ? f.left : f.zero) = true;
            }
            for (; j < format.size() && format[j] >= '0' && format[j] <= '9' && f.width < 100000;
                 ++j) {
                f.width = f.width * 10 + (format[j] - '0');
            }
            if (j < format.size() && format[j] == '.') {
                f.max = 0;
                for (++j;
                     j < format.size() && format[j] >= '0' && format[j] <= '9' && f.max < 100000;
                     ++j) {
                    f.max = f.max * 10 + (format[j] - '0');
                }
            }
            if (j >= format.size()) throw usage_error("-F: incomplete format specifier at the end");
            f.code = format[j];
            if (f.code == '%' && j == i + 1) {
                literal += '%';
            } else if (!in(field_codes, f.code)) {
                throw usage_error(std::string("-F: invalid format specifier '") + f.code + "'");
            } else {
                if (!in(width_codes, f.code)) f.width = 0;
                if (!in(max_codes, f.code)) f.max = -1;
                if (!in(zero_pad_codes, f.code) || f.left) f.zero = false;
                flush();
                pieces_.push_back(std::move(f));
            }
            i = j;
        } else if (c == '@') {
            if (i + 1 >= format.size())
                throw usage_error("-F: incomplete time specifier '@' at the end");
            const char t = format[++i];
            if (t == '@') {
                literal += '@';
            } else {
                flush();
                pieces_.push_back(piece{t == 'N' ? 'N' : '@', t, false, false, 0, -1, {}});
            }
        } else if (c == '\\') {
            if (i + 1 >= format.size()) throw usage_error("-F: incomplete escape '\\' at the end");
            const char e = format[++i];
            switch (e) {
                case '\\':
                    literal += '\\';
                    break;
                case '0':
                    literal += '\0';
                    break;
                case 'a':
                    literal += '\a';
                    break;
                case 'e':
                    literal += '\x1b';
                    break;
                case 'n':
                    literal += '\n';
                    break;
                case 'r':
                    literal += '\r';
                    break;
                case 't':
                    literal += '\t';
                    break;
                case 'v':
                    literal += '\v';
                    break;
                default:
                    throw usage_error(std::string("-F: invalid escape '\\") + e + "'");
            }
        } else {
            literal += c;
        }
    }
    flush();
}

std::string output_format::render(const format_input& m) const {
    std::string out;
    for (const piece& p : pieces_) {
        switch (p.kind) {
            case 0:
                out += p.text;
                break;
            case 'N': {
                char buf[32];
                std::snprintf(buf, sizeof buf, "%09ld", nanos_of(m.received));
                out += buf;
                break;
            }
            case '@': {
                const char fmt[3] = {'%', p.code, '\0'};
                out += strftime_of(local_tm(m.received), fmt);
                break;
            }
            default: {
                std::string v = field_value(p.code, m);
                if (v.empty() && in("ACDEFPRS", p.code)) break;  // an absent property: nothing
                if (p.max >= 0 && v.size() > static_cast<std::size_t>(p.max))
                    v.resize(static_cast<std::size_t>(p.max));
                const std::size_t width = static_cast<std::size_t>(p.width);
                if (v.size() < width) {
                    const std::size_t pad = width - v.size();
                    if (p.left) {
                        v.append(pad, ' ');
                    } else if (p.zero && !v.empty()) {
                        v.insert(0, pad, '0');
                    } else {
                        v.insert(0, pad, ' ');
                    }
                }
                out += v;
            }
        }
    }
    return out;
}

}  // namespace piogate::tools
