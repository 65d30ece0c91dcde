// Loads the TLS module (see transport_tls.hpp) on first use.
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <vector>
// SPDX-License-Identifier: Apache-2.0
#include <dlfcn.h>
#include <unistd.h>

#include "mqtt/transport_tls.hpp"

namespace piogate::mqtt {
namespace {

using make_fn = tls_stacks* (*)(const tls_options&);

struct tls_module {
    make_fn make = nullptr;
    std::string error;
};

std::vector<std::string> candidates() {
    if (const char* env = std::getenv("PIOGATE_TLS_MODULE"); env && *env) return {env};
    std::vector<std::string> paths;
#ifdef PIOGATE_TLS_MODULE_BUILT
    paths.emplace_back(PIOGATE_TLS_MODULE_BUILT);
#endif
    paths.emplace_back(PIOGATE_TLS_MODULE_INSTALLED);
    return paths;
}

tls_module load() {
    tls_module m;
    const auto paths = candidates();
    for (const auto& path : paths) {
        if (paths.size() > 1 && ::access(path.c_str(), F_OK) != 0) continue;
        void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
        if (!handle) {
            const char* e = ::dlerror();
            m.error = "cannot load the TLS module: " + std::string(e ? e : path);
            return m;
        }
        m.make = reinterpret_cast<make_fn>(::dlsym(handle, "piogate_tls_make_stacks"));
        if (!m.make) m.error = "the TLS module " + path + " has no piogate_tls_make_stacks";
        return m;
    }
    m.error = "cannot load the TLS module: " + paths.back() + ": No such file or directory";
    return m;
}

}  // namespace

std::unique_ptr<tls_stacks> make_tls_stacks(const tls_options& options) {
    static const tls_module module = load();  // thread-safe; once per process
    if (!module.make) throw std::runtime_error("TLS: " + module.error);
    return std::unique_ptr<tls_stacks>(module.make(options));
}

}  // namespace piogate::mqtt
