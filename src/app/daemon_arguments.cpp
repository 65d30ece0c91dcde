#include "app/daemon_arguments.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <getopt.h>

#include <array>
#include <vector>

namespace piogate::app {

namespace {

enum option_id : int {
    opt_help = 256,
    opt_check_config,
    opt_log_level,
    opt_list_gpio,
    opt_scan_i2c,
    opt_scan_w1,
    opt_version,
};

constexpr std::array<option, 9> long_options{{
    {"help", no_argument, nullptr, opt_help},
    {"config", required_argument, nullptr, 'c'},
    {"check-config", no_argument, nullptr, opt_check_config},
    {"log-level", required_argument, nullptr, opt_log_level},
    {"list-gpio", no_argument, nullptr, opt_list_gpio},
    {"scan-i2c", required_argument, nullptr, opt_scan_i2c},
    {"scan-w1", no_argument, nullptr, opt_scan_w1},
    {"version", no_argument, nullptr, opt_version},
    {nullptr, 0, nullptr, 0},
}};

// The option as the user wrote it, for messages: a long one from the argument getopt_long just
// stepped past (without "=value"), a short one from optopt (it may sit in a group like -xc).
std::string written(char* const* argv, int index) {
    const std::string arg = index > 0 && argv[index - 1] ? argv[index - 1] : "";
    if (arg.rfind("--", 0) == 0) return arg.substr(0, arg.find('='));
    if (optopt > 0 && optopt < 128) return std::string("-") + static_cast<char>(optopt);
    return arg;
}

}  // namespace

std::variant<daemon_arguments, arguments_error> parse_daemon_arguments(int argc,
                                                                       char* const* argv) {
    daemon_arguments a;
    // getopt_long permutes argv; work on a copy so the caller's array stays as it was.
    std::vector<char*> args(argv, argv + argc);
    args.push_back(nullptr);
    opterr = 0;  // our messages, not getopt's
    optind = 0;  // 0 (not 1): a full reset of getopt's state, so parsing twice works
    for (;;) {
        const int id = getopt_long(argc, args.data(), "+:c:", long_options.data(), nullptr);
        if (id == -1) break;
        switch (id) {
            case opt_help:
                a.help = true;
                break;
            case 'c':
                a.config_path = optarg;
                if (a.config_path.empty()) return arguments_error{"option '-c' needs a file name"};
                break;
            case opt_check_config:
                a.check_config = true;
                break;
            case opt_log_level:
                a.log_level = optarg;
                break;
            case opt_list_gpio:
                a.list_gpio = true;
                break;
            case opt_scan_i2c:
                a.scan_i2c = optarg;
                if (a.scan_i2c.empty()) return arguments_error{"option '--scan-i2c' needs a bus"};
                break;
            case opt_scan_w1:
                a.scan_w1 = true;
                break;
            case opt_version:
                a.version = true;
                break;
            case ':':
                return arguments_error{"option '" + written(args.data(), optind) +
                                       "' needs a value (see piogate --help)"};
            default:  // '?': unknown, ambiguous, or a value given to a switch
                if (optopt >= opt_help) {
                    return arguments_error{"option '" + written(args.data(), optind) +
                                           "' takes no value (see piogate --help)"};
                }
                return arguments_error{"unknown option '" + written(args.data(), optind) +
                                       "' (see piogate --help)"};
        }
    }
    if (optind < argc) {
        return arguments_error{"unexpected argument '" + std::string(args[optind]) +
                               "' (options only; the config file is -c FILE)"};
    }
    return a;
}

std::string daemon_usage() {
    return "Usage: piogate [options]\n"
           "Options:\n"
           "  --help                print this help and exit\n"
           "  --version             print the version and exit\n"
           "  -c, --config FILE     configuration file (default /etc/piogate/config.json)\n"
           "  --check-config        validate the configuration, print a summary and exit\n"
           "                        (0 valid, 2 invalid)\n"
           "  --log-level LEVEL     debug, info (default), notice, warning or error\n"
           "  --list-gpio           list GPIO chips and lines, then exit\n"
           "  --scan-i2c BUS        list the addresses answering on an I2C bus and the drivers\n"
           "                        that match, then exit\n"
           "  --scan-w1             list the 1-Wire probes present (ROM id, model, a reading),\n"
           "                        then exit\n"
           "\n"
           "Exit status: 0 success, 1 device or run-time failure, 2 bad arguments or "
           "configuration\n";
}

}  // namespace piogate::app
