// What a hook or a thread's loop threw, logged where it is caught: nothing
// the user's code or a library below us throws may end the process from a
// thread of the worker's.
#include <exception>

#include "shared_state.hpp"
#include "skynet/runtime/logging.hpp"

namespace skynet::worker_detail {

void log_escaped(std::string_view where) noexcept {
    try {
        auto log = runtime::logger_for("worker");
        try {
            throw;
        } catch (const std::exception& e) {
            log->error("caught where={} error=\"{}\"", where, e.what());
        } catch (...) {
            log->error("caught where={} error=\"a non-standard exception\"", where);
        }
    } catch (...) {
        // Logging itself failed (out of memory): nothing more can be said.
    }
}

}  // namespace skynet::worker_detail
