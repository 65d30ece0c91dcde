// This machine's id as one application sees it: sd_id128_get_machine_app_specific(), an
// HMAC-SHA256 of /etc/machine-id keyed with piogate's application id, so the machine id itself
// is never published (machine-id(5)). The same value as
// `systemd-id128 --app-specific=ae4e08efb70448ab907eaa70966b0dec machine-id`.
//
// Thread: any. Blocking (reads /etc/machine-id): call at start-up. Errors: nullopt when there
// is no usable machine id (missing, empty or "uninitialized"); nothing throws.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <optional>
#include <string>

namespace piogate::sys {

inline constexpr const char* piogate_app_id = "ae4e08efb70448ab907eaa70966b0dec";

// 32 lower-case hex digits.
std::optional<std::string> app_specific_machine_id();

}  // namespace piogate::sys
