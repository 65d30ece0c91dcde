#include "app/state_file_writer.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <mutex>

namespace piogate::app {

struct state_file_writer::slot {
    mutable std::mutex m;
    // Guarded by m (the worker takes the content, the loop saves it):
    std::optional<std::string> pending;  // saved, not taken by the worker yet
    std::optional<std::string> writing;  // taken, being written
    std::optional<std::string> failed;   // the last write of this failed
    write_fn write;                      // for `pending`
    bool queued = false;                 // a job that will take `pending` is on the worker
    // The loop thread's only:
    report_fn report;
};

namespace {
struct written {  // what a write job hands back to the loop
    util::result<void> result;
    bool was_failing;  // the write before it had failed
};
}  // namespace

state_file_writer::state_file_writer(boost::asio::io_context& loop) : loop_(loop) {}

state_file_writer::~state_file_writer() = default;

void state_file_writer::save(const std::string& path, std::string text, write_fn write,
                             report_fn report) {
    auto& s = slots_[path];
    if (!s) s = std::make_shared<slot>();
    s->report = std::move(report);
    {
        std::lock_guard lock(s->m);
        s->pending = std::move(text);
        s->write = std::move(write);
        if (s->queued) return;  // the job already on its way takes this newer content
        s->queued = true;
    }
    if (!worker_) {
        worker_ = std::make_unique<hw::i2c_worker>(loop_, "state-files",
                                                   hw::i2c_worker::at_destruction::finish_queued);
    }
    worker_->submit(
        [s]() -> std::optional<written> {
            write_fn write;
            std::string text;
            {
                std::lock_guard lock(s->m);
                s->queued = false;
                if (!s->pending) return std::nullopt;
                s->writing = std::move(s->pending);
                s->pending.reset();
                text = *s->writing;
                write = s->write;
            }
            auto r = write(text);
            std::lock_guard lock(s->m);
            const bool was_failing = s->failed.has_value();
            // A failed content stays unwritten (a reload's restore takes it, not the older
            // file); a write that worked makes every older content moot.
            if (r) {
                s->failed.reset();
            } else {
                s->failed = std::move(s->writing);
            }
            s->writing.reset();
            return written{std::move(r), was_failing};
        },
        [s](std::optional<written> w) {
            if (w && s->report) s->report(w->result, w->was_failing);
        });
}

std::optional<std::string> state_file_writer::unwritten(const std::string& path) const {
    auto it = slots_.find(path);
    if (it == slots_.end()) return std::nullopt;
    std::lock_guard lock(it->second->m);
    const slot& s = *it->second;
    return s.pending ? s.pending : s.writing ? s.writing : s.failed;
}

bool state_file_writer::failing(const std::string& path) const {
    auto it = slots_.find(path);
    if (it == slots_.end()) return false;
    std::lock_guard lock(it->second->m);
    return it->second->failed.has_value();
}

}  // namespace piogate::app
