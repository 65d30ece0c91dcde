#include "hw/gpio.hpp"

namespace piogate::hw {

std::string line_address::to_string() const {
    return chip.empty() ? line : chip + ":" + line;
}

}  // namespace piogate::hw
