#include "hw/gpio.hpp"
// SPDX-License-Identifier: Apache-2.0
namespace piogate::hw {

std::string line_address::to_string() const {
    return chip.empty() ? line : chip + ":" + line;
}

}  // namespace piogate::hw
