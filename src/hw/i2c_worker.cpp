#include "hw/i2c_worker.hpp"

namespace piogate::hw {

i2c_worker::i2c_worker(boost::asio::io_context& loop, std::string name)
    : loop_(loop), name_(std::move(name)), guard_(work_.get_executor()) {
    thread_ = std::thread([this] { work_.run(); });
}

i2c_worker::~i2c_worker() {
    *alive_ = false;  // completions still queued on the loop are dropped
    guard_.reset();
    work_.stop();     // queued jobs are not started; the running one finishes
    thread_.join();
}

}  // namespace piogate::hw
