#include "connection.hpp"

namespace skynet::worker_detail {

bool connection::send(bus::frames& out, time_point now) {
    last_sent = now;
    if (bus::send_frames(*socket, out, true) != bus::send_outcome::sent) {
        log->warn("broker not reading, message dropped broker={}", endpoint);
        out.clear();
        return false;
    }
    return true;
}

}  // namespace skynet::worker_detail
