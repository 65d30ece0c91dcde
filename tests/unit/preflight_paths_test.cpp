#include "app/preflight_paths.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

namespace {

using piogate::app::state_path_problem;

class preflight_paths : public ::testing::Test {
protected:
    void SetUp() override {
        char tmpl[] = "/tmp/piogate-preflight-paths-XXXXXX";
        ASSERT_NE(::mkdtemp(tmpl), nullptr);
        dir_ = tmpl;
    }
    void TearDown() override {
        ::chmod(dir_.c_str(), 0700);
        std::filesystem::remove_all(dir_);
    }
    std::string dir_;
};

TEST_F(preflight_paths, a_file_in_a_writable_directory_passes) {
    EXPECT_EQ(state_path_problem(dir_ + "/buffer.jsonl", "/var/lib/piogate"), std::nullopt);
}

TEST_F(preflight_paths, a_missing_directory_is_named_with_the_unit_hint) {
    const auto file = dir_ + "/missing/buffer.jsonl";
    const auto p = state_path_problem(file, "/var/lib/piogate");
    ASSERT_TRUE(p);
    EXPECT_EQ(*p, "cannot write \"" + file + "\": its directory " + dir_ +
                      "/missing does not exist; the packaged unit allows writes only under "
                      "/var/lib/piogate; add ReadWritePaths=" +
                      dir_ + "/missing in a drop-in (systemctl edit piogate)");
}

TEST_F(preflight_paths, a_missing_directory_under_var_lib_piogate_has_no_unit_hint) {
    const auto p = state_path_problem("/var/lib/piogate/no/such/dir/c.json", "/var/lib/piogate");
    ASSERT_TRUE(p);
    EXPECT_NE(p->find("its directory /var/lib/piogate/no/such/dir does not exist"),
              std::string::npos)
        << *p;
    EXPECT_EQ(p->find("ReadWritePaths"), std::string::npos) << *p;
}

// The outage buffer creates its directory: a missing one passes when it can be made.
TEST_F(preflight_paths, a_directory_the_writer_creates_may_be_missing) {
    EXPECT_EQ(state_path_problem(dir_ + "/a/b/buffer.jsonl", "/var/lib/piogate", true),
              std::nullopt);
    const auto plain = dir_ + "/plain";
    ASSERT_EQ(::close(::creat(plain.c_str(), 0600)), 0);
    EXPECT_TRUE(state_path_problem(plain + "/a/buffer.jsonl", "/var/lib/piogate", true));
}

// systemd's StateDirectory= creates the state directory at start: its absence is no error.
TEST_F(preflight_paths, the_state_directory_may_be_missing) {
    const auto state = dir_ + "/state";
    EXPECT_EQ(state_path_problem(state + "/counter-power.json", state), std::nullopt);
}

TEST_F(preflight_paths, a_directory_without_write_permission_is_refused) {
    if (::geteuid() == 0) GTEST_SKIP() << "root may write any directory on a writable file system";
    ASSERT_EQ(::chmod(dir_.c_str(), 0500), 0);
    const auto p = state_path_problem(dir_ + "/c.json", "/var/lib/piogate");
    ASSERT_TRUE(p);
    EXPECT_NE(p->find("is not writable (Permission denied)"), std::string::npos) << *p;
}

TEST_F(preflight_paths, a_regular_file_as_directory_is_refused) {
    const auto file = dir_ + "/plain";
    ASSERT_EQ(::close(::creat(file.c_str(), 0600)), 0);
    const auto p = state_path_problem(file + "/c.json", "/var/lib/piogate");
    ASSERT_TRUE(p);
    EXPECT_NE(p->find("/plain is not a directory"), std::string::npos) << *p;
}

}  // namespace
