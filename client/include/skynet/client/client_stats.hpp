#pragma once
// A client's counters, each declared once: its name, its kind (counter: only
// grows; gauge: a level now) and what it counts. client_stats below, the
// client's live counters and the Prometheus text are made from this list.

#include <cstdint>
#include <string>

// clang-format off
#define SKYNET_CLIENT_COUNTERS(X)                                                      \
    X(calls, counter, "Calls started.")                                                \
    X(attempts, counter, "Requests sent, retries and failovers included.")             \
    X(replies, counter, "Calls ended with a reply.")                                   \
    X(errors, counter, "Calls ended with an error code.")                              \
    X(late_replies, counter, "Replies to calls already ended, dropped.")               \
    X(malformed, counter, "Messages from brokers dropped as malformed.")               \
    X(brokers_lost, counter, "Times a broker was declared dead.")                      \
    X(hedges, counter, "Second copies sent by hedged calls.")                          \
    X(in_flight, gauge, "Calls not yet ended.")
// clang-format on

namespace skynet {

// Counters since the client was made, readable from any thread.
struct client_stats {
#define SKYNET_CLIENT_STATS_FIELD(name, kind, help) std::uint64_t name = 0;
    SKYNET_CLIENT_COUNTERS(SKYNET_CLIENT_STATS_FIELD)
#undef SKYNET_CLIENT_STATS_FIELD
};

// The counters in the Prometheus text format, named skynet_client_<name>,
// with _total after a counter's name.
std::string prometheus_text(const client_stats& stats);

}  // namespace skynet
