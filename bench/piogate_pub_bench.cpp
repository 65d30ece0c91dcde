// bench_pub_piogate: the same publisher as bench_pub_libmosquitto, on piogate::mqtt.
//
// Same CLI, same JSON line, same measurement (see mosquitto_pub_bench.c):
//  - default: async_client on an io_context driven by this thread (how the daemon runs it);
//  - --threaded: the Paho-style client with loop_start(); publish() is called from the main
//    thread and handed to the loop thread, exactly as bench_pub_libmosquitto --threaded does
//    it: QoS 1/2 keep at most --inflight messages unacknowledged (this thread sleeps on a
//    condition variable the loop thread's on_publish signals), QoS 0 has no window.
// Single thread: QoS 1/2 keep at most --inflight messages unacknowledged (the client's window
// is the same); QoS 0 stops handing over messages while 1000 are unwritten (memory stays flat).
#include <sys/resource.h>
// SPDX-License-Identifier: Apache-2.0
#include <boost/asio/io_context.hpp>
#include <boost/program_options.hpp>
#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <mutex>
#include <string>

#include "piogate/mqtt/async_client.hpp"
#include "piogate/mqtt/client.hpp"

namespace mqtt = piogate::mqtt;
namespace po = boost::program_options;
using clock_type = std::chrono::steady_clock;

namespace {

constexpr const char* topic = "piogate/bench/pub";
constexpr long qos0_window = 1000;

struct settings {
    std::string host = "127.0.0.1";
    int port = 1883;
    int qos = 0;
    long count = 100000;
    int size = 100;
    int inflight = 20;
    bool threaded = false;
};

[[noreturn]] void die(const std::string& what) {
    std::fprintf(stderr, "bench_pub_piogate: %s\n", what.c_str());
    std::exit(1);
}

long peak_rss_kib() {
    std::ifstream status("/proc/self/status");
    for (std::string line; std::getline(status, line);) {
        long kib = 0;
        if (std::sscanf(line.c_str(), "VmHWM: %ld kB", &kib) == 1) return kib;
    }
    return -1;
}

mqtt::client_options options(const settings& s, const char* id) {
    mqtt::client_options o;
    o.client_id = std::string(id) + "-" + std::to_string(::getpid());
    o.max_inflight = static_cast<std::uint16_t>(s.inflight);
    o.max_queued = 0;
    return o;
}

double run_single_thread(const settings& s, const std::string& payload) {
    boost::asio::io_context io;
    mqtt::async_client c(io, options(s, "bench-pub-piogate"));
    bool connected = false;
    long completed = 0;
    c.on_connect = [&](int rc, bool) {
        if (rc != 0) die("connection refused: " + mqtt::connack_string(rc));
        connected = true;
    };
    c.on_connect_fail = [&](std::error_code, std::string_view d) { die(std::string(d)); };
    c.on_disconnect = [&](std::error_code ec) {
        if (ec != mqtt::errc::disconnected_by_user) die("connection lost: " + ec.message());
    };
    c.on_publish = [&](int) { ++completed; };
    c.set_auto_reconnect(false);
    c.connect(s.host, static_cast<std::uint16_t>(s.port));
    while (!connected) io.run_one();
    const long window = s.qos == 0 ? qos0_window : s.inflight;
    long published = 0;
    const auto start = clock_type::now();
    while (completed < s.count) {
        while (published < s.count && published - completed < window) {
            c.publish(topic, payload, s.qos);
            ++published;
        }
        io.run_one();
        io.poll();
    }
    const double elapsed = std::chrono::duration<double>(clock_type::now() - start).count();
    c.disconnect();
    io.run_for(std::chrono::seconds(2));
    return elapsed;
}

double run_threaded(const settings& s, const std::string& payload) {
    mqtt::client c(options(s, "bench-pub-piogate-thread"));
    // As bench_pub_libmosquitto --threaded: the loop thread reports completions under our
    // lock and wakes this thread, which sleeps while the window is full.
    std::mutex mutex;
    std::condition_variable cv;
    long completed = 0;
    c.on_publish = [&](mqtt::client&, std::any&, int, mqtt::reason_code, const mqtt::properties&) {
        std::lock_guard lock(mutex);
        ++completed;
        cv.notify_one();
    };
    c.loop_start();
    try {
        c.connect(s.host, static_cast<std::uint16_t>(s.port));
    } catch (const mqtt::connect_error& e) {
        die(e.what());
    }
    const long window = s.qos == 0 ? s.count : s.inflight;  // QoS 0: no window, as libmosquitto
    long published = 0;
    const auto start = clock_type::now();
    std::unique_lock lock(mutex);
    while (completed < s.count) {
        long room = std::min(window - (published - completed), s.count - published);
        if (room > 0) {
            lock.unlock();  // publish outside our lock: the loop thread reports meanwhile
            for (long i = 0; i < room; ++i) {
                if (!c.publish(topic, payload, s.qos)) die("publish refused");
            }
            published += room;
            lock.lock();
            continue;
        }
        cv.wait_for(lock, std::chrono::milliseconds(100));
    }
    const double elapsed = std::chrono::duration<double>(clock_type::now() - start).count();
    lock.unlock();
    c.disconnect();
    c.loop_stop();
    return elapsed;
}

}  // namespace

int main(int argc, char** argv) {
    settings s;
    po::options_description desc("bench_pub_piogate options");
    desc.add_options()("help", "this text")("host", po::value(&s.host), "broker host")(
        "port", po::value(&s.port), "broker port")("qos", po::value(&s.qos), "0, 1 or 2")(
        "count", po::value(&s.count), "messages")("size", po::value(&s.size), "payload bytes")(
        "inflight", po::value(&s.inflight), "QoS 1/2 window")(
        "threaded", po::bool_switch(&s.threaded), "Paho-style client with loop_start()");
    po::variables_map vm;
    try {
        po::store(po::parse_command_line(argc, argv, desc), vm);
        po::notify(vm);
    } catch (const std::exception& e) {
        die(e.what());
    }
    if (vm.count("help")) {
        std::cout << desc;
        return 0;
    }
    if (s.qos < 0 || s.qos > 2 || s.count <= 0 || s.size < 0 || s.inflight < 1) die("bad arguments");
    const std::string payload(static_cast<std::size_t>(s.size), 'x');
    const double seconds = s.threaded ? run_threaded(s, payload) : run_single_thread(s, payload);

    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    const double user = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6;
    const double sys = ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
    std::printf(
        "{\"impl\":\"%s\",\"qos\":%d,\"count\":%ld,\"size\":%d,\"seconds\":%.6f,\"rate\":%.1f,"
        "\"cpu_user_s\":%.6f,\"cpu_sys_s\":%.6f,\"cpu_us_per_msg\":%.3f,\"maxrss_kib\":%ld}\n",
        s.threaded ? "piogate-thread" : "piogate", s.qos, s.count, s.size, seconds,
        static_cast<double>(s.count) / seconds, user, sys, (user + sys) * 1e6 / s.count,
        peak_rss_kib());
    return 0;
}
