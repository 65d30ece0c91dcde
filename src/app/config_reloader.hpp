// The first half of a reload (SIGHUP): reading and validating the configuration file, off the
// event loop. Validation (config::load_config, app::preflight) reads the files the config names
// and has OpenSSL parse the TLS ones: about 25 ms of CPU for a CA bundle of 150 RSA-4096
// certificates on an x86 desktop, several times that on a Raspberry Pi, during which the loop
// would answer no MQTT keepalive, command or reading. The result is handed back to the loop,
// which applies it (gateway::reload) or keeps the running configuration.
//
// Thread: construction, start() and destruction on the loop thread; `load` runs on the
// worker ("reload", an hw::i2c_worker made at the first reload: no thread until then); `done` on the loop thread, not
// after destruction. The destructor waits for a load that is running (its file reads are
// bounded). Throws nothing of its own: what `load` throws becomes loaded_config::error.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <boost/asio/io_context.hpp>
#include <functional>
#include <optional>
#include <string>

#include "config/config.hpp"
#include <memory>

#include "hw/i2c_worker.hpp"

namespace piogate::app {

struct loaded_config {
    std::optional<config::piogate_config> config;  // valid, when there
    std::string error;                             // why not, otherwise
};

class config_reloader {
public:
    using load_fn = std::function<config::piogate_config()>;  // throws when invalid
    config_reloader(boost::asio::io_context& loop, load_fn load);

    // Runs `load` on the worker, then done(result) on the loop thread. Loads started while
    // one runs run after it, in order.
    void start(std::function<void(loaded_config)> done);
    bool busy() const { return worker_ && worker_->pending() > 0; }

private:
    load_fn load_;
    boost::asio::io_context& loop_;
    std::unique_ptr<hw::i2c_worker> worker_;
};

}  // namespace piogate::app
