#include "app/daemon_arguments.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <vector>

namespace {

using piogate::app::arguments_error;
using piogate::app::daemon_arguments;
using piogate::app::parse_daemon_arguments;

// argv as main() gets it, from string literals.
std::variant<daemon_arguments, arguments_error> parse(std::initializer_list<std::string> words) {
    std::vector<std::string> storage{"piogate"};
    storage.insert(storage.end(), words);
    std::vector<char*> argv;
    for (auto& w : storage) argv.push_back(w.data());
    argv.push_back(nullptr);
    return parse_daemon_arguments(static_cast<int>(storage.size()), argv.data());
}

daemon_arguments ok(std::initializer_list<std::string> words) {
    auto r = parse(words);
    if (auto* e = std::get_if<arguments_error>(&r)) ADD_FAILURE() << e->message;
    return std::get_if<daemon_arguments>(&r) ? std::get<daemon_arguments>(r) : daemon_arguments{};
}

std::string error(std::initializer_list<std::string> words) {
    auto r = parse(words);
    if (auto* e = std::get_if<arguments_error>(&r)) return e->message;
    ADD_FAILURE() << "accepted";
    return {};
}

}  // namespace

TEST(daemon_arguments, nothing_is_the_default_file_at_info_level) {
    const auto a = ok({});
    EXPECT_EQ(a.config_path, "");
    EXPECT_EQ(a.log_level, "info");
    EXPECT_FALSE(a.check_config || a.list_gpio || a.scan_w1 || a.help);
    EXPECT_EQ(a.scan_i2c, "");
}

TEST(daemon_arguments, every_option_in_its_spellings) {
    EXPECT_EQ(ok({"-c", "/etc/x.json"}).config_path, "/etc/x.json");
    EXPECT_EQ(ok({"-c/etc/x.json"}).config_path, "/etc/x.json");
    EXPECT_EQ(ok({"--config", "a.json"}).config_path, "a.json");
    EXPECT_EQ(ok({"--config=a.json"}).config_path, "a.json");
    EXPECT_TRUE(ok({"--check-config", "-c", "a"}).check_config);
    EXPECT_EQ(ok({"--log-level", "debug"}).log_level, "debug");
    EXPECT_EQ(ok({"--log-level=warning"}).log_level, "warning");
    EXPECT_TRUE(ok({"--list-gpio"}).list_gpio);
    EXPECT_EQ(ok({"--scan-i2c", "1"}).scan_i2c, "1");
    EXPECT_TRUE(ok({"--scan-w1"}).scan_w1);
    EXPECT_TRUE(ok({"--help"}).help);
    EXPECT_TRUE(ok({"--version"}).version);
    EXPECT_FALSE(ok({"--help"}).version);
    EXPECT_EQ(error({"--version=2"}), "option '--version' takes no value (see piogate --help)");
}

TEST(daemon_arguments, an_unambiguous_prefix_is_the_option) {
    EXPECT_TRUE(ok({"--check"}).check_config);
    EXPECT_EQ(ok({"--log", "error"}).log_level, "error");
    EXPECT_EQ(error({"--scan"}), "unknown option '--scan' (see piogate --help)");  // -i2c or -w1
}

TEST(daemon_arguments, usage_errors_name_the_option) {
    EXPECT_EQ(error({"--bogus"}), "unknown option '--bogus' (see piogate --help)");
    EXPECT_EQ(error({"-x"}), "unknown option '-x' (see piogate --help)");
    EXPECT_EQ(error({"-c"}), "option '-c' needs a value (see piogate --help)");
    EXPECT_EQ(error({"--config"}), "option '--config' needs a value (see piogate --help)");
    EXPECT_EQ(error({"--log-level"}), "option '--log-level' needs a value (see piogate --help)");
    EXPECT_EQ(error({"--config="}), "option '-c' needs a file name");
    EXPECT_EQ(error({"--scan-i2c="}), "option '--scan-i2c' needs a bus");
    EXPECT_EQ(error({"--check-config=yes"}),
              "option '--check-config' takes no value (see piogate --help)");
    EXPECT_EQ(error({"config.json"}),
              "unexpected argument 'config.json' (options only; the config file is -c FILE)");
    EXPECT_EQ(error({"--check-config", "-c", "a", "b"}),
              "unexpected argument 'b' (options only; the config file is -c FILE)");
}

TEST(daemon_arguments, parsing_twice_starts_afresh) {
    EXPECT_EQ(error({"--bogus"}), "unknown option '--bogus' (see piogate --help)");
    EXPECT_EQ(ok({"-c", "b.json"}).config_path, "b.json");
    EXPECT_EQ(ok({"-c", "c.json"}).config_path, "c.json");
}

TEST(daemon_arguments, usage_lists_every_option_and_the_exit_statuses) {
    const std::string u = piogate::app::daemon_usage();
    for (const char* o : {"--help", "--config", "--check-config", "--log-level", "--list-gpio",
                          "--scan-i2c", "--scan-w1", "Exit status: 0"})
        EXPECT_NE(u.find(o), std::string::npos) << o;
}
