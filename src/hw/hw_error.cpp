#include "hw/hw_error.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <cerrno>

namespace piogate::hw {
namespace {

class category final : public std::error_category {
public:
    const char* name() const noexcept override { return "hw"; }
    std::string message(int ev) const override {
        switch (static_cast<hw_errc>(ev)) {
            case hw_errc::no_device: return "no device answered (NACK)";
            case hw_errc::bus_error: return "bus error";
            case hw_errc::timeout: return "timed out";
            case hw_errc::permission: return "permission denied";
            case hw_errc::not_supported: return "not supported by the adapter";
            case hw_errc::crc_mismatch: return "CRC mismatch";
            case hw_errc::out_of_range: return "value out of range";
            case hw_errc::bad_chip_id: return "unexpected chip id";
            case hw_errc::not_found: return "not found";
            case hw_errc::busy: return "busy";
            case hw_errc::io_error: return "I/O error";
            case hw_errc::again: return "not ready yet";
        }
        return "unknown hardware error";
    }
};

}  // namespace

const std::error_category& hw_category() noexcept {
    static const category instance;
    return instance;
}

hw_errc classify_errno(int err) noexcept {
    switch (err) {
        case ENXIO:
        case EREMOTEIO: return hw_errc::no_device;
        case EAGAIN:  // arbitration lost
        case EPROTO:
        case EBADMSG: return hw_errc::bus_error;
        case ETIMEDOUT: return hw_errc::timeout;
        case EACCES:
        case EPERM: return hw_errc::permission;
        case EOPNOTSUPP: return hw_errc::not_supported;
        case ENOENT:
        case ENODEV: return hw_errc::not_found;
        case EBUSY: return hw_errc::busy;
        default: return hw_errc::io_error;
    }
}

}  // namespace piogate::hw
