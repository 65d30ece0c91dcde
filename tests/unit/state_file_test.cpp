// The state-file helper both actuator states and counter totals use: reading a good, missing,
// empty, garbled, foreign and oversize file on a real directory, the atomic write (no temporary
// left, a foreign file refused and left byte for byte as it was, also one that appears after a
// first write).
#include "app/state_file.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace piogate::app {
namespace {

namespace fs = std::filesystem;
using kind_t = state_file_read::kind_t;

const state_file_format format{"widget", "piogate widget file", "level", "truncated?"};

class StateFile : public ::testing::Test {
protected:
    StateFile() {
        char tmpl[] = "/tmp/piogate-state-file-XXXXXX";
        dir = ::mkdtemp(tmpl);
        path = dir + "/widget-w1.json";
    }
    ~StateFile() override { fs::remove_all(dir); }
    void put(const std::string& text) const { std::ofstream(path, std::ios::binary) << text; }
    std::string content() const {
        std::ifstream in(path, std::ios::binary);
        std::ostringstream s;
        s << in.rdbuf();
        return s.str();
    }
    // Everything in the directory, so a leftover temporary is seen whatever its name.
    std::vector<std::string> listing() const {
        std::vector<std::string> names;
        for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename());
        std::sort(names.begin(), names.end());
        return names;
    }
    std::string dir;
    std::string path;
};

TEST_F(StateFile, EncodeStartsWithTheMagic) {
    EXPECT_EQ(encode_state_file(format, "w1", 42),
              "{\"piogate\":\"widget\",\"version\":1,\"id\":\"w1\",\"level\":42}\n");
}

TEST_F(StateFile, GoodFileIsOwnWithItsValue) {
    put(encode_state_file(format, "w1", "high"));
    auto r = read_state_file(format, path, "w1");
    EXPECT_EQ(r.kind, kind_t::own);
    EXPECT_EQ(r.value, "high");
    EXPECT_EQ(r.reason, "");
}

TEST_F(StateFile, MissingIsAbsent) {
    auto r = read_state_file(format, path, "w1");
    EXPECT_EQ(r.kind, kind_t::absent);
    EXPECT_EQ(r.reason, "");
}

TEST_F(StateFile, EmptyIsCorruptedAndReplaced) {
    put("");
    auto r = read_state_file(format, path, "w1");
    EXPECT_EQ(r.kind, kind_t::corrupted);
    EXPECT_EQ(r.reason, "is empty");
    ASSERT_TRUE(replace_state_file(format, path, "w1", encode_state_file(format, "w1", 1)));
    EXPECT_EQ(read_state_file(format, path, "w1").kind, kind_t::own);
}

TEST_F(StateFile, GarbledOwnFileIsCorruptedAndReplaced) {
    const std::string ours = encode_state_file(format, "w1", 7);
    put(ours.substr(0, 20));  // a power cut that lost the end of a write
    auto r = read_state_file(format, path, "w1");
    EXPECT_EQ(r.kind, kind_t::corrupted);
    EXPECT_EQ(r.reason, "is not valid JSON (truncated?)");
    ASSERT_TRUE(replace_state_file(format, path, "w1", ours));
    EXPECT_EQ(content(), ours);
    EXPECT_EQ(read_state_file(format, path, "w1").value, 7);
}

TEST_F(StateFile, OwnEnvelopeWithoutTheFieldHandsNull) {
    put(R"({"piogate":"widget","version":1,"id":"w1"})");
    auto r = read_state_file(format, path, "w1");
    EXPECT_EQ(r.kind, kind_t::own);  // the caller decides that null is corrupted
    EXPECT_TRUE(r.value.is_null());
}

