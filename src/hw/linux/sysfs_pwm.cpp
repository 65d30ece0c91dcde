#include "hw/linux/sysfs_pwm.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <thread>

#include "util/unique_fd.hpp"

namespace piogate::hw {
namespace {

namespace fs = std::filesystem;

hw_errc code_for(int err) {
    return err == EINVAL ? hw_errc::out_of_range : classify_errno(err);
}

// One write(2) of `text`, as sysfs wants it; 0 or the errno.
int write_text(const fs::path& file, const std::string& text) {
    util::unique_fd fd(::open(file.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC));
    if (!fd) return errno;
    const ssize_t n = ::write(fd.get(), text.data(), text.size());
    if (n < 0) return errno;
    return n == static_cast<ssize_t>(text.size()) ? 0 : EIO;
}

// The file's content without trailing whitespace; the errno on failure.
int read_text(const fs::path& file, std::string& out) {
    util::unique_fd fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) return errno;
    char buf[64];
    const ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0) return errno;
    out.assign(buf, static_cast<std::size_t>(n));
    while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
    return 0;
}

bool parse_u64(const std::string& s, std::uint64_t& v) {
    const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    return ec == std::errc() && p == s.data() + s.size() && !s.empty();
}

class sysfs_pwm_output final : public pwm_output {
public:
    sysfs_pwm_output(fs::path chip_dir, pwm_address address, bool unexport)
        : chip_dir_(std::move(chip_dir)),
          dir_(chip_dir_ / ("pwm" + std::to_string(address.channel))),
          address_(address),
          name_(address.to_string()),
          unexport_(unexport) {}
    ~sysfs_pwm_output() override {
        if (unexport_) write_text(chip_dir_ / "unexport", std::to_string(address_.channel));
    }

    const std::string& name() const override { return name_; }

    util::result<pwm_state> read() override {
        pwm_state s;
        for (const char* attr : {"period", "duty_cycle", "enable"}) {
            std::uint64_t v = 0;
            if (auto r = read_number(attr, v); !r) return r.err();
            if (attr[0] == 'p') s.period_ns = v;
            if (attr[0] == 'd') s.duty_ns = v;
            if (attr[0] == 'e') s.enabled = v != 0;
        }
        std::string pol;
        if (int err = read_text(dir_ / "polarity", pol)) return read_error("polarity", err);
        if (pol != "normal" && pol != "inversed") return bad_content("polarity", pol);
        s.polarity = pol == "inversed" ? pwm_polarity::inversed : pwm_polarity::normal;
        return s;
    }

    util::result<void> write_period(std::uint64_t ns) override {
        return write("period", std::to_string(ns));
    }
    util::result<void> write_duty(std::uint64_t ns) override {
        return write("duty_cycle", std::to_string(ns));
    }
    util::result<void> write_polarity(pwm_polarity p) override {
        return write("polarity", to_string(p));
    }
    util::result<void> write_enable(bool on) override { return write("enable", on ? "1" : "0"); }

private:
    util::result<void> write(const char* attr, const std::string& text) {
        if (int err = write_text(dir_ / attr, text)) {
            return hw_fail(code_for(err),
                           name_ + ": write " + attr + " " + text + ": " + std::strerror(err));
        }
        return {};
    }
    util::result<void> read_number(const char* attr, std::uint64_t& v) {
        std::string text;
        if (int err = read_text(dir_ / attr, text)) return read_error(attr, err);
        if (!parse_u64(text, v)) return bad_content(attr, text);
        return {};
    }
    util::error read_error(const char* attr, int err) const {
        return hw_fail(classify_errno(err), name_ + ": read " + attr + ": " + std::strerror(err));
    }
    util::error bad_content(const char* attr, const std::string& text) const {
        return hw_fail(hw_errc::io_error, name_ + ": read " + attr + ": unexpected content \"" +
                                              text.substr(0, 32) + "\"");
    }

    fs::path chip_dir_;
    fs::path dir_;
    pwm_address address_;
    std::string name_;
    bool unexport_;
};

