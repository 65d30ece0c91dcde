// Error codes of the hardware layer (category "hw"). Messages always name the device:
// bus, address and register for I2C; chip and line for GPIO.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <string>
#include <system_error>

#include "util/result.hpp"

namespace piogate::hw {

enum class hw_errc {
    no_device = 1,   // no ACK at the address (nothing there, or NACK)
    bus_error,       // arbitration lost, bus stuck, adapter failure
    timeout,         // the transfer or the device timed out (includes a stalled device)
    permission,      // EACCES / EPERM opening or using the device
    not_supported,   // the adapter cannot do this transfer (and no fallback applies)
    crc_mismatch,    // the device answered but its checksum is wrong
    out_of_range,    // a value the chip cannot produce (saturation, NaN, status says invalid)
    bad_chip_id,     // the chip at the address is not the expected one
    not_found,       // bus, chip or line does not exist
    busy,            // GPIO line held by another consumer
    io_error,        // anything else from the OS
    again,           // not ready yet: ask again later (a sensor's measure_result says when)
};

const std::error_category& hw_category() noexcept;
inline std::error_code make_error_code(hw_errc e) noexcept {
    return {static_cast<int>(e), hw_category()};
}

// Maps an errno from an I2C or GPIO system call to the closest hw_errc.
hw_errc classify_errno(int err) noexcept;

inline util::error hw_fail(hw_errc code, std::string message) {
    return {make_error_code(code), std::move(message)};
}

}  // namespace piogate::hw

template <>
struct std::is_error_code_enum<piogate::hw::hw_errc> : std::true_type {};
