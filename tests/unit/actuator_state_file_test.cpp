#include "app/actuator_state_file.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "config/config_error.hpp"

using namespace piogate;
using kind_t = app::actuator_state_file::kind_t;

TEST(actuator_state_file, decode_table) {
    struct row {
        std::string content;
        kind_t kind;
        bool state;
        const char* reason_has;
    };
    const std::string on = app::encode_actuator_state("pump", true);
    const std::vector<row> rows{
        {on, kind_t::own, true, ""},
        {app::encode_actuator_state("pump", false), kind_t::own, false, ""},
        {"", kind_t::corrupted, false, "is empty"},
        {"  \n", kind_t::corrupted, false, "is empty"},
        {on.substr(0, 10), kind_t::corrupted, false, "cut short"},
        {on.substr(0, on.size() - 3), kind_t::corrupted, false, "cut short"},
        {R"({"piogate":"actuator","version":1,"id":"pump","state":"on"})", kind_t::corrupted, false,
         "\"state\""},
        {R"({"piogate":"actuator","version":1,"id":"pump"})", kind_t::corrupted, false,
         "\"state\""},
        {R"({"piogate":"actuator","version":2,"id":"pump","state":"ON"})", kind_t::foreign, false,
         "version"},
        {R"({"piogate":"actuator","version":1,"id":"fan","state":"ON"})", kind_t::foreign, false,
         "belongs to actuator \"fan\", not \"pump\""},
        {R"({"piogate":"counter","version":1,"id":"pump","count":3})", kind_t::foreign, false,
         "not a piogate actuator"},
        {"root:x:0:0:root:/root:/bin/bash\n", kind_t::foreign, false, "not JSON"},
        {"[1,2]", kind_t::foreign, false, "not a piogate actuator"},
    };
    for (const auto& r : rows) {
        SCOPED_TRACE(r.content);
        auto f = app::decode_actuator_state(r.content, "pump");
        EXPECT_EQ(f.kind, r.kind) << f.reason;
        EXPECT_EQ(f.state, r.state);
        EXPECT_NE(f.reason.find(r.reason_has), std::string::npos) << f.reason;
    }
    // Every prefix of our own file is ours, damaged: never foreign (never left un-overwritable).
    for (std::size_t n = 0; n < on.size() - 1; ++n) {
        SCOPED_TRACE(on.substr(0, n));
        EXPECT_EQ(app::decode_actuator_state(on.substr(0, n), "pump").kind, kind_t::corrupted);
    }
}

namespace {

struct state_dir : ::testing::Test {
    std::string dir;
    void SetUp() override {
        char tmpl[] = "/tmp/piogate-actuator-state-XXXXXX";
        dir = ::mkdtemp(tmpl);
        ::setenv("STATE_DIRECTORY", (dir + ":/elsewhere").c_str(), 1);
    }
    void TearDown() override {
        ::unsetenv("STATE_DIRECTORY");
        std::error_code ec;
        std::filesystem::remove_all(dir, ec);  // best effort: a temporary directory
    }
    void write(const std::string& name, const std::string& text) {
        std::ofstream(dir + "/" + name) << text;
    }
};

}  // namespace

TEST_F(state_dir, path_write_read_and_foreign_files) {
    const auto path = app::default_actuator_state_path("pump");
    EXPECT_EQ(path, dir + "/actuator-pump.json");  // the first of systemd's directories
    EXPECT_EQ(app::read_actuator_state(path, "pump").kind, kind_t::absent);
    ASSERT_TRUE(app::write_actuator_state(path, "pump", true));
    auto f = app::read_actuator_state(path, "pump");
    EXPECT_EQ(f.kind, kind_t::own);
    EXPECT_TRUE(f.state);
    ASSERT_TRUE(app::write_actuator_state(path, "pump", false));
    EXPECT_FALSE(app::read_actuator_state(path, "pump").state);
    EXPECT_NE(::access((path + ".tmp").c_str(), F_OK), 0);  // no temporary left behind

    config::actuator_config a;
    a.id = "pump";
    a.path = "/actuators/0";
    a.restore = true;
    EXPECT_NO_THROW(app::check_actuator_state_files({a}));
    write("actuator-pump.json", "precious data\n");
    EXPECT_EQ(app::read_actuator_state(path, "pump").kind, kind_t::foreign);
    try {
        app::check_actuator_state_files({a});
        ADD_FAILURE() << "accepted a foreign file";
    } catch (const config::config_error& e) {
        EXPECT_EQ(e.path(), "/actuators/0/initial");
        EXPECT_NE(std::string(e.what()).find(path + "\" is not a piogate actuator state file"),
                  std::string::npos)
            << e.what();
    }
    a.restore = false;  // without restore the file is none of piogate's business
    EXPECT_NO_THROW(app::check_actuator_state_files({a}));

    ::mkdir((dir + "/actuator-fan.json").c_str(), 0755);
    EXPECT_EQ(app::read_actuator_state(dir + "/actuator-fan.json", "fan").reason,
              "is not a regular file");
    write("actuator-big.json", std::string(5000, ' '));
    EXPECT_EQ(app::read_actuator_state(dir + "/actuator-big.json", "big").kind, kind_t::foreign);
    EXPECT_FALSE(app::write_actuator_state(dir + "/missing/actuator-x.json", "x", true));
}
