#pragma once
// The bus's error codes. Their numbers are fixed on the wire (the reply
// header's "code" field); never renumber them.

#include <cstdint>
#include <optional>
#include <string_view>

namespace skynet::bus {

enum class errc : std::int32_t {
    // Success. The reply carries a result document.
    ok = 0,
    // The request was malformed (bad frames, broken BSON, a limit such as the
    // message size exceeded). Never retry: it will fail again.
    bad_request = 1,
    // No worker serves this service (after a short wait for one to appear).
    // Retry after discovery finds one.
    unknown_service = 2,
    // The service has no handler for this method. Never retry.
    unknown_method = 3,
    // The time budget ran out. The outcome is unknown: the request may have run.
    timeout = 4,
    // No broker could take the request (unreachable, shutting down). A request
    // not marked idempotent did not run. An idempotent one may have: the bus
    // also answers UNAVAILABLE when it stops re-running one (its worker or
    // broker died past its deadline, or while closing), since running it
    // again is harmless. Back off and retry.
    unavailable = 5,
    // The worker holding the request died. It may have run; the bus re-runs
    // only idempotent requests, so others end here.
    worker_lost = 6,
    // A queue or limit is full. The request did not run. Back off and retry.
    overloaded = 7,
    // The handler failed; the reply's error text says why.
    service_error = 8,
    // The caller may not do this. Never retry.
    unauthorized = 9,
    // The caller cancelled the call. It may have run, or be running: its
    // handler is told, and its reply, if any, is dropped.
    cancelled = 10,
};

inline constexpr std::int32_t errc_max = 10;

// The wire spelling of a code, such as "UNKNOWN_SERVICE".
std::string_view to_string(errc code) noexcept;

// The code with this wire number, or nothing if the number is not one of ours.
std::optional<errc> errc_from_int(std::int32_t value) noexcept;

// True for codes a caller may retry without knowing whether the request ran:
// unavailable and overloaded (the request did not run).
constexpr bool is_retryable(errc code) noexcept {
    return code == errc::unavailable || code == errc::overloaded;
}

}  // namespace skynet::bus

namespace skynet {
using bus::errc;
using bus::is_retryable;
}  // namespace skynet
