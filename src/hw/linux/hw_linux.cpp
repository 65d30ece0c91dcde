// SPDX-License-Identifier: Apache-2.0
// Anchor of the Linux backend library (the backends live in i2c_*.cpp and gpiod_v*_*.cpp).
namespace piogate::hw::linux_backend {
int gpiod_api_version() { return PIOGATE_GPIOD_API; }
}  // namespace piogate::hw::linux_backend
