// TCP_INFO byte counters (tcp_counters.hpp).
#include "support/tcp_counters.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <cstddef>

#include <linux/tcp.h>
#include <netinet/in.h>
#include <sys/socket.h>

namespace piogate::test {

std::uint64_t tcp_bytes_sent(int fd) {
    tcp_info info{};
    socklen_t len = sizeof info;
    if (fd < 0 || ::getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &len) != 0) return 0;
    if (len < offsetof(tcp_info, tcpi_bytes_sent) + sizeof info.tcpi_bytes_sent) return 0;
    return info.tcpi_bytes_sent;
}

}  // namespace piogate::test
