// The production scheduler: std::chrono::steady_clock and boost::asio::steady_timer on the
// io_context (see util/scheduler.hpp). Thread: the io_context's.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <boost/asio/io_context.hpp>

#include "util/scheduler.hpp"

namespace piogate::util {

class asio_scheduler final : public scheduler {
public:
    explicit asio_scheduler(boost::asio::io_context& io) : io_(io) {}
    steady_time now() const override { return std::chrono::steady_clock::now(); }
    std::unique_ptr<timer> make_timer() override;

private:
    boost::asio::io_context& io_;
};

}  // namespace piogate::util
