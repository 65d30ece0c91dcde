// Test helper: what the kernel counted on a TCP socket (TCP_INFO, Linux 4.19+), for tests
// that compare bytes on the wire. Kept apart from <netinet/tcp.h> users: glibc's struct
// tcp_info lacks the byte counters, and <linux/tcp.h> cannot be included beside it.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <cstdint>

namespace piogate::test {

// Bytes sent on the connected TCP socket `fd` so far (retransmissions included); 0 when the
// kernel does not tell (not a TCP socket, an old kernel).
std::uint64_t tcp_bytes_sent(int fd);

}  // namespace piogate::test
