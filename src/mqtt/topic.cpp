#include "piogate/mqtt/topic.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <cstdint>

namespace piogate::mqtt {

bool is_valid_utf8(std::string_view s) noexcept {
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    const auto* end = p + s.size();
    while (p < end) {
        unsigned char c = *p;
        if (c < 0x80) {
            if (c == 0) return false;
            ++p;
            continue;
        }
        int extra;
        std::uint32_t cp;
        if ((c & 0xE0) == 0xC0) {
            extra = 1;
            cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            extra = 2;
            cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            extra = 3;
            cp = c & 0x07;
        } else {
            return false;  // continuation byte or 0xF8..0xFF as a lead byte
        }
        if (end - p <= extra) return false;
        for (int i = 1; i <= extra; ++i) {
            if ((p[i] & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (p[i] & 0x3F);
        }
        static constexpr std::uint32_t min_for_length[] = {0, 0x80, 0x800, 0x10000};
        if (cp < min_for_length[extra]) return false;  // overlong
        if (cp >= 0xD800 && cp <= 0xDFFF) return false;  // surrogate
        if (cp > 0x10FFFF) return false;
        p += extra + 1;
    }
    return true;
}

bool is_valid_topic_name(std::string_view topic) noexcept {
    if (topic.empty() || topic.size() > 65535) return false;
    if (topic.find_first_of("+#") != std::string_view::npos) return false;
    return is_valid_utf8(topic);
}

bool is_valid_topic_filter(std::string_view filter) noexcept {
    if (filter.empty() || filter.size() > 65535) return false;
    for (std::size_t i = 0; i < filter.size(); ++i) {
        char c = filter[i];
        if (c != '+' && c != '#') continue;
        bool starts_level = i == 0 || filter[i - 1] == '/';
        bool ends_level = i + 1 == filter.size() || filter[i + 1] == '/';
        if (!starts_level || !ends_level) return false;
        if (c == '#' && i + 1 != filter.size()) return false;
    }
    return is_valid_utf8(filter);
}

bool topic_matches_sub(std::string_view filter, std::string_view topic) noexcept {
    if (!topic.empty() && topic.front() == '$' && !filter.empty() &&
        (filter.front() == '+' || filter.front() == '#')) {
        return false;
    }
    std::size_t f = 0;
    std::size_t t = 0;
    while (true) {
        // One level of each: [f, f_end) and [t, t_end).
        std::size_t f_end = filter.find('/', f);
        if (f_end == std::string_view::npos) f_end = filter.size();
        std::string_view f_level = filter.substr(f, f_end - f);
        if (f_level == "#") return true;  // matches this level, everything below, and the parent
        std::size_t t_end = topic.find('/', t);
        if (t_end == std::string_view::npos) t_end = topic.size();
        std::string_view t_level = topic.substr(t, t_end - t);
        if (f_level != "+" && f_level != t_level) return false;
        bool f_last = f_end == filter.size();
        bool t_last = t_end == topic.size();
        if (f_last && t_last) return true;
        if (f_last) return false;
        if (t_last) {
            // Topic ended; only a trailing "/#" in the filter still matches ("sport/#" ~ "sport").
            return filter.substr(f_end + 1) == "#";
        }
        f = f_end + 1;
        t = t_end + 1;
    }
}

}  // namespace piogate::mqtt
