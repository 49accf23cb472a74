#pragma once
// One broker as the client sees it: its connection, whether it answers, what
// the registry says of it, and what leaves for it (its outbox).

#include <optional>
#include <string>
#include <vector>
#include <zmq.hpp>

#include "outbox.hpp"
#include "skynet/bus/clock.hpp"
#include "skynet/runtime/monitored_socket.hpp"

namespace skynet::client_detail {

struct broker_link {
    std::string endpoint;
    // The DEALER, watched for ZMQ_EVENT_DISCONNECTED: a broken connection
    // loses what the broker held for us at once, even if a broker is back on
    // the endpoint before our heartbeats could miss it.
    std::optional<runtime::monitored_socket> connection;
    bool up = true;  // not declared dead
    // Declared dead, and an attempt to connect since was refused: nothing
    // listens there now. Calls that only such brokers could take fail fast;
    // a broker merely silent (a busy machine) is waited for, as it
    // reconnects, within the call's deadline.
    bool unreachable = false;
    // Until then new attempts go to other brokers first: this one answered
    // UNAVAILABLE (draining, or unable to run a request again), while it
    // still answers pings, so it would stay "up".
    bus::time_point refusing_until{};
    bus::time_point last_heard{};
    bus::time_point last_ping{};
    // From the registry (clients that discover their brokers): where the
    // broker is and what it serves. A broker that left the registry is
    // retired: a last resort while it still answers, and what it holds may
    // still be answered.
    std::string region;
    std::vector<std::string> services;  // sorted
    bool retired = false;
    // Its share among brokers of the same rank (registry::load_weight of
    // what it published); 1 for fixed brokers and those that publish nothing.
    double weight = 1.0;
    // This client's copies of calls out on it now (call.link, hedge_link):
    // kept by engine::track_links, where a call goes, moves or ends.
    int outstanding = 0;
    // What leaves for it: plain frames, or records of this turn's batch.
    outbox out;

    zmq::socket_t& socket() noexcept { return connection->socket(); }

    // Up and not refusing: where attempts go first.
    bool usable(bus::time_point now) const noexcept { return up && now >= refusing_until; }
};

}  // namespace skynet::client_detail
