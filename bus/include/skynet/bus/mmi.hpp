#pragma once
// The mmi.* services (8/MMI and ours, docs/design.md): their names, status
// codes, and the few requests and answers that carry more than a status:
// the credit a worker connection asks for (with batch frames and the
// broker's heartbeat terms), the batch probe, pause and resume. One codec
// for broker, worker and client.
//
// Requests are sent as client REQUESTs ("" · "MDPC01" · name · body), on a
// worker's own socket too. The put_* functions that make a request append a
// whole message to `out` (protocol header and body); those that make an
// answer append its body frames only (the broker adds the rest). Decoders
// read body frames, never throw, and return result<T>: these bytes come
// from the network.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "skynet/bus/bson.hpp"
#include "skynet/bus/frames.hpp"
#include "skynet/bus/result.hpp"

namespace skynet::bus::mmi {

inline constexpr std::string_view prefix = "mmi.";
inline constexpr std::string_view service = "mmi.service";    // 8/MMI: has it workers?
inline constexpr std::string_view services = "mmi.services";  // the services with workers
inline constexpr std::string_view credit = "mmi.credit";      // a worker connection's credit
inline constexpr std::string_view batch = "mmi.batch";        // batch frames (bus/batch.hpp)
inline constexpr std::string_view pause = "mmi.pause";        // no new requests, please
inline constexpr std::string_view resume = "mmi.resume";      // requests again
inline constexpr std::string_view stats = "mmi.stats";        // the broker's counters
inline constexpr std::string_view cancel = "mmi.cancel";      // a caller gave up a call
inline constexpr std::string_view service_stats = "mmi.service_stats";  // per-service figures

// 8/MMI status codes, as they travel.
namespace code {
inline constexpr std::string_view ok = "200";
inline constexpr std::string_view bad_request = "400";
inline constexpr std::string_view not_found = "404";
inline constexpr std::string_view not_implemented = "501";
}  // namespace code

// A name the broker answers itself; never a worker's service.
constexpr bool is_internal(std::string_view name) noexcept {
    return name.starts_with(prefix);
}

enum class status { ok, bad_request, not_found, not_implemented, unreadable };

// The status of an answer. Ours is its first frame; the reference Majordomo
// broker, as 8/MMI's replies do, writes it over the request's LAST body
// frame and returns the others as they were. So: "200" first is ours;
// otherwise a known code in the last frame, else in the first, decides;
// anything else (no frames, no code) is `unreadable`.
status status_of(std::span<const zmq::message_t> body) noexcept;

// --- mmi.credit: sent by a worker on its own socket before READY ---------

// The request's one body frame: the credit in decimal, then " batch" when
// it asks for batch frames ("16 batch"). One frame, so that a broker that
// answers as the reference does (status over the last frame) answers plain
// "501". Brokers also read the older two frames ("16", "batch").
struct credit_request {
    std::uint32_t credit = 1;  // requests in flight on this connection, at least 1
    bool batch = false;
};
void put_credit_request(frames& out, const credit_request& request);
// error{bad_request} unless one or two frames say a credit of 1 or more and
// nothing but "batch" (or features this codec does not know, ignored).
[[nodiscard]] result<credit_request> decode_credit_request(
    std::span<const zmq::message_t> body) noexcept;

// The broker's heartbeat, as it runs it: a worker of ours heartbeats at
// least every `interval`, and expects to hear from the broker within
// interval × liveness, whatever its own options say.
struct heartbeat_terms {
    std::chrono::milliseconds interval{0};  // 0: not said (an older or plain broker)
    std::uint32_t liveness = 0;

    bool known() const noexcept { return interval.count() > 0 && liveness > 0; }
};

// The answer: "200" · credit granted, then pairs of a term and its value,
// "batch" · the most bytes in one batch frame (only when granted, and
// first, where earlier workers look for it), "heartbeat" · milliseconds,
// "liveness" · count. A reader skips terms it does not know.
struct credit_grant {
    std::uint32_t credit = 1;
    std::size_t batch_limit = 0;  // 0: no batch frames
    heartbeat_terms heartbeat;
};
void put_credit_grant(frames& body, const credit_grant& grant);
// error{bad_request} unless the status is "200" and a credit of 1 or more
// follows. A term whose value is not a positive number is left out (as if
// not said); so is "batch" without a value.
[[nodiscard]] result<credit_grant> decode_credit_grant(
    std::span<const zmq::message_t> body) noexcept;

// --- mmi.batch probe: a client asks on each new connection -------------

// The question: one empty frame (an empty batch).
void put_batch_probe(frames& out);
// Is this body the question (and not a batch of requests)?
bool is_batch_probe(std::span<const zmq::message_t> body) noexcept;
// Yes: an empty batch, then the most bytes it reads in one batch frame.
void put_batch_grant(frames& body, std::size_t limit);
// Is this body an answer to the probe (and not a batch of replies)? A
// "501" answer is not: read it with status_of.
bool is_batch_grant(std::span<const zmq::message_t> body) noexcept;
// The limit; error{bad_request} if the answer is not a grant or the limit
// is not a positive number.
[[nodiscard]] result<std::size_t> decode_batch_grant(std::span<const zmq::message_t> body) noexcept;

// --- mmi.pause / mmi.resume: from a worker's own socket after READY ------

// One empty body frame. Answered "200", "404" (not a worker of this
// broker) or "501" (a plain broker): read it with status_of.
void put_pause(frames& out, bool pausing);

// --- mmi.cancel: a caller gave up a call (docs/design.md, "Cancellation") --

// Client to broker, on the client's own broker socket: one body frame per
// call given up, each its request_id. Answered "200" (the broker held one
// of them), "404" (none: unknown, or already answered) or "501" (a broker
// that does not know it); the client reads none of these.
void put_cancel_request(frames& out, std::string_view request_id);
// The request_ids; error{bad_request} for an empty body.
[[nodiscard]] result<std::span<const zmq::message_t>> decode_cancel_request(
    std::span<const zmq::message_t> body) noexcept;

// Broker to a worker of ours (one that asked for credit; plain 7/MDP
// workers never get it): a REQUEST whose client address is "mmi.cancel" and
// whose body frames are the client addresses under which the broker sent
// the requests given up. The worker marks them cancelled and answers
// nothing; it still replies to each request as usual, and the broker drops
// those replies.
void put_cancel_notice(frames& out, std::string_view worker_address);

// --- mmi.service_stats: every service a broker knows, with its figures ----

// A client request with an empty body; the answer is "200" and one BSON
// document {"services": [{"name", "queued", "workers", "idle", "busy",
// "requests", "errors"}, ...]}, every figure an int64. requests and errors
// count the outcomes the broker saw since it learnt the service (errors:
// every code but OK); idle and busy are its workers holding no request and
// holding some.
struct service_figures {
    std::string name;
    std::uint64_t queued = 0;
    std::uint64_t workers = 0;
    std::uint64_t idle = 0;
    std::uint64_t busy = 0;
    std::uint64_t requests = 0;
    std::uint64_t errors = 0;

    friend bool operator==(const service_figures&, const service_figures&) = default;
};
bson_doc encode_service_figures(std::span<const service_figures> known);
// error{bad_request} if "services" is missing or not an array of documents
// with a string name; a figure missing reads 0 (an older broker's).
[[nodiscard]] result<std::vector<service_figures>> decode_service_figures(const bson_view& doc);

}  // namespace skynet::bus::mmi
