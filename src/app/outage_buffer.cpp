#include "app/outage_buffer.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace piogate::app {

namespace {

std::string line_of(const buffered_message& m) {
    nlohmann::json j{{"topic", m.topic}, {"payload", m.payload}, {"qos", m.qos}, {"retain", m.retain}};
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

bool write_all(int fd, const std::string& s) {
    std::size_t done = 0;
    while (done < s.size()) {
        const ssize_t n = ::write(fd, s.data() + done, s.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        done += static_cast<std::size_t>(n);
    }
    return true;
}

}  // namespace

outage_buffer::outage_buffer(const config::buffer_config& config)
    : config_(config), file_(config.file) {
    if (!config_.persist) return;
    std::error_code ec;
    std::filesystem::create_directories(std::filesystem::path(file_).parent_path(), ec);
    load();
    fd_.reset(::open(file_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600));
    if (!fd_) {
        throw std::runtime_error("buffer file " + file_ + ": cannot open: " + std::strerror(errno));
    }
    if (unreadable_ > 0 || dropped_total_ > 0) rewrite();  // drop bad lines and the excess now
}

void outage_buffer::load() {
    std::ifstream in(file_);
    if (!in) return;  // no file yet
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        auto j = nlohmann::json::parse(line, nullptr, false);
        if (j.is_discarded() || !j.is_object() || !j.contains("topic") || !j["topic"].is_string() ||
            !j.contains("payload") || !j["payload"].is_string()) {
            ++unreadable_;
            continue;
        }
        buffered_message m;
        m.topic = j["topic"].get<std::string>();
        m.payload = j["payload"].get<std::string>();
        m.qos = j.value("qos", 1);
        if (m.qos < 0 || m.qos > 2) m.qos = 1;
        m.retain = j.value("retain", false);
        queue_.push_back(std::move(m));
        ++loaded_;
        if (queue_.size() > config_.max_messages) {
            queue_.pop_front();
            ++dropped_total_;
        }
    }
}

std::string outage_buffer::append(const buffered_message& m) {
    if (!fd_) return {};
    dirty_ = true;
    if (!write_all(fd_.get(), line_of(m))) return "buffer file " + file_ + ": " + std::strerror(errno);
    return {};
}

void outage_buffer::rewrite() {
    if (!fd_) return;
    const std::string tmp = file_ + ".tmp";
    util::unique_fd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
    if (!fd) return;  // keep appending to the old file; it is only longer than needed
    std::string all;
    for (const auto& m : queue_) all += line_of(m);
    if (!write_all(fd.get(), all) || ::fdatasync(fd.get()) != 0 ||
        ::rename(tmp.c_str(), file_.c_str()) != 0) {
        ::unlink(tmp.c_str());
        return;
    }
    fd_ = std::move(fd);
    // O_APPEND is not needed: this descriptor is the only writer and sits at the end.
    stale_lines_ = 0;
    dirty_ = false;
}

outage_buffer::push_result outage_buffer::push(buffered_message m) {
    push_result r;
    if (queue_.size() >= config_.max_messages) {
        r.dropped = true;
        ++dropped_total_;
        if (!config_.drop_oldest) return r;  // the newest (this one) is dropped
        queue_.pop_front();
        ++stale_lines_;
    }
    r.write_error = append(m);
    queue_.push_back(std::move(m));
    compact_if_worth_it();
    return r;
}

void outage_buffer::pop_front() {
    queue_.pop_front();
    ++in_flight_lines_;
}

void outage_buffer::delivered() {
    stale_lines_ += in_flight_lines_;
    in_flight_lines_ = 0;
    if (!fd_ || stale_lines_ == 0) return;
    if (!queue_.empty()) {
        compact_if_worth_it();
        return;
    }
    if (::ftruncate(fd_.get(), 0) == 0) {
        ::lseek(fd_.get(), 0, SEEK_SET);
        stale_lines_ = 0;
        dirty_ = true;
    }
}

void outage_buffer::compact_if_worth_it() {
    // The rewritten file holds the queue only, so never while popped lines await their ack.
    if (fd_ && in_flight_lines_ == 0 && stale_lines_ >= 64 && stale_lines_ > queue_.size()) {
        rewrite();
    }
}

util::unique_fd outage_buffer::take_sync_fd() {
    if (!fd_ || !dirty_) return {};
    dirty_ = false;
    return util::unique_fd(::fcntl(fd_.get(), F_DUPFD_CLOEXEC, 0));
}

void outage_buffer::sync() {
    if (fd_ && dirty_) ::fdatasync(fd_.get());
    dirty_ = false;
}

}  // namespace piogate::app
