#include "skynet/daemon/supervisor.hpp"

namespace skynet::daemon {

std::string_view to_string(supervisor_event::kind what) noexcept {
    switch (what) {
        case supervisor_event::kind::started:
            return "started";
        case supervisor_event::kind::exited:
            return "exited";
        case supervisor_event::kind::restarting:
            return "restarting";
        case supervisor_event::kind::crash_looping:
            return "crash-looping";
        case supervisor_event::kind::stopped:
            return "stopped";
        case supervisor_event::kind::adopted:
            return "adopted";
    }
    return "started";
}

}  // namespace skynet::daemon
