// The libgpiod backend of gpio_provider (v1 or v2 API, chosen at build time).
// Thread: the event-loop thread; edge events are read from the line request's file
// descriptor through the io_context. Errors at request time throw std::runtime_error.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <boost/asio/io_context.hpp>
#include <memory>

#include "hw/gpio.hpp"

namespace piogate::hw {

std::unique_ptr<gpio_provider> make_linux_gpio(boost::asio::io_context& io);

}  // namespace piogate::hw
