// piogate-sub -F: a message printed through a format string, as mosquitto_sub's -F.
//
//   %% a literal %            %t topic                  %p payload (raw bytes)
//   %q QoS                    %r retained flag (0/1)    %m packet id (0 for QoS 0)
//   %l payload length         %x / %X payload as lower / upper case hex
//   MQTT 5 properties (empty when the message has none, or with 3.1/3.1.1):
//   %A topic alias            %C content type           %D correlation data (raw bytes)
//   %E message expiry (s)     %F payload format indicator
//   %P user properties, "name:value" separated by spaces
//   %R response topic         %S subscription identifiers, separated by commas
//   %I ISO-8601 local time (2026-12-06T13:04:45+0000)   %U Unix time with nanoseconds
//   %j JSON: {"tst","topic","qos","retain","payloadlen","mid" (QoS > 0),"properties" (if any),
//      "payload" (as a JSON string)}     %J the same with the payload inserted as JSON
//      (a payload that is not JSON is reported and the message not printed)
//   @X strftime's %X of the local time; @N nanoseconds in the second; @@ a literal @
//   \\ \0 \a \e \n \r \t \v  escapes
// Flags and widths as mosquitto's: %[-][0][WIDTH][.MAX]c; '0' zero-pads A E F l m S x X, '-'
// left-aligns, WIDTH applies to A C E F I l m p R S t x X, MAX cuts C I R t.
//
// Pure (the time is passed in); any thread. The constructor throws usage_error for an unknown
// or incomplete %-sequence or escape; render throws std::invalid_argument for %J with a payload
// that is not JSON.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "piogate/mqtt/properties.hpp"

namespace piogate::tools {

// One received message as -F sees it.
struct format_input {
    std::string_view topic;
    std::string_view payload;
    int qos = 0;
    bool retain = false;
    int mid = 0;
    const mqtt::properties* props = nullptr;  // nullptr: 3.1/3.1.1
    std::chrono::system_clock::time_point received;
};

class output_format {
public:
    explicit output_format(std::string_view format);

    // The formatted message, without a trailing newline (the tool adds it unless -N).
    std::string render(const format_input& m) const;

private:
    struct piece {
        char kind = 0;  // 0: literal; '%': a field; '@': strftime; 'N': @N
        char code = 0;
        bool left = false, zero = false;
        int width = 0;
        int max = -1;      // -1: no maximum
        std::string text;  // literal
    };
    std::vector<piece> pieces_;
};

}  // namespace piogate::tools
