#pragma once
// A worker's counters, each declared once: its name, its kind (counter: only
// grows; gauge: a level now) and what it counts. worker_stats below, the
// worker's live counters and the Prometheus text are made from this list.

#include <cstdint>
#include <string>

// clang-format off
#define SKYNET_WORKER_COUNTERS(X)                                                      \
    X(requests, counter, "Requests received.")                                         \
    X(replies, counter, "Replies sent.")                                               \
    X(errors, counter, "Replies with a code other than OK.")                           \
    X(expired, counter, "Requests not run: their deadline had passed.")                \
    X(malformed, counter, "Messages from brokers dropped as malformed.")               \
    X(in_flight, gauge, "Requests received and not yet answered.")                     \
    X(reconnects, counter, "Connections re-opened after a loss.")
// clang-format on

namespace skynet {

// Counters since start, readable from any thread.
struct worker_stats {
#define SKYNET_WORKER_STATS_FIELD(name, kind, help) std::uint64_t name = 0;
    SKYNET_WORKER_COUNTERS(SKYNET_WORKER_STATS_FIELD)
#undef SKYNET_WORKER_STATS_FIELD
};

// The counters in the Prometheus text format, as /metrics serves them
// (docs/metrics.md): skynet_worker_<name>, with _total after a counter's
// name; `requests` as requests_received.
std::string prometheus_text(const worker_stats& stats);

}  // namespace skynet
