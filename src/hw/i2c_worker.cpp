#include "hw/i2c_worker.hpp"
// SPDX-License-Identifier: Apache-2.0
namespace piogate::hw {

i2c_worker::i2c_worker(boost::asio::io_context& loop, std::string name, at_destruction mode)
    : loop_(loop), name_(std::move(name)), mode_(mode), guard_(work_.get_executor()) {
    thread_ = std::thread([this] { work_.run(); });
}

i2c_worker::~i2c_worker() {
    *alive_ = false;  // completions still queued on the loop are dropped
    guard_.reset();   // finish_queued: run() returns once the queue is empty
    if (mode_ == at_destruction::drop_queued)
        work_.stop();  // queued jobs are not started; the running one finishes
    thread_.join();
}

}  // namespace piogate::hw
