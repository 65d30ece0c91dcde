#include <gtest/gtest.h>
// SPDX-License-Identifier: Apache-2.0
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "log/log.hpp"

namespace {

using namespace piogate::log;

struct event {
    level lvl;
    std::string domain;
    std::string message;
    fields extra;
};

class recording_sink : public sink {
public:
    void write(level lvl, std::string_view domain, std::string_view message,
               const fields& extra) override {
        std::lock_guard lock(mutex);
        events.push_back({lvl, std::string(domain), std::string(message), extra});
    }
    std::mutex mutex;
    std::vector<event> events;
};

class throwing_sink : public sink {
public:
    void write(level, std::string_view, std::string_view, const fields&) override {
        throw std::runtime_error("boom");
    }
};

class log_facade : public ::testing::Test {
protected:
    void SetUp() override {
        saved_level_ = current_level();
        sink_ = std::make_shared<recording_sink>();
        set_sink(sink_);
        set_level(level::debug);
    }
    void TearDown() override {
        set_sink(nullptr);
        set_level(saved_level_);
    }
    std::shared_ptr<recording_sink> sink_;
    level saved_level_{};
};

TEST(log_level, parse_and_name) {
    EXPECT_EQ(parse_level("debug"), level::debug);
    EXPECT_EQ(parse_level("info"), level::info);
    EXPECT_EQ(parse_level("notice"), level::notice);
    EXPECT_EQ(parse_level("warning"), level::warning);
    EXPECT_EQ(parse_level("WARN"), level::warning);
    EXPECT_EQ(parse_level("error"), level::error);
    EXPECT_EQ(parse_level("err"), level::error);
    EXPECT_EQ(parse_level(""), std::nullopt);
    EXPECT_EQ(parse_level("verbose"), std::nullopt);
    EXPECT_EQ(parse_level("warnings"), std::nullopt);
    for (auto l : {level::debug, level::info, level::notice, level::warning, level::error}) {
        EXPECT_EQ(parse_level(level_name(l)), l);
    }
}

TEST_F(log_facade, logger_writes_its_domain_and_fields) {
    const logger log("hw.i2c");
    log.warning("i2c-1 0x76: read failed", {{"PIOGATE_CHANNEL", "kitchen"}});
    ASSERT_EQ(sink_->events.size(), 1u);
    const auto& e = sink_->events[0];
    EXPECT_EQ(e.lvl, level::warning);
    EXPECT_EQ(e.domain, "hw.i2c");
    EXPECT_EQ(e.message, "i2c-1 0x76: read failed");
    ASSERT_EQ(e.extra.size(), 1u);
    EXPECT_EQ(e.extra[0].name, "PIOGATE_CHANNEL");
    EXPECT_EQ(e.extra[0].value, "kitchen");
}

TEST_F(log_facade, each_method_has_its_level) {
    const logger log("app");
    log.debug("d");
    log.info("i");
    log.notice("n");
    log.warning("w");
    log.error("e");
    ASSERT_EQ(sink_->events.size(), 5u);
    EXPECT_EQ(sink_->events[0].lvl, level::debug);
    EXPECT_EQ(sink_->events[1].lvl, level::info);
    EXPECT_EQ(sink_->events[2].lvl, level::notice);
    EXPECT_EQ(sink_->events[3].lvl, level::warning);
    EXPECT_EQ(sink_->events[4].lvl, level::error);
}

TEST_F(log_facade, events_below_the_level_are_dropped) {
    set_level(level::warning);
    const logger log("mqtt");
    EXPECT_FALSE(log.enabled(level::notice));
    EXPECT_TRUE(log.enabled(level::warning));
    log.debug("d");
    log.info("i");
    log.notice("n");
    log.warning("w");
    log.error("e");
    ASSERT_EQ(sink_->events.size(), 2u);
    EXPECT_EQ(sink_->events[0].message, "w");
    EXPECT_EQ(sink_->events[1].message, "e");
}

TEST_F(log_facade, free_write_function) {
    write(level::notice, "config", "reloaded");
    ASSERT_EQ(sink_->events.size(), 1u);
    EXPECT_EQ(sink_->events[0].domain, "config");
    EXPECT_TRUE(sink_->events[0].extra.empty());
}

TEST_F(log_facade, a_throwing_sink_does_not_escape) {
    set_sink(std::make_shared<throwing_sink>());
    EXPECT_NO_THROW(logger("app").error("x"));
}

TEST_F(log_facade, concurrent_writers_and_sink_swaps) {
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([] {
            const logger log("app");
            for (int i = 0; i < 500; ++i) log.info("tick");
        });
    }
    for (int i = 0; i < 50; ++i) set_sink(sink_);
    for (auto& t : threads) t.join();
    EXPECT_EQ(sink_->events.size(), 2000u);
}

TEST_F(log_facade, null_sink_restores_the_default) {
    set_sink(nullptr);
    EXPECT_NE(current_sink(), nullptr);
    EXPECT_NE(current_sink(), sink_);
}

}  // namespace
