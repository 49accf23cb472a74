#pragma once
// The replies of one connection on their way out. The one place that knows
// batch frames exist on the way back: a reply goes as a record of the
// connection's next batch frame, or as a REPLY of its own, and the outbox
// alone decides which, holds the limit its broker agreed to, and sends the
// batch once per turn of the loop.

#include <cstddef>
#include <span>
#include <zmq.hpp>

#include "skynet/bus/batch.hpp"
#include "skynet/bus/clock.hpp"
#include "skynet/bus/frames.hpp"
#include "skynet/worker/request.hpp"

namespace skynet::worker_detail {

struct connection;

class reply_outbox {
public:
    // `to` owns this outbox and outlives it.
    explicit reply_outbox(connection& to) noexcept : to_(to) {}
    reply_outbox(const reply_outbox&) = delete;
    reply_outbox& operator=(const reply_outbox&) = delete;

    // A new socket: one REPLY each, which any broker reads, until its broker
    // agrees to batches. Drops what was gathered for the old one.
    void reset() noexcept;
    // The broker takes batch frames of at most `limit` bytes (docs/design.md).
    void agree(std::size_t limit) noexcept;
    bool batching() const noexcept { return batching_; }

    // Sends `body` (emptied, its frames moved or copied) back the way its
    // request came: into this turn's batch if the request came in one and
    // the reply fits, else as a REPLY now. A full batch leaves at once.
    void put(reply_route&& route, bus::frames& body, bus::time_point now);
    // Sends the batch gathered this turn, if any.
    void flush(bus::time_point now);
    // Drops what was gathered: its broker has gone, and answers for it.
    void clear() noexcept { records_.clear(); }

private:
    bool fits(const reply_route& route, std::span<const zmq::message_t> body) const noexcept;

    connection& to_;
    bool batching_ = false;
    std::size_t limit_ = bus::batch::default_limit;
    bus::batch::writer records_;  // gathered this turn of the loop
    bus::frames out_;
};

}  // namespace skynet::worker_detail
