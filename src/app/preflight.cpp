#include "app/preflight.hpp"

#include "app/buffer_file.hpp"

namespace piogate::app {

void preflight(const config::piogate_config& config) {
    // The buffer file must be piogate's own: never used, so never truncated, otherwise.
    if (config.buffer.persist) check_buffer_file(config.buffer.file);
}

}  // namespace piogate::app
