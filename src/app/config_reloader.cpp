#include "app/config_reloader.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <exception>
#include <utility>

namespace piogate::app {

config_reloader::config_reloader(boost::asio::io_context& loop, load_fn load)
    : load_(std::move(load)), loop_(loop) {}

void config_reloader::start(std::function<void(loaded_config)> done) {
    if (!worker_) worker_ = std::make_unique<hw::i2c_worker>(loop_, "reload");
    worker_->submit(
        [load = load_]() -> loaded_config {
            try {
                return {load(), {}};
            } catch (const std::exception& e) {
                return {std::nullopt, e.what()};
            }
        },
        [done = std::move(done)](loaded_config loaded) { done(std::move(loaded)); });
}

}  // namespace piogate::app
