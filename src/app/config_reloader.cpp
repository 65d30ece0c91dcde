#include "app/config_reloader.hpp"

#include <exception>
#include <utility>

namespace piogate::app {

config_reloader::config_reloader(boost::asio::io_context& loop, load_fn load)
    : load_(std::move(load)), worker_(loop, "reload") {}

void config_reloader::start(std::function<void(loaded_config)> done) {
    worker_.submit(
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
