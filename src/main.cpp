// piogate: the MQTT gateway daemon. Short by design: arguments, config, board, run.
//
// Exit codes: 0 success; 1 a device or the system failed at run time; 2 bad arguments or a
// bad configuration (used by the systemd unit's RestartPreventExitStatus).
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <filesystem>
#include <functional>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <string>
// SPDX-License-Identifier: Apache-2.0
#include "app/board.hpp"
#include "app/channel_kinds/registry.hpp"
#include "app/config_reloader.hpp"
#include "app/daemon_arguments.hpp"
#include "app/gateway.hpp"
#include "app/gateway_client.hpp"
#include "app/hw_tools.hpp"
#include "app/preflight.hpp"
#include "app/scan_w1.hpp"
#include "app/sensor_kinds/registry.hpp"
#include "config/config.hpp"
#include "hw/sysfs/w1_thermometer.hpp"
#include "log/log.hpp"
#include "sys/journald.hpp"
#include "sys/notifier.hpp"
#include "sys/watchdog_timer.hpp"

using namespace piogate;

namespace {

constexpr int exit_runtime = 1;
constexpr int exit_config = 2;

using arguments = app::daemon_arguments;

// The file -c names, else the default file when it exists, else none.
std::string config_file(const arguments& a) {
    if (!a.config_path.empty()) return a.config_path;
    if (std::filesystem::exists(config::default_config_path)) return config::default_config_path;
    return {};
}

config::piogate_config load(const arguments& a) {
    const std::string file = config_file(a);
    auto cfg = file.empty() ? config::piogate_config{} : config::load_config(file);
    app::preflight(cfg);  // what the machine must agree with, in the check as at start-up
    return cfg;
}

// SIGHUP's second half, on the loop (the file was read and validated on the config_reloader's
// worker): apply it when valid, keep running as is otherwise.
void apply_reload(app::loaded_config loaded, config::piogate_config& running, app::gateway& gw) {
    const log::logger log("reload");
    try {
        if (!loaded.config) throw std::runtime_error(loaded.error);
        auto& next = *loaded.config;
        if (next.board != running.board) {
            log.error(
                "the board section changed; restart piogate to apply it (nothing was changed)");
            return;
        }
        log.notice("configuration reloaded: " + gw.reload(next));
        running = std::move(next);
    } catch (const std::exception& e) {
        log.error(std::string("new configuration rejected, keeping the running one: ") + e.what());
    }
}

}  // namespace

int main(int argc, char** argv) {
    // The signal handlers exist before anything is announced: a SIGHUP or SIGTERM that arrives
    // during start-up (systemd may send the reload right after READY=1) waits in the sets until
    // the loop runs, instead of killing the process with the default action.
    boost::asio::io_context io;
    boost::asio::signal_set hangup(io, SIGHUP);
    boost::asio::signal_set signals(io, SIGINT, SIGTERM);
    arguments args;
    config::piogate_config cfg;
    app::install_sensor_kinds();   // what the config's "sensors" may name
    app::install_channel_kinds();  // the sections of the other kinds ("inputs", "pwm", ...)
    try {
        auto parsed = app::parse_daemon_arguments(argc, argv);
        if (auto* error = std::get_if<app::arguments_error>(&parsed)) {
            std::cerr << "piogate: " << error->message << "\n";
            return exit_config;
        }
        args = std::get<arguments>(parsed);
        if (args.help) {
            std::cout << app::daemon_usage();
            return 0;
        }
        if (args.version) {
            std::cout << "piogate " << PIOGATE_VERSION << "\n";
            return 0;
        }
        const auto level = log::parse_level(args.log_level);
        if (!level)
            throw std::invalid_argument("--log-level: \"" + args.log_level +
                                        "\" is not debug, info, notice, warning or error");
        log::set_level(*level);
        cfg = load(args);
        if (args.check_config) {
            // The same validation as start-up; no hardware is opened.
            std::cout << "configuration OK: " << app::brokers_text(cfg.mqtt) << ", topic prefix "
                      << cfg.mqtt.topic_prefix << ", " << app::channel_counts(cfg) << ", "
                      << (cfg.board.kind == config::board_config::kind_t::sim ? "simulated"
                                                                              : "linux")
                      << " board\n";
            return 0;
        }
    } catch (const std::exception& e) {
        std::cerr << "piogate: " << e.what() << "\n";
        return exit_config;
    }
    try {
        app::board board(io, cfg.board);
        if (args.list_gpio) {
            if (app::list_gpio(board.gpio(), std::cout) == 0) {
                std::cerr << "piogate: no GPIO chips found (no /dev/gpiochip* on this machine)\n";
                return exit_runtime;
            }
            return 0;
        }
        if (!args.scan_i2c.empty()) {
            app::scan_i2c(*board.i2c(args.scan_i2c), std::cout);
            return 0;
        }
        if (args.scan_w1) {
            if (app::scan_w1(board.sysfs_root(), std::cout) < 0) {
                std::cerr << "piogate: no 1-Wire bus master in " << hw::w1_devices_dir
                          << " (load the w1-gpio overlay: dtoverlay=w1-gpio in config.txt)\n";
                return exit_runtime;
            }
            return 0;
        }
        log::set_sink(sys::default_sink());  // journal entries under systemd, lines on a terminal
        app::gateway gw(io, cfg, board);
        gw.start();
        log::logger("main").notice("started: " + app::brokers_text(cfg.mqtt) + ", topic prefix " +
                                   cfg.mqtt.topic_prefix);
        // systemd: READY=1 once config and hardware are up (not waiting for the broker), and
        // WATCHDOG=1 from this loop when the unit has a watchdog, so a stuck loop is restarted.
        sys::notifier notify;
        notify.ready();
        gw.on_status([&notify](const std::string& text) { notify.status(text); });
        std::optional<sys::watchdog_timer> watchdog;
        if (auto interval = sys::watchdog_interval()) {
            watchdog.emplace(io, *interval);
            watchdog->start();
        }
        // SIGHUP (systemctl reload): RELOADING=1, read and validate the file on the reload
        // worker, apply a valid config (on the loop) or keep this one, READY=1. A SIGHUP during
        // that waits in the set; one after SIGTERM is not applied.
        bool stopping = false;
        app::config_reloader reloader(io, [&args] { return load(args); });
        std::function<void()> wait_hangup = [&] {
            hangup.async_wait([&](const boost::system::error_code& ec, int) {
                if (ec) return;
                notify.reloading();
                reloader.start([&](app::loaded_config loaded) {
                    if (stopping) return;
                    apply_reload(std::move(loaded), cfg, gw);
                    notify.ready();
                    wait_hangup();
                });
            });
        };
        wait_hangup();
        // SIGTERM / SIGINT: failsafe outputs, "offline", DISCONNECT, exit 0 within 5 s.
        boost::asio::steady_timer deadline(io);
        signals.async_wait([&](const boost::system::error_code& ec, int) {
            if (ec) return;
            stopping = true;
            notify.stopping();
            hangup.cancel();
            gw.stop([&io] { io.stop(); });
            deadline.expires_after(std::chrono::seconds(5));
            deadline.async_wait([&io](const boost::system::error_code& e) {
                if (!e) io.stop();
            });
        });
        io.run();
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "piogate: " << e.what() << "\n";
        return exit_runtime;
    }
}
