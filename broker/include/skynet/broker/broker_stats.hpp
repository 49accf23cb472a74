#pragma once
// The broker's counters, each declared once: its name (the mmi.stats key),
// its kind (counter: only grows; gauge: a level now) and what it counts.
// Everything else is made from this list: broker_stats below, the broker's
// live counters, the mmi.stats document and the Prometheus text.

#include <cstdint>
#include <string>

// clang-format off
#define SKYNET_BROKER_COUNTERS(X)                                                                 \
    X(requests, counter, "Client requests received, mmi.* included.")                            \
    X(dispatched, counter, "REQUESTs sent to workers, re-dispatches included.")                   \
    X(replies, counter, "Worker replies forwarded to clients.")                                   \
    X(queued, gauge, "Requests now waiting for a worker.")                                        \
    X(in_flight, gauge, "Requests now held by workers.")                                          \
    X(workers, gauge, "Workers now connected.")                                                   \
    X(services, gauge, "Services now known.")                                                     \
    X(malformed, counter, "Messages dropped as malformed.")                                       \
    X(disconnects, counter, "DISCONNECTs sent for protocol errors.")                              \
    X(overloaded, counter, "Requests answered OVERLOADED.")                                       \
    X(unknown_service, counter, "Requests answered UNKNOWN_SERVICE.")                             \
    X(expired, counter, "Requests dropped because their deadline passed.")                        \
    X(workers_lost, counter, "Workers dropped by heartbeat expiry.")                              \
    X(redispatched, counter, "Idempotent requests re-sent after their worker died.")              \
    X(worker_lost_replies, counter, "Requests answered WORKER_LOST.")                             \
    X(undeliverable, counter, "Messages a peer could not take: gone, or not reading.")            \
    X(too_large, counter, "Requests answered BAD_REQUEST for their size.")                        \
    X(clients, gauge, "Clients now with requests in the broker.")                                 \
    X(clients_refused, counter, "Requests answered OVERLOADED: max_clients reached.")             \
    X(client_requests_refused, counter,                                                           \
      "Requests answered OVERLOADED: max_client_requests reached.")                               \
    X(quiet_workers, counter, "Times a silent worker holding requests was set aside.")            \
    X(batches_received, counter, "Batch frames received from clients and workers.")               \
    X(batches_sent, counter, "Batch frames sent to clients and workers.")                         \
    X(plain_refused, counter,                                                                     \
      "Requests of plain 7/MDP clients the broker would have answered with an error: dropped.")   \
    X(cancelled, counter, "Requests their callers gave up (mmi.cancel) while queued or held.")   \
    X(cancelled_replies, counter, "Worker replies to cancelled requests, dropped.")                \
    X(batch_records_received, counter, "Requests and replies that came in batch frames.")         \
    X(batch_records_sent, counter, "Requests and replies sent in batch frames.")                  \
    X(unauthorized, counter, "Requests answered UNAUTHORIZED by the access rules.")               \
    X(offers_refused, counter,                                                                    \
      "Workers disconnected by the access rules: at READY, or after a reload.")
// clang-format on

namespace skynet {

// Counters since start, readable from any thread while the broker runs.
// Batch frames (docs/design.md) carry many requests or replies each.
struct broker_stats {
#define SKYNET_BROKER_STATS_FIELD(name, kind, help) std::uint64_t name = 0;
    SKYNET_BROKER_COUNTERS(SKYNET_BROKER_STATS_FIELD)
#undef SKYNET_BROKER_STATS_FIELD
};

// The counters in the Prometheus text format, as /metrics serves them
// (docs/metrics.md): skynet_broker_<name>, with _total after a counter's
// name; `requests` and `workers` as requests_received and workers_connected.
std::string prometheus_text(const broker_stats& stats);

}  // namespace skynet
