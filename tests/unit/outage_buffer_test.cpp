#include "app/outage_buffer.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "config/config_error.hpp"

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

config::buffer_config persistent(const temp_dir& d, std::size_t max = 100,
                                 bool drop_oldest = true) {
    config::buffer_config c;
    c.persist = true;
    c.file = (d.path / "state" / "buffer.jsonl").string();
    c.max_messages = max;
    c.drop_oldest = drop_oldest;
    return c;
}

app::buffered_message reading(int n, int qos = 1) {
    return {"gw/sensors/s", "{\"n\":" + std::to_string(n) + "}", qos, false};
}

std::string contents(const std::string& file) {
    std::ifstream in(file);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// Record lines in the file (the header not counted).
std::size_t records_in(const std::string& file) {
    std::ifstream in(file);
    std::size_t n = 0;
    for (std::string line; std::getline(in, line);)
        n += !line.empty() && line.find("\"piogate\"") == std::string::npos;
    return n;
}

void write_file(const std::string& file, const std::string& text) {
    std::filesystem::create_directories(std::filesystem::path(file).parent_path());
    std::ofstream(file) << text;
}

// Hands every waiting reading to client `owner` (mids 1, 2, ...) and returns their payloads.
std::vector<std::string> hand_all(app::outage_buffer& b, std::uint64_t owner = 1,
                                  int first_mid = 1) {
    std::vector<std::string> out;
    int mid = first_mid;
    while (b.waiting() > 0) {
        out.push_back(b.next_waiting().payload);
        b.handed(owner, mid++);
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
    EXPECT_EQ(hand_all(b), (std::vector<std::string>{"{\"n\":3}", "{\"n\":4}", "{\"n\":5}"}));
}

TEST(outage_buffer, drop_newest_keeps_the_oldest) {
    config::buffer_config c;
    c.max_messages = 2;
    c.drop_oldest = false;
    app::outage_buffer b(c);
    b.push(reading(1));
    b.push(reading(2));
    EXPECT_TRUE(b.push(reading(3)).dropped);
    EXPECT_EQ(hand_all(b), (std::vector<std::string>{"{\"n\":1}", "{\"n\":2}"}));
}

TEST(outage_buffer, the_bound_counts_waiting_readings_not_those_in_flight) {
    config::buffer_config c;
    c.max_messages = 2;
    app::outage_buffer b(c);
    b.push(reading(1));
    b.push(reading(2));
    hand_all(b);
    EXPECT_FALSE(b.push(reading(3)).dropped);
    EXPECT_FALSE(b.push(reading(4)).dropped);
    EXPECT_TRUE(b.push(reading(5)).dropped);  // drops 3, never the handed 1 and 2
    EXPECT_EQ(b.size(), 4u);
    EXPECT_EQ(hand_all(b, 1, 10), (std::vector<std::string>{"{\"n\":4}", "{\"n\":5}"}));
}

TEST(outage_buffer, a_new_file_starts_with_the_header) {
    temp_dir d;
    const auto c = persistent(d);
    app::outage_buffer b(c);
    EXPECT_EQ(contents(c.file), app::buffer_header_line());
    EXPECT_EQ(app::identify_buffer_file(c.file).kind, app::buffer_file_kind::kind_t::own);
}

TEST(outage_buffer, a_restart_reads_everything_back_in_order) {
    temp_dir d;
    const auto c = persistent(d);
    {
        app::outage_buffer b(c);
        for (int i = 1; i <= 5; ++i) EXPECT_TRUE(b.push(reading(i)).write_error.empty());
        b.push({"gw/sensors/t", "with \"quotes\"\nand a newline", 0, true});
        // No sync(), no destructor flush needed: the lines are in the file already.
        EXPECT_EQ(records_in(c.file), 6u);
    }
    app::outage_buffer again(c);
    EXPECT_EQ(again.loaded(), 6u);
    ASSERT_EQ(again.size(), 6u);
    auto all = hand_all(again);
    EXPECT_EQ(all.front(), "{\"n\":1}");
    EXPECT_EQ(all.back(), "with \"quotes\"\nand a newline");
}

TEST(outage_buffer, handed_readings_stay_in_the_file_until_acknowledged) {
    temp_dir d;
    const auto c = persistent(d);
    app::outage_buffer b(c);
    for (int i = 1; i <= 4; ++i) b.push(reading(i));
    hand_all(b);  // in the client: a silent partition, not yet acknowledged
    EXPECT_EQ(records_in(c.file), 4u);
    {
        auto copy = c;  // what a restart after a SIGKILL now would find: all four
        copy.file += ".crash";
        std::filesystem::copy_file(c.file, copy.file);
        app::outage_buffer after_crash(copy);
        EXPECT_EQ(after_crash.size(), 4u);
    }
    b.acknowledged(1, 1);
    b.acknowledged(1, 2);
    b.acknowledged(1, 3);
    EXPECT_EQ(records_in(c.file), 4u);  // one still unacknowledged: the file keeps them all
    b.acknowledged(1, 4);
    EXPECT_EQ(contents(c.file), app::buffer_header_line());
    b.push(reading(5));  // appends after the truncation
    app::outage_buffer later(c);
    EXPECT_EQ(hand_all(later), (std::vector<std::string>{"{\"n\":5}"}));
}

TEST(outage_buffer, a_quick_qos0_ack_does_not_truncate_under_an_older_unacknowledged_reading) {
    temp_dir d;
    const auto c = persistent(d);
    app::outage_buffer b(c);
    b.push(reading(1, 1));
    b.handed(1, 7);  // QoS 1, in flight over a link that died
    b.push(reading(2, 0));
    b.handed(2, 1);  // QoS 0 through the next client, written at once
    b.acknowledged(2, 1);
    EXPECT_EQ(b.size(), 1u);
    app::outage_buffer after_crash(c);  // at least once: reading 1 is there (2 may repeat)
    const auto resent = hand_all(after_crash);
    ASSERT_FALSE(resent.empty());
    EXPECT_EQ(resent.front(), "{\"n\":1}");
}

TEST(outage_buffer, a_released_client_gives_its_readings_back_in_their_place) {
    config::buffer_config c;
    app::outage_buffer b(c);
    for (int i = 1; i <= 3; ++i) b.push(reading(i));
    hand_all(b, 5);
    b.push(reading(4));
    b.acknowledged(5, 2);
    EXPECT_EQ(b.handed_to(5), 2u);
    b.released(5);
    EXPECT_EQ(b.handed_to(5), 0u);
    EXPECT_EQ(b.waiting(), 3u);
    EXPECT_EQ(hand_all(b, 6), (std::vector<std::string>{"{\"n\":1}", "{\"n\":3}", "{\"n\":4}"}));
    b.acknowledged(5, 1);  // a late ack from the released client: ignored
    EXPECT_EQ(b.size(), 3u);
}

TEST(outage_buffer, drops_compact_the_file_to_the_bound) {
    temp_dir d;
    const auto c = persistent(d, 10);
    app::outage_buffer b(c);
    for (int i = 1; i <= 500; ++i) b.push(reading(i));
    EXPECT_EQ(b.size(), 10u);
    EXPECT_EQ(b.dropped_total(), 490u);
    EXPECT_LE(records_in(c.file), 10u + 64u + 10u);  // rewritten as it went, never unbounded
    app::outage_buffer again(c);
    EXPECT_EQ(again.size(), 10u);
    EXPECT_EQ(again.next_waiting().payload, "{\"n\":491}");
}

TEST(outage_buffer, drops_behind_a_stuck_reading_keep_acks_and_order_right) {
    temp_dir d;
    const auto c = persistent(d, 5);
    app::outage_buffer b(c);
    b.push(reading(0));
    b.handed(1, 100);  // stuck in flight for the whole outage
    for (int i = 1; i <= 1000; ++i) b.push(reading(i));
    EXPECT_EQ(b.size(), 6u);
    EXPECT_LE(records_in(c.file), 6u + 64u + 6u);
    EXPECT_EQ(hand_all(b, 1, 200).front(), "{\"n\":996}");
    b.acknowledged(1, 100);
    for (int mid = 200; mid < 205; ++mid) b.acknowledged(1, mid);
    EXPECT_TRUE(b.empty());
    EXPECT_EQ(contents(c.file), app::buffer_header_line());
}

TEST(outage_buffer, take_all_and_adopt_carry_the_handed_state) {
    temp_dir d;
    auto c = persistent(d);
    app::outage_buffer b(c);
    for (int i = 1; i <= 3; ++i) b.push(reading(i));
    b.handed(1, 11);
    auto entries = b.take_all();
    EXPECT_EQ(contents(c.file), app::buffer_header_line());
    app::outage_buffer next(c);
    next.adopt(std::move(entries));
    EXPECT_EQ(next.size(), 3u);
    EXPECT_EQ(next.waiting(), 2u);
    EXPECT_EQ(records_in(c.file), 3u);
    next.acknowledged(1, 11);
    EXPECT_EQ(next.size(), 2u);
}

TEST(outage_buffer, bad_lines_are_skipped_counted_and_never_fatal) {
    temp_dir d;
    const auto c = persistent(d);
    write_file(c.file, app::buffer_header_line() +
                           "{\"topic\":\"a\",\"payload\":\"1\",\"qos\":1,\"retain\":false}\n"
                           "{\"topic\":\"b\",\"payl\n"  // cut by a power failure
                           "[1,2]\n"
                           "{\"topic\":\"c/#\",\"payload\":\"3\"}\n"              // wildcard
                           "{\"topic\":\"d\",\"payload\":\"4\",\"qos\":\"1\"}\n"  // qos as a string
                           "{\"topic\":\"\",\"payload\":\"5\"}\n"                 // empty topic
                           "{\"topic\":\"e\",\"payload\":\"6\",\"qos\":7}\n"
                           "{\"topic\":\"f\",\"payload\":5}\n"
                           "{\"topic\":\"g\",\"payload\":\"7\",\"retain\":1}\n"
                           "{\"topic\":\"h\",\"payload\":\"" +
                           std::string(2 * 1024 * 1024, 'x') +
                           "\"}\n"
                           "{\"topic\":\"i\",\"payload\":\"8\",\"qos\":0}\n");
    app::outage_buffer b(c);
    EXPECT_EQ(b.loaded(), 2u);
    EXPECT_EQ(b.unreadable(), 9u);
    EXPECT_EQ(b.first_unreadable(), "line 3: not JSON");
    EXPECT_EQ(b.next_waiting().topic, "a");
    EXPECT_EQ(records_in(c.file), 2u);  // rewritten without the bad lines
    app::outage_buffer again(c);
    EXPECT_EQ(again.unreadable(), 0u);
}

TEST(outage_buffer, a_file_that_is_not_a_buffer_is_refused_and_left_alone) {
    temp_dir d;
    auto c = persistent(d);
    const std::string config_text = "{\n  \"mqtt\": {\"host\": \"localhost\"}\n}\n";
    write_file(c.file, config_text);
    try {
        app::outage_buffer b(c);
        FAIL() << "no error";
    } catch (const config::config_error& e) {
        EXPECT_EQ(e.path(), "/buffer/file");
        EXPECT_NE(std::string(e.what()).find("is not a piogate buffer file"), std::string::npos)
            << e.what();
    }
    EXPECT_EQ(contents(c.file), config_text);
    c.file = d.path.string();
    EXPECT_THROW(app::outage_buffer{c}, config::config_error);  // a directory
    c.file = "/dev/zero";
    EXPECT_THROW(app::outage_buffer{c}, config::config_error);  // not a regular file
}

TEST(outage_buffer, a_buffer_of_version_0_1_is_read_and_given_a_header) {
    temp_dir d;
    const auto c = persistent(d);
    write_file(c.file, "{\"topic\":\"a\",\"payload\":\"1\",\"qos\":1,\"retain\":false}\n");
    app::outage_buffer b(c);
    EXPECT_EQ(b.loaded(), 1u);
    EXPECT_EQ(app::identify_buffer_file(c.file).kind, app::buffer_file_kind::kind_t::own);
    EXPECT_EQ(records_in(c.file), 1u);
}

TEST(outage_buffer, a_file_that_cannot_be_created_is_a_start_up_error) {
    config::buffer_config c;
    c.persist = true;
    c.file = "/proc/piogate-cannot-be-here/buffer.jsonl";
    try {
        app::outage_buffer b(c);
        FAIL() << "no error";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("/proc/piogate-cannot-be-here/buffer.jsonl"),
                  std::string::npos)
            << e.what();
    }
}

TEST(outage_buffer, sync_descriptor_only_when_something_was_written) {
    temp_dir d;
    app::outage_buffer b(persistent(d));
    b.sync();
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

TEST(outage_buffer, no_sync_when_everything_written_is_already_acknowledged) {
    temp_dir d;
    app::outage_buffer b(persistent(d));
    (void)b.take_sync_fd();
    for (int i = 1; i <= 10; ++i) {  // a healthy link: each reading acknowledged at once
        b.push(reading(i));
        b.handed(1, i);
        b.acknowledged(1, i);
    }
    EXPECT_FALSE(b.take_sync_fd()) << "no fdatasync (no SD-card write) for what is delivered";
    b.push(reading(11));
    EXPECT_TRUE(b.take_sync_fd());
}

namespace {

// A syncer that only records what it was given: the test plays the worker.
struct recording_syncer {
    std::vector<util::unique_fd> fds;
    std::vector<std::function<void(bool)>> dones;
    app::outage_buffer::sync_fn fn() {
        return [this](util::unique_fd fd, std::function<void(bool)> done) {
            fds.push_back(std::move(fd));
            dones.push_back(std::move(done));
        };
    }
};

}  // namespace

// The read-back at construction (start-up, and a reload that changes the buffer settings) is a
// rewrite too: with a syncer given, its fdatasync is the syncer's, not the constructing thread's.
TEST(outage_buffer, the_read_back_rewrite_at_construction_syncs_through_the_given_syncer) {
    temp_dir d;
    const auto c = persistent(d, 10);
    {
        app::outage_buffer first(c);
        for (int i = 1; i <= 3; ++i) first.push(reading(i));
    }
    recording_syncer s;
    app::outage_buffer b(c, s.fn());
    ASSERT_EQ(s.dones.size(), 1u);
    EXPECT_TRUE(b.rewrite_pending());
    s.dones[0](true);
    EXPECT_FALSE(b.rewrite_pending());
    EXPECT_EQ(records_in(c.file), 3u);
}

TEST(outage_buffer, a_rewrite_leaves_its_fdatasync_to_the_syncer_and_renames_after_it) {
    temp_dir d;
    const auto c = persistent(d, 10);
    app::outage_buffer b(c);
    recording_syncer s;
    b.sync_off_loop(s.fn());
    for (int i = 1; i <= 100; ++i) b.push(reading(i));  // drops: stale lines call for a rewrite
    ASSERT_EQ(s.dones.size(), 1u) << "one rewrite at a time, its sync handed over";
    EXPECT_TRUE(b.rewrite_pending());
    EXPECT_TRUE(std::filesystem::exists(c.file + ".tmp"));
    EXPECT_EQ(records_in(c.file), 100u) << "not renamed before the sync: the old file is complete";
    struct stat tmp_stat {
    }, synced_stat{};
    ASSERT_EQ(::stat((c.file + ".tmp").c_str(), &tmp_stat), 0);
    ASSERT_EQ(::fstat(s.fds[0].get(), &synced_stat), 0);
    EXPECT_EQ(tmp_stat.st_ino, synced_stat.st_ino) << "the syncer gets the tmp file";
    b.push(reading(101));  // during the sync: into both files
    (void)b.take_sync_fd();
    s.dones[0](true);  // the worker reports the sync done, on the loop thread
    EXPECT_FALSE(b.rewrite_pending());
    EXPECT_FALSE(std::filesystem::exists(c.file + ".tmp"));
    // The 10 live at the rewrite, then 75..101 appended to both files while it synced.
    EXPECT_EQ(records_in(c.file), 37u);
    EXPECT_EQ(b.file_lines(), 37u);
    EXPECT_TRUE(b.needs_sync()) << "readings appended after the sync began are not on disk yet";
    {
        auto copy = c;  // what a restart now would find
        copy.file += ".crash";
        std::filesystem::copy_file(c.file, copy.file);
        app::outage_buffer after_crash(copy);
        EXPECT_EQ(after_crash.size(), 10u);
        EXPECT_EQ(after_crash.next_waiting().payload, "{\"n\":92}");
    }
    b.push(reading(102));  // appends go to the new file
    EXPECT_EQ(records_in(c.file), 38u);
}

TEST(outage_buffer, a_failed_rewrite_sync_keeps_the_old_file) {
    temp_dir d;
    const auto c = persistent(d, 10);
    app::outage_buffer b(c);
    recording_syncer s;
    b.sync_off_loop(s.fn());
    for (int i = 1; i <= 100; ++i) b.push(reading(i));
    ASSERT_EQ(s.dones.size(), 1u);
    s.dones[0](false);
    EXPECT_FALSE(b.rewrite_pending());
    EXPECT_FALSE(std::filesystem::exists(c.file + ".tmp"));
    EXPECT_EQ(records_in(c.file), 100u);
    b.push(reading(101));
    EXPECT_EQ(records_in(c.file), 101u);
    EXPECT_EQ(s.dones.size(), 2u) << "the next push tries again";
}

TEST(outage_buffer,
     a_rewrite_sync_reported_after_the_buffer_or_its_readings_are_gone_does_nothing) {
    temp_dir d;
    const auto c = persistent(d, 10);
    recording_syncer s;
    {
        app::outage_buffer b(c);
        b.sync_off_loop(s.fn());
        for (int i = 1; i <= 100; ++i) b.push(reading(i));
        ASSERT_EQ(s.dones.size(), 1u);
        auto entries = b.take_all();  // a reload: the file emptied, the rewrite abandoned
        EXPECT_EQ(entries.size(), 10u);
        EXPECT_FALSE(b.rewrite_pending());
        EXPECT_FALSE(std::filesystem::exists(c.file + ".tmp"));
        s.dones[0](true);
        EXPECT_EQ(contents(c.file), app::buffer_header_line());
        for (int i = 1; i <= 100; ++i) b.push(reading(i));
        ASSERT_EQ(s.dones.size(), 2u);
    }  // destroyed with its rewrite's sync still running
    EXPECT_FALSE(std::filesystem::exists(c.file + ".tmp"));
    s.dones[1](true);  // late: ignored
    EXPECT_EQ(records_in(c.file), 100u);
}
