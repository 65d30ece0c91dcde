// What the outage buffer's file costs per reading: push + hand + acknowledge through
// app::outage_buffer in memory (the reference), with the file (append, truncate on ack), and
// with an fdatasync after every reading; plus one fdatasync alone, which the gateway does at
// most once a second off the event loop.
//
//   bench_buffer_sync [--count N] [--dir DIR]    (DIR on the disk to measure; default .)
#include <unistd.h>
// SPDX-License-Identifier: Apache-2.0
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "app/outage_buffer.hpp"

using namespace piogate;
using clock_type = std::chrono::steady_clock;

namespace {

double run(const config::buffer_config& c, int count, bool sync_each, bool ack_each) {
    std::filesystem::remove(c.file);
    app::outage_buffer b(c);
    const app::buffered_message m{"gw/sensors/inside",
                                  R"({"temperature":21.4,"humidity":40.1,"pressure":1013.2,"ts":"2026-12-06T07:01:02.345Z"})",
                                  1, false};
    const auto t0 = clock_type::now();
    for (int i = 1; i <= count; ++i) {
        b.push(m);
        if (sync_each) {
            if (auto fd = b.take_sync_fd()) ::fdatasync(fd.get());
        }
        if (ack_each) {
            b.handed(1, i);
            b.acknowledged(1, i);
        }
    }
    return std::chrono::duration<double, std::micro>(clock_type::now() - t0).count() / count;
}

}  // namespace

int main(int argc, char** argv) {
    int count = 2000;
    std::string dir = ".";
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string k = argv[i];
        if (k == "--count") count = std::atoi(argv[i + 1]);
        if (k == "--dir") dir = argv[i + 1];
    }
    config::buffer_config memory;
    memory.max_messages = static_cast<std::size_t>(count) + 1;
    config::buffer_config disk = memory;
    disk.persist = true;
    disk.file = std::filesystem::absolute(dir + "/bench-buffer.jsonl").string();
    const double mem = run(memory, count, false, true);
    const double file = run(disk, count, false, true);
    const double outage = run(disk, count, false, false);
    const double synced = run(disk, count / 10, true, true);
    // One fdatasync of a file with a line appended: the gateway's once-a-second cost.
    double sync_alone = 0;
    {
        app::outage_buffer b(disk);
        const int n = count / 10;
        double total = 0;
        for (int i = 0; i < n; ++i) {
            b.push({"gw/s", "x", 1, false});
            auto fd = b.take_sync_fd();
            const auto t0 = clock_type::now();
            ::fdatasync(fd.get());
            total += std::chrono::duration<double, std::micro>(clock_type::now() - t0).count();
        }
        sync_alone = total / n;
    }
    std::filesystem::remove(disk.file);
    std::printf("| path (per reading) | µs | vs in memory |\n|---|---|---|\n");
    std::printf("| in memory: push, hand, ack (reference) | %.2f | 1.00× |\n", mem);
    std::printf("| file: append, hand, ack (truncate) | %.2f | %.1f× |\n", file, file / mem);
    std::printf("| file: append while the broker is away | %.2f | %.1f× |\n", outage, outage / mem);
    std::printf("| file + fdatasync after every reading | %.1f | %.0f× |\n", synced, synced / mem);
    std::printf("\none fdatasync: %.1f µs, done at most once a second on a worker: at 10 readings/s "
                "that is %.1f µs per reading, off the event loop\n",
                sync_alone, sync_alone / 10);
    return 0;
}
