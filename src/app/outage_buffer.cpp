#include "app/outage_buffer.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>

namespace piogate::app {

namespace {

using util::write_all;

// Stale lines tolerated in the file before it is rewritten (and at least as many as live ones).
constexpr std::size_t compact_after = 64;

}  // namespace

outage_buffer::outage_buffer(const config::buffer_config& config, sync_fn syncer)
    : config_(config), file_(config.file), syncer_(std::move(syncer)) {
    if (!config_.persist) return;
    check_buffer_file(file_);  // never use, and so never truncate, a file that is not ours
    const auto kind = identify_buffer_file(file_).kind;
    std::error_code ec;
    std::filesystem::create_directories(std::filesystem::path(file_).parent_path(), ec);
    if (kind != buffer_file_kind::kind_t::absent) load();
    fd_.reset(::open(file_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600));
    if (!fd_) {
        throw std::runtime_error("buffer file " + file_ + ": cannot open: " + std::strerror(errno));
    }
    const std::string header = buffer_header_line();
    header_bytes_ = header.size();
    if (kind == buffer_file_kind::kind_t::absent) {
        if (::ftruncate(fd_.get(), 0) != 0 || !write_all(fd_.get(), header)) {
            throw std::runtime_error("buffer file " + file_ +
                                     ": cannot write: " + std::strerror(errno));
        }
        dirty_ = true;
        return;
    }
    // Read back: write it anew with our header, without bad lines and the excess.
    rewrite();
}

void outage_buffer::load() {
    for_each_buffer_line(file_, [this](std::size_t number, std::optional<std::string_view> line) {
        std::string error;
        if (!line) {
            error = "longer than " + std::to_string(max_line_bytes) + " bytes";
        } else if (auto r = decode_buffer_record(*line); r.message) {
            slots_.push_back(slot{std::move(*r.message)});
            ++waiting_;
            ++live_;
            ++loaded_;
            if (waiting_ > config_.max_messages) {
                slots_.pop_front();
                --waiting_;
                --live_;
                ++dropped_total_;
            }
            return;
        } else {
            error = r.error;
        }
        if (unreadable_++ == 0) first_unreadable_ = "line " + std::to_string(number) + ": " + error;
    });
}

std::string outage_buffer::append(const buffered_message& m) {
    if (!fd_) return {};
    dirty_ = true;
    const std::string record = encode_buffer_record(m);
    if (!write_all(fd_.get(), record)) {
        return "buffer file " + file_ + ": " + std::strerror(errno);
    }
    ++file_lines_;
    if (pending_fd_) {
        if (write_all(pending_fd_.get(), record)) {
            ++pending_lines_;
            pending_unsynced_ = true;
        } else {
            abandon_rewrite();  // the old file is complete: keep it
        }
    }
    return {};
}

outage_buffer::~outage_buffer() {
    abandon_rewrite();
}

util::unique_fd outage_buffer::write_tmp() {
    const std::string tmp = file_ + ".tmp";
    util::unique_fd fd(
        ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0600));
    if (!fd) return {};  // keep appending to the old file; it is only longer than needed
    std::string all = buffer_header_line();
    for (const auto& s : slots_) {
        if (!s.acked) all += encode_buffer_record(s.message);
    }
    if (!write_all(fd.get(), all)) {
        ::unlink(tmp.c_str());
        return {};
    }
    return fd;
}

bool outage_buffer::install_tmp(util::unique_fd fd, std::size_t lines) {
    const std::string tmp = file_ + ".tmp";
    if (::rename(tmp.c_str(), file_.c_str()) != 0) {
        ::unlink(tmp.c_str());
        return false;
    }
    fd_ = std::move(fd);
    file_lines_ = lines;
    return true;
}

void outage_buffer::rewrite() {
    if (!fd_ || pending_fd_) return;
    util::unique_fd fd = write_tmp();
    if (!fd) return;
    if (!syncer_) {
        if (::fdatasync(fd.get()) != 0) {
            ::unlink((file_ + ".tmp").c_str());
            return;
        }
        if (install_tmp(std::move(fd), live_)) dirty_ = false;
        return;
    }
    util::unique_fd dup(::fcntl(fd.get(), F_DUPFD_CLOEXEC, 0));
    if (!dup) {
        ::unlink((file_ + ".tmp").c_str());
        return;
    }
    pending_fd_ = std::move(fd);
    pending_lines_ = live_;
    pending_unsynced_ = false;
    // One guard for the completion: this rewrite's token, dropped when the rewrite is
    // abandoned or the buffer destroyed.
    rewrite_token_ = std::make_shared<bool>(true);
    std::weak_ptr<bool> token = rewrite_token_;
    syncer_(std::move(dup), [this, token](bool ok) {
        if (token.expired()) return;
        rewrite_synced(ok);
    });
}

void outage_buffer::rewrite_synced(bool ok) {
    if (!pending_fd_) return;
    const std::size_t lines = pending_lines_;
    util::unique_fd fd = std::move(pending_fd_);
    rewrite_token_.reset();
    if (!ok) {
        ::unlink((file_ + ".tmp").c_str());
        return;
    }
    // Readings appended since the sync began are in the tmp file but not synced yet.
    if (install_tmp(std::move(fd), lines)) dirty_ = pending_unsynced_;
}