class sysfs_pwm final : public pwm_provider {
public:
    explicit sysfs_pwm(sysfs_pwm_options o) : o_(std::move(o)) {
        if (!o_.wait) o_.wait = [](std::chrono::milliseconds d) { std::this_thread::sleep_for(d); };
    }

    util::result<std::unique_ptr<pwm_output>> request(const pwm_address& a) override {
        const std::string name = a.to_string();
        const fs::path chip_dir = o_.root / ("pwmchip" + std::to_string(a.chip));
        std::error_code ec;
        if (!fs::is_directory(chip_dir, ec)) {
            return hw_fail(hw_errc::not_found, name + ": no " + chip_dir.string() + " (" + chips() +
                                                   "; on a Raspberry Pi enable the PWM with "
                                                   "dtoverlay=pwm or pwm-2chan)");
        }
        std::string npwm_text;
        std::uint64_t npwm = 0;
        if (read_text(chip_dir / "npwm", npwm_text) == 0 && parse_u64(npwm_text, npwm) &&
            a.channel >= npwm) {
            return hw_fail(hw_errc::not_found, name + ": pwmchip" + std::to_string(a.chip) +
                                                   " has " + std::to_string(npwm) +
                                                   " channels (0.." +
                                                   std::to_string(npwm ? npwm - 1 : 0) + ")");
        }
        const fs::path dir = chip_dir / ("pwm" + std::to_string(a.channel));
        bool exported_here = false;
        if (!fs::exists(dir, ec)) {
            if (int err = write_text(chip_dir / "export", std::to_string(a.channel))) {
                std::string hint;
                if (err == EACCES || err == EPERM)
                    hint = " (the gpio group may write it on Raspberry Pi OS)";
                if (err == EBUSY) hint = " (in use by a kernel driver or another program)";
                return hw_fail(classify_errno(err), name + ": write " +
                                                        (chip_dir / "export").string() + ": " +
                                                        std::strerror(err) + hint);
            }
            exported_here = true;
        }
        // Wait for the attribute files, and for udev to make them writable.
        int last = 0;
        for (int attempt = 0; attempt < o_.open_attempts; ++attempt) {
            if (attempt > 0) o_.wait(o_.retry_delay);
            last = writable(dir);
            if (last == 0) {
                return std::unique_ptr<pwm_output>(
                    std::make_unique<sysfs_pwm_output>(chip_dir, a, exported_here));
            }
        }
        if (exported_here) write_text(chip_dir / "unexport", std::to_string(a.channel));
        const auto waited = o_.retry_delay * (o_.open_attempts > 0 ? o_.open_attempts - 1 : 0);
        const bool denied = last == EACCES || last == EPERM;
        return hw_fail(denied ? hw_errc::permission : hw_errc::timeout,
                       name + ": " + dir.string() + " not " + (denied ? "writable" : "there") +
                           " after export (" + std::strerror(last) + ", waited " +
                           std::to_string(waited.count()) + " ms" +
                           (denied ? "; is piogate in the group udev gives it to?" : "") + ")");
    }

private:
    // 0 when pwmM's control files can be opened for writing, else the errno.
    static int writable(const fs::path& dir) {
        for (const char* attr : {"period", "duty_cycle", "polarity", "enable"}) {
            util::unique_fd fd(::open((dir / attr).c_str(), O_WRONLY | O_CLOEXEC));
            if (!fd) return errno;
        }
        return 0;
    }
    std::string chips() const {
        std::string have;
        std::error_code ec;
        for (fs::directory_iterator it(o_.root, ec), end; !ec && it != end; it.increment(ec)) {
            const auto n = it->path().filename().string();
            if (n.rfind("pwmchip", 0) == 0) have += (have.empty() ? "" : ", ") + n;
        }
        return have.empty() ? "no PWM chips there" : "there are " + have;
    }

    sysfs_pwm_options o_;
};

}  // namespace

std::unique_ptr<pwm_provider> make_sysfs_pwm(sysfs_pwm_options options) {
    return std::make_unique<sysfs_pwm>(std::move(options));
}

}  // namespace piogate::hw
