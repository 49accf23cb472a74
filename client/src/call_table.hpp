#pragma once
// Calls in progress. A call's request_id names its slot (index and
// generation), so that a reply finds its call in O(1) and a reply to an ended
// call, whose slot has moved on, is recognised.

#include <deque>
#include <queue>
#include <string>
#include <vector>

#include "skynet/bus/clock.hpp"
#include "skynet/client/client.hpp"

namespace skynet::client_detail {

using bus::milliseconds;
using bus::time_point;

struct pending_call {
    std::uint32_t index = 0;
    std::uint32_t generation = 0;
    bool in_use = false;
    bool raw = false;
    bool idempotent = false;
    std::string service;      // as sent: "name" or "name@version"
    std::string method;
    std::string parent_id;
    std::string traceparent;
    zmq::message_t params;    // envelope calls; kept for further attempts
    bus::frames raw_body;     // raw calls; kept for further attempts
    time_point deadline{};
    time_point unsent_since{};
    time_point next_attempt{};
    int retries_left = 0;
    int attempts = 0;
    std::int32_t redispatches = 0;  // the header's retry field
    int link = -1;                  // the broker of the current attempt; -1: not sent
    // Hedged calls: the second copy's broker, and how many copies are out.
    milliseconds hedge_after{0};
    int hedge_link = -1;
    int copies = 0;
    int moves = 0;  // times moved off a broker that answered UNAVAILABLE
    int raw_socket = -1;            // a raw call's socket
    call_callback done;
};

class call_table {
public:
    static constexpr std::size_t id_size = 16;

    pending_call& acquire();
    void release(pending_call& call) noexcept;

    pending_call* find(std::uint32_t index, std::uint32_t generation) noexcept;
    // The call a reply's request_id names, or nullptr.
    pending_call* find_by_id(std::string_view request_id) noexcept;
    // The request_id of a call: 16 hex digits.
    static std::string_view format_id(const pending_call& call, char (&out)[id_size]) noexcept;

    std::size_t in_use() const noexcept { return slots_.size() - free_.size(); }
    std::size_t capacity() const noexcept { return slots_.size(); }
    pending_call& at(std::size_t i) noexcept { return slots_[i]; }

private:
    std::deque<pending_call> slots_;  // never moves its elements
    std::vector<std::uint32_t> free_;
};

// Deadlines, earliest first. Entries of calls that ended are skipped when
// they come up (their generation no longer matches).
struct deadline_entry {
    time_point when;
    std::uint32_t index;
    std::uint32_t generation;
    bool operator>(const deadline_entry& o) const noexcept { return when > o.when; }
};
using deadline_heap =
    std::priority_queue<deadline_entry, std::vector<deadline_entry>, std::greater<>>;

}  // namespace skynet::client_detail
