// Every reading the gateway makes until the broker has acknowledged it: the one owner of
// unacknowledged readings. A reading is pushed when it is made, handed to an MQTT client
// (`handed`), and leaves only when that client reports it acknowledged (PUBACK / PUBCOMP; for
// QoS 0, written to the socket). A client that goes away (reload) hands its unacknowledged
// readings back (`released`): they wait again and go out through the next client.
//
// Bounded: at most `max_messages` readings wait (not yet handed); beyond that the oldest or
// the newest is dropped (`when_full`). At most a window of readings is handed at a time (the
// gateway's choice), so the bound on memory is max_messages + window.
//
// With `persist`, each reading is appended to the buffer file (buffer_file.hpp) when it is
// pushed, so a SIGKILL loses nothing: after a restart everything unacknowledged is read back
// and sent again (at least once: a crash between the broker's ack and the file's update may
// repeat a few). The file is truncated to its header once everything is acknowledged and
// rewritten when stale lines make up most of it. Data reaches the disk with the next
// fdatasync (the gateway's, at most once a second, on a worker): a power cut can lose the
// readings made since the last one.
//
// A rewrite writes the live readings to `<file>.tmp`, fdatasyncs it and renames it over the
// file. With a syncer (`sync_off_loop`), that fdatasync runs off the loop thread: until the
// syncer reports it done, readings are appended to both files (the old one stays complete),
// and the rename happens on the loop thread when it reports success (on failure the tmp file
// is removed and the old file kept). Without one (tests, the read-back at construction) it is
// done at once, on the calling thread.
//
// Errors: the constructor throws config::config_error when the file exists and is not a
// piogate buffer file (it is never used or truncated), std::runtime_error when it cannot be
// opened or created. At run time write errors are reported by `push` (the reading is still
// kept in memory) and nothing throws.
// Thread: the event loop's.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "app/buffer_file.hpp"
#include "config/buffer_config.hpp"
#include "util/unique_fd.hpp"

namespace piogate::app {

class outage_buffer {
public:
    // Runs fdatasync(fd) off the loop thread (then closes fd) and calls done(succeeded) on the
    // loop thread; `done` does nothing once this buffer is gone.
    using sync_fn = std::function<void(util::unique_fd fd, std::function<void(bool)> done)>;

    // `syncer`, when given, syncs every rewrite off the loop, the read-back's at construction
    // included (else those fdatasync on the calling thread).
    explicit outage_buffer(const config::buffer_config& config, sync_fn syncer = {});
    ~outage_buffer();  // removes the tmp file of a rewrite whose sync has not finished
    outage_buffer(const outage_buffer&) = delete;
    outage_buffer& operator=(const outage_buffer&) = delete;

    struct push_result {
        bool dropped = false;     // the bound was hit: one reading (oldest or this one) dropped
        std::string write_error;  // non-empty: the file could not be written
    };
    push_result push(buffered_message m);

    // Readings not handed to any client yet, oldest first.
    std::size_t waiting() const { return waiting_; }
    const buffered_message& next_waiting() const;  // precondition: waiting() > 0
    // The reading next_waiting() returned was handed to client `owner` (non-zero) as `mid`.
    void handed(std::uint64_t owner, int mid);
    std::size_t handed_to(std::uint64_t owner) const;
    // Client `owner` reports `mid` acknowledged: the reading leaves the buffer (and the file).
    // Unknown mids (not readings) are ignored.
    void acknowledged(std::uint64_t owner, int mid);
    // Client `owner` is gone: its unacknowledged readings wait again, in their place.
    void released(std::uint64_t owner);

    // Everything unacknowledged, in order, handed state included (for a buffer that replaces
    // this one on reload), and then forget it all (the file keeps only its header).
    struct entry {
        buffered_message message;
        std::uint64_t owner = 0;
        int mid = 0;
    };
    std::vector<entry> take_all();
    // Entries of a previous buffer: appended after what this one read back.
    void adopt(std::vector<entry> entries);

    std::size_t size() const { return live_; }  // unacknowledged: waiting + handed
    bool empty() const { return live_ == 0; }

    bool needs_sync() const { return dirty_; }
    void sync();  // fdatasync now, on this thread (shutdown)
    // For a sync off the loop thread: a duplicate of the file's descriptor when something was
    // written since the last sync and some reading is unacknowledged (the caller fdatasyncs
    // and closes it), else an empty one.
    util::unique_fd take_sync_fd();

    // Rewrites from now on have their fdatasync done by `syncer` (see the top).
    void sync_off_loop(sync_fn syncer) { syncer_ = std::move(syncer); }
    bool rewrite_pending() const { return static_cast<bool>(pending_fd_); }

    std::size_t dropped_total() const { return dropped_total_; }
    std::size_t loaded() const { return loaded_; }          // read back from the file at start
    std::size_t unreadable() const { return unreadable_; }  // lines skipped at start
    const std::string& first_unreadable() const { return first_unreadable_; }  // "line N: why"
    const std::string& file() const { return file_; }
    bool persistent() const { return static_cast<bool>(fd_); }
    std::size_t file_lines() const { return file_lines_; }  // records in the file (no header)

private:
    struct slot {
        buffered_message message;
        std::uint64_t owner = 0;  // 0: waiting
        int mid = 0;
        bool acked = false;
    };
    static std::uint64_t key(std::uint64_t owner, int mid) {
        return (owner << 32) | static_cast<std::uint32_t>(mid);
    }
    void load();
    std::string append(const buffered_message& m);
    void rewrite();
    util::unique_fd write_tmp();  // header + live readings, not synced; empty on failure
    bool install_tmp(util::unique_fd fd, std::size_t lines);  // rename over the file
    void rewrite_synced(bool ok);
    void abandon_rewrite();
    void settle();  // pops acknowledged slots from the front, truncates or compacts the file
    void drop_oldest_waiting();

    config::buffer_config config_;
    std::string file_;
    std::deque<slot> slots_;
    std::uint64_t front_seq_ = 0;                              // sequence number of slots_.front()
    std::unordered_map<std::uint64_t, std::uint64_t> handed_;  // key(owner, mid) -> sequence
    std::unordered_map<std::uint64_t, std::size_t> handed_count_;  // owner -> count
    std::size_t waiting_ = 0;
    std::size_t live_ = 0;
    mutable std::size_t scan_from_ = 0;  // no waiting slot before this index (a search hint)
    util::unique_fd fd_;
    std::size_t header_bytes_ = 0;
    std::size_t file_lines_ = 0;
    bool dirty_ = false;
    sync_fn syncer_;
    util::unique_fd pending_fd_;  // the tmp file of a rewrite waiting for its sync
    std::size_t pending_lines_ = 0;
    bool pending_unsynced_ = false;  // appended to the tmp file after its sync began
    // Alive while a rewrite's sync is pending for this buffer: its completion holds a weak_ptr.
    std::shared_ptr<bool> rewrite_token_;
    std::size_t dropped_total_ = 0;
    std::size_t loaded_ = 0;
    std::size_t unreadable_ = 0;
    std::string first_unreadable_;
};

}  // namespace piogate::app