TEST_F(StateFile, ForeignFilesAreRefusedAndLeftByteForByte) {
    struct row {
        std::string content;
        const char* reason;
    };
    const std::vector<row> rows{
        {"my notes\n\x01\xff", "is not a piogate widget file (not JSON)"},
        {R"({"piogate":"counter","version":1,"id":"w1","count":3})",
         "is not a piogate widget file (no \"piogate\":\"widget\")"},
        {R"({"piogate":"widget","version":2,"id":"w1","level":3})",
         "has a format version this piogate does not know"},
        {R"({"piogate":"widget","version":1,"id":"w2","level":3})",
         "belongs to widget \"w2\", not \"w1\""},
    };
    for (const auto& r : rows) {
        SCOPED_TRACE(r.content);
        put(r.content);
        ::chmod(path.c_str(), 0600);
        struct stat before {};
        ASSERT_EQ(::stat(path.c_str(), &before), 0);
        auto f = read_state_file(format, path, "w1");
        EXPECT_EQ(f.kind, kind_t::foreign);
        EXPECT_EQ(f.reason, r.reason);
        auto w = replace_state_file(format, path, "w1", encode_state_file(format, "w1", 1));
        ASSERT_FALSE(w);
        EXPECT_EQ(w.err().message, path + " " + r.reason + "; piogate will not overwrite it");
        EXPECT_EQ(content(), r.content);
        struct stat after {};
        ASSERT_EQ(::stat(path.c_str(), &after), 0);
        EXPECT_EQ(after.st_ino, before.st_ino);  // not replaced by a copy either
        EXPECT_EQ(after.st_mode & 07777, 0600u);
        EXPECT_EQ(listing(), std::vector<std::string>{"widget-w1.json"});
    }
}

TEST_F(StateFile, ForeignFileThatAppearsAfterAWriteIsNotOverwritten) {
    ASSERT_TRUE(replace_state_file(format, path, "w1", encode_state_file(format, "w1", 1)));
    fs::remove(path);
    put("#!/bin/sh\necho precious\n");
    EXPECT_FALSE(replace_state_file(format, path, "w1", encode_state_file(format, "w1", 2)));
    EXPECT_EQ(content(), "#!/bin/sh\necho precious\n");
}

TEST_F(StateFile, OversizeIsRefusedAndLeftAlone) {
    const std::string big = std::string(max_state_file_bytes + 1, ' ') + "{}";
    put(big);
    auto r = read_state_file(format, path, "w1");
    EXPECT_EQ(r.kind, kind_t::foreign);
    EXPECT_EQ(r.reason, "is not a piogate widget file (" + std::to_string(big.size()) + " bytes)");
    EXPECT_FALSE(replace_state_file(format, path, "w1", encode_state_file(format, "w1", 1)));
    EXPECT_EQ(content(), big);
}

TEST_F(StateFile, NotARegularFileIsForeign) {
    ASSERT_EQ(::mkfifo(path.c_str(), 0600), 0);  // opening it must not block
    auto r = read_state_file(format, path, "w1");
    EXPECT_EQ(r.kind, kind_t::foreign);
    EXPECT_EQ(r.reason, "is not a regular file");
    EXPECT_FALSE(replace_state_file(format, path, "w1", encode_state_file(format, "w1", 1)));
    EXPECT_TRUE(fs::is_fifo(path));
}

TEST_F(StateFile, AtomicWriteLeavesNoTemporary) {
    for (int level = 0; level < 3; ++level) {
        ASSERT_TRUE(replace_state_file(format, path, "w1", encode_state_file(format, "w1", level)));
        EXPECT_EQ(listing(), std::vector<std::string>{"widget-w1.json"});
        EXPECT_EQ(read_state_file(format, path, "w1").value, level);
    }
}

TEST_F(StateFile, WriteErrorsNameTheFileAndLeaveNothing) {
    const std::string missing = dir + "/missing/widget-w1.json";
    auto r = replace_state_file(format, missing, "w1", "x");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.err().message, missing + ".tmp: No such file or directory");
    // A link planted at the temporary name is not followed.
    const std::string target = dir + "/target";
    { std::ofstream(target) << "keep\n"; }
    fs::create_symlink(target, path + ".tmp");
    EXPECT_FALSE(replace_state_file(format, path, "w1", encode_state_file(format, "w1", 1)));
    std::ifstream in(target);
    std::string line;
    std::getline(in, line);
    EXPECT_EQ(line, "keep");
}

}  // namespace
}  // namespace piogate::app