void outage_buffer::abandon_rewrite() {
    if (!pending_fd_) return;
    pending_fd_.reset();
    rewrite_token_.reset();
    ::unlink((file_ + ".tmp").c_str());
}

void outage_buffer::drop_oldest_waiting() {
    (void)next_waiting();  // moves scan_from_ to it
    slot& s = slots_[scan_from_];
    s.acked = true;  // dead: popped when it reaches the front, never written again
    s.message = {};
    --waiting_;
    --live_;
}

outage_buffer::push_result outage_buffer::push(buffered_message m) {
    push_result r;
    if (waiting_ >= config_.max_messages) {
        r.dropped = true;
        ++dropped_total_;
        if (!config_.drop_oldest) return r;  // the newest (this one) is dropped
        drop_oldest_waiting();
    }
    r.write_error = append(m);
    slots_.push_back(slot{std::move(m)});
    ++waiting_;
    ++live_;
    settle();
    return r;
}

const buffered_message& outage_buffer::next_waiting() const {
    while (scan_from_ < slots_.size() &&
           (slots_[scan_from_].owner != 0 || slots_[scan_from_].acked)) {
        ++scan_from_;
    }
    return slots_[scan_from_].message;
}

void outage_buffer::handed(std::uint64_t owner, int mid) {
    (void)next_waiting();
    slot& s = slots_[scan_from_];
    s.owner = owner;
    s.mid = mid;
    --waiting_;
    handed_[key(owner, mid)] = front_seq_ + scan_from_;
    ++handed_count_[owner];
}

std::size_t outage_buffer::handed_to(std::uint64_t owner) const {
    auto it = handed_count_.find(owner);
    return it == handed_count_.end() ? 0 : it->second;
}

void outage_buffer::acknowledged(std::uint64_t owner, int mid) {
    auto it = handed_.find(key(owner, mid));
    if (it == handed_.end()) return;
    slot& s = slots_[it->second - front_seq_];
    handed_.erase(it);
    s.acked = true;
    s.message = {};
    --live_;
    if (--handed_count_[owner] == 0) handed_count_.erase(owner);
    settle();
}

void outage_buffer::released(std::uint64_t owner) {
    if (handed_count_.erase(owner) == 0) return;
    for (std::size_t i = 0; i < slots_.size(); ++i) {
        slot& s = slots_[i];
        if (s.owner != owner) continue;
        if (!s.acked) {
            handed_.erase(key(owner, s.mid));
            ++waiting_;
            scan_from_ = std::min(scan_from_, i);
        }
        s.owner = 0;
        s.mid = 0;
    }
}

void outage_buffer::settle() {
    while (!slots_.empty() && slots_.front().acked) {
        slots_.pop_front();
        ++front_seq_;
        if (scan_from_ > 0) --scan_from_;
    }
    if (live_ == 0) {
        abandon_rewrite();  // nothing to keep: truncating the file is cheaper
        if (fd_ && file_lines_ > 0 &&
            ::ftruncate(fd_.get(), static_cast<off_t>(header_bytes_)) == 0) {
            file_lines_ = 0;
            dirty_ = true;
        }
        return;
    }
    const std::size_t stale = file_lines_ > live_ ? file_lines_ - live_ : 0;
    if (fd_ && stale >= compact_after && stale > live_) rewrite();
    // Dead slots stuck behind an unacknowledged one (drops during a long outage): renumber.
    if (slots_.size() > 2 * live_ + compact_after) {
        std::deque<slot> kept;
        handed_.clear();
        for (auto& s : slots_) {
            if (s.acked) continue;
            if (s.owner != 0) handed_[key(s.owner, s.mid)] = front_seq_ + kept.size();
            kept.push_back(std::move(s));
        }
        slots_ = std::move(kept);
        scan_from_ = 0;
    }
}

std::vector<outage_buffer::entry> outage_buffer::take_all() {
    std::vector<entry> out;
    for (auto& s : slots_) {
        if (!s.acked) out.push_back({std::move(s.message), s.owner, s.mid});
    }
    slots_.clear();
    handed_.clear();
    handed_count_.clear();
    front_seq_ = 0;
    scan_from_ = 0;
    waiting_ = 0;
    live_ = 0;
    settle();  // truncates the file to its header
    return out;
}

void outage_buffer::adopt(std::vector<entry> entries) {
    for (auto& e : entries) {
        if (e.owner == 0) {
            push(std::move(e.message));
            continue;
        }
        append(e.message);
        handed_[key(e.owner, e.mid)] = front_seq_ + slots_.size();
        ++handed_count_[e.owner];
        slots_.push_back(slot{std::move(e.message), e.owner, e.mid});
        ++live_;
    }
}

util::unique_fd outage_buffer::take_sync_fd() {
    if (!fd_ || !dirty_) return {};
    dirty_ = false;
    // Everything acknowledged: nothing on disk needs to survive a power cut (at worst it brings
    // back lines already delivered, sent again). So a healthy link, where each reading is
    // appended and acknowledged within milliseconds, costs no sync and no SD-card wear.
    if (live_ == 0) return {};
    return util::unique_fd(::fcntl(fd_.get(), F_DUPFD_CLOEXEC, 0));
}

void outage_buffer::sync() {
    if (fd_ && dirty_) ::fdatasync(fd_.get());
    dirty_ = false;
}

}  // namespace piogate::app
