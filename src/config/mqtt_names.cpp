#include "config/mqtt_names.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <cstdint>
#include <cstdio>

namespace piogate::config {
namespace {

std::string hex_code_point(std::uint32_t cp) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(cp));
    return buf;
}

std::string too_long(std::size_t size, std::size_t max) {
    return "is " + std::to_string(size) + " bytes long; at most " + std::to_string(max) +
           " are allowed";
}

}  // namespace

std::string text_problem(std::string_view text) {
    const auto* s = reinterpret_cast<const unsigned char*>(text.data());
    const std::size_t n = text.size();
    for (std::size_t i = 0; i < n;) {
        const unsigned char b = s[i];
        std::uint32_t cp = 0;
        std::size_t len = 0;
        std::uint32_t min = 0;
        if (b < 0x80) {
            cp = b, len = 1;
        } else if ((b & 0xE0) == 0xC0) {
            cp = b & 0x1Fu, len = 2, min = 0x80;
        } else if ((b & 0xF0) == 0xE0) {
            cp = b & 0x0Fu, len = 3, min = 0x800;
        } else if ((b & 0xF8) == 0xF0) {
            cp = b & 0x07u, len = 4, min = 0x10000;
        } else {
            return "is not valid UTF-8 (byte " + std::to_string(i + 1) + ")";
        }
        if (i + len > n) return "is not valid UTF-8 (byte " + std::to_string(i + 1) + ")";
        for (std::size_t k = 1; k < len; ++k) {
            if ((s[i + k] & 0xC0) != 0x80)
                return "is not valid UTF-8 (byte " + std::to_string(i + k + 1) + ")";
            cp = (cp << 6) | (s[i + k] & 0x3Fu);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            return "is not valid UTF-8 (byte " + std::to_string(i + 1) + ")";
        }
        if (cp == 0)
            return "contains U+0000 (byte " + std::to_string(i + 1) + "), which MQTT forbids";
        if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) {
            return "contains the control character " + hex_code_point(cp) + " (byte " +
                   std::to_string(i + 1) + ")";
        }
        i += len;
    }
    return "";
}

std::string topic_problem(std::string_view topic, std::size_t max_bytes) {
    if (topic.size() > max_bytes) return too_long(topic.size(), max_bytes);
    if (auto p = text_problem(topic); !p.empty()) return p;
    if (topic.empty() || topic.find_first_of("+#") != std::string_view::npos ||
        topic.back() == '/') {
        return "must be a topic without wildcards and without a trailing '/'";
    }
    if (topic.front() == '$') {
        return "must not start with '$' (such topics are the broker's, like $SYS; clients "
               "subscribed to # do not see them)";
    }
    return "";
}

std::string client_id_problem(std::string_view id, std::string_view protocol) {
    const bool v31 = protocol == "3.1";
    const std::size_t max = v31 ? max_client_id_bytes_v31 : max_client_id_bytes;
    if (id.size() > max) {
        return too_long(id.size(), max) + (v31 ? " by MQTT 3.1" : std::string());
    }
    return text_problem(id);
}

std::string mqtt_string_problem(std::string_view text) {
    if (text.size() > max_mqtt_string_bytes) return too_long(text.size(), max_mqtt_string_bytes);
    return text_problem(text);
}

}  // namespace piogate::config
