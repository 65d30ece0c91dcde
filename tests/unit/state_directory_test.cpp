#include "config/state_directory.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include <cstdlib>
#include <optional>
#include <string>

namespace {

// Sets STATE_DIRECTORY for one test and puts the old value back.
class state_directory_env : public ::testing::Test {
protected:
    void SetUp() override {
        if (const char* v = std::getenv("STATE_DIRECTORY")) saved_ = v;
    }
    void TearDown() override {
        if (saved_) {
            setenv("STATE_DIRECTORY", saved_->c_str(), 1);
        } else {
            unsetenv("STATE_DIRECTORY");
        }
    }
    std::optional<std::string> saved_;
};

TEST_F(state_directory_env, follows_systemd_first_entry_else_var_lib) {
    using piogate::config::state_directory;
    using piogate::config::state_file_path;
    const struct {
        const char* env;  // nullptr: unset
        const char* want;
    } rows[] = {
        {nullptr, "/var/lib/piogate"},
        {"", "/var/lib/piogate"},
        {"/var/lib/piogate", "/var/lib/piogate"},
        {"/srv/state/", "/srv/state"},
        {"/var/lib/piogate:/var/lib/other", "/var/lib/piogate"},
        {"/", "/"},
    };
    for (const auto& row : rows) {
        if (row.env) {
            setenv("STATE_DIRECTORY", row.env, 1);
        } else {
            unsetenv("STATE_DIRECTORY");
        }
        EXPECT_EQ(state_directory(), row.want) << (row.env ? row.env : "(unset)");
    }
    setenv("STATE_DIRECTORY", "/srv/state", 1);
    EXPECT_EQ(state_file_path("counter-water.json"), "/srv/state/counter-water.json");
}

}  // namespace
