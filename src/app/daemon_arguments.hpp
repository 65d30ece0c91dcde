// The daemon's command line: what piogate was asked to do.
//
// Parsed with getopt_long (libc) rather than Boost.Program_options: the daemon has eight
// options, and the Boost library alone kept about 420 KiB of the process resident.
// Pure: no I/O, no exit. Thread: any (getopt_long's state is global: call from one thread).
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <string>
#include <variant>

namespace piogate::app {

struct daemon_arguments {
    std::string config_path;  // -c/--config; empty: the default file when it exists
    bool check_config = false;
    std::string log_level = "info";
    bool list_gpio = false;
    std::string scan_i2c;  // --scan-i2c BUS; empty: not asked
    bool scan_w1 = false;
    bool help = false;     // --help: print daemon_usage() and exit 0
    bool version = false;  // --version: print "piogate VERSION" and exit 0
};

// A usage error, worded for "piogate: <message>" on stderr and exit status 2.
struct arguments_error {
    std::string message;
};

// Reads argv (argv[0] is the program). Long options may be abbreviated while unambiguous and
// take their value as "--opt VALUE" or "--opt=VALUE". Never throws for bad input.
std::variant<daemon_arguments, arguments_error> parse_daemon_arguments(int argc, char* const* argv);

// The --help text, ending in the exit statuses.
std::string daemon_usage();

}  // namespace piogate::app
