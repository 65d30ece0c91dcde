#include "config/json_unique.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <iterator>
#include <map>
#include <vector>

namespace piogate::config {
namespace {

// Walks the text for nlohmann's input adapter and remembers the last byte handed out: when the
// parser reports a key, that byte is the key's closing quote (the lexer reads no further).
class tracking_iterator {
public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = char;
    using difference_type = std::ptrdiff_t;
    using pointer = const char*;
    using reference = const char&;

    tracking_iterator(const char* p, const char** last_read) : p_(p), last_read_(last_read) {}
    reference operator*() const {
        *last_read_ = p_;
        return *p_;
    }
    tracking_iterator& operator++() {
        ++p_;
        return *this;
    }
    tracking_iterator operator++(int) {
        auto before = *this;
        ++p_;
        return before;
    }
    bool operator==(const tracking_iterator& o) const { return p_ == o.p_; }

private:
    const char* p_;
    const char** last_read_;
};

std::string escape_pointer_token(std::string_view key) {
    std::string out;
    for (char c : key) {
        if (c == '~')
            out += "~0";
        else if (c == '/')
            out += "~1";
        else
            out += c;
    }
    return out;
}

// The opening quote of the string whose closing quote is at `close`: the first quote before it
// that is not escaped (preceded by an even number of backslashes).
std::size_t opening_quote(std::string_view text, std::size_t close) {
    for (std::size_t i = close; i-- > 0;) {
        if (text[i] != '"') continue;
        std::size_t slashes = 0;
        while (slashes < i && text[i - 1 - slashes] == '\\') ++slashes;
        if (slashes % 2 == 0) return i;
    }
    return 0;
}

struct frame {
    std::string pointer;
    bool object = false;
    std::size_t next_index = 0;                 // arrays: the index of the next element
    std::string key;                            // objects: the member being read
    std::map<std::string, std::size_t> starts;  // objects: key -> offset of its opening quote
};

class key_checker {
public:
    key_checker(std::string_view text, const char** last_read)
        : text_(text), last_read_(last_read) {}

    bool operator()(int, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
        using ev = nlohmann::json::parse_event_t;
        switch (event) {
            case ev::object_start:
            case ev::array_start:
                stack_.push_back({next_pointer(), event == ev::object_start, 0, {}, {}});
                break;
            case ev::object_end:
            case ev::array_end:
                stack_.pop_back();
                break;
            case ev::value:
                next_pointer();  // counts an array element
                break;
            case ev::key: {
                frame& f = stack_.back();
                f.key = parsed.get<std::string>();
                const std::size_t start =
                    opening_quote(text_, static_cast<std::size_t>(*last_read_ - text_.data()));
                auto [it, fresh] = f.starts.emplace(f.key, start);
                if (!fresh) {
                    throw duplicate_key_error(f.pointer + "/" + escape_pointer_token(f.key), f.key,
                                              position_of(text_, it->second),
                                              position_of(text_, start));
                }
                break;
            }
        }
        return true;
    }

private:
    // The pointer of the value starting now in the innermost container.
    std::string next_pointer() {
        if (stack_.empty()) return "";
        frame& f = stack_.back();
        if (f.object) return f.pointer + "/" + escape_pointer_token(f.key);
        return f.pointer + "/" + std::to_string(f.next_index++);
    }

    std::string_view text_;
    const char** last_read_;
    std::vector<frame> stack_;
};

std::string where(text_position p) {
    return "line " + std::to_string(p.line) + ", column " + std::to_string(p.column);
}

}  // namespace

text_position position_of(std::string_view text, std::size_t offset) {
    text_position p;
    for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++p.line;
            p.column = 1;
        } else {
            ++p.column;
        }
    }
    return p;
}

duplicate_key_error::duplicate_key_error(std::string pointer, const std::string& key,
                                         text_position first, text_position second)
    : std::runtime_error("duplicate key \"" + key + "\" at " + where(second) + " (first at " +
                         where(first) + ")"),
      pointer_(std::move(pointer)),
      key_(key),
      first_(first),
      second_(second) {}

nlohmann::json parse_json_unique(std::string_view text) {
    const char* last_read = text.data();
    const tracking_iterator begin(text.data(), &last_read);
    const tracking_iterator end(text.data() + text.size(), &last_read);
    return nlohmann::json::parse(begin, end, key_checker(text, &last_read));
}

}  // namespace piogate::config
