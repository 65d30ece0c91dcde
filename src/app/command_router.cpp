#include "app/command_router.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <string_view>

#include "app/limited_log.hpp"
#include "log/log.hpp"

namespace piogate::app {
namespace {

const log::logger app_log("app");

}  // namespace

command_router::command_router(util::scheduler& time, std::string noun, route_fn route)
    : time_(time), noun_(std::move(noun)), route_(std::move(route)) {}

void command_router::subscribe(mqtt_link& link, const std::string& filter) {
    link.subscribe(filter, 1);
    link.message_callback_add(filter, [this](const mqtt::message& m) { on_message(m); });
}

void command_router::on_message(const mqtt::message& m) {
    // .../ID/set: the id is the level before "/set".
    const std::string_view topic = m.topic;
    const auto end = topic.size() - 4;
    const auto begin = topic.rfind('/', end - 1) + 1;
    if (route_(std::string(topic.substr(begin, end - begin)), m)) return;
    log_limited(app_log, time_, log::level::warning, "commands for unknown " + noun_ + "s",
                "command for unknown " + noun_ + " on " + log::clip(topic) + " ignored");
}

}  // namespace piogate::app
