// A state directory for component tests: a fresh temporary directory, made the gateway's
// STATE_DIRECTORY (actuator state files are found there) while it lives, removed with what
// is in it at the end. take() observes state-file writes one by one: it returns the content
// of a file written since the last take() and removes it, so that each write is seen once.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

namespace piogate::component {

struct state_dir {
    state_dir() {
        char tmpl[] = "/tmp/piogate-component-XXXXXX";
        if (::mkdtemp(tmpl) == nullptr) ADD_FAILURE() << "mkdtemp failed";
        path = tmpl;
        ::setenv("STATE_DIRECTORY", path.c_str(), 1);
    }
    ~state_dir() {
        ::unsetenv("STATE_DIRECTORY");
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
    state_dir(const state_dir&) = delete;
    state_dir& operator=(const state_dir&) = delete;

    // The content of `file` (a path in this directory) if it was written, removing it.
    std::optional<std::string> take(const std::string& file) const {
        std::ifstream in(file);
        if (!in) return std::nullopt;
        std::ostringstream text;
        text << in.rdbuf();
        in.close();
        std::filesystem::remove(file);
        return text.str();
    }

    std::string path;
};

}  // namespace piogate::component
