#pragma once
// One 7/MDP connection from this worker to a broker: its socket, where it is
// in the dialog, and its heartbeat clocks. A connection re-opens on a new
// socket after a loss (7/MDP); its epoch counts sockets, so that a reply to a
// request of an earlier socket is known stale. Its data, which the
// connection set drives; its replies leave through its own outbox.

#include <spdlog/logger.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <zmq.hpp>

#include "reply_outbox.hpp"
#include "skynet/bus/clock.hpp"
#include "skynet/bus/frames.hpp"

namespace skynet::worker_detail {

using bus::time_point;

struct connection {
    enum class phase {
        closed,       // no socket; re-opens at reopen_at
        negotiating,  // mmi.credit asked, READY not sent yet
        serving,      // READY sent
    };

    std::uint32_t index = 0;
    std::uint32_t epoch = 0;
    std::string endpoint;
    bool negotiate = true;  // ask for credit before READY
    std::optional<zmq::socket_t> socket;
    phase state = phase::closed;
    std::uint32_t credit = 1;  // granted by the broker
    reply_outbox outbox{*this};
    // Draining: mmi.pause sent, its answer not yet in. Requests the broker
    // sent before it took the pause arrive before that answer.
    bool pause_pending = false;
    // Its broker left the registry: closed for good, unless it comes back.
    bool retired = false;
    // Heartbeat terms for this socket (docs/design.md): our options, or the
    // broker's when it said them with its credit, whichever is stricter:
    // a heartbeat at least every `heartbeat`, and the broker dead after
    // `silence_limit` without a word.
    std::chrono::milliseconds heartbeat{0};
    std::chrono::milliseconds silence_limit{0};
    time_point last_heard{};
    time_point last_sent{};
    time_point reopen_at{};
    time_point negotiate_until{};
    std::chrono::milliseconds backoff{0};

    std::shared_ptr<spdlog::logger> log;

    bool open() const noexcept { return socket.has_value(); }
    // Sends `out` (emptied) without ever blocking the network thread: a
    // broker that does not read loses the message, and heartbeats soon tell
    // us it is gone. False if it was dropped.
    bool send(bus::frames& out, time_point now);
};

}  // namespace skynet::worker_detail
