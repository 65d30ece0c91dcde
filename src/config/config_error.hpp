// The one exception type of configuration loading: names the file, the JSON path and what is
// wrong. Thrown only at start-up (and on reload, where the caller keeps the running config).
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <stdexcept>
#include <string>
#include <vector>

namespace piogate::config {

class config_error : public std::runtime_error {
public:
    // `path` is a JSON pointer ("/sensors/2/address"); empty for whole-file problems.
    config_error(std::string path, const std::string& message)
        : std::runtime_error(path.empty() ? message : path + ": " + message), path_(std::move(path)) {}
    const std::string& path() const { return path_; }
    // The same error, its message prefixed with the file it came from.
    static config_error in_file(const std::string& file, const config_error& e) {
        return config_error(e.path_, file + ": " + e.what(), raw_tag{});
    }

private:
    struct raw_tag {};
    config_error(std::string path, const std::string& message, raw_tag)
        : std::runtime_error(message), path_(std::move(path)) {}
    std::string path_;
};

// The closest of `candidates` to `word` when it is plausibly a typo of it, else "".
std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace piogate::config
