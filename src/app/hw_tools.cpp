#include "app/hw_tools.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <array>
#include <cstdio>
#include <iomanip>

#include "app/sensor_kinds/registry.hpp"

namespace piogate::app {

int list_gpio(hw::gpio_provider& gpio, std::ostream& out) {
    const auto chips = gpio.list_chips();
    for (const auto& chip : chips) {
        out << chip.name << " [" << chip.label << "] (" << chip.path << ") " << chip.lines.size()
            << " lines\n";
        for (const auto& line : chip.lines) {
            char prefix[32];
            std::snprintf(prefix, sizeof prefix, "  line %3u: ", line.offset);
            out << prefix << std::left << std::setw(12)
                << (line.name.empty() ? std::string("unnamed") : "\"" + line.name + "\"")
                << std::setw(8) << (line.output ? "output" : "input")
                << (line.active_low ? "active-low " : "")
                << (line.consumer.empty() ? std::string("unused")
                                          : "used by \"" + line.consumer + "\"")
                << std::right << "\n";
        }
    }
    return static_cast<int>(chips.size());
}

int scan_i2c(hw::i2c_bus& bus, std::ostream& out) {
    int found = 0;
    out << bus.name() << ":\n";
    for (unsigned address = 0x03; address <= 0x77; ++address) {
        // Like i2cdetect: an empty write (SMBus quick) everywhere but where EEPROMs live,
        // which a quick write could corrupt, and where a one-byte read is used instead.
        std::array<std::uint8_t, 1> byte{};
        const auto a = static_cast<std::uint8_t>(address);
        const bool eeprom_range = (address >= 0x30 && address <= 0x37) || (address >= 0x50 && address <= 0x5F);
        const bool present = eeprom_range ? bus.read(a, byte).ok() : bus.write(a, {}).ok();
        if (!present) continue;
        ++found;
        out << "  " << hw::hex(address) << "  ";
        std::string matches;
        for (const auto* kind : sensor_kinds()) {
            for (const auto& entry : kind->probes()) {
                bool listed = false;
                for (auto d : entry.addresses) listed = listed || d == a;
                if (listed && entry.probe(bus, a))
                    matches += (matches.empty() ? "" : ", ") + entry.label;
            }
        }
        out << (matches.empty() ? "(no driver recognises it)" : matches) << "\n";
    }
    out << found << (found == 1 ? " device" : " devices") << " answered\n";
    return found;
}

}  // namespace piogate::app
