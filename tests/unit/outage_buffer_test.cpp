#include "app/outage_buffer.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace piogate;

namespace {

struct temp_dir {
    std::filesystem::path path;
    temp_dir() {
        char tmpl[] = "/tmp/piogate-buffer-XXXXXX";
        path = ::mkdtemp(tmpl);
    }
    ~temp_dir() { std::filesystem::remove_all(path); }
};

config::buffer_config persistent(const temp_dir& d, std::size_t max = 100, bool drop_oldest = true) {
    config::buffer_config c;
    c.persist = true;
    c.file = (d.path / "state" / "buffer.jsonl").string();
    c.max_messages = max;
    c.drop_oldest = drop_oldest;
    return c;
}

app::buffered_message reading(int n) {
    return {"gw/sensors/s", "{\"n\":" + std::to_string(n) + "}", 1, false};
}

std::size_t lines_in(const std::string& file) {
    std::ifstream in(file);
    std::size_t n = 0;
    for (std::string line; std::getline(in, line);) n += !line.empty();
    return n;
}

std::vector<std::string> drain_payloads(app::outage_buffer& b) {
    std::vector<std::string> out;
    while (!b.empty()) {
        out.push_back(b.front().payload);
        b.pop_front();
    }
    return out;
}

}  // namespace

TEST(outage_buffer, in_memory_fifo_with_drop_oldest) {
    config::buffer_config c;
    c.max_messages = 3;
    app::outage_buffer b(c);
    EXPECT_FALSE(b.persistent());
    for (int i = 1; i <= 3; ++i) EXPECT_FALSE(b.push(reading(i)).dropped);
    EXPECT_TRUE(b.push(reading(4)).dropped);
    EXPECT_TRUE(b.push(reading(5)).dropped);
    EXPECT_EQ(b.dropped_total(), 2u);
    EXPECT_EQ(drain_payloads(b), (std::vector<std::string>{"{\"n\":3}", "{\"n\":4}", "{\"n\":5}"}));
}

TEST(outage_buffer, drop_newest_keeps_the_oldest) {
    config::buffer_config c;
    c.max_messages = 2;
    c.drop_oldest = false;
    app::outage_buffer b(c);
    b.push(reading(1));
    b.push(reading(2));
    EXPECT_TRUE(b.push(reading(3)).dropped);
    EXPECT_EQ(drain_payloads(b), (std::vector<std::string>{"{\"n\":1}", "{\"n\":2}"}));
}

TEST(outage_buffer, a_restart_reads_everything_back_in_order) {
    temp_dir d;
    const auto c = persistent(d);
    {
        app::outage_buffer b(c);
        for (int i = 1; i <= 5; ++i) EXPECT_TRUE(b.push(reading(i)).write_error.empty());
        b.push({"gw/sensors/t", "with \"quotes\"\nand a newline", 0, true});
        // No sync(), no destructor flush needed: the lines are in the file already.
        EXPECT_EQ(lines_in(c.file), 6u);
    }
    app::outage_buffer again(c);
    EXPECT_EQ(again.loaded(), 6u);
    ASSERT_EQ(again.size(), 6u);
    auto all = drain_payloads(again);
    EXPECT_EQ(all.front(), "{\"n\":1}");
    EXPECT_EQ(all.back(), "with \"quotes\"\nand a newline");
}

TEST(outage_buffer, popped_lines_stay_until_delivered_then_the_file_is_emptied) {
    temp_dir d;
    const auto c = persistent(d);
    app::outage_buffer b(c);
    for (int i = 1; i <= 4; ++i) b.push(reading(i));
    drain_payloads(b);
    EXPECT_EQ(lines_in(c.file), 4u);  // handed to the client, not yet acknowledged
    {
        app::outage_buffer after_crash(c);  // a crash now resends them: nothing lost
        EXPECT_EQ(after_crash.size(), 4u);
    }
    b.delivered();
    EXPECT_EQ(std::filesystem::file_size(c.file), 0u);
    b.push(reading(5));  // appends after the truncation, from the start of the file
    app::outage_buffer later(c);
    EXPECT_EQ(drain_payloads(later), (std::vector<std::string>{"{\"n\":5}"}));
}

TEST(outage_buffer, drops_compact_the_file_to_the_bound) {
    temp_dir d;
    const auto c = persistent(d, 10);
    app::outage_buffer b(c);
    for (int i = 1; i <= 500; ++i) b.push(reading(i));
    EXPECT_EQ(b.size(), 10u);
    EXPECT_EQ(b.dropped_total(), 490u);
    EXPECT_LE(lines_in(c.file), 10u + 64u + 10u);  // rewritten as it went, never unbounded
    app::outage_buffer again(c);
    EXPECT_EQ(again.size(), 10u);
    EXPECT_EQ(again.front().payload, "{\"n\":491}");
}

TEST(outage_buffer, unreadable_lines_are_skipped_and_counted) {
    temp_dir d;
    const auto c = persistent(d);
    std::filesystem::create_directories(std::filesystem::path(c.file).parent_path());
    {
        std::ofstream out(c.file);
        out << "{\"topic\":\"a\",\"payload\":\"1\",\"qos\":1,\"retain\":false}\n"
            << "{\"topic\":\"b\",\"payl\n"  // cut by a power failure
            << "[1,2]\n"
            << "{\"topic\":\"c\",\"payload\":\"3\",\"qos\":7}\n";
    }
    app::outage_buffer b(c);
    EXPECT_EQ(b.loaded(), 2u);
    EXPECT_EQ(b.unreadable(), 2u);
    EXPECT_EQ(b.front().topic, "a");
    EXPECT_EQ(lines_in(c.file), 2u);  // rewritten without the bad lines
}

TEST(outage_buffer, a_file_that_cannot_be_created_is_a_start_up_error) {
    config::buffer_config c;
    c.persist = true;
    c.file = "/proc/piogate-cannot-be-here/buffer.jsonl";
    try {
        app::outage_buffer b(c);
        FAIL() << "no error";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("/proc/piogate-cannot-be-here/buffer.jsonl"), std::string::npos) << e.what();
    }
}

TEST(outage_buffer, sync_descriptor_only_when_something_was_written) {
    temp_dir d;
    app::outage_buffer b(persistent(d));
    EXPECT_FALSE(b.take_sync_fd());
    b.push(reading(1));
    auto fd = b.take_sync_fd();
    ASSERT_TRUE(fd);
    EXPECT_EQ(::fdatasync(fd.get()), 0);  // a descriptor of the buffer file, usable elsewhere
    EXPECT_FALSE(b.take_sync_fd()) << "nothing new since";
    config::buffer_config memory;
    app::outage_buffer m(memory);
    m.push(reading(2));
    EXPECT_FALSE(m.take_sync_fd());
}
