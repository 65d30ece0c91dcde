// The counter state file: the format round trip, what counts as ours / corrupted / foreign
// (a table), and the atomic write on a real directory (no temp file left, a foreign file
// reported, not replaced, by the reader).
#include "app/counter_store.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace piogate::app {
namespace {

namespace fs = std::filesystem;
using kind_t = counter_file::kind_t;

TEST(CounterStore, RoundTrip) {
    const auto text = encode_counter_state("power", 18446744073709551615ull);
    EXPECT_EQ(text,
              "{\"piogate\":\"counter\",\"version\":1,\"id\":\"power\",\"count\":"
              "18446744073709551615}\n");
    auto f = decode_counter_state(text, "power");
    EXPECT_EQ(f.kind, kind_t::own);
    EXPECT_EQ(f.count, 18446744073709551615ull);
}

TEST(CounterStore, EveryTruncationOfOurFileIsCorruptedNotForeign) {
    // What a power cut could leave if the file system lost part of a write.
    const auto text = encode_counter_state("power", 123456);
    for (std::size_t n = 0; n + 1 < text.size(); ++n) {
        auto f = decode_counter_state(text.substr(0, n), "power");
        EXPECT_EQ(f.kind, kind_t::corrupted) << text.substr(0, n);
    }
}

TEST(CounterStore, DecodeTable) {
    struct row {
        const char* content;
        kind_t kind;
        const char* reason;
    };
    const std::vector<row> rows{
        {R"({"piogate":"counter","version":1,"id":"power","count":42})", kind_t::own, ""},
        {"", kind_t::corrupted, "is empty"},
        {"\n  \n", kind_t::corrupted, "is empty"},
        {R"({"count":42,"id":"power","piog)", kind_t::foreign,
         "is not a piogate counter file (not JSON)"},
        {R"({"piogate":"counter","version":1,"id":"pow)", kind_t::corrupted,
         "is not valid JSON (truncated?)"},
        {R"({"piogate":"coun)", kind_t::corrupted, "is not valid JSON (truncated?)"},
        {R"({"piogate":"counter","version":1,"id":"power","count":-1})", kind_t::corrupted,
         "has no \"count\" that is a non-negative integer"},
        {R"({"piogate":"counter","version":1,"id":"power","count":1.5})", kind_t::corrupted,
         "has no \"count\" that is a non-negative integer"},
        {R"({"piogate":"counter","version":1,"id":"power"})", kind_t::corrupted,
         "has no \"count\" that is a non-negative integer"},
        {R"({"piogate":"counter","version":2,"id":"power","count":1})", kind_t::foreign,
         "has a format version this piogate does not know"},
        {R"({"piogate":"counter","version":1,"id":"water","count":1})", kind_t::foreign,
         "belongs to counter \"water\", not \"power\""},
        {R"({"piogate":"buffer","version":1})", kind_t::foreign,
         "is not a piogate counter file (no \"piogate\":\"counter\")"},
        {"[1,2,3]", kind_t::foreign, "is not a piogate counter file (no \"piogate\":\"counter\")"},
        {"#!/bin/sh\nrm -rf /\n", kind_t::foreign, "is not a piogate counter file (not JSON)"},
    };
    for (const auto& r : rows) {
        auto f = decode_counter_state(r.content, "power");
        EXPECT_EQ(f.kind, r.kind) << r.content;
        EXPECT_EQ(f.reason, r.reason) << r.content;
    }
}

class CounterFile : public ::testing::Test {
protected:
    CounterFile() {
        char tmpl[] = "/tmp/piogate-counter-XXXXXX";
        dir = ::mkdtemp(tmpl);
        path = dir + "/counter-power.json";
    }
    ~CounterFile() override { fs::remove_all(dir); }
    std::string dir;
    std::string path;
};

TEST_F(CounterFile, WriteIsAtomicAndReadable) {
    EXPECT_EQ(read_counter_file(path, "power").kind, kind_t::absent);
    ASSERT_TRUE(write_counter_file(path, "power", 7));
    ASSERT_TRUE(write_counter_file(path, "power", 8));
    auto f = read_counter_file(path, "power");
    EXPECT_EQ(f.kind, kind_t::own);
    EXPECT_EQ(f.count, 8u);
    EXPECT_FALSE(fs::exists(path + ".tmp"));
    EXPECT_EQ(fs::file_size(path), encode_counter_state("power", 8).size());
}

TEST_F(CounterFile, ForeignAndUnusualFiles) {
    { std::ofstream(path) << "my notes\n"; }
    auto f = read_counter_file(path, "power");
    EXPECT_EQ(f.kind, kind_t::foreign);
    fs::remove(path);
    fs::create_directory(path);
    EXPECT_EQ(read_counter_file(path, "power").reason, "is not a regular file");
    fs::remove(path);
    { std::ofstream(path) << std::string(5000, '{'); }
    EXPECT_EQ(read_counter_file(path, "power").reason,
              "is not a piogate counter file (5000 bytes)");
}

TEST_F(CounterFile, WriteErrorNamesTheFile) {
    auto r = write_counter_file(dir + "/missing/counter-power.json", "power", 1);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.err().message, dir + "/missing/counter-power.json.tmp: No such file or directory");
}

}  // namespace
}  // namespace piogate::app
